"""AJCC 8th edition staging of ATC: every rule, every value."""

from __future__ import annotations

import itertools

import pytest

from mdt_app.domain import M_VALUES, N_VALUES, T_VALUES, TNM
from mdt_app.staging import (
    M_NOT_ASSESSED,
    N_NOT_RECORDED,
    PRIMARY_NOT_ASSESSED,
    STAGES,
    T_NOT_RECORDED,
    StageResult,
    stage_for,
)

# Written out by hand from the pathway's table, not derived from the module under test.
T_CONFINED = {"T1", "T1a", "T1b", "T2", "T3a"}
T_EXTENDED = {"T3b", "T4", "T4a", "T4b"}
N_POS = {"N1", "N1a", "N1b"}


def stage(t: str | None, n: str | None, m: str | None) -> StageResult:
    return stage_for(TNM(t, n, m))


# --- each rule, with its basis in words ------------------------------------------------


@pytest.mark.parametrize("t", sorted(T_VALUES))
@pytest.mark.parametrize("n", sorted(N_VALUES) + [None])
def test_rule1_m1_is_ivc_whatever_t_and_n(t: str, n: str | None) -> None:
    result = stage(t, n, "M1")
    assert result == StageResult("IVC", "M1 -> IVC (AJCC 8th)")


@pytest.mark.parametrize("t", ["T3b", "T4", "T4a", "T4b"])
@pytest.mark.parametrize("n", sorted(N_VALUES) + [None])
def test_rule2_extrathyroidal_extension_is_ivb_with_any_n(t: str, n: str | None) -> None:
    result = stage(t, n, "M0")
    assert result.stage == "IVB"
    assert result.basis == f"M0, {t} -> IVB (AJCC 8th)"
    assert result.reason is None and result.prompt is None


def test_basis_example_from_the_issue() -> None:
    assert stage("T4a", "N0", "M0").basis == "M0, T4a -> IVB (AJCC 8th)"


@pytest.mark.parametrize("t", ["T1", "T1a", "T1b", "T2", "T3a"])
@pytest.mark.parametrize("n", ["N1", "N1a", "N1b"])
def test_rule3_confined_tumour_with_nodes_is_ivb(t: str, n: str) -> None:
    assert stage(t, n, "M0") == StageResult("IVB", f"M0, {t}, {n} -> IVB (AJCC 8th)")


@pytest.mark.parametrize("t", ["T1", "T1a", "T1b", "T2", "T3a"])
@pytest.mark.parametrize("n", ["N0", "N0a", "N0b", "NX"])
def test_rule4_confined_tumour_without_nodes_is_iva(t: str, n: str) -> None:
    assert stage(t, n, "M0") == StageResult("IVA", f"M0, {t}, {n} -> IVA (AJCC 8th)")


@pytest.mark.parametrize("t", ["TX", "T0"])
@pytest.mark.parametrize("n", ["N1", "N1a", "N1b"])
def test_rule5_unassessable_primary_with_nodes_is_ivb(t: str, n: str) -> None:
    assert stage(t, n, "M0").stage == "IVB"


@pytest.mark.parametrize("t", ["TX", "T0"])
@pytest.mark.parametrize("n", ["N0", "N0a", "N0b", "NX"])
def test_rule6_unassessable_primary_without_nodes_is_unstageable(t: str, n: str) -> None:
    result = stage(t, n, "M0")
    assert result.stage == "unstageable"
    assert result.reason == PRIMARY_NOT_ASSESSED
    assert result.prompt == "STAGING_IMAGING"
    assert "IVA or IVB" in result.basis and "neck imaging" in result.basis
    assert not result.is_staged


@pytest.mark.parametrize("t", sorted(T_VALUES) + [None])
@pytest.mark.parametrize("n", sorted(N_VALUES) + [None])
def test_rule7_m_not_assessed_is_unstageable_never_m0(t: str | None, n: str | None) -> None:
    result = stage(t, n, None)
    assert result.stage == "unstageable"
    assert result.reason == M_NOT_ASSESSED
    assert result.prompt == "STAGING_IMAGING"
    assert result.basis.startswith("M not assessed")
    assert "IVC not excluded" in result.basis
    assert result.reason_text == "M not assessed: IVC not excluded"


def test_unassessed_m_basis_keeps_what_is_known() -> None:
    basis = stage("T4a", "N1a", None).basis
    assert basis == "M not assessed, T4a, N1a -> unstageable: IVC not excluded (AJCC 8th)"


# --- T or N not recorded (missing data, never assumed) ----------------------------------


@pytest.mark.parametrize("n", ["N0", "N0a", "N0b", "NX"])
def test_t_not_recorded_without_nodes_is_unstageable(n: str) -> None:
    result = stage(None, n, "M0")
    assert (result.stage, result.reason, result.prompt) == (
        "unstageable",
        T_NOT_RECORDED,
        "STAGING_IMAGING",
    )
    assert "T not recorded" in result.basis


@pytest.mark.parametrize("n", ["N1", "N1a", "N1b"])
def test_t_not_recorded_with_nodes_is_still_ivb(n: str) -> None:
    assert stage(None, n, "M0").stage == "IVB"


@pytest.mark.parametrize("t", ["T1", "T1a", "T1b", "T2", "T3a", "TX", "T0"])
def test_n_not_recorded_is_not_treated_as_n0(t: str) -> None:
    result = stage(t, None, "M0")
    assert (result.stage, result.reason) == ("unstageable", N_NOT_RECORDED)
    assert "N not recorded" in result.basis


def test_nothing_recorded_is_unstageable_because_of_m() -> None:
    result = stage_for(TNM())
    assert (result.stage, result.reason) == ("unstageable", M_NOT_ASSESSED)


# --- the whole grid ---------------------------------------------------------------------


def _expected(t: str | None, n: str | None, m: str | None) -> str:
    if m == "M1":
        return "IVC"
    if m is None:
        return "unstageable"
    if t in T_EXTENDED or n in N_POS:
        return "IVB"
    if t in T_CONFINED and n is not None:
        return "IVA"
    return "unstageable"


GRID = list(
    itertools.product(sorted(T_VALUES) + [None], sorted(N_VALUES) + [None], list(M_VALUES) + [None])
)


@pytest.mark.parametrize(("t", "n", "m"), GRID)
def test_every_t_n_m_combination(t: str | None, n: str | None, m: str | None) -> None:
    result = stage(t, n, m)
    assert result.stage == _expected(t, n, m)
    assert result.stage in STAGES
    assert result.basis.endswith("(AJCC 8th)")
    assert (result.prompt is None) == result.is_staged
    assert (result.reason is None) == result.is_staged


def test_the_grid_covers_every_value() -> None:
    assert {t for t, _, _ in GRID} >= set(T_VALUES)
    assert {n for _, n, _ in GRID} >= set(N_VALUES)
    assert {m for _, _, m in GRID} >= set(M_VALUES)
    assert len(GRID) == 12 * 8 * 3


def test_age_plays_no_part_and_size_alone_is_not_t4() -> None:
    # AJCC 7th made every ATC T4; in the 8th a large tumour confined to the thyroid is T3a.
    assert stage("T3a", "N0", "M0").stage == "IVA"


def test_stage_result_is_frozen() -> None:
    result = stage("T2", "N0", "M0")
    with pytest.raises(AttributeError):
        result.stage = "IVB"  # type: ignore[misc]
