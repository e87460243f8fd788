"""Nothing typed is lost: drafts save after a pause, on case switch and on close."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import open_window, press

from mdt_app.store import open_store
from ui.widgets.decision_form import AUTOSAVE_MS

ALT = Qt.KeyboardModifier.AltModifier


def _queued_case(window):
    """Open the first case without any decision yet; its agenda item id."""
    for line in window.agenda.model.rows():
        if line.decision_status == "none" and line.item.status == "queued":
            window.agenda.select_item(line.item_id)
            return line.item_id
    raise AssertionError("no undecided case in the demo")


def test_draft_is_created_lazily_and_saved_after_a_pause(qtbot, meeting_window, demo_db):
    window = meeting_window
    item_id = _queued_case(window)
    with open_store(demo_db) as store:
        assert store.current_draft(item_id) is None  # opening a case writes nothing
        window.decision.plan.setFocus()
        qtbot.keyClicks(window.decision.plan, "Palliative RT to the neck")
        assert store.current_draft(item_id) is None  # still typing
        qtbot.waitUntil(lambda: store.current_draft(item_id) is not None, timeout=AUTOSAVE_MS * 5)
        draft = store.current_draft(item_id)
        assert draft.plan_text == "Palliative RT to the neck"
        assert draft.guideline_version == "2.0" and draft.options_snapshot["stage"]
    assert window.decision.status.text().startswith("✎ Draft, saved")


def test_switching_case_saves_at_once(qtbot, meeting_window, demo_db):
    window = meeting_window
    item_id = _queued_case(window)
    window.decision.trial.setText("ATLAS-7 — screening")  # Unicode put in with setText
    press(qtbot, window, Qt.Key.Key_Down, ALT)  # next case, long before the pause ends
    assert window.session.item.id != item_id
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).clinical_trial == "ATLAS-7 — screening"


def test_closing_the_window_saves_what_was_typed(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    item_id = _queued_case(window)
    window.decision.plan.setPlainText("Zoë's plan: BRAF/MEK — start Monday")
    window.decision.actions.add("Book teaching visit", "Nurse Dąbrowska")
    window.decision.follow_up.months.setValue(2)
    window.close()
    with open_store(demo_db) as store:
        draft = store.current_draft(item_id)
        assert draft.plan_text == "Zoë's plan: BRAF/MEK — start Monday"
        assert [(a.description, a.owner) for a in draft.actions] == [
            ("Book teaching visit", "Nurse Dąbrowska")
        ]
        assert draft.follow_up_months == 2
    # ... and the reopened window shows it.
    again = open_window(qtbot, demo_db)
    again.agenda.select_item(item_id)
    assert again.decision.plan.toPlainText() == "Zoë's plan: BRAF/MEK — start Monday"
    assert again.decision.follow_up.months.value() == 2
    again.close()


def test_a_deferred_case_is_read_only_and_says_where_it_went(qtbot, meeting_window, demo_db):
    window = meeting_window
    item_id = _queued_case(window)
    with open_store(demo_db) as store:
        later = next(m for m in store.list_meetings() if m.status == "planned")
    window.prompts.answers["defer"] = (later.id, "Awaiting FDG PET/CT")
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
          | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    line = next(x for x in window.agenda.model.rows() if x.item_id == item_id)
    assert line.item.status == "deferred" and later.date.isoformat() in line.deferred_to
    assert window.decision.plan.isReadOnly()
    assert "Deferred" in window.decision.status.text()
    with open_store(demo_db) as store:
        assert store.get_agenda_item(item_id).status_reason == "Awaiting FDG PET/CT"
        assert any(i.case_id == line.item.case_id for i in store.agenda(later.id))


def test_a_draft_that_cannot_be_saved_keeps_the_case_open(qtbot, demo_db, monkeypatch):
    from mdt_app.errors import StoreError

    window = open_window(qtbot, demo_db)
    item_id = _queued_case(window)

    def locked(decision):
        raise StoreError("the database is locked by another program; try again in a moment")

    monkeypatch.setattr(window.session, "save_draft", locked)
    window.decision.plan.setPlainText("Typed while the database was locked")
    press(qtbot, window, Qt.Key.Key_Down, ALT)
    assert window.session.item.id == item_id  # stayed: the text is still on screen
    assert window.agenda.current_line().item_id == item_id
    assert "could not be saved" in window.prompts.messages[-1][1]
    assert window.decision.plan.toPlainText() == "Typed while the database was locked"

    window.prompts.confirm = lambda text: False  # "close anyway?" -> no
    window.close()
    assert window.isVisible()
    monkeypatch.undo()  # the database is free again
    window.close()
    assert not window.isVisible()
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).plan_text == "Typed while the database was locked"
