"""The care programme dialog prints the PDF itself through CUPS (text kept), asks the
nurse to check shorthand and missing details first, and offers the patient's language."""

from __future__ import annotations

import subprocess

import pytest
from PySide6.QtPrintSupport import QPrinter

import ui.care_programme_dialog as pcp
from mdt_app.store import open_store
from tests.test_care_programme import add_case
from tests.ui.test_care_programme_dialog import click_and_wait


@pytest.fixture
def db(db_location):
    path = db_location
    with open_store(path, actor="builder") as store:
        store.set_setting("centre", {"name": "Centre", "phone_24h": "+44 1", "country": "GB"})
        add_case(
            store,
            mrn="S1",
            patient_explanation="Adjuvant IMRT with weekly paclitaxel bd.",
        )
        case = store.get_case(1)
        case.patient.preferred_language = "fr"
        store.update_case(case)
    return path


def open_dialog(window, db) -> pcp.CareProgrammeDialog:
    pcp.open_care_programme(window, db, 1, 1)
    dialog = window.findChild(pcp.CareProgrammeDialog, "careProgrammeDialog")
    assert dialog is not None
    return dialog


def test_language_defaults_to_the_patients_and_checks_come_first(qtbot, window, db):
    dialog = open_dialog(window, db)
    assert dialog.language.currentData() == "fr"
    asked: list[list[str]] = []

    def go_back(parent, found):
        asked.append(found)
        return False

    dialog.confirm_checks = go_back
    dialog.choose_printer = lambda *a: pytest.fail("no printer may be offered")
    click_and_wait(qtbot, dialog, "pcpPrintButton")
    [found] = asked
    assert any("shorthand" in line and "bd" in line for line in found)
    assert "Not printed" in dialog.status.text()


def test_print_sends_the_pdf_to_cups_with_its_text(qtbot, window, db, cups, monkeypatch):
    monkeypatch.setenv("CUPS_SERVER", str(cups.socket))
    dialog = open_dialog(window, db)
    dialog.confirm_checks = lambda parent, found: True
    chosen: list[QPrinter] = []

    class ChosenPrinter(QPrinter):
        """What the print dialog returns for the test queue (Qt lists the system's
        printers once per process, so it may not know this private server's queue)."""

        def printerName(self) -> str:  # noqa: N802 (Qt's name)
            return cups.printer

    def cups_printer(parent, page_size, pages):
        printer = ChosenPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
        printer.setCopyCount(2)
        chosen.append(printer)
        return printer

    dialog.choose_printer = cups_printer
    before = set(cups.output.glob("*.pdf"))
    click_and_wait(qtbot, dialog, "pcpPrintButton")
    assert dialog.last_route is not None and dialog.last_route.kind == "cups"
    assert dialog.last_result == cups.printer
    printed = cups.printed_since(before)
    try:
        out = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True)
        assert "En cas d'urgence" in out.stdout  # the patient's language, as text
    finally:
        printed.unlink(missing_ok=True)
    with open_store(db) as store:
        [entry] = [e for e in store.audit_log("decision") if e.action == "print_care_programme"]
    assert entry.details["route"] == "cups" and entry.details["copies"] == 2
    assert entry.details["language"] == "fr"
