"""Widgets on their own: options panel, lab trends, attendance dialog, excepthook."""

from __future__ import annotations

import logging
import sys
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

from mdt_app import domain as d
from mdt_app.decision_rules import quorum
from mdt_app.errors import ValidationError
from ui import excepthook
from ui.widgets.attendance_dialog import AttendanceDialog
from ui.widgets.banner import PatientBanner
from ui.widgets.lab_trends import LabTrendChart, LabTrends, trends
from ui.widgets.options_panel import OptionsPanel

SNAPSHOT = {
    "stage": "IVC",
    "stage_basis": "M1",
    "guideline": {"id": "atc", "title": "ATC pathway", "version": "9.9"},
    "recommended": [{"code": "BRAF_MEK", "title": "Dabrafenib plus trametinib",
                     "rationale": "BRAF V600E positive.", "sources": ["ATA21 R20 (S-L)"]}],
    "consider": [],
    "not_recommended": [{"code": "RAI", "title": "Radioactive iodine", "rationale": "No uptake.",
                         "sources": ["LEAFLET", "NCCN"]}],
    "missing": [{"code": "PDL1_IHC", "title": "PD-L1 IHC", "rationale": "Unknown.",
                 "sources": ["ATA21 R24 (C-L)"]}],
    "warnings": ["Check the airway"],
}  # fmt: skip


def test_options_panel_groups_are_told_apart_without_colour(qtbot):
    panel = OptionsPanel()
    qtbot.addWidget(panel)
    panel.show_options(SNAPSHOT, picked=["RAI"])
    titles = {name: box.title.text() for name, box in panel.groups.items()}
    assert titles == {
        "missing": "! Missing data (1)",
        "recommended": "✔ Recommended treatment (1)",
        "care": "♥ Care for everyone (0)",
        "consider": "? Consider (0)",
        "not_recommended": "✘ Not recommended (1)",
    }
    assert [panel.layout().indexOf(panel.groups[n]) for n in panel.groups] == sorted(
        panel.layout().indexOf(panel.groups[n]) for n in panel.groups
    )  # fixed order
    assert "version 9.9" in panel.guideline.text()
    assert "⚠ Check the airway" in panel.warnings.text()
    assert panel.rows["RAI"].box.isChecked() and not panel.rows["BRAF_MEK"].box.isChecked()
    assert panel.rows["PDL1_IHC"].box is None  # a prompt is not a treatment to pick
    assert panel.rows["BRAF_MEK"].title.text().startswith("✔ ")
    assert panel.rows["RAI"].title.text().startswith("✘ ")


def test_options_pick_and_sources_open_the_legend(qtbot):
    panel = OptionsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_options(SNAPSHOT)
    row = panel.rows["RAI"]
    assert "LEAFLET" in row.sources.text() and "NCCN" in row.sources.text()
    assert "Code:" not in row.sources.text() and "RAI" not in row.sources.text()
    with qtbot.waitSignal(panel.citationRequested) as blocker:
        row.sources.linkActivated.emit("cite:1")  # a click on the second source
    assert blocker.args == ["Radioactive iodine", ["LEAFLET", "NCCN"], 1]
    with qtbot.waitSignal(panel.pickedChanged) as blocker:
        qtbot.mouseClick(panel.rows["BRAF_MEK"].title, Qt.MouseButton.LeftButton)  # the words
    assert blocker.args == ["BRAF_MEK", True]
    with qtbot.waitSignal(panel.actionRequested) as blocker:
        panel.findChild(object, "addAction_PDL1_IHC").click()
    assert blocker.args == ["PD-L1 IHC"]
    panel.show_options(SNAPSHOT, picked=["BRAF_MEK"], editable=False)
    assert not panel.rows["BRAF_MEK"].box.isEnabled()


def _shown_codes(panel: OptionsPanel, group: str) -> list[str]:
    """The codes of a group's visible rows in the order its layout places them."""
    rows = panel.groups[group].rows
    widgets = [rows.itemAt(i).widget() for i in range(rows.count())]
    return [w.code for w in widgets if getattr(w, "code", None) and w.isVisibleTo(panel)]


