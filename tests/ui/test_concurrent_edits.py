"""Two instances on one database (issue 11): a stale save is refused, the window shows
what changed and keeps what was typed; a decision made on older data is flagged."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QApplication, QTableWidget

from mdt_app.store import open_store


def _draft_line(window):
    for line in window.agenda.model.rows():
        if line.decision_status == "draft":
            window.agenda.select_item(line.item_id)
            return line.item_id
    raise AssertionError("no draft in the demo")


def _signed_line(window):
    for line in window.agenda.model.rows():
        if line.decision_status == "signed":
            window.agenda.select_item(line.item_id)
            return line.item_id
    raise AssertionError("no signed decision in the demo")


def _other_instance_saves(db, item_id, text):
    with open_store(db, actor="colleague") as other:
        draft = other.current_draft(item_id)
        other.save_draft(replace(draft, plan_text=text))


def test_stale_draft_save_keeps_the_typed_text_and_saves_nothing(meeting_window, demo_db):
    window = meeting_window
    item_id = _draft_line(window)
    _other_instance_saves(demo_db, item_id, "Colleague's plan")
    window.decision.plan.setPlainText("My plan, typed during the meeting")
    window.decision.flush()
    kind, (error,) = window.prompts.asked[-1]
    assert kind == "conflict"
    assert error.changed_by == "colleague" and "plan_text" in error.changes
    assert window.decision.plan.toPlainText() == "My plan, typed during the meeting"
    assert window.decision.dirty  # still unsaved: nothing typed is lost
    assert "NOT saved" in window.statusBar().currentMessage()
    with open_store(demo_db) as store:
        assert store.current_draft(item_id).plan_text == "Colleague's plan"


def test_overwrite_after_review_saves_mine_and_audits_both(meeting_window, demo_db):
    window = meeting_window
    item_id = _draft_line(window)
    _other_instance_saves(demo_db, item_id, "Colleague's plan")
    window.prompts.answers["conflict"] = "overwrite"
    window.decision.plan.setPlainText("My reviewed plan")
    window.decision.flush()
    assert not window.decision.dirty
    with open_store(demo_db) as store:
        draft = store.current_draft(item_id)
        assert draft.plan_text == "My reviewed plan"
        saves = [e for e in store.audit_log("decision", draft.id) if e.action == "save_draft"]
        assert [e.actor for e in saves[-2:]][0] == "colleague"
        assert saves[-1].details["changes"]["plan_text"]["stored"] == "Colleague's plan"
    # The form now carries the stored version: the next save is not a conflict.
    window.prompts.asked.clear()
    window.decision.plan.setPlainText("My reviewed plan, one more word")
    window.decision.flush()
    assert not [a for a in window.prompts.asked if a[0] == "conflict"]


def test_load_theirs_puts_mine_on_the_clipboard(meeting_window, demo_db):
    window = meeting_window
    item_id = _draft_line(window)
    _other_instance_saves(demo_db, item_id, "Colleague's plan")
    window.prompts.answers["conflict"] = "reload"
    window.decision.plan.setPlainText("Mine, to keep somewhere")
    window.decision.flush()
    assert window.decision.plan.toPlainText() == "Colleague's plan"
    assert QApplication.clipboard().text() == "Mine, to keep somewhere"


def test_sign_off_of_a_changed_draft_is_refused(meeting_window, demo_db):
    window = meeting_window
    item_id = _draft_line(window)
    with open_store(demo_db, actor="colleague") as other:  # make the draft signable
        draft = other.current_draft(item_id)
        other.save_draft(replace(draft, deviation_reason="Awaiting BRAF result"))
    window.session.reload_decision()  # the chair sees that version
    _other_instance_saves(demo_db, item_id, "Colleague's plan")  # then it changes again
    window.prompts.answers["chair"] = "default"
    window.sign_off()
    with open_store(demo_db) as store:
        assert store.current_draft(item_id) is not None  # nothing was signed
    assert any(kind == "conflict" for kind, _ in window.prompts.asked), window.prompts.messages


def test_conflict_dialog_shows_both_versions(qtbot, window):
    from mdt_app.errors import ConflictError
    from ui.widgets.conflict_dialog import ConflictDialog

    error = ConflictError(
        "The draft decision (id 4)",
        expected_version=2,
        stored_version=3,
        changed_by="colleague",
        changes={"plan_text": {"stored": "Theirs", "yours": "Mine"}},
    )
    dialog = ConflictDialog(error, window)
    qtbot.addWidget(dialog)
    changes = dialog.findChild(QTableWidget, "conflictChanges")
    assert changes.item(0, 1).text() == "Theirs" and changes.item(0, 2).text() == "Mine"
    assert "colleague" in changes.horizontalHeaderItem(1).text()


def test_decision_made_on_older_data_is_flagged_with_what_changed(meeting_window, demo_db):
    window = meeting_window
    item_id = _signed_line(window)
    assert not window.decision.older_data.isVisible()
    with open_store(demo_db, actor="importer") as store:
        case = store.get_case(store.get_agenda_item(item_id).case_id)
        store.update_case(replace(case, ecog=4 if case.ecog != 4 else 3))
    window.session.open_item(item_id)  # shown again, as after switching back to it
    note = window.decision.older_data
    assert note.isVisible() and "ecog" in note.text() and "Amend" in note.text()
    assert window.decision.amend_button.isVisible()


def test_care_programme_dialog_and_minutes_say_made_on_older_data(qtbot, window, demo_db, tmp_path):
    from mdt_app.documents.minutes import build_minutes
    from mdt_app.documents.minutes import text as minutes_text
    from ui.care_programme_dialog import CareProgrammeDialog

    with open_store(demo_db, actor="importer") as store:
        signed = next(
            x
            for case_id in store.case_ids()
            for x in store.decisions_for_case(case_id)
            if x.is_signed and x.case_snapshot
        )
        case = store.get_case(signed.case_id)
        store.update_case(replace(case, ecog=4 if case.ecog != 4 else 3))
        meeting_id = store.get_agenda_item(signed.agenda_item_id).meeting_id
        minutes = build_minutes(store, meeting_id)
    entry = next(e for e in minutes.items if e.decision and e.decision.id == signed.id)
    assert entry.decision.older_data and "ecog" in entry.decision.older_data
    rows = minutes_text.entry_rows(entry)
    assert any("Made on older data" in line for _label, lines in rows for line in lines)
    dialog = CareProgrammeDialog(window, demo_db, signed.case_id, signed.id)
    qtbot.addWidget(dialog)
    assert dialog.older_data.isVisibleTo(dialog) and "ecog" in dialog.older_data.text()
    assert dialog.amend_button.isVisibleTo(dialog)


def test_stale_case_edit_keeps_the_editor_values(meeting_window, demo_db):
    window = meeting_window
    item_id = _draft_line(window)
    window.edit_case()
    editor = window.case_editor
    with open_store(demo_db, actor="colleague") as other:
        case = other.get_case(other.get_agenda_item(item_id).case_id)
        other.update_case(replace(case, ecog=4 if case.ecog != 4 else 3))
    stored_ecog = 4 if case.ecog != 4 else 3
    mine = 0 if stored_ecog != 0 else 1
    edited = replace(editor.edited_case(), ecog=mine)
    window.apply_case_edit(edited)
    kind, (error,) = window.prompts.asked[-1]
    assert kind == "conflict" and "ecog" in str(error.changes)
    with open_store(demo_db) as store:
        assert store.get_case(case.id).ecog == stored_ecog  # theirs kept, nothing overwritten
    window.prompts.answers["conflict"] = "overwrite"
    window.apply_case_edit(edited)
    with open_store(demo_db) as store:
        assert store.get_case(case.id).ecog == mine
    # The editor's next change is against the version now stored: no conflict.
    window.prompts.asked.clear()
    window.apply_case_edit(replace(editor.edited_case(), ecog=2))
    assert not [a for a in window.prompts.asked if a[0] == "conflict"]
    editor.close()


def test_sign_off_after_someone_else_signed_is_refused(meeting_window, demo_db):
    window = meeting_window
    item_id = _draft_line(window)
    with open_store(demo_db, actor="colleague") as other:
        draft = other.current_draft(item_id)
        draft = other.save_draft(replace(draft, deviation_reason="Awaiting BRAF result"))
    window.session.reload_decision()
    with open_store(demo_db, actor="colleague") as other:
        from mdt_app.security.demo_users import DEMO_CHAIR
        from mdt_app.security.signing import confirmed_signature
        from mdt_app.security.users import get_user

        with confirmed_signature(other, get_user(other, DEMO_CHAIR)):  # a chair, elsewhere
            other.sign_decision(draft.id, "Dr Other Chair")
    window.prompts.answers["chair"] = "default"
    window.sign_off()
    # The chair is told who signed it; the text on screen stays (it may hold unsaved words).
    assert any("signed by Dr Other Chair" in text for _k, text in window.prompts.messages)
    with open_store(demo_db) as store:
        signs = [e for e in store.audit_log("decision", draft.id) if e.action == "sign_decision"]
        assert len(signs) == 1
