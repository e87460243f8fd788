"""The sign-off checks as the session runs them: on the decision as it would be signed
(with the options and guideline version it is judged against), once, with typed results."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from mdt_app import decision_rules
from mdt_app import domain as d
from mdt_app.decision_rules import Deviation, SignOffException, SignOffProblem, Snapshot
from mdt_app.snapshot import OptionsSnapshot


@dataclass(frozen=True)
class Signature:
    """The chair's electronic signature: who signs, proven by their password."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class SignOffCheck:
    """The decision as sign-off judges it, and what the rules found."""

    decision: d.Decision  # with the options snapshot and guideline version judged against
    deviation: Deviation | None  # how the plan departs from the guideline (None: it follows)
    problems: tuple[SignOffProblem, ...] = ()  # what stops the sign-off (empty: it may go on)
    exceptions: tuple[SignOffException, ...] = ()  # what needs a recorded reason
    stored: bool = False  # ``decision`` is the stored draft to sign (its id and version)

    @property
    def ready(self) -> bool:
        """Nothing stops the sign-off."""
        return not self.problems

    def shown_problems(self, deviation_judged: bool) -> list[SignOffProblem]:
        """The problems the form lists: a deviation is named only once it was judged
        (on asking to sign or on leaving the case), not on each tick."""
        return [p for p in self.problems
                if deviation_judged or p.kind != "deviation_without_reason"]  # fmt: skip


def as_judged(decision: d.Decision, snapshot: OptionsSnapshot | None) -> d.Decision:
    """``decision`` as sign-off will judge it: with the options and guideline version shown."""
    if snapshot is None:
        return replace(decision, options_snapshot=None, guideline_version=None)
    return replace(decision, options_snapshot=snapshot.as_dict(),
                   guideline_version=snapshot.guideline_version or None)  # fmt: skip


def nothing_decided(decision: d.Decision) -> bool:
    """No option picked and no plan written: nothing can deviate yet."""
    return not (decision.chosen_options or decision.plan_text.strip())


def deviation_of(decision: d.Decision, judged_against: Snapshot) -> Deviation | None:
    """How the plan departs from ``judged_against`` (None: it follows it, or nothing is
    decided yet)."""
    if nothing_decided(decision):
        return None
    return decision_rules.deviation(decision, judged_against)


def check_sign_off(
    decision: d.Decision,
    snapshot: OptionsSnapshot | None,
    exceptions: list[SignOffException] | None = None,
) -> SignOffCheck:
    """Run the sign-off rules once on ``decision`` judged against ``snapshot``."""
    judged = as_judged(decision, snapshot)
    why, problems = decision_rules.judge_sign_off(judged)
    return SignOffCheck(judged, why, tuple(problems), tuple(exceptions or ()))
