"""Acceptance (issue 14): a whole meeting walked with the keyboard only, no mouse: open a
case, read it (and its sources), decide, sign off in the real sign-off dialog, next case."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QScrollArea
from ui_helpers import open_window, press

from mdt_app.store import open_store
from ui.prompts import Prompts

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _answer_dialog_with_enter(qtbot, seen: list) -> None:
    """When the sign-off dialog is up, press Enter in it (as the chair would)."""

    def answer() -> None:
        dialog = next((x for x in QApplication.topLevelWidgets()
                       if x.objectName() == "signOffDialog" and x.isVisible()), None)  # fmt: skip
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog)
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)


def test_keyboard_only_walk_through_the_meeting(qtbot, demo_db):
    w = open_window(qtbot, demo_db)
    w.session.today = w.session.meeting.date  # the meeting is held today
    w.prompts.sign_off = Prompts.sign_off.__get__(w.prompts)  # the real dialog
    summary = w.findChild(QScrollArea, "summaryScroll")

    # Open: walk the agenda to the first case without a decision.
    for _ in range(w.agenda.model.rowCount()):
        if w.session.state and w.session.state.editable and w.session.state.decision.id is None:
            break
        press(qtbot, w, Qt.Key.Key_Down, ALT)
    name = w.session.case.patient.display_name
    assert name == "Ingrid Bjørnstad"

    # Read: the case opens at its top; the options' sources open with Enter, close with Esc.
    assert summary.verticalScrollBar().value() == 0 and w.decision.tabs.currentIndex() == 0
    assert "Stage IVB" in w.summary.staging.text()
    press(qtbot, w, Qt.Key.Key_O, ALT)
    first = QApplication.focusWidget()
    assert isinstance(first, QCheckBox) and first is w.options.rows["BRAF_MEK"].box
    press(qtbot, w, Qt.Key.Key_Return)
    assert w.citation_legend.isVisible() and "Bible KC" in w.citation_legend.plain_text()
    qtbot.keyClick(w.citation_legend, Qt.Key.Key_Escape)
    assert not w.citation_legend.isVisible()
    w.windowHandle().requestActivate()  # as the window manager does when it closes
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    assert QApplication.focusWidget() is first  # focus is back on the option

    # Decide: Space ticks the recommended treatment; the plan is typed.
    press(qtbot, w, Qt.Key.Key_Space)
    assert first.isChecked()
    press(qtbot, w, Qt.Key.Key_D, ALT)
    assert QApplication.focusWidget() is w.decision.plan
    qtbot.keyClicks(w.decision.plan, "Dabrafenib and trametinib from Monday")

    # Sign: Ctrl+Shift+S opens the dialog showing what is signed; Enter signs.
    seen: list = []
    _answer_dialog_with_enter(qtbot, seen)
    press(qtbot, w, Qt.Key.Key_S, CTRL_SHIFT)
    assert seen and seen[0].objectName() == "signOffDialog"
    assert w.decision.status.text().startswith("✔ Signed off by " + w.session.meeting.chair)
    item_id = w.session.item.id
    # The window manager gives the window back its activation when the dialog closes;
    # offscreen there is none, so ask for it (no mouse involved).
    w.windowHandle().requestActivate()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)

    # Next: the following case opens at its top, on the Plan tab, ready to decide.
    press(qtbot, w, Qt.Key.Key_Down, ALT)
    assert w.session.case.patient.display_name != name
    assert summary.verticalScrollBar().value() == 0 and w.decision.tabs.currentIndex() == 0
    assert w.session.state.editable
    w.close()

    with open_store(demo_db) as store:
        signed = store.effective_decision(item_id)
        assert signed is not None and signed.chosen_options == ["BRAF_MEK"]
        assert signed.plan_text == "Dabrafenib and trametinib from Monday"
        assert signed.sign_off_exceptions == []
