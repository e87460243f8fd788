"""How precisely a lab value is shown: per test as the laboratory reports it (haemoglobin
137 g/L, calcium 2.41 mmol/L, TSH 1.82 mIU/L), never the float the arithmetic left."""

from __future__ import annotations

# Decimals by test name (lower case, words in it); the first match wins.
_BY_TEST: tuple[tuple[tuple[str, ...], int], ...] = (
    (("haemoglobin", "hemoglobin", "hb"), 0),
    (("calcium", "phosphate", "magnesium"), 2),
    (("tsh",), 2),
    (("free t4", "ft4", "free t3", "ft3"), 1),
    (("crp", "c-reactive"), 0),
    (
        (
            "sodium",
            "chloride",
            "ldh",
            "alp",
            "alt",
            "ast",
            "ggt",
            "creatinine",
            "egfr",
            "platelets",
            "albumin",
            "glucose",
        ),
        0,
    ),  # fmt: skip
    (("potassium", "urea", "wbc", "white cell", "neutrophils", "lymphocytes"), 1),
    (("thyroglobulin",), 1),
)
# Otherwise by unit.
_BY_UNIT = {"g/l": 0, "µmol/l": 0, "umol/l": 0, "u/l": 0, "iu/l": 0, "%": 0, "mg/l": 0,
            "mmol/l": 2, "pmol/l": 1, "mu/l": 2, "miu/l": 2}  # fmt: skip


def lab_decimals(test: str, unit: str | None = None) -> int | None:
    """Decimals shown for ``test`` (None: unknown test and unit, use significant figures)."""
    name = test.strip().lower()
    for words, decimals in _BY_TEST:
        if any(name == w or name.startswith(w + " ") or f" {w}" in f" {name}" for w in words):
            return decimals
    return _BY_UNIT.get((unit or "").strip().lower())


def lab_value(test: str, value: float, unit: str | None = None) -> str:
    """The value as the lab reports it: '137', '2.41', '0.5'; small CRP keeps one decimal."""
    decimals = lab_decimals(test, unit)
    if decimals is None:
        return f"{value:.3g}"
    if decimals == 0 and abs(value) < 10 and value != int(value):
        decimals = 1  # "CRP 4.6" is read differently from "CRP 5"
    return f"{value:.{decimals}f}"