def test_options_refilled_in_place_keep_the_new_order_and_drop_the_old(qtbot):
    """Rows are reused from case to case (issue 17): the next case's options show in its
    own order, with its own texts, and the previous case's other options are gone."""
    panel = OptionsPanel()
    qtbot.addWidget(panel)
    panel.show()
    two = {
        **SNAPSHOT,
        "recommended": [
            {
                "code": "BRAF_MEK",
                "title": "Dabrafenib plus trametinib",
                "rationale": "BRAF.",
                "sources": ["ATA21 R20 (S-L)"],
            },
            {"code": "SURGERY", "title": "Surgery", "rationale": "Resectable.", "sources": []},
        ],
    }
    panel.show_options(two)
    assert _shown_codes(panel, "recommended") == ["BRAF_MEK", "SURGERY"]
    swapped = {
        **two,
        "recommended": [
            {"code": "SURGERY", "title": "Surgery", "rationale": "Now first.", "sources": ["X"]},
            {
                "code": "BRAF_MEK",
                "title": "Dabrafenib plus trametinib",
                "rationale": "Then.",
                "sources": [],
            },
        ],
        "missing": [],
    }
    panel.show_options(swapped, picked=["BRAF_MEK"])
    assert _shown_codes(panel, "recommended") == ["SURGERY", "BRAF_MEK"]
    assert panel.rows["SURGERY"].rationale.text() == "Now first."
    assert panel.rows["BRAF_MEK"].box.isChecked()
    assert _shown_codes(panel, "missing") == [] and "PDL1_IHC" not in panel.rows
    assert panel.groups["missing"].empty.isVisible()
    panel.show_options(SNAPSHOT)
    assert _shown_codes(panel, "recommended") == ["BRAF_MEK"]
    assert not panel.rows["BRAF_MEK"].box.isChecked()
    assert panel.rows["BRAF_MEK"].rationale.text() == "BRAF V600E positive."
    # placed at once (the chair may click before the next turn of the event loop)
    assert panel.rows["BRAF_MEK"].box.geometry().height() > 0
    assert panel.rows["PDL1_IHC"].isVisible() and not panel.groups["missing"].empty.isVisible()


def test_labels_become_selectable_on_the_first_press(qtbot):
    """Plain until pressed (cheap to re-text and paint), then selectable and copyable."""
    from ui.widgets.common import label

    text = label("Dabrafenib plus trametinib", wrap=True)
    qtbot.addWidget(text)
    text.show()
    before = text.heightForWidth(120)
    assert not text.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    qtbot.mouseClick(text, Qt.MouseButton.LeftButton)
    assert text.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    assert text.heightForWidth(120) == before  # nothing moves
    qtbot.mouseDClick(text, Qt.MouseButton.LeftButton, pos=text.rect().topLeft() + QPoint(4, 6))
    assert text.hasSelectedText()


