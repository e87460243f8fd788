"""Rules a decision must meet before sign-off, and the meeting quorum. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from mdt_app import domain as d

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


def deviation(decision: d.Decision, snapshot: dict | None) -> str | None:
    """Why this plan departs from the guideline, or None when it follows it.

    A plan deviates when it includes a not-recommended option, or when it takes none of
    the recommended options. Where the guideline recommends management beyond the care
    framework given to everyone (goals of care, palliative care, advance directive,
    thyroid hormone), the plan must take at least one of those.
    """
    if not snapshot:
        return None
    chosen = set(decision.chosen_options)
    not_recommended = {o["code"] for o in snapshot.get("not_recommended", [])}
    recommended = {o["code"] for o in snapshot.get("recommended", [])}
    against = sorted(chosen & not_recommended)
    if against:
        return "the plan includes not-recommended option(s): " + ", ".join(against)
    expected = (recommended - CARE_FRAMEWORK) or recommended
    if expected and not chosen & expected:
        return (
            "the plan includes none of the recommended options ("
            + ", ".join(sorted(expected))
            + ")"
        )
    return None


def sign_off_problems(decision: d.Decision) -> list[str]:
    """What stops this decision from being signed off (empty when it can be)."""
    problems = []
    if not decision.chosen_options and not decision.plan_text.strip():
        problems.append("choose at least one option or write the plan")
    why = deviation(decision, decision.options_snapshot)
    if why and not (decision.deviation_reason or "").strip():
        problems.append(f"a reason for the deviation is required ({why})")
    if not decision.guideline_version:
        problems.append("the guideline version the decision was made against is missing")
    if not 1 <= decision.follow_up_months <= 60:
        problems.append("the follow-up interval must be 1 to 60 months")
    for i, action in enumerate(decision.actions, start=1):
        if not action.description.strip():
            problems.append(f"action {i} has no description")
    if decision.amends_decision_id and not (decision.amendment_reason or "").strip():
        problems.append("an amendment needs a reason")
    return problems
