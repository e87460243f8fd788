"""The guideline's answer kept per case, so moving back and forth along the agenda does
not evaluate the pathway again for a case that did not change (issue 17: about 500 rule
evaluations, a tenth of a case switch).

The key is the case's content, not its version number: an entry is used only while the
case as read now equals, field by field, the copy it was evaluated on (the dataclass
comparison: patient, TNM, biomarkers, labs, imaging, prior treatments...), on the same
meeting day. So an edit, an import or another client's change always gives a fresh
evaluation, even one that left the version as it was.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from mdt_app import domain as d

Recommender = Callable[[d.Case, date], d.Recommendation]


class GuidanceCache:
    """``recommend(case, day)`` remembered for the last ``size`` cases (by case id)."""

    def __init__(self, recommend: Recommender, size: int = 64) -> None:
        self.recommend = recommend
        self.size = size
        self._kept: OrderedDict[int, tuple[d.Case, date, d.Recommendation]] = OrderedDict()
        self.evaluations = 0  # how often the engine ran (tests, benchmarks)

    def get(self, case: d.Case, day: date) -> d.Recommendation:
        """The Recommendation for ``case`` on ``day``: kept if the case is unchanged."""
        if case.id is None:  # not stored: nothing to tell two such cases apart by
            return self._evaluate(case, day)
        kept = self._kept.get(case.id)
        if kept is not None and kept[1] == day and kept[0] == case:
            self._kept.move_to_end(case.id)
            return kept[2]
        rec = self._evaluate(case, day)
        # A copy: the caller may change its case in place (an editor) after this.
        self._kept[case.id] = (copy.deepcopy(case), day, rec)
        self._kept.move_to_end(case.id)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return rec

    def forget(self) -> None:
        """Drop every kept answer (another pathway, another meeting)."""
        self._kept.clear()

    def _evaluate(self, case: d.Case, day: date) -> d.Recommendation:
        self.evaluations += 1
        return self.recommend(case, day)
