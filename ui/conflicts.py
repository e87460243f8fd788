"""What the window does when a save is refused because someone else saved first.

A mixin of MainWindow. The store has written nothing; the form (or the case editor)
still holds what the user typed. The user reviews the differences (ConflictDialog) and
chooses: keep editing, save theirs over after review, or load the stored version (the
plan text typed goes to the clipboard first).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from mdt_app import domain as d
from mdt_app.errors import ConflictError, UserError
from ui.window_parts import WindowParts


def _t(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class ConflictHandling(WindowParts):
    def draft_conflict(self, error: ConflictError) -> None:
        """The draft on screen is older than the stored one."""
        from ui.widgets.conflict_dialog import OVERWRITE, RELOAD  # loaded on a conflict

        choice = self.prompts.conflict(error)
        mine = self.decision.decision()
        if choice == OVERWRITE:
            current = error.current if isinstance(error.current, d.Decision) else None
            target = replace(
                mine,
                id=current.id if current else mine.id,
                version=error.stored_version,
                created_at=current.created_at if current else mine.created_at,
            )
            try:
                saved = self.live.save_draft(target)  # offline again: kept on this computer
            except UserError as exc:
                self.prompts.warn(_t("The draft could not be saved: {e}").format(e=exc))
                return
            if saved is None:
                return
            self.decision.mark_saved(saved)
            self.statusBar().showMessage(_t("Your draft was saved over the other change"), 5000)
        elif choice == RELOAD:
            QApplication.clipboard().setText(mine.plan_text)
            self.session.reload_decision()
            self.statusBar().showMessage(
                _t("Their version is shown; your plan text is on the clipboard"), 8000
            )
        else:
            self.statusBar().showMessage(
                _t("Draft NOT saved: changed by {who}; your text is still on screen").format(
                    who=error.changed_by or _t("another user")
                )
            )

    def case_conflict(self, case: d.Case, error: ConflictError) -> d.Recommendation | None:
        """The case edited is older than the stored one; returns the saved result if any."""
        from ui.widgets.conflict_dialog import OVERWRITE, RELOAD  # loaded on a conflict

        choice = self.prompts.conflict(error)
        if choice == OVERWRITE:
            try:
                return self.session.update_case(replace(case, version=error.stored_version))
            except UserError as exc:
                self.prompts.warn(str(exc))
                return None
        if choice == RELOAD and self.session.item is not None:
            self.session.open_item(self.session.item.id or 0)
            if self.case_editor is not None and self.session.case is not None:
                self.case_editor.case = self.session.case
                self.case_editor._load(self.session.case)
        return None
