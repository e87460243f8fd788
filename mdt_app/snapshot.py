"""The options a decision was made against, as a typed value.

A decision stores `Recommendation.as_dict()` as JSON (`options_snapshot`, the shape of
`recommend --json`); that stored form never changes. Code that reads it goes through
`OptionsSnapshot.of(...)` instead of reaching into the dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mdt_app.domain import OptionList


@dataclass(frozen=True)
class SnapshotOption:
    """One option as recorded: its code, title, why, and the sources cited."""

    code: str
    title: str
    rationale: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class OptionsSnapshot:
    """A recorded Recommendation: stage, guideline, the four option lists and warnings."""

    stage: str = ""
    stage_basis: str = ""
    guideline_id: str = ""
    guideline_title: str = ""
    guideline_version: str = ""
    lists: Mapping[OptionList, tuple[SnapshotOption, ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    stored: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, value: OptionsSnapshot | Mapping[str, Any] | None) -> OptionsSnapshot | None:
        """``value`` as a snapshot: a stored dict is read, a snapshot is kept, None stays."""
        if value is None or isinstance(value, OptionsSnapshot):
            return value
        if not value:
            return None
        guideline = value.get("guideline") or {}
        lists = {
            name: tuple(_option(o) for o in value.get(name.value) or []) for name in OptionList
        }
        return cls(
            stage=value.get("stage") or "",
            stage_basis=value.get("stage_basis") or "",
            guideline_id=guideline.get("id") or "",
            guideline_title=guideline.get("title") or "",
            guideline_version=guideline.get("version") or "",
            lists=lists,
            warnings=tuple(value.get("warnings") or ()),
            stored=value,
        )

    def options(self, name: OptionList) -> tuple[SnapshotOption, ...]:
        """The options of one list (empty when the snapshot has none)."""
        return self.lists.get(name, ())

    def codes(self, name: OptionList) -> list[str]:
        """The option codes of one list, in the pathway's order."""
        return [o.code for o in self.options(name)]

    def titles(self) -> dict[str, str]:
        """code -> title over the four lists (the first list naming a code wins)."""
        out: dict[str, str] = {}
        for name in OptionList:
            for option in self.options(name):
                out.setdefault(option.code, option.title or option.code)
        return out

    def list_of(self, code: str) -> OptionList | None:
        """Which list holds ``code`` (None if none does)."""
        return next((n for n in OptionList if code in self.codes(n)), None)

    def as_dict(self) -> dict[str, Any]:
        """The stored form (what `options_snapshot` holds)."""
        return dict(self.stored)


def _option(o: Mapping[str, Any]) -> SnapshotOption:
    return SnapshotOption(
        code=o["code"],
        title=o.get("title") or o["code"],
        rationale=o.get("rationale") or "",
        sources=tuple(o.get("sources") or ()),
    )
