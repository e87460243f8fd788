"""ui.widgets.banner.identity_line: whose case a dialog (case notes, panel referral) is
about, on one line: name, birth date or "unknown", MRN."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from store_helpers import valid_case

from ui.widgets.banner import identity_line


def test_the_line_names_the_patient_birth_date_and_mrn(qtbot):
    patient = replace(valid_case().patient, birth_date=date(1953, 2, 19))
    line = identity_line(patient, "caseNotesBanner")
    qtbot.addWidget(line)
    assert line.objectName() == "caseNotesBanner"
    assert line.text() == f"{patient.display_name}, born 1953-02-19, MRN {patient.mrn}"


def test_a_birth_date_not_recorded_reads_unknown(qtbot):
    patient = replace(valid_case().patient, birth_date=None)
    line = identity_line(patient, "panelReferralBanner")
    qtbot.addWidget(line)
    assert ", born unknown, MRN " in line.text()