def test_a_label_height_follows_its_text_and_font(qtbot):
    """The remembered height for a width (issue 17) is dropped when the text or the font
    changes, so a wrapped label is never laid out at an old height."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QLabel

    from ui.widgets.common import label

    mine, plain = label("", wrap=True), QLabel()
    plain.setWordWrap(True)
    for widget in (mine, plain):
        qtbot.addWidget(widget)
    words = "Dabrafenib plus trametinib for BRAF V600E positive disease. " * 4
    for text in ("short", words, "short"):
        mine.setText(text)
        plain.setText(text)
        assert mine.heightForWidth(150) == plain.heightForWidth(150)
        assert mine.heightForWidth(400) == plain.heightForWidth(400)
    big = QFont(mine.font())
    big.setPointSizeF(big.pointSizeF() * 2)
    mine.setText(words)
    plain.setText(words)
    before = mine.heightForWidth(150)
    mine.setFont(big)
    plain.setFont(big)
    assert mine.heightForWidth(150) == plain.heightForWidth(150) > before
    for widget in (mine, plain):
        widget.setMargin(12)
    assert mine.heightForWidth(150) == plain.heightForWidth(150)
    for widget in (mine, plain):
        widget.setWordWrap(False)
    assert mine.heightForWidth(150) == plain.heightForWidth(150)


def _labs():
    return [
        d.LabResult(date(2026, 1, 1), "CRP", 3.0, "mg/L", None, 5.0),
        d.LabResult(date(2026, 2, 1), "CRP", 12.0, "mg/L", None, 5.0),
        d.LabResult(date(2026, 1, 15), "Calcium", 1.9, "mmol/L", 2.1, 2.6),
    ]


def test_lab_trends_one_chart_per_test(qtbot):
    assert [t.test for t in trends(_labs())] == ["Calcium", "CRP"]
    crp = trends(_labs())[1]
    assert [r.value for r in crp.results] == [3.0, 12.0] and crp.latest.flag == "high"
    widget = LabTrends()
    qtbot.addWidget(widget)
    widget.set_labs(_labs())
    assert len(widget.charts) == 2
    chart = widget.findChild(LabTrendChart, "labTrend_CRP")
    assert "2026-02-01: 12 ▲ high" in chart.describe()
    chart.resize(220, 110)
    image = chart.grab().toImage()
    colours = {image.pixelColor(x, y).name() for x in range(0, 220, 4) for y in range(0, 110, 4)}
    assert len(colours) > 4  # something was drawn: band, line, markers, text
    widget.set_labs(_labs()[2:])  # the next case: charts reused, the spare one hidden
    assert [c.trend.test for c in widget.charts] == ["Calcium"]
    assert widget.findChild(LabTrendChart, "labTrend_CRP") is None
    assert len(widget.findChildren(LabTrendChart)) == 2


def test_attendance_dialog_shows_quorum_live_and_refuses_duplicates(qtbot):
    people = [d.Attendee("Dr A", "surgeon"), d.Attendee("Dr B", "medical oncologist")]
    dialog = AttendanceDialog(people, quorum)
    qtbot.addWidget(dialog)
    assert "✘ Not quorate" in dialog.quorum.text.text()
    dialog.model.add_attendee("Dr C", "pathologist")
    assert "✔ Quorate" in dialog.quorum.text.text()
    dialog.model.add_attendee("Dr C", "radiologist")
    dialog.accept()
    assert dialog.result() == 0 and "twice" in dialog.problem.text()


def test_banner_shows_identity_and_age(qtbot):
    banner = PatientBanner()
    qtbot.addWidget(banner)
    patient = d.Patient("H123456", "Zoë", "Ångström", date(1951, 4, 2), "female")
    banner.show_case(d.Case(patient=patient), today=date(2026, 5, 13))
    assert banner.text() == "ÅNGSTRÖM, Zoë · born 1951-04-02 (75 y) · female · MRN H123456"
    banner.show_case(None)
    assert banner.name.text() == "No case open"


def test_excepthook_logs_and_shows(tmp_path, caplog, root_handlers):
    shown = []
    handler = excepthook.ExceptionHandler(show=lambda exc, details: shown.append((exc, details)))
    log_file = excepthook.configure_logging(tmp_path / "app.log")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        handler(*sys.exc_info())
    assert isinstance(shown[0][0], RuntimeError) and "Traceback" in shown[0][1]
    assert "boom" in log_file.read_text()
    with caplog.at_level(logging.WARNING):
        handler(ValidationError, ValidationError("a meeting needs a title"), None)
    assert str(shown[1][0]) == "a meeting needs a title"
    assert "user error (ValidationError): a meeting needs a title" in caplog.text
    rescued = []
    handler.rescue.append(lambda: rescued.append(1))
    handler(RuntimeError, RuntimeError("bug"), None)
    handler(ValidationError, ValidationError("user"), None)
    assert rescued == [1]  # the draft is saved on a bug, not on a user's mistake
    shown.clear()
    handler.showing = True  # a second crash while the dialog is up: logged, not stacked
    handler(RuntimeError, RuntimeError("again"), None)
    assert shown == []


def test_excepthook_install_replaces_sys_excepthook(monkeypatch, root_handlers):
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    handler = excepthook.install(show=lambda exc, details: None)
    assert sys.excepthook is handler and handler.previous is sys.__excepthook__
    assert excepthook.log_path().parent.is_dir()


@pytest.mark.parametrize("on", [True, False])
def test_show_exception_uses_a_warning_for_user_errors(qtbot, monkeypatch, on):
    seen = []
    monkeypatch.setattr(excepthook.QMessageBox, "warning", lambda *a: seen.append(a[2]))
    monkeypatch.setattr(excepthook.QMessageBox, "exec", lambda self: seen.append(self.text()))
    exc = ValidationError("bad date") if on else RuntimeError("bug")
    excepthook.show_exception(exc)
    assert ("bad date" in seen[0]) if on else ("RuntimeError: bug" in seen[0])


def test_option_rows_are_reused_in_the_new_order(qtbot):
    def snapshot(codes):
        return {"guideline": {"id": "atc", "version": "1"},
                "recommended": [{"code": c, "title": f"Title {c}", "rationale": f"Why {c}",
                                 "sources": ["S1"]} for c in codes]}  # fmt: skip

    panel = OptionsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_options(snapshot(["A", "B", "C"]))
    row_a = panel.rows["A"]
    panel.show_options(snapshot(["C", "A"]))
    assert panel.rows["A"] is row_a and set(panel.rows) == {"A", "C"}
    layout = panel.groups["recommended"].rows
    visible = [layout.itemAt(i).widget() for i in range(layout.count())]
    assert [w.code for w in visible if w.isVisible()] == ["C", "A"]
    assert panel.groups["recommended"].title.text() == "✔ Recommended treatment (2)"
