"""The database schema as migrations (one transaction each, recorded as sqlite-utils does).

Clinical safety lives in the schema too, so no code path can get around it: signed
decisions and their actions cannot be updated or deleted, and the audit log is
append-only (triggers below).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.store.migration_set import MigrationSet

if TYPE_CHECKING:  # annotations only: sqlite-utils loads where it is used
    from sqlite_utils import Database

APPLICATION_ID = 0x4D445441  # "MDTA": marks a file as an MDT Assistant database

migrations = MigrationSet("mdt_app")  # sqlite-utils' records, without importing it


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in _INITIAL.split(";\n\n"):
        if statement.strip():
            db.execute(statement)


_INITIAL = f"""
CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    mrn TEXT NOT NULL UNIQUE CHECK (length(trim(mrn)) > 0),
    given_name TEXT NOT NULL DEFAULT '',
    family_name TEXT NOT NULL DEFAULT '',
    birth_date TEXT,
    sex TEXT NOT NULL DEFAULT 'unknown' CHECK (sex IN {_in(d.SEXES)}),
    preferred_language TEXT NOT NULL DEFAULT 'en',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    referred_on TEXT,
    referring_clinician TEXT,
    referral_question TEXT,
    urgent INTEGER,
    histology TEXT,
    confirmed_by TEXT CHECK (confirmed_by IS NULL OR confirmed_by IN {_in(d.CONFIRMED_BY)}),
    diagnosed_on TEXT,
    t TEXT CHECK (t IS NULL OR t IN {_in(d.T_VALUES)}),
    n TEXT CHECK (n IS NULL OR n IN {_in(d.N_VALUES)}),
    m TEXT CHECK (m IS NULL OR m IN {_in(d.M_VALUES)}),
    resectability TEXT NOT NULL DEFAULT 'unknown' CHECK (resectability IN {_in(d.RESECTABILITY)}),
    phase TEXT NOT NULL DEFAULT 'new' CHECK (phase IN {_in(d.PHASES)}),
    braf_v600e TEXT NOT NULL DEFAULT 'unknown' CHECK (braf_v600e IN {_in(d.BIOMARKER_RESULTS)}),
    ntrk_fusion TEXT NOT NULL DEFAULT 'unknown' CHECK (ntrk_fusion IN {_in(d.BIOMARKER_RESULTS)}),
    ret_fusion TEXT NOT NULL DEFAULT 'unknown' CHECK (ret_fusion IN {_in(d.BIOMARKER_RESULTS)}),
    alk_fusion TEXT NOT NULL DEFAULT 'unknown' CHECK (alk_fusion IN {_in(d.BIOMARKER_RESULTS)}),
    msi_high TEXT NOT NULL DEFAULT 'unknown' CHECK (msi_high IN {_in(d.BIOMARKER_RESULTS)}),
    tmb_mut_per_mb REAL CHECK (tmb_mut_per_mb IS NULL OR tmb_mut_per_mb >= 0),
    pdl1_tps_percent REAL CHECK (pdl1_tps_percent IS NULL OR pdl1_tps_percent BETWEEN 0 AND 100),
    ecog INTEGER CHECK (ecog IS NULL OR ecog BETWEEN 0 AND 5),
    airway TEXT NOT NULL DEFAULT 'unknown' CHECK (airway IN {_in(d.AIRWAY)}),
    metastatic_sites TEXT NOT NULL DEFAULT '[]',
    metastatic_burden TEXT
        CHECK (metastatic_burden IS NULL OR metastatic_burden IN {_in(d.BURDEN)}),
    brain_symptomatic INTEGER,
    brain_imaging_done INTEGER,
    goals_of_care TEXT CHECK (goals_of_care IS NULL OR goals_of_care IN {_in(d.GOALS_OF_CARE)}),
    decision_capacity TEXT NOT NULL DEFAULT 'unknown'
        CHECK (decision_capacity IN {_in(d.CAPACITY)}),
    declines TEXT NOT NULL DEFAULT '[]',
    key_contact_name TEXT,
    key_contact_phone TEXT,
    centre TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX cases_patient ON cases(patient_id);

