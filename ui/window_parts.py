"""What the main window's mixins (meeting_tasks, meeting_admin_tasks, conflicts,
records, user_tasks) use of the window, declared once for the type checker.

At run time `WindowParts` is a plain base with nothing in it; the real parts are made
by `MainWindow.__init__`. Under the type checker it is a QMainWindow carrying the
window's widgets and the methods one mixin calls on another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T")

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow, QSplitter

    from mdt_app import domain as d
    from mdt_app.errors import ConflictError, UserError
    from mdt_app.paths import ServerURL
    from mdt_app.store import Store
    from ui.live_refresh import LiveRefresh
    from ui.prompts import Prompts
    from ui.session import MeetingSession
    from ui.widgets.agenda_panel import AgendaPanel
    from ui.widgets.case_editor import CaseDataDialog
    from ui.widgets.decision_form import DecisionForm

    class WindowParts(QMainWindow):
        session: MeetingSession
        store: Store
        prompts: Prompts
        db_path: Path | ServerURL
        agenda: AgendaPanel
        decision: DecisionForm
        case_editor: CaseDataDialog | None
        main_splitter: QSplitter
        live: LiveRefresh  # other clients' changes; offline drafts (issue 19)
        actions: dict[str, QAction]  # type: ignore[assignment]  # (QWidget.actions())

        def guard(self, fn: Callable[..., T], *args: Any) -> T | None: ...
        def select_meeting(self, meeting_id: int | None) -> None: ...
        def _draft_saved(self) -> bool: ...
        def _show_options(self) -> None: ...
        def _meeting_changed(self, meeting: d.Meeting | None) -> None: ...
        def draft_not_saved(self, exc: UserError) -> None: ...
        def draft_conflict(self, error: ConflictError) -> None: ...
        def case_conflict(self, case: d.Case, error: ConflictError) -> d.Recommendation | None: ...
        def attendance_users(self) -> list[tuple[str, str]]: ...
        def apply_role_to_form(self, *args: object) -> None: ...
        def sign_with_signature(
            self,
            decision_id: int,
            chair: str,
            exception_reason: str | None = None,
            version: int | None = None,
        ) -> d.Decision | None: ...

else:

    class WindowParts:
        """The mixins' common base (see the module docstring)."""
