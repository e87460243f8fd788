"""Recording the MDT's decision: options picked, plan, deviation reason, trial, follow-up,
actions; sign-off and amendment. Drafts are saved as you type (after a short pause) and
at once when the case changes or the window closes, so nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mdt_app import decision_rules
from mdt_app import domain as d
from mdt_app.meeting import DecisionState, ReadOnly, SignOffCheck, check_sign_off, deviation_of
from mdt_app.snapshot import OptionsSnapshot
from ui.guidance import option_title
from ui.widgets.common import label, set_read_only, set_role
from ui.widgets.decision_parts import (
    ActionsEditor,
    FollowUpEditor,
    history_text,
    record_numbers,
)
from ui.widgets.options_panel import SYMBOLS
from ui.widgets.patient_words import PatientWordsEditor
from ui.widgets.plain_text import set_plain_text

AUTOSAVE_MS = 400


def option_titles(*snapshots: OptionsSnapshot | dict | None) -> dict[str, tuple[str, str]]:
    """code -> (list name, title) over the given options snapshots (typed or as stored)."""
    out: dict[str, tuple[str, str]] = {}
    for snapshot in snapshots:
        options = OptionsSnapshot.of(snapshot)
        for name in d.OptionList if options else ():
            for option in options.options(name):  # type: ignore[union-attr]
                out.setdefault(option.code, (name.value, option.title))
    return out


class DecisionForm(QWidget):
    # Shadows QWidget.actions(): the form's actions editor (the name the window uses).
    actions: ActionsEditor  # type: ignore[assignment]
    saveRequested = Signal()  # the draft should be saved now (connected synchronously)
    signOffRequested = Signal()
    amendRequested = Signal()
    careProgrammeRequested = Signal()
    pickedChanged = Signal(list)  # the plan's option codes, after a change in the form

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("decisionForm")
        self.setAccessibleName(self.tr("Decision"))
        self.state: DecisionState | None = None
        self.dirty = False
        self.judged_now = False
        self._loading = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.flush)
        self._build()

    # --- construction ---------------------------------------------------------------------

    def _build(self) -> None:
        self.title = label(self.tr("Decision"), "panelTitle")
        self.status = label("", "status", wrap=True, name="decisionStatus")
        self.amendment = label("", "signed", wrap=True, name="amendmentNote")
        self.older_data = label("", "warning", wrap=True, name="olderDataNote")
        self.chosen = label("", wrap=True, name="chosenOptions")
        self.deviation = label("", "warning", wrap=True, name="deviationWarning")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("deviationReasonEdit")
        self.reason.setAccessibleName(self.tr("Reason for deviating from the guideline"))
        self.reason.setPlaceholderText(self.tr("Why the plan departs from the guideline…"))
        self.reason.setFixedHeight(self.fontMetrics().height() * 4)
        self.plan = QPlainTextEdit()
        self.plan.setObjectName("planEdit")
        self.plan.setAccessibleName(self.tr("Plan"))
        self.plan.setPlaceholderText(self.tr("The plan in words (free text)…"))
        self.plan.setMinimumHeight(self.fontMetrics().height() * 5)
        self.trial = QLineEdit()
        self.trial.setObjectName("trialEdit")
        self.trial.setAccessibleName(self.tr("Clinical-trial referral"))
        self.trial.setPlaceholderText(self.tr("Trial name or screening request (optional)"))
        self.follow_up = FollowUpEditor()
        self.actions = ActionsEditor()
        self.patient_words = PatientWordsEditor()  # the "For the patient" tab (issue 16)
        self.history = label("", wrap=True, name="decisionHistory")
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.problems = label("", "muted", wrap=True, name="signOffProblems")
        self.sign_button = QPushButton(self.tr("Sign off…"))
        self.sign_button.setObjectName("signOffButton")
        self.sign_button.setToolTip(self.tr("Sign the decision off (Ctrl+Shift+S)"))
        self.amend_button = QPushButton(self.tr("Amend…"))
        self.amend_button.setObjectName("amendButton")
        self.amend_button.setToolTip(self.tr("Change a signed decision, with a reason"))
        self.print_button = QPushButton(self.tr("Care programme…"))
        self.print_button.setObjectName("printCareProgrammeButton")
        self.print_button.setToolTip(self.tr("Print or save the care programme (Ctrl+P)"))
        self.sign_button.clicked.connect(self.signOffRequested)
        self.amend_button.clicked.connect(self.amendRequested)
        self.print_button.clicked.connect(self.careProgrammeRequested)
        for edit in (self.plan, self.reason):
            edit.textChanged.connect(self._edited)
        self.trial.textChanged.connect(self._edited)
        self.follow_up.edited.connect(self._edited)
        self.actions.edited.connect(self._edited)
        self.patient_words.edited.connect(self._edited)
        self._layout()

    def _layout(self) -> None:
        plan_page = QWidget()
        plan = QVBoxLayout(plan_page)
        plan.setContentsMargins(4, 4, 4, 4)
        plan.addWidget(label(self.tr("Options in the plan"), "sectionTitle"))
        plan.addWidget(self.chosen)
        plan.addWidget(self.deviation)
        plan.addWidget(self.reason)
        plan.addWidget(label(self.tr("Plan"), "sectionTitle"))
        plan.addWidget(self.plan, 1)
        form = QFormLayout()
        form.addRow(self.tr("Trial referral"), self.trial)
        plan.addLayout(form)
        scroll = QScrollArea()
        scroll.setObjectName("planScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(plan_page)
        self.plan_scroll = scroll
        follow_page = QWidget()
        follow = QVBoxLayout(follow_page)
        follow.setContentsMargins(4, 4, 4, 4)
        follow.addWidget(label(self.tr("Follow-up"), "sectionTitle"))
        follow.addWidget(self.follow_up)
        follow.addWidget(label(self.tr("Actions (owner, due date)"), "sectionTitle", wrap=True))
        follow.addWidget(self.actions, 1)
        history_scroll = QScrollArea()
        history_scroll.setWidgetResizable(True)
        history_scroll.setWidget(self.history)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("decisionTabs")
        self.tabs.addTab(scroll, self.tr("Plan"))
        self.tabs.addTab(follow_page, self.tr("Follow-up"))
        self.tabs.addTab(history_scroll, self.tr("History"))
        self.tabs.addTab(_scrolled(self.patient_words), self.tr("For the patient"))
        buttons = QGridLayout()
        buttons.addWidget(self.sign_button, 0, 0)
        buttons.addWidget(self.amend_button, 0, 1)
        buttons.addWidget(self.print_button, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.amendment)
        layout.addWidget(self.older_data)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)

    # --- showing a decision -----------------------------------------------------------------

    def show_state(self, state: DecisionState | None) -> None:
        self.timer.stop()
        self.dirty = False
        self.state = state
        # A saved draft was judged when the chair left it; a new one is judged on sign-off.
        x = state.decision if state else None
        self.judged_now = bool(x and x.id is not None and (x.chosen_options or x.plan_text.strip()))
        self._loading = True
        try:
            self._fill(state)
        finally:
            self._loading = False
        self._refresh()

    def _fill(self, state: DecisionState | None) -> None:
        x = state.decision if state else d.Decision(case_id=0, agenda_item_id=0)
        set_plain_text(self.plan, x.plan_text)
        set_plain_text(self.reason, x.deviation_reason or "")
        self.trial.setText(x.clinical_trial or "")
        self.follow_up.set_values(x.follow_up_months, x.follow_up_items, x.follow_up_weeks)
        self.actions.set_actions(list(x.actions))
        editable = bool(state and state.editable)
        for edit in (self.plan, self.reason, self.trial):
            set_read_only(edit, not editable)
        self.follow_up.set_read_only(not editable)
        self.actions.set_read_only(not editable)
        self.patient_words.set_decision(x, editable)
        self.setEnabled(state is not None)

    def set_snapshot(self, snapshot: dict | None) -> None:
        """The options the draft is judged against changed (the case was edited)."""
        if self.state is not None:
            self.state.snapshot = OptionsSnapshot.of(snapshot)
            self._refresh()

    def _refresh(self, check: SignOffCheck | None = None) -> None:
        state = self.state
        x = self.decision()
        history = state.history if state else []
        snapshot = state.snapshot if state else None
        titles = option_titles(snapshot, *[h.options_snapshot for h in history])
        self.chosen.setText(self._chosen_text(x, titles))
        names = {code: title for code, (_group, title) in titles.items()}
        self.patient_words.set_options(x.chosen_options, names)
        why = self.current_deviation(x) if self.judged_now else None
        self.deviation.setText(
            self.tr("⚠ Deviation from the guideline: {why}. A reason is required.").format(why=why)
            if why
            else ""
        )
        self.deviation.setVisible(bool(why))
        self.reason.setVisible(bool(why) or bool(self.reason.toPlainText().strip()))
        self.status.setText(self._status_text())
        set_role(self.status, "signed" if x.is_signed else "status")
        self._show_amendment(x)
        note = state.older_data if state and x.is_signed else ""
        self.older_data.setText(
            self.tr(
                "⚠ {note}. Amend the decision if the plan should change (Ctrl+Shift+M)."
            ).format(note=note)
            if note
            else ""
        )
        self.older_data.setVisible(bool(note))
        names = {c: t for c, (_g, t) in titles.items()}
        self.history.setText(history_text(history, names, option_title))
        self.tabs.setTabText(2, self.tr("History ({n})").format(n=len(history)))
        self._update_buttons(x, check)

    def current_deviation(self, x: d.Decision | None = None) -> decision_rules.Deviation | None:
        """How the plan on screen departs from the guideline (None: it follows it)."""
        x = x or self.decision()
        judged_against = self.state.judged_against if self.state else x.options_snapshot
        return deviation_of(x, judged_against)

    def judge(self) -> decision_rules.Deviation | None:
        """Judge deviation now (the chair asks to sign or leaves the case) and show it."""
        self.judged_now = True
        self._refresh()
        return self.current_deviation()

    def show_check(self, check: SignOffCheck) -> None:
        """The chair asked to sign: the deviation is judged now, and named on the form."""
        self.judged_now = True
        self._refresh(check)

    def _chosen_text(self, x: d.Decision, titles: dict[str, tuple[str, str]]) -> str:
        if not x.chosen_options:
            return self.tr("None picked yet: tick options in the guideline panel (Alt+O).")
        lines = []
        for code in x.chosen_options:
            group, title = titles.get(code) or ("", option_title(code))
            symbol = SYMBOLS.get(group, "•")
            lines.append(f"{symbol} {title}")
        return "\n".join(lines)

    def _status_text(self) -> str:
        state = self.state
        if state is None:
            return self.tr("No case open.")
        x = state.decision
        if x.is_signed:
            return self.tr("✔ Signed off by {who} on {when} · guideline {gid} {version}").format(
                who=x.signed_by,
                when=x.signed_at.strftime("%Y-%m-%d %H:%M") if x.signed_at else "",
                gid=x.guideline_id or "",
                version=x.guideline_version or "",
            )
        if not state.editable:
            return self._read_only_text(state)
        if x.id is None:
            return self.tr("New decision: saved automatically as you type.")
        saved = x.updated_at.strftime("%H:%M:%S") if x.updated_at else ""
        return self.tr("✎ Draft, saved {time}").format(time=saved)

    def _read_only_text(self, state: DecisionState) -> str:
        if state.read_only is ReadOnly.MEETING_FINAL:
            return self.tr(
                "The meeting is {status}: its decisions are final (defer or amend instead)."
            ).format(status=state.meeting_status)
        if state.read_only is ReadOnly.ROLE:
            return self.tr("Your role reads, prints and exports; it does not record decisions.")
        return self.tr("Deferred to another meeting: record the decision there.")

    def _show_amendment(self, x: d.Decision) -> None:
        if x.amends_decision_id:
            numbers = record_numbers(self.state.history if self.state else [])
            self.amendment.setText(
                self.tr("Amendment of record #{n}. Reason: {reason}").format(
                    n=numbers.get(x.amends_decision_id, "?"), reason=x.amendment_reason or ""
                )
            )
        self.amendment.setVisible(bool(x.amends_decision_id))

    def _update_buttons(self, x: d.Decision, check: SignOffCheck | None = None) -> None:
        state = self.state
        editable = bool(state and state.editable)
        self.sign_button.setEnabled(editable)
        self.amend_button.setVisible(bool(state and x.is_signed))
        self.amend_button.setEnabled(bool(state and x.is_signed))
        self.print_button.setEnabled(bool(state and state.signed_decision is not None))
        if editable and check is None:
            check = check_sign_off(x, state.snapshot if state else None)
        # Deviation is judged when the chair asks to sign or leaves the case, not on each
        # tick (ticking "goals of care" first is not a deviation); once judged, it is
        # spelled out above the reason field.
        problems = check.shown_problems(self.judged_now) if editable and check else []
        lines = [
            self.tr("a reason for the deviation is required")
            if p.kind == "deviation_without_reason"
            else str(p)
            for p in problems
        ]
        self.problems.setText(
            "\n".join(self.tr("✘ Before sign-off: {p}").format(p=p) for p in lines)
        )
        self.problems.setVisible(bool(lines))

    # --- editing -------------------------------------------------------------------------------

    def decision(self) -> d.Decision:
        """The decision as the form holds it now."""
        base = self.state.decision if self.state else d.Decision(case_id=0, agenda_item_id=0)
        if not (self.state and self.state.editable):
            return base
        months, items = self.follow_up.values()
        return replace(
            base,
            follow_up_weeks=self.follow_up.weeks(),
            plan_text=self.plan.toPlainText(),
            deviation_reason=self.reason.toPlainText().strip() or None,
            clinical_trial=self.trial.text().strip() or None,
            follow_up_months=months,
            follow_up_items=items,
            actions=self.actions.actions(),
            **self.patient_words.values(),
        )

    def set_option_picked(self, code: str, on: bool) -> None:
        if not (self.state and self.state.editable):
            return
        chosen = [c for c in self.state.decision.chosen_options if c != code]
        if on:
            chosen.append(code)
        self.state.decision = replace(self.state.decision, chosen_options=chosen)
        self._edited()

    def add_action(self, description: str) -> None:
        if self.state and self.state.editable:
            self.actions.add(description)
            self.tabs.setCurrentIndex(1)

    def _edited(self, *args) -> None:
        if self._loading or not (self.state and self.state.editable):
            return
        self.dirty = True
        self.timer.start()
        self._refresh()

    def flush(self) -> None:
        """Save now if anything is unsaved (the save slot is connected synchronously)."""
        self.timer.stop()
        if not (self.state and self.state.editable):
            self.dirty = False  # a read-only form has nothing of its own to save
        elif self.dirty:
            self.saveRequested.emit()

    def mark_saved(self, saved: d.Decision) -> None:
        """The draft was stored; keep what is typed, take the stored id and times."""
        if self.state is None:
            return
        self.dirty = False
        self.state.decision = replace(
            self.decision(), id=saved.id, updated_at=saved.updated_at,
            created_at=saved.created_at, options_snapshot=saved.options_snapshot,
            version=saved.version,
            guideline_id=saved.guideline_id, guideline_version=saved.guideline_version,
        )  # fmt: skip
        self.status.setText(self._status_text())

    def show_top(self) -> None:
        """The Plan tab, scrolled to its top (a case opens here)."""
        self.tabs.setCurrentIndex(0)
        self.plan_scroll.verticalScrollBar().setValue(0)

    def focus_plan(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.plan.setFocus(Qt.FocusReason.ShortcutFocusReason)


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll
