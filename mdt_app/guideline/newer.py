"""A signed decision seen later: was it made on an older pathway, and what would the
current one advise now? Read-only: the decision and its stored snapshot never change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mdt_app.domain import OptionList, Recommendation
from mdt_app.snapshot import OptionsSnapshot
from mdt_app.wording import OPTION_LIST_WORDS

LIST_WORDS = OPTION_LIST_WORDS  # the words for the four lists (mdt_app.wording)


def _placements(snapshot: OptionsSnapshot | Mapping[str, Any] | None) -> dict[str, OptionList]:
    options = OptionsSnapshot.of(snapshot)
    if options is None:
        return {}
    return {code: name for name in OptionList for code in options.codes(name)}


def changes_since(snapshot: OptionsSnapshot | Mapping[str, Any], now: Recommendation) -> list[str]:
    """What the current recommendation places differently from ``snapshot``, in words."""
    before, after = _placements(snapshot), _placements(now.as_dict())
    lines = []
    for code in dict.fromkeys([*after, *before]):
        old, new = before.get(code), after.get(code)
        if old == new:
            continue
        if old is None:
            assert new is not None
            lines.append(f"{code}: now {LIST_WORDS[new]}")
        elif new is None:
            lines.append(f"{code}: no longer listed (was {LIST_WORDS[old]})")
        else:
            lines.append(f"{code}: {LIST_WORDS[old]} -> {LIST_WORDS[new]}")
    recorded = OptionsSnapshot.of(snapshot)
    old_warnings = set(recorded.warnings if recorded else ())
    lines += [f"new warning: {w}" for w in now.warnings if w not in old_warnings]
    return lines


def newer_pathway_note(
    snapshot: OptionsSnapshot | Mapping[str, Any] | None, now: Recommendation
) -> str | None:
    """A note when the decision's pathway version is older than ``now``'s, else None."""
    recorded = OptionsSnapshot.of(snapshot)
    if recorded is None:
        return None
    made_on = recorded.guideline_version
    if not made_on or made_on == now.guideline_version:
        return None
    changes = changes_since(recorded, now)
    head = (
        f"A newer pathway exists: this decision was made on version {made_on}; "
        f"version {now.guideline_version} is current. The record is unchanged."
    )
    if not changes:
        return head + " The current pathway would advise the same."
    return head + " The current pathway would now advise: " + "; ".join(changes) + "."
