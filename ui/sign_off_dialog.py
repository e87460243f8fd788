"""The sign-off dialog: shows exactly what is being signed (options by title, plan,
deviation and its reason, trial, follow-up, actions, attendance and quorum), asks for the
chair's name and, when the meeting is not quorate or it is not the meeting's day, for the
reason that is recorded with the decision and printed in the minutes.

The rule itself is ``decision_rules.sign_off_exceptions`` (the store enforces it); this
dialog only shows its typed result and collects the answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import DialogPart, label, stack_dialog

MIN_WIDTH = 560


@dataclass(frozen=True)
class SignOffSummary:
    """What the chair is asked to sign, as plain text lines (built from the open case)."""

    patient: str  # "NAME (MRN …), guideline atc 1.0"
    options: tuple[str, ...]  # "✔ Dabrafenib + trametinib"
    plan: str
    deviation: str | None  # the deviation in words, if any
    deviation_reason: str | None
    trial: str | None
    follow_up: str
    actions: tuple[str, ...]
    attendance: tuple[str, ...]  # "Dr A (surgeon)" for each person present
    quorum: str
    quorate: bool
    chair: str  # prefilled name
    exceptions: tuple[str, ...] = field(default_factory=tuple)  # why a reason is needed


@dataclass(frozen=True)
class SignOffAnswer:
    chair: str
    exception_reason: str | None


class SignOffDialog(QDialog):
    def __init__(self, summary: SignOffSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signOffDialog")
        self.setWindowTitle(self.tr("Sign off the decision"))
        self.summary = summary
        self.name = QLineEdit(summary.chair)
        self.name.setObjectName("chairNameEdit")
        self.name.setAccessibleName(self.tr("Chair's name"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("signOffReasonEdit")
        self.reason.setAccessibleName(self.tr("Reason for signing off despite the exception"))
        self.reason.setPlaceholderText(
            self.tr("Why the decision is signed now (kept in the minutes)…")
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.fontMetrics().height() * 4)
        self.reason.setVisible(bool(summary.exceptions))
        self.problem = label("", "warning", wrap=True, name="signOffDialogProblem")
        self.problem.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign off"))
        ok.setObjectName("confirmSignOffButton")
        self._layout()
        # Keyboard first: type the reason if one is needed, else Enter signs as prefilled.
        (self.reason if summary.exceptions else self.name).setFocus()

    def _layout(self) -> None:
        content = QWidget()
        content.setObjectName("signOffContent")
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        s = self.summary
        body.addWidget(label(s.patient, "panelTitle", wrap=True, name="signOffPatient"))
        self._section(
            body,
            self.tr("Options in the plan"),
            "\n".join(s.options) or self.tr("none"),
            "signOffOptions",
        )
        self._section(
            body, self.tr("Plan"), s.plan or self.tr("(no free-text plan)"), "signOffPlan"
        )
        if s.deviation:
            text = self.tr("⚠ {why}\nReason: {reason}").format(
                why=s.deviation, reason=s.deviation_reason or ""
            )
            self._section(body, self.tr("Deviation from the guideline"), text, "signOffDeviation")
        if s.trial:
            self._section(body, self.tr("Trial referral"), s.trial, "signOffTrial")
        self._section(body, self.tr("Follow-up"), s.follow_up, "signOffFollowUp")
        self._section(
            body, self.tr("Actions"), "\n".join(s.actions) or self.tr("none"), "signOffActions"
        )
        present = "\n".join(s.attendance) or self.tr("nobody recorded as present")
        self._section(body, self.tr("Present"), present, "signOffAttendance")
        scroll = QScrollArea()
        scroll.setObjectName("signOffScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        role = "signed" if s.quorate else "warning"
        parts: list[DialogPart] = [
            (scroll, 1),
            label(s.quorum, role, wrap=True, name="signOffQuorum"),
        ]
        if s.exceptions:
            needs = "\n".join(f"✘ {e}" for e in s.exceptions)
            text = self.tr("{needs}\nThe chair may sign only with a recorded reason:")
            parts.append(
                label(text.format(needs=needs), "warning", wrap=True, name="signOffExceptions")
            )
            parts.append(self.reason)
        form = QFormLayout()
        form.addRow(self.tr("Chair"), self.name)
        parts.append(form)
        read_only = label(
            self.tr("A signed decision is read-only; changes become amendments."), "muted"
        )
        # No size given: _fit below makes the dialog as tall as what it shows.
        stack_dialog(self, parts, self.problem, self.buttons, None, notes=[read_only],
                     on_accept=self._accept)  # fmt: skip
        self._content, self._scroll = content, scroll
        self._fit(content, scroll)

    def showEvent(self, event) -> None:
        # Fit again once the window's stylesheet has been applied (type sizes change).
        self.ensurePolished()
        for widget in self._content.findChildren(QWidget):
            widget.ensurePolished()
        self._fit(self._content, self._scroll)
        super().showEvent(event)

    def _section(self, body: QVBoxLayout, title: str, text: str, name: str) -> None:
        body.addWidget(label(title, "sectionTitle"))
        body.addWidget(label(text, wrap=True, name=name))

    def _fit(self, content: QWidget, scroll: QScrollArea) -> None:
        """As tall as its content, up to most of the screen (then the content scrolls)."""
        self.setMinimumWidth(MIN_WIDTH)
        inner = MIN_WIDTH - 40
        content.setMinimumWidth(inner)
        wanted = content.heightForWidth(inner - 20) + 8  # room for a scroll bar
        if wanted <= 0:
            wanted = content.sizeHint().height()
        screen = self.screen() or QGuiApplication.primaryScreen()
        cap = int(screen.availableGeometry().height() * 0.9) if screen else 900
        scroll.setMinimumHeight(0)
        layout = self.layout()
        others = layout.totalHeightForWidth(MIN_WIDTH) - scroll.sizeHint().height()  # type: ignore[union-attr]
        scroll.setMinimumHeight(min(wanted + 4, max(cap - others, 160)))
        self.adjustSize()

    def _accept(self) -> None:
        if not self.name.text().strip():
            self._refuse(self.tr("Type the chair's name to sign off."))
            return
        if self.summary.exceptions and not self.reason.toPlainText().strip():
            self._refuse(self.tr("Record why the decision is signed despite the exception."))
            self.reason.setFocus()
            return
        self.accept()

    def _refuse(self, why: str) -> None:
        self.problem.setText("⚠ " + why)
        self.problem.setVisible(True)
        self.adjustSize()

    def answer(self) -> SignOffAnswer:
        reason = self.reason.toPlainText().strip() if self.summary.exceptions else ""
        return SignOffAnswer(self.name.text().strip(), reason or None)
