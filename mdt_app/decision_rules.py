"""Rules a decision must meet before sign-off, and the meeting quorum. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from mdt_app import domain as d
from mdt_app.snapshot import OptionsSnapshot

# Default quorum: at least three doctors of different specialties present, among them
# a surgeon and an oncologist or radiation oncologist. Stored as a setting
# ("quorum_rule") so a centre can change it.
DEFAULT_QUORUM_RULE: dict = {
    "min_doctor_specialties": 3,
    "required_any": [["surgeon"], ["medical oncologist", "radiation oncologist"]],
    "non_doctor_specialties": ["nurse specialist", "nurse", "coordinator", "administrator"],
}

SPECIALTIES = (
    "surgeon",
    "medical oncologist",
    "radiation oncologist",
    "endocrinologist",
    "radiologist",
    "nuclear medicine physician",
    "pathologist",
    "palliative care physician",
    "nurse specialist",
    "coordinator",
)


@dataclass(frozen=True)
class Quorum:
    """Whether the attendees make a quorum, and which specialties are missing."""

    quorate: bool
    doctor_specialties: tuple[str, ...]
    missing: tuple[str, ...]

    def describe(self) -> str:
        listed = ", ".join(self.doctor_specialties) or "none"
        if self.quorate:
            return f"Quorate: {len(self.doctor_specialties)} medical specialties ({listed})"
        return "Not quorate: " + "; ".join(self.missing)


def quorum(attendees: list[d.Attendee], rule: dict | None = None) -> Quorum:
    rule = rule or DEFAULT_QUORUM_RULE
    non_doctors = {s.lower() for s in rule.get("non_doctor_specialties", [])}
    present = sorted(
        {a.specialty.strip().lower() for a in attendees if a.present} - non_doctors - {""}
    )
    missing = []
    need = int(rule.get("min_doctor_specialties", 3))
    if len(present) < need:
        missing.append(f"{need} medical specialties needed, {len(present)} present")
    for group in rule.get("required_any", []):
        if not any(g.lower() in present for g in group):
            missing.append(" or ".join(group) + " absent")
    return Quorum(not missing, tuple(present), tuple(missing))


# Recommended for every patient whatever the plan; choosing one of them alone does not
# make a plan follow the guideline's recommended management.
CARE_FRAMEWORK = frozenset(
    {"GOALS_OF_CARE", "PALLIATIVE_CARE", "ADVANCE_DIRECTIVE", "THYROID_HORMONE_REPLACEMENT"}
)

DeviationKind = Literal["not_recommended", "no_recommended_treatment"]
ProblemKind = Literal[
    "nothing_decided", "deviation_without_reason", "no_guideline_version", "follow_up_range",
    "action_without_description", "amendment_without_reason",
]  # fmt: skip
ExceptionKind = Literal["not_quorate", "not_meeting_day"]


Snapshot = OptionsSnapshot | Mapping[str, Any] | None  # typed, or as stored


def titles_in(snapshot: Snapshot) -> dict[str, str]:
    """code -> title over the four lists of a Recommendation.as_dict() snapshot."""
    options = OptionsSnapshot.of(snapshot)
    return options.titles() if options else {}


@dataclass(frozen=True)
class Deviation:
    """How a plan departs from the guideline: the options concerned, in clinicians' words."""

    kind: DeviationKind
    codes: tuple[str, ...]
    titles: tuple[str, ...]

    def __str__(self) -> str:
        listed = ", ".join(self.titles)
        if self.kind == "not_recommended":
            return f"the plan includes a not-recommended option: {listed}"
        return f"the plan includes none of the recommended treatments: {listed}"


