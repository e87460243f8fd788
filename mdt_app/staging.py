"""AJCC 8th edition stage of an anaplastic thyroid cancer from T, N and M.

Follows section 1 of the clinical pathway: every ATC is stage IV, age plays no part, and
the T categories are those of differentiated thyroid cancer. An M that has not been
assessed is missing data, never M0; a T or N that was not recorded is treated the same
way. NX is a recorded category ("cannot be assessed") and groups with N0, as AJCC does.
"""

from __future__ import annotations

from dataclasses import dataclass

from mdt_app.domain import TNM

STAGES = ("IVA", "IVB", "IVC", "unstageable")
EDITION = "AJCC 8th"

T_CONFINED = ("T1", "T1a", "T1b", "T2", "T3a")  # limited to the thyroid
T_EXTENDED = ("T3b", "T4", "T4a", "T4b")  # gross extrathyroidal extension
T_NOT_ASSESSED = ("TX", "T0")
N_POSITIVE = ("N1", "N1a", "N1b")
N_NEGATIVE = ("N0", "N0a", "N0b", "NX")

# Why a case is unstageable, and the work-up code that would settle it.
M_NOT_ASSESSED = "m_not_assessed"
PRIMARY_NOT_ASSESSED = "primary_not_assessed"
T_NOT_RECORDED = "t_not_recorded"
N_NOT_RECORDED = "n_not_recorded"
REASONS = {
    M_NOT_ASSESSED: "M not assessed: IVC not excluded",
    PRIMARY_NOT_ASSESSED: "primary tumour not assessable without nodal disease: IVA or IVB",
    T_NOT_RECORDED: "T category not recorded: IVA or IVB",
    N_NOT_RECORDED: "N category not recorded: IVA or IVB",
}
STAGING_PROMPT = "STAGING_IMAGING"


@dataclass(frozen=True)
class StageResult:
    """A stage, the basis in words, and for an unstageable case the reason and prompt."""

    stage: str
    basis: str
    reason: str | None = None
    prompt: str | None = None

    @property
    def is_staged(self) -> bool:
        return self.stage != "unstageable"

    @property
    def reason_text(self) -> str | None:
        return REASONS.get(self.reason) if self.reason else None


def stage_for(tnm: TNM) -> StageResult:
    """The AJCC 8th stage of an ATC (IVA, IVB, IVC or unstageable) with its basis."""
    t, n, m = tnm.t, tnm.n, tnm.m
    if m == "M1":
        return _staged("IVC", "M1")
    if m != "M0":
        return _unstageable(M_NOT_ASSESSED, _words("M not assessed", t, n), "IVC not excluded")
    if t in T_EXTENDED:
        return _staged("IVB", f"M0, {t}")
    if n in N_POSITIVE:
        return _staged("IVB", _words("M0", t, n))
    if n is None:
        return _unstageable(N_NOT_RECORDED, _words("M0", t, n), "IVA or IVB")
    if t is None:
        return _unstageable(T_NOT_RECORDED, _words("M0", t, n), "IVA or IVB")
    if t in T_NOT_ASSESSED:
        return _unstageable(
            PRIMARY_NOT_ASSESSED, _words("M0", t, n), "IVA or IVB, neck imaging needed"
        )
    return _staged("IVA", _words("M0", t, n))


def checked_stage(tnm: TNM, sites: list[str]) -> StageResult:
    """The stage as recorded, its basis flagged where M and the metastatic sites disagree.

    The data checks of the pathway (section 1) never correct a recorded stage: M1 with no
    site is still IVC but marked unverified; M0 with sites listed stays IVA/IVB, flagged.
    """
    result = stage_for(tnm)
    if tnm.m == "M1" and not sites:
        return StageResult(
            result.stage,
            result.basis + " [M1 unverified: no metastatic site recorded]",
            result.reason,
            result.prompt,
        )
    if tnm.m == "M0" and sites:
        flag = f" [flagged: M0 recorded but distant sites listed ({', '.join(sites)})]"
        return StageResult(result.stage, result.basis + flag, result.reason, result.prompt)
    return result


def _words(first: str, t: str | None, n: str | None) -> str:
    return f"{first}, {t or 'T not recorded'}, {n or 'N not recorded'}"


def _staged(stage: str, facts: str) -> StageResult:
    return StageResult(stage, f"{facts} -> {stage} ({EDITION})")


def _unstageable(reason: str, facts: str, open_question: str) -> StageResult:
    basis = f"{facts} -> unstageable: {open_question} ({EDITION})"
    return StageResult("unstageable", basis, reason, STAGING_PROMPT)
