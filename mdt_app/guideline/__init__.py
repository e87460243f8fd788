"""The ATC guideline pathway as reviewable data, and the engine that applies it to a case.

from mdt_app.guideline import recommend
rec = recommend(case)            # stage, basis, the four option lists, warnings

The engine and the pathway reader load on first use of these names: importing one small
part (the citation references, the codes) does not load the engine, so the window
paints before it needs it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mdt_app.guideline.engine import fired_rules, load_pathway, recommend
    from mdt_app.guideline.pathway import Pathway, PathwayError, parse_pathway, read_pathway

_HOME = {
    "fired_rules": "engine",
    "load_pathway": "engine",
    "recommend": "engine",
    "Pathway": "pathway",
    "PathwayError": "pathway",
    "parse_pathway": "pathway",
    "read_pathway": "pathway",
}

__all__ = [
    "Pathway",
    "PathwayError",
    "fired_rules",
    "load_pathway",
    "parse_pathway",
    "read_pathway",
    "recommend",
]


def __getattr__(name: str) -> Any:
    """One of the names above, from its module (imported on first use)."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value  # found directly from now on
    return value
