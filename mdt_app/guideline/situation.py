"""What a rule is evaluated against: one case, its stage, and the pathway's settings."""

from __future__ import annotations

from dataclasses import dataclass

from mdt_app.domain import Case
from mdt_app.staging import StageResult

UNKNOWN = "unknown"
BOOL = ("true", "false", UNKNOWN)


@dataclass(frozen=True)
class Settings:
    """Values the guideline leaves open; they are set in the pathway file."""

    good_ps_max_ecog: int = 2
    pdl1_high_min_tps: float = 50.0
    tmb_high_min_mut_per_mb: float = 10.0
    unverified: tuple[tuple[str, str], ...] = ()  # (setting name, why it is unverified)

    def note(self, name: str) -> str | None:
        return dict(self.unverified).get(name)

    def flag(self, name: str) -> str:
        """The marker a rationale carries when it rests on an unverified setting."""
        return " [unverified cut-off]" if self.note(name) else ""


@dataclass(frozen=True)
class Situation:
    case: Case
    staging: StageResult
    settings: Settings
