"""Helpers for the meeting-screen tests: the window on a database, scripted answers instead
of modal dialogs, key presses to the focused widget."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mdt_app.security.demo_users import DEMO_CHAIR, DEMO_PASSWORD
from ui.prompts import Prompts


class ScriptedPrompts(Prompts):
    """Answers the window's questions from ``answers`` and records every message."""

    def __init__(self, parent):
        super().__init__(parent)
        self.answers: dict[str, object] = {"chair": None, "reason": None, "defer": None,
                                           "case": None, "conflict": "keep"}  # fmt: skip
        self.messages: list[tuple[str, str]] = []
        self.asked: list[tuple[str, tuple]] = []
        self.signatures: list[tuple] = []

    def info(self, text):
        self.messages.append(("info", text))

    def warn(self, text):
        self.messages.append(("warn", text))

    def confirm(self, text):
        self.messages.append(("confirm", text))
        return True

    def reason(self, title, prompt):
        self.asked.append(("reason", (title, prompt)))
        return self.answers["reason"]

    def sign_off(self, summary):
        """answers["chair"]: a name, "default" (the prefilled one) or None (cancel);
        answers["sign_off_reason"]: the recorded reason when the dialog asks for one."""
        from ui.sign_off_dialog import SignOffAnswer

        self.asked.append(("sign_off", (summary,)))
        answer = self.answers["chair"]
        if answer is None:
            return None
        chair = summary.chair if answer == "default" else answer
        reason = self.answers.get("sign_off_reason") if summary.exceptions else None
        return SignOffAnswer(str(chair), reason)

    def defer_case(self, patient, current, meetings, title=None):
        from ui.widgets.defer_dialog import DeferChoice

        self.asked.append(("defer", tuple(meetings)))
        answer = self.answers["defer"]
        if isinstance(answer, tuple):  # (meeting id, reason)
            return DeferChoice(answer[1], meeting_id=answer[0])
        return answer

    def case_files(self):
        self.asked.append(("files", ()))
        return self.answers.get("files") or []

    def conflict(self, error):
        self.asked.append(("conflict", (error,)))
        return self.answers["conflict"]

    def local_draft(self, what, reason):
        self.asked.append(("local_draft", (what, reason)))
        return self.answers.get("local_draft", "later")

    def save_path(self, title, suggested):
        self.asked.append(("save_path", (title, suggested)))
        return self.answers.get("save_path")

    def manual(self, rows):
        self.asked.append(("manual", tuple(rows)))

    def about(self, text):
        self.asked.append(("about", (text,)))

    def signature(self, chairs, default, summary):
        """The password step of a sign-off (recorded apart from ``asked``, which the
        sign-off tests read): answers["signature"], else the demo chair's password."""
        self.signatures.append((tuple(chairs), default, summary))
        return self.answers.get("signature", (DEMO_CHAIR, DEMO_PASSWORD))


def open_window(qtbot, db_path):
    from ui.app import build_main_window

    window = build_main_window(db_path)
    qtbot.addWidget(window)
    window.prompts = ScriptedPrompts(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    # Window shortcuts only reach the active window; offscreen needs asking explicitly.
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    return window


def press(qtbot, window, key, modifiers=Qt.KeyboardModifier.NoModifier):
    """A key press as the user makes it: to the widget that has focus."""
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, key, modifiers)


def sign_in_as_demo_chair(dialog):
    """In place of ``SignInDialog.exec``: the demo chair signs in with the demo password."""
    from PySide6.QtWidgets import QDialog

    dialog.who.setCurrentIndex(dialog.who.findData(DEMO_CHAIR))
    dialog.password.setText(DEMO_PASSWORD)
    dialog.accept()
    return QDialog.DialogCode.Accepted
