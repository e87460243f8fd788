"""The meeting session as plain Python (issue 12): the open agenda item, the editable or
read-only decision, drafts, the sign-off checks, deferral and amendment, with typed
results. The window's `ui/session.py` is a thin Qt adapter over `MeetingSession`."""

from mdt_app.meeting.agenda import AgendaLine, AgendaStatus, agenda_lines
from mdt_app.meeting.decision_state import DecisionState, ReadOnly
from mdt_app.meeting.session import MeetingSession, SessionEvents
from mdt_app.meeting.sign_off import (
    Signature,
    SignOffCheck,
    as_judged,
    check_sign_off,
    deviation_of,
)

__all__ = [
    "AgendaLine",
    "AgendaStatus",
    "DecisionState",
    "MeetingSession",
    "ReadOnly",
    "SessionEvents",
    "SignOffCheck",
    "Signature",
    "agenda_lines",
    "as_judged",
    "check_sign_off",
    "deviation_of",
]