CREATE TABLE imaging (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    modality TEXT NOT NULL CHECK (modality IN {_in(d.IMAGING_MODALITIES)}),
    region TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL
);

CREATE INDEX imaging_case ON imaging(case_id);

CREATE TABLE labs (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    test TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    low REAL,
    high REAL
);

CREATE INDEX labs_case ON labs(case_id);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN {_in(d.MEETING_STATUSES)}),
    chair TEXT,
    location TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN {_in(d.AGENDA_STATUSES)}),
    status_reason TEXT,
    deferred_to_meeting_id INTEGER REFERENCES meetings(id),
    added_at TEXT NOT NULL,
    UNIQUE (meeting_id, case_id)
);

CREATE INDEX agenda_case ON agenda_items(case_id);

CREATE TABLE attendance (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    specialty TEXT NOT NULL,
    present INTEGER NOT NULL DEFAULT 1,
    UNIQUE (meeting_id, name)
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN {_in(d.DECISION_STATUSES)}),
    chosen_options TEXT NOT NULL DEFAULT '[]',
    plan_text TEXT NOT NULL DEFAULT '',
    deviation_reason TEXT,
    clinical_trial TEXT,
    follow_up_months INTEGER NOT NULL DEFAULT 3 CHECK (follow_up_months BETWEEN 1 AND 60),
    follow_up_items TEXT NOT NULL DEFAULT '[]',
    guideline_id TEXT,
    guideline_version TEXT,
    options_snapshot TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    signed_by TEXT,
    signed_at TEXT,
    amends_decision_id INTEGER REFERENCES decisions(id),
    amendment_reason TEXT,
    CHECK (status = 'draft' OR (signed_by IS NOT NULL AND signed_at IS NOT NULL
                                AND guideline_version IS NOT NULL)),
    CHECK (amends_decision_id IS NULL OR length(trim(coalesce(amendment_reason, ''))) > 0)
);

CREATE INDEX decisions_item ON decisions(agenda_item_id);

CREATE INDEX decisions_case ON decisions(case_id);

CREATE UNIQUE INDEX one_draft_per_item ON decisions(agenda_item_id) WHERE status = 'draft';

CREATE TRIGGER signed_decision_is_read_only BEFORE UPDATE ON decisions
WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed decision cannot be changed; record an amendment');
END;

CREATE TRIGGER signed_decision_is_kept BEFORE DELETE ON decisions
WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed decision cannot be deleted');
END;

CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL CHECK (length(trim(description)) > 0),
    owner TEXT,
    due_date TEXT
);

CREATE INDEX actions_decision ON actions(decision_id);

CREATE TRIGGER actions_of_signed_insert BEFORE INSERT ON actions
WHEN (SELECT status FROM decisions WHERE id = NEW.decision_id) = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'the actions of a signed decision cannot be changed');
END;

CREATE TRIGGER actions_of_signed_update BEFORE UPDATE ON actions
WHEN (SELECT status FROM decisions WHERE id = OLD.decision_id) = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'the actions of a signed decision cannot be changed');
END;

CREATE TRIGGER actions_of_signed_delete BEFORE DELETE ON actions
WHEN (SELECT status FROM decisions WHERE id = OLD.decision_id) = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'the actions of a signed decision cannot be changed');
END;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    details TEXT NOT NULL DEFAULT '{{}}'
);

CREATE INDEX audit_entity ON audit_log(entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
"""

# Later migrations live in their own modules; importing them registers them in order.
from mdt_app.store import (  # noqa: E402, F401
    migrations_care_programme,  # issue 16: words for the patient (independent of the rest)
    migrations_concurrency,
    migrations_consent,
    migrations_exchange,
    migrations_meetings,
    migrations_pathway_v2,
    migrations_security,
    migrations_server,  # noqa: E402,F401  (issue 19)
    migrations_sign_off,
    migrations_tnm_basis,  # issue 18: clinical or pathological TNM
)