def deviation(decision: d.Decision, snapshot: Snapshot) -> Deviation | None:
    """How this plan departs from the guideline, or None when it follows it.

    A plan deviates when it includes a not-recommended option, or when it takes none of
    the recommended options. Where the guideline recommends management beyond the care
    framework given to everyone (goals of care, palliative care, advance directive,
    thyroid hormone), the plan must take at least one of those: the missing treatments
    are named.
    """
    options = OptionsSnapshot.of(snapshot)
    if not options:
        return None
    titles = options.titles()
    chosen = set(decision.chosen_options)
    not_recommended = set(options.codes(d.OptionList.NOT_RECOMMENDED))
    recommended = options.codes(d.OptionList.RECOMMENDED)
    against = [c for c in decision.chosen_options if c in not_recommended]
    if against:
        return Deviation("not_recommended", tuple(against), tuple(titles[c] for c in against))
    expected = [c for c in recommended if c not in CARE_FRAMEWORK] or recommended
    if expected and not chosen & set(expected):
        return Deviation(
            "no_recommended_treatment", tuple(expected), tuple(titles[c] for c in expected)
        )
    return None


@dataclass(frozen=True)
class SignOffProblem:
    """One thing that stops a decision from being signed off."""

    kind: ProblemKind
    detail: str = ""
    deviation: Deviation | None = None

    def __str__(self) -> str:
        return {
            "nothing_decided": "choose at least one option or write the plan",
            "deviation_without_reason": (
                f"a reason for the deviation is required ({self.deviation})"
            ),
            "no_guideline_version": (
                "the guideline version the decision was made against is missing"
            ),
            "follow_up_range": "the follow-up interval must be 1 to 60 months (or 1 to 26 weeks)",
            "action_without_description": f"action {self.detail} has no description",
            "amendment_without_reason": "an amendment needs a reason",
        }[self.kind]


def sign_off_problems(decision: d.Decision) -> list[SignOffProblem]:
    """What stops this decision from being signed off (empty when it can be)."""
    return judge_sign_off(decision)[1]


def judge_sign_off(decision: d.Decision) -> tuple[Deviation | None, list[SignOffProblem]]:
    """The sign-off rules in one pass: how the plan deviates (against its own options
    snapshot) and what stops the sign-off."""
    problems = []
    if not decision.chosen_options and not decision.plan_text.strip():
        problems.append(SignOffProblem("nothing_decided"))
    why = deviation(decision, decision.options_snapshot)
    if why and not (decision.deviation_reason or "").strip():
        problems.append(SignOffProblem("deviation_without_reason", deviation=why))
    if not decision.guideline_version:
        problems.append(SignOffProblem("no_guideline_version"))
    weeks = decision.follow_up_weeks
    if not 1 <= decision.follow_up_months <= 60 or (weeks is not None and not 1 <= weeks <= 26):
        problems.append(SignOffProblem("follow_up_range"))
    for i, action in enumerate(decision.actions, start=1):
        if not action.description.strip():
            problems.append(SignOffProblem("action_without_description", str(i)))
    if decision.amends_decision_id and not (decision.amendment_reason or "").strip():
        problems.append(SignOffProblem("amendment_without_reason"))
    return why, problems


@dataclass(frozen=True)
class SignOffException:
    """A condition under which the chair may sign off only with a recorded reason."""

    kind: ExceptionKind
    detail: str

    def __str__(self) -> str:
        if self.kind == "not_quorate":
            return f"the meeting is not quorate ({self.detail})"
        return f"signed outside the meeting's day ({self.detail})"


def sign_off_exceptions(quorum: Quorum, meeting_day: date, today: date) -> list[SignOffException]:
    """Why signing off now needs a recorded reason (empty: a normal sign-off).

    A decision is the MDT's: it is signed at a quorate meeting, on the meeting's day.
    """
    found = []
    if not quorum.quorate:
        found.append(SignOffException("not_quorate", "; ".join(quorum.missing)))
    if today != meeting_day:
        found.append(
            SignOffException(
                "not_meeting_day",
                f"meeting on {meeting_day.isoformat()}, signed on {today.isoformat()}",
            )
        )
    return found


def follow_up_interval(decision: d.Decision) -> str:
    """'every 6 weeks' or 'every 3 months': the interval as chosen."""
    if decision.follow_up_weeks:
        n = decision.follow_up_weeks
        return f"every {n} week" + ("s" if n != 1 else "")
    n = decision.follow_up_months
    return f"every {n} month" + ("s" if n != 1 else "")
