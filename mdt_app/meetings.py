"""Meeting rules without a database: checking a meeting's details, the dates of a
recurring series, and what closing or cancelling a meeting did to its cases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from mdt_app import domain as d
from mdt_app.errors import ValidationError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OPEN_STATUSES = ("planned", "in_progress")
EARLIEST, LATEST = date(2000, 1, 1), date(2200, 1, 1)
DEFAULT_CARRY_REASON = "not reached at the meeting"

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass
class MeetingSeries:
    """A recurring meeting ("every Tuesday 08:00"): meetings are created weeks ahead."""

    title: str
    weekday: int  # 0 = Monday
    starts_on: date = field(default_factory=date.today)  # no meeting of it before this
    start_time: str | None = None
    chair: str | None = None
    location: str | None = None
    expected_specialties: list[str] = field(default_factory=list)
    weeks_ahead: int = 4
    active: bool = True
    id: int | None = None

    def describe(self) -> str:
        when = f" {self.start_time}" if self.start_time else ""
        return f"every {WEEKDAYS[self.weekday].capitalize()}{when}"


@dataclass(frozen=True)
class CarriedCase:
    """A case that moved from a closed or cancelled meeting, and where it went."""

    case_id: int
    patient: str
    mrn: str
    reason: str
    to_meeting: d.Meeting | None  # None: no open meeting to carry it to


@dataclass
class CarryReport:
    """What closing or cancelling a meeting did with its undiscussed cases."""

    meeting: d.Meeting
    carried: list[CarriedCase] = field(default_factory=list)

    @property
    def needing_meeting(self) -> list[CarriedCase]:
        return [c for c in self.carried if c.to_meeting is None]

    def lines(self) -> list[str]:
        """One line per case, for the CLI and the window's status message."""
        out = []
        for c in self.carried:
            where = (
                f"carried to meeting {c.to_meeting.id} ({c.to_meeting.date.isoformat()} "
                f"{c.to_meeting.title})"
                if c.to_meeting
                else "needs a meeting: none is open after this one"
            )
            out.append(f"{c.patient} (MRN {c.mrn}): {where}; reason: {c.reason}")
        return out


def parse_day(text: str, what: str = "date") -> date:
    """A YYYY-MM-DD date within the years a meeting can have; ValidationError otherwise."""
    try:
        day = date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise ValidationError(f"{what} {text!r} is not a valid date (YYYY-MM-DD)") from None
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(f"{what} {day} is not a plausible meeting date")
    return day


def parse_time(text: str | None) -> str | None:
    """'8:00' -> '08:00'; None or '' stays None; ValidationError for anything else."""
    if text is None or not text.strip():
        return None
    found = _TIME.match(text.strip())
    if not found:
        raise ValidationError(f"time {text!r} is not a time of day (HH:MM)")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def parse_weekday(text: str) -> int:
    """'tuesday', 'Tue' -> 1."""
    word = text.strip().lower()
    for i, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return i
    raise ValidationError(f"{text!r} is not a day of the week")


def check_meeting(meeting: d.Meeting) -> d.Meeting:
    """The meeting with its text trimmed; ValidationError naming the first bad field."""
    title = (meeting.title or "").strip()
    if not title:
        raise ValidationError("a meeting needs a title")
    if len(title) > 200:
        raise ValidationError("the meeting title is longer than 200 characters")
    if not EARLIEST <= meeting.date <= LATEST:
        raise ValidationError(f"date {meeting.date} is not a plausible meeting date")
    meeting.title = title
    meeting.start_time = parse_time(meeting.start_time)
    meeting.chair = (meeting.chair or "").strip() or None
    meeting.location = (meeting.location or "").strip() or None
    meeting.expected_specialties = sorted(
        {s.strip().lower() for s in meeting.expected_specialties if s.strip()}
    )
    return meeting


def check_series(series: MeetingSeries) -> MeetingSeries:
    if not series.title.strip():
        raise ValidationError("a meeting series needs a title")
    if not 0 <= series.weekday <= 6:
        raise ValidationError("a meeting series needs a day of the week")
    if not 1 <= series.weeks_ahead <= 52:
        raise ValidationError("a series creates meetings 1 to 52 weeks ahead")
    series.title = series.title.strip()
    series.start_time = parse_time(series.start_time)
    return series


def series_dates(series: MeetingSeries, today: date) -> list[date]:
    """The series' meeting days from today (or its start) up to ``weeks_ahead`` weeks ahead."""
    today = max(today, series.starts_on)
    first = today + timedelta(days=(series.weekday - today.weekday()) % 7)
    return [first + timedelta(weeks=w) for w in range(series.weeks_ahead)]


def next_series_date(series: MeetingSeries, after: date) -> date:
    """The series' first meeting day strictly after ``after``."""
    ahead = (series.weekday - after.weekday()) % 7 or 7
    return after + timedelta(days=ahead)


def is_open(meeting: d.Meeting) -> bool:
    return meeting.status in OPEN_STATUSES


def takes_place_today(meeting: d.Meeting | None, today: date) -> bool:
    """Only a meeting held today (and not closed or cancelled) has a case 'under discussion'."""
    return meeting is not None and is_open(meeting) and meeting.date == today


def decisions_open(meeting: d.Meeting | None, decision: d.Decision) -> bool:
    """Whether a decision can still be written on this meeting: not once it is closed or
    cancelled (its minutes are final), except an amendment of a signed decision, which
    is a new attributed record."""
    if meeting is None or is_open(meeting):
        return True
    return decision.amends_decision_id is not None


def check_can_queue(meeting: d.Meeting) -> None:
    """Cases are queued on open meetings only: a closed meeting's minutes are final."""
    if not is_open(meeting):
        raise ValidationError(
            f"meeting {meeting.id} is {meeting.status}; queue the cases on an open meeting"
        )
