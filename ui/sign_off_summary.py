"""What the sign-off dialog shows, gathered from the open case, its draft and the meeting."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from mdt_app import decision_rules
from mdt_app import domain as d
from mdt_app.meeting import SignOffCheck
from ui import labels
from ui.guidance import option_title
from ui.session import MeetingSession
from ui.sign_off_dialog import SignOffSummary
from ui.widgets.decision_form import option_titles
from ui.widgets.options_panel import SYMBOLS


def _t(text: str) -> str:
    return QCoreApplication.translate("SignOff", text)


def sign_off_summary(session: MeetingSession, check: SignOffCheck) -> SignOffSummary:
    """The stored draft as the chair signs it (as the sign-off check judged it), with
    attendance and quorum."""
    decision = check.decision
    case = session.case
    patient = _t("{name} (MRN {mrn}) · guideline {gid} {version}").format(
        name=case.patient.display_name if case else "",
        mrn=case.patient.mrn if case else "",
        gid=decision.guideline_id or "",
        version=decision.guideline_version or "",
    )
    titles = option_titles(decision.options_snapshot)
    options = []
    for code in decision.chosen_options:
        group, title = titles.get(code) or ("", option_title(code))
        options.append(f"{SYMBOLS.get(group, '•')} {title}")
    why = check.deviation
    attendees = session.attendees()
    quorum = session.quorum(attendees)
    return SignOffSummary(
        patient=patient,
        options=tuple(options),
        plan=decision.plan_text.strip(),
        deviation=str(why) if why else None,
        deviation_reason=decision.deviation_reason,
        trial=decision.clinical_trial,
        follow_up=_follow_up(decision),
        actions=tuple(_action(a) for a in decision.actions),
        attendance=tuple(f"{a.name} ({a.specialty})" for a in attendees if a.present),
        quorum=("✔ " if quorum.quorate else "✘ ") + quorum.describe(),
        quorate=quorum.quorate,
        chair=(session.meeting.chair if session.meeting else None) or "",
        exceptions=tuple(str(e) for e in check.exceptions),
    )


def _follow_up(x: d.Decision) -> str:
    items = ", ".join(labels.word(i) for i in x.follow_up_items)
    interval = decision_rules.follow_up_interval(x)
    return f"{interval}: {items}" if items else interval


def _action(a: d.Action) -> str:
    return _t("{what} (owner: {who}; due: {due})").format(
        what=a.description,
        who=a.owner or _t("not assigned"),
        due=a.due_date.isoformat() if a.due_date else _t("no date"),
    )
