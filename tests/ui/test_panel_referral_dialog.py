"""Case > Refer to expert panel: the dialog asks the question and writes the referral."""

from __future__ import annotations

from unittest import mock

from mdt_app import domain as d
from mdt_app.store import open_store
from ui.panel_referral_dialog import PanelReferralDialog


def test_dialog_writes_the_referral_only_with_consent(qtbot, window, demo_db, tmp_path):
    with open_store(demo_db) as store:
        case_id = store.case_ids()[0]
    dialog = PanelReferralDialog(window, demo_db, case_id)
    qtbot.addWidget(dialog)
    assert dialog.consent.text() == "not recorded"
    dialog.question.setPlainText("Surgery first?")
    out = tmp_path / "referral"
    dialog.folder.setText(str(out))
    with mock.patch("ui.panel_referral_dialog.QMessageBox.warning") as warned:
        dialog.write()
    assert "consent" in warned.call_args[0][2] and not out.exists()
    with open_store(demo_db) as store:
        case = store.get_case(case_id)
        case.consent = d.Consent(discussion="given")
        store.update_case(case)
    with mock.patch("ui.panel_referral_dialog.QMessageBox.information"):
        dialog.write()
    assert sorted(p.suffix for p in dialog.written) == [".json", ".pdf"]
    dialog.grab().save(str(tmp_path / "dialog.png"))


def test_window_has_the_refer_action(meeting_window):
    action = meeting_window.findChild(
        type(meeting_window.actions["referPanelAction"]), "referPanelAction"
    )
    assert action is not None and "expert panel" in action.text()


def test_case_notes_dialog_shows_the_panel_reply(qtbot, window, demo_db, tmp_path):
    from mdt_app.exchange.records import add_note
    from ui.case_notes_dialog import CaseNotesDialog

    with open_store(demo_db) as store:
        case_id = store.case_ids()[0]
        with store.atomic():
            add_note(store, case_id, "panel_reply", "Surgery advised.", source="EURACAN G6",
                     source_key="k1")  # fmt: skip
    dialog = CaseNotesDialog(window, demo_db, case_id)
    qtbot.addWidget(dialog)
    assert dialog.count == 1
    text = dialog.view.toPlainText()
    assert "Expert panel reply" in text and "Surgery advised." in text and "EURACAN G6" in text
