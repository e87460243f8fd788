"""Who is working in the window: sign-in, title bar, role gating, the password step of a
sign-off, attendance picked from users, the users dialog (issue 15)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from mdt_app.security.demo_users import DEMO_CHAIR, DEMO_PASSWORD
from mdt_app.security.users import get_user, list_users
from ui.sign_in import FirstChairDialog, SignInDialog, last_username, remember_username
from ui.users_dialog import UsersDialog
from ui.widgets.attendance_dialog import AttendanceDialog


def _open_draft(window):
    """Open the first agenda item that has a draft; returns its decision id."""
    store = window.store
    for line in window.session.lines:
        draft = store.current_draft(line.item.id)
        if draft is not None:
            window.open_item(line.item.id)
            if draft.deviation_reason is None:
                window.decision.reason.setPlainText("Patient's informed choice")
            return draft.id
    raise AssertionError("no draft on the demo agenda")


def test_title_bar_names_the_user_and_nurse_sees_only_printing(qtbot, meeting_window):
    w = meeting_window
    w.set_user(get_user(w.store, "gosia"))
    assert "Małgorzata Dąbrowska (nurse)" in w.windowTitle()
    assert not w.actions["signOffAction"].isVisible()
    assert not w.actions["exportMinutesAction"].isVisible()
    assert not w.actions["editCaseAction"].isVisible()
    assert w.actions["careProgrammeAction"].isVisible()
    assert not w.findChild(QWidget, "signOffButton").isVisible()
    assert w.session.state is None or not w.session.state.editable
    assert w.store.actor == "gosia" and w.store.role == "nurse" and w.store.authenticated


def test_administrator_exports_and_manages_but_does_not_sign(qtbot, meeting_window):
    w = meeting_window
    w.set_user(get_user(w.store, "coordinator"))
    assert w.actions["exportMinutesAction"].isVisible()
    assert w.actions["manageUsersAction"].isVisible()
    assert not w.actions["signOffAction"].isVisible()


def test_member_drafts_but_cannot_sign(qtbot, meeting_window):
    w = meeting_window
    w.set_user(get_user(w.store, "bartek"))
    assert not w.actions["signOffAction"].isVisible()
    assert w.actions["editCaseAction"].isVisible()
    decision_id = _open_draft(w)
    assert w.session.state.editable
    import pytest

    from mdt_app.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="Only a chair"):
        w.sign_with_signature(decision_id, "Bartek")
    assert not w.store.get_decision(decision_id).is_signed


def test_wrong_password_at_sign_off_signs_nothing(qtbot, meeting_window):
    w = meeting_window
    w.set_user(get_user(w.store, DEMO_CHAIR))
    decision_id = _open_draft(w)
    w.prompts.answers["chair"] = "default"
    w.prompts.answers["signature"] = (DEMO_CHAIR, "not my password")
    w.sign_off()
    assert not w.store.get_decision(decision_id).is_signed
    assert any("wrong username or password" in m for _, m in w.prompts.messages)
    assert w.store.actor == DEMO_CHAIR  # still the window's user


def test_chair_signs_with_password(qtbot, meeting_window):
    w = meeting_window
    w.set_user(get_user(w.store, DEMO_CHAIR))
    decision_id = _open_draft(w)
    w.prompts.answers["chair"] = "Prof. Anybody (typed)"
    w.prompts.answers["signature"] = (DEMO_CHAIR, DEMO_PASSWORD)
    w.sign_off()
    signed = w.store.get_decision(decision_id)
    assert signed.is_signed and signed.signed_by == "Dr Inés Muñoz-Álvarez"
    chairs, default, _summary = w.prompts.signatures[-1]
    assert default == DEMO_CHAIR
    assert [c.role for c in chairs] == ["chair"]


def test_sign_in_dialog(qtbot, demo_store):
    dialog = SignInDialog(demo_store, "gosia")
    qtbot.addWidget(dialog)
    assert dialog.who.currentData() == "gosia"
    dialog.password.setText("wrong")
    dialog.accept()
    assert dialog.user is None and "wrong username or password" in dialog.problem.text()
    dialog.password.setText(DEMO_PASSWORD)
    dialog.accept()
    assert dialog.user.username == "gosia"


def test_last_user_is_remembered_on_this_machine(qtbot):
    remember_username("gosia")
    assert last_username() == "gosia"


def test_first_chair_dialog_creates_the_chair(qtbot, store):
    dialog = FirstChairDialog(store)
    qtbot.addWidget(dialog)
    dialog.name.setText("Dr First Chair")
    dialog.username.setText("first")
    dialog.password.setText("a long password")
    dialog.repeat.setText("a long passwort")
    dialog.accept()
    assert "differ" in dialog.problem.text() and not list_users(store)
    dialog.repeat.setText("a long password")
    dialog.accept()
    assert dialog.user is not None and dialog.user.role == "chair"


def test_attendance_picks_users_or_guests(qtbot, window):
    from mdt_app.decision_rules import quorum

    dialog = AttendanceDialog(
        [],
        lambda attendees: quorum(attendees, None),
        window,
        [("Dr A User", "surgeon"), ("Nurse B", "nurse")],
    )
    dialog.add_user(1)
    assert [(a.name, a.specialty) for a in dialog.attendees()] == [("Dr A User", "surgeon")]
    dialog.add_user(1)
    assert len(dialog.attendees()) == 1 and "already listed" in dialog.problem.text()


def test_users_dialog_adds_and_disables(qtbot, demo_store, monkeypatch):
    from mdt_app.security.users import sign_in

    sign_in(demo_store, get_user(demo_store, "coordinator"))
    dialog = UsersDialog(demo_store)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 4
    row = [dialog.table.item(r, 1).text() for r in range(4)].index("bartek")
    dialog.table.setCurrentCell(row, 0)
    dialog.disable()
    assert not get_user(demo_store, "bartek").active
    row = [dialog.table.item(r, 1).text() for r in range(4)].index(DEMO_CHAIR)
    dialog.table.setCurrentCell(row, 0)
    dialog.disable()
    assert "last active chair" in dialog.problem.text()


def test_window_user_stays_after_meeting_changes(qtbot, meeting_window):
    w = meeting_window
    w.set_user(get_user(w.store, "gosia"))
    other = next(m for m in w.session.meetings() if m.id != w.session.meeting.id)
    w.select_meeting(other.id)
    assert w.windowTitle().endswith("(nurse)")


def test_recently_added_actions_follow_the_role_table(qtbot, meeting_window):
    from mdt_app.security import roles

    w = meeting_window
    expected = {
        "gosia": {"careProgrammeAction", "findMeetingAction", "caseNotesAction", "openDemoAction"},
        "bartek": {"referPanelAction", "importCasesAction", "editCaseAction"},
        "coordinator": {"editMeetingAction", "cancelMeetingAction", "importCasesAction"},
    }
    hidden = {
        "gosia": {"referPanelAction", "editMeetingAction", "cancelMeetingAction",
                  "importCasesAction", "editIdentityAction", "removeFromAgendaAction"},
        "bartek": {"editMeetingAction", "cancelMeetingAction", "exportMinutesAction"},
        "coordinator": {"referPanelAction", "signOffAction", "editCaseAction"},
    }  # fmt: skip
    for username in expected:
        w.set_user(get_user(w.store, username))
        role = w.user.role
        for name, action in w.actions.items():  # the window only asks the core's table
            assert action.isVisible() == roles.offered(name, role), (username, name)
        assert all(w.actions[n].isVisible() for n in expected[username]), username
        assert not any(w.actions[n].isVisible() for n in hidden[username]), username
