"""A synthetic archive for scale tests: N past cases in closed weekly meetings.

`mdt-app demo --db PATH --archive N` adds them to a new demo database. Each archive case
is one of the demo's decided cases given a new invented identity and moved back in time,
so the archive holds the same clinical variety (stages, biomarkers, deviations) as the
demo. Everything is written with set-based inserts in one transaction: a centre-sized
archive of 100,000 cases takes seconds, not the minutes that row-at-a-time saves take.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from mdt_app import demo_cases as src
from mdt_app import domain as d
from mdt_app.casefile import parse_case
from mdt_app.security.bulk_sign import sign_drafts_in_bulk
from mdt_app.store import Store, now
from mdt_app.store import rows as r

CASES_PER_MEETING = 40
ARCHIVE_MRN_PREFIX = "ARCH-"

_GIVEN = (
    "Ana", "Jonas", "Zoë", "Łukasz", "Inès", "Søren", "Ülkü", "Chloé", "Mateo", "Ida",
    "Kasia", "Niamh", "Björn", "Elif", "Tomás", "Hana", "Pavel", "Aino", "Rui", "Greta",
)  # fmt: skip
_FAMILY = (
    "Dvořák", "Nowak", "Müller", "García", "Rossi", "Jansen", "Kowalczyk", "Novák",
    "Lefèvre", "Ólafsson", "Papadopoulos", "Horváth", "Schmidt", "Costa", "Virtanen",
    "Popescu", "Andersen", "Ionescu", "Łęcka", "O'Brien",
)  # fmt: skip


@dataclass(frozen=True)
class _Template:
    """One decided demo case: its rows relative to its diagnosis date, and its decision."""

    spec: dict
    case: dict
    diagnosed: date
    imaging: list[dict]
    labs: list[dict]
    decision: dict


def _templates(today: date) -> list[_Template]:
    from mdt_app.demo import _case_object  # the demo's own description of a case
    from mdt_app.guideline.engine import recommend

    out = []
    specs = [s for s in src.EARLIER_MEETING + src.CURRENT_MEETING if "decision" in s]
    for index, spec in enumerate(specs):
        case = parse_case(_case_object(spec, today, index), f"demo case {spec['mrn']}")
        rec = recommend(case, today=today)
        plan = spec["decision"]
        decision = d.Decision(
            case_id=0,
            agenda_item_id=0,
            chosen_options=list(plan["codes"]),
            plan_text=plan["plan"],
            deviation_reason=plan.get("deviation"),
            clinical_trial=plan.get("trial"),
            guideline_id=rec.guideline_id,
            guideline_version=rec.guideline_version,
            options_snapshot=rec.as_dict(),
        )
        out.append(
            _Template(
                spec=spec,
                case=r.case_row(case),
                diagnosed=case.diagnosis.diagnosed_on or today,
                imaging=[r.imaging_row(i) for i in case.imaging],
                labs=[r.lab_row(x) for x in case.labs],
                decision=r.decision_row(decision),
            )
        )
    return out


@lru_cache(maxsize=65536)  # a template's dates, moved back by a few hundred distinct spans
def _shift(value: str | None, days: int) -> str | None:
    return (date.fromisoformat(value) - timedelta(days=days)).isoformat() if value else None


# Cases written per transaction (whole meetings). One transaction for 100,000 cases
# outgrows SQLite's page cache: spilled pages go to the WAL and reading them back made
# the build quadratic (135 s at 100,000). Batches keep each transaction's pages in the
# cache; the build still writes to a `.building` file that only gets the real name once
# complete, so a half-built archive is never seen.
BATCH_CASES = 100 * CASES_PER_MEETING
_BUILD_CACHE_KIB = 128 * 1024


def add_archive(store: Store, count: int, today: date | None = None) -> int:
    """Add ``count`` synthetic past cases in closed weekly meetings; returns how many."""
    if count <= 0:
        return 0
    today = today or date.today()
    templates = _templates(today)
    stamp = now().isoformat()
    start = today - timedelta(weeks=3)
    rng = random.Random(f"archive-{count}")
    with store.core.dialect.bulk_cache(store.db, _BUILD_CACHE_KIB):
        for first in range(0, count, BATCH_CASES):
            size = min(BATCH_CASES, count - first)
            with store.atomic():
                ids = _Ids(store)
                week = first // CASES_PER_MEETING
                weeks = -(-size // CASES_PER_MEETING)
                _insert_meetings(
                    store, ids.meeting + 1, start - timedelta(weeks=week), weeks, stamp
                )
                _insert_cases(store, ids, templates, rng, range(first, first + size), start, stamp)
                # Inserted as drafts, then signed with sealed sign-off entries (tamper
                # evidence), chained on from the entry before.
                sign_drafts_in_bulk(store, ids.item + 1, ids.item + size, src.CHAIR)
        meetings = -(-count // CASES_PER_MEETING)
        with store.atomic():
            store.audit("add_archive", "database", None, {"cases": count, "meetings": meetings})
    return count


class _Ids:
    """The highest id of each table before the archive is added (new rows follow on)."""

    def __init__(self, store: Store):
        def top(table: str) -> int:
            return int(store.query(f"SELECT coalesce(max(id), 0) AS n FROM {table}")[0]["n"])

        self.patient, self.case, self.meeting = top("patients"), top("cases"), top("meetings")
        self.item = top("agenda_items")


def _insert_meetings(store: Store, first: int, start: date, meetings: int, stamp: str) -> None:
    from mdt_app.demo import DEMO_MARK

    title = f"Thyroid ATC MDT [{DEMO_MARK}: synthetic archive]"
    store.db.conn.executemany(
        "INSERT INTO meetings (id, date, title, status, chair, location, created_at)"
        " VALUES (?, ?, ?, 'closed', ?, 'Room 4.12 (archive)', ?)",
        [
            (first + week, (start - timedelta(weeks=week)).isoformat(), title, src.CHAIR, stamp)
            for week in range(meetings)
        ],
    )
    store.db.conn.executemany(
        "INSERT INTO attendance (meeting_id, name, specialty, present) VALUES (?, ?, ?, 1)",
        [
            (meeting_id, name, specialty)
            for meeting_id in range(first, first + meetings)
            for name, specialty in src.ATTENDEES
        ],
    )


def _insert_cases(
    store: Store,
    ids: _Ids,
    templates: list[_Template],
    rng: random.Random,
    numbers: range,
    start: date,
    stamp: str,
) -> None:
    """Rows for the archive cases numbered ``numbers`` (0 is the newest), whose meetings
    were just inserted after ``ids.meeting``."""
    columns = list(templates[0].case)
    rows: dict[str, list[tuple]] = {k: [] for k in ("patients", "cases", "imaging", "labs",
                                                    "agenda", "decisions")}  # fmt: skip
    first_week = numbers.start // CASES_PER_MEETING
    for k, n in enumerate(numbers):
        patient_id, case_id, item_id = ids.patient + k + 1, ids.case + k + 1, ids.item + k + 1
        week = n // CASES_PER_MEETING
        meeting_date = start - timedelta(weeks=week)
        t = templates[n % len(templates)]
        back = (t.diagnosed - meeting_date).days + rng.randint(5, 20)
        born = date(rng.randint(1930, 1985), rng.randint(1, 12), rng.randint(1, 28))
        mrn = f"{ARCHIVE_MRN_PREFIX}{case_id:07d}"
        rows["patients"].append(
            (patient_id, mrn, mrn.casefold(), rng.choice(_GIVEN),
             rng.choice(_FAMILY), born.isoformat(), t.spec["sex"], stamp, stamp)
        )  # fmt: skip
        case = {**t.case, "referred_on": _shift(t.case["referred_on"], back),
                "diagnosed_on": _shift(t.case["diagnosed_on"], back)}  # fmt: skip
        rows["cases"].append((case_id, patient_id, *(case[c] for c in columns), stamp, stamp))
        rows["imaging"].extend(
            (case_id, _shift(i["date"], back), i["modality"], i["region"], i["summary"])
            for i in t.imaging
        )
        rows["labs"].extend(
            (case_id, _shift(x["date"], back), x["test"], x["value"], x["unit"], x["low"],
             x["high"])
            for x in t.labs
        )  # fmt: skip
        rows["agenda"].append(
            (
                item_id,
                ids.meeting + week - first_week + 1,
                case_id,
                n % CASES_PER_MEETING + 1,
                stamp,
            )
        )
        signed = datetime.combine(meeting_date, time(9, 30)).astimezone().isoformat()
        x = t.decision
        rows["decisions"].append(
            (case_id, item_id, x["chosen_options"], x["plan_text"], x["deviation_reason"],
             x["clinical_trial"], x["follow_up_months"], x["follow_up_items"],
             x["guideline_id"], x["guideline_version"], x["options_snapshot"], src.CHAIR,
             signed, signed, src.CHAIR, signed)
        )  # fmt: skip
    case_sql = ", ".join(["id", "patient_id", *columns, "created_at", "updated_at"])
    for sql, key in (
        ("INSERT INTO patients (id, mrn, identifier_key, given_name, family_name, birth_date,"
         " sex, preferred_language, created_at, updated_at)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, 'en', ?, ?)",
         "patients"),
        (f"INSERT INTO cases ({case_sql}) VALUES ({', '.join('?' * (len(columns) + 4))})",
         "cases"),
        ("INSERT INTO imaging (case_id, date, modality, region, summary)"
         " VALUES (?, ?, ?, ?, ?)", "imaging"),
        ("INSERT INTO labs (case_id, date, test, value, unit, low, high)"
         " VALUES (?, ?, ?, ?, ?, ?, ?)", "labs"),
        ("INSERT INTO agenda_items (id, meeting_id, case_id, position, status, added_at)"
         " VALUES (?, ?, ?, ?, 'discussed', ?)", "agenda"),
        ("INSERT INTO decisions (case_id, agenda_item_id, status, chosen_options, plan_text,"
         " deviation_reason, clinical_trial, follow_up_months, follow_up_items, guideline_id,"
         " guideline_version, options_snapshot, created_by, created_at, updated_at, signed_by,"
         " signed_at) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
         "decisions"),
    ):  # fmt: skip
        store.db.conn.executemany(sql, rows[key])
