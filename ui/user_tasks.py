"""The signed-in user of the window: title bar, what their role is offered, and the
password step of a sign-off. (Mixed into MainWindow; the rules live in mdt_app.security.)"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from mdt_app import domain as d
from mdt_app.errors import PermissionDenied
from mdt_app.meeting import Signature
from mdt_app.security import roles, session_keys
from mdt_app.security.users import User, has_users, list_users, sign_in
from mdt_app.store import Store
from ui.window_parts import WindowParts


def _t(text: str) -> str:
    return QCoreApplication.translate("Users", text)


class UserTasks(WindowParts):
    """Mixed into MainWindow (which provides store, session, prompts, actions, decision)."""

    store: Store
    user: User | None = None

    def set_user(self, user: User) -> None:
        """The person working on this window from now on (signed in with their password)."""
        self.user = user
        sign_in(self.store, user)
        session_keys.remember_user(self.store.path, user)  # the window's workers act as them
        self.session.can_draft = roles.may_draft(user.role)
        for name, action in self.actions.items():
            action.setVisible(roles.offered(name, user.role))
        if self.session.meeting is not None:
            self.session.select_meeting(self.session.meeting.id)
        else:
            self._meeting_changed(None)
        self.apply_role_to_form()

    def manage_users(self) -> None:
        from ui.users_dialog import UsersDialog

        UsersDialog(self.store, self).exec()

    def attendance_users(self) -> list[tuple[str, str]]:
        """(name, specialty) of the active users, offered in the attendance list."""
        return [(u.name, u.specialty) for u in list_users(self.store, active_only=True)]

    def user_title(self) -> str:
        """What the title bar adds: who is working."""
        return f" — {self.user.label}" if self.user else ""

    def apply_role_to_form(self, *args: object) -> None:
        """Hide the decision form's buttons the user's role is not offered."""
        role = self.user.role if self.user else None
        if role is None:
            return
        for name in roles.FORM_BUTTONS:
            button = self.findChild(QWidget, name)
            if button is not None and not roles.offered(name, role):
                button.setVisible(False)

    def sign_with_signature(
        self,
        decision_id: int,
        chair: str,
        exception_reason: str | None = None,
        version: int | None = None,
    ) -> d.Decision | None:
        """The electronic signature: a chair's password again, then the sign-off (None
        when the chair cancels). A wrong password or a non-chair raises a UserError and
        signs nothing. A database made before accounts has no one to ask: it signs with
        the name given, as before."""
        session = self.session
        if not has_users(self.store):
            return session.sign(decision_id, chair, exception_reason, version)
        if self.user is not None and self.user.role != "chair":
            raise PermissionDenied(_t("Only a chair can sign off a decision."))
        chairs = [u for u in list_users(self.store, active_only=True) if u.role == "chair"]
        default = self.user.username if self.user else None
        case = session.case
        summary = _t("Sign the decision for {name} (MRN {mrn}).").format(
            name=case.patient.display_name if case else "", mrn=case.patient.mrn if case else ""
        )
        answer = self.prompts.signature(chairs, default, summary)
        if answer is None:
            return None
        username, password = answer
        try:
            signed: d.Decision = session.sign(
                decision_id, chair, exception_reason, version, Signature(username, password)
            )
        finally:
            if self.user is not None:  # the window's user keeps working as before
                sign_in(self.store, self.user)
        return signed
