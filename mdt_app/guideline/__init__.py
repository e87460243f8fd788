"""The ATC guideline pathway as reviewable data, and the engine that applies it to a case.

from mdt_app.guideline import recommend
rec = recommend(case)            # stage, basis, the four option lists, warnings
"""

from mdt_app.guideline.engine import fired_rules, load_pathway, recommend
from mdt_app.guideline.pathway import Pathway, PathwayError, parse_pathway, read_pathway

__all__ = [
    "Pathway",
    "PathwayError",
    "fired_rules",
    "load_pathway",
    "parse_pathway",
    "read_pathway",
    "recommend",
]
