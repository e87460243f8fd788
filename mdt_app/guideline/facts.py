"""The closed set of case facts a pathway rule may test, and how each is read and worded.

Each fact has a small vocabulary of values; "unknown" is always its own value, so a
rule has to ask for it by name and never meets it by accident. Every fact is also
worded from the case ("ECOG 1 (good PS ...)") so a rationale can name what triggered it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mdt_app import domain as d
from mdt_app.guideline import history as h
from mdt_app.guideline import wording as w
from mdt_app.guideline.situation import BOOL, UNKNOWN, Situation
from mdt_app.staging import STAGES

Reader = Callable[[Situation], str | frozenset[str]]
Wording = Callable[[Situation], str]


@dataclass(frozen=True)
class Fact:
    """A case fact a rule may test: its name, its possible values, how it is read and worded."""

    name: str
    values: tuple[str, ...]
    read: Reader
    words: Wording
    several: bool = False  # the case may hold several values at once (a set)

    def tokens(self, s: Situation) -> frozenset[str]:
        value = self.read(s)
        return value if isinstance(value, frozenset) else frozenset({value})


def _result(name: str) -> Fact:
    label = w.BIOMARKER_LABELS[name]

    def words(s: Situation) -> str:
        value = getattr(s.case.biomarkers, name)
        return f"{label}: {w.RESULT_WORDS.get(value, 'not known')}"

    return Fact(name, d.BIOMARKER_RESULTS, lambda s: getattr(s.case.biomarkers, name), words)


def _several(values: list[str]) -> frozenset[str]:
    return frozenset(values) if values else frozenset({"none"})


def _listed(prefix: str, values: list[str], empty: str) -> str:
    return f"{prefix}{', '.join(values)}" if values else empty


def _tnm(part: str, missing: str) -> Fact:
    vocabulary = {"t": d.T_VALUES, "n": d.N_VALUES, "m": d.M_VALUES}[part] + (UNKNOWN,)

    def read(s: Situation) -> str:
        return getattr(s.case.tnm, part) or UNKNOWN

    return Fact(part, vocabulary, read, lambda s: getattr(s.case.tnm, part) or missing)


def _worded(
    name: str, vocabulary: tuple[str, ...], read: Callable[[Situation], str], words: dict[str, str]
) -> Fact:
    return Fact(name, vocabulary, read, lambda s: words.get(read(s), read(s)))


def _optional(
    name: str, vocabulary: tuple[str, ...], read: Callable[[Situation], str | None], label: str
) -> Fact:
    """A fact read from an optional case field: absent is "unknown"."""

    def words(s: Situation) -> str:
        value = read(s)
        return f"{label}: {value.replace('_', ' ')}" if value else f"{label} not recorded"

    return Fact(name, vocabulary + (UNKNOWN,), lambda s: read(s) or UNKNOWN, words)


TREATMENT_TYPES = d.PRIOR_TREATMENT_TYPES + ("none",)

# Facts added with pathway 2.0 (new case fields, prior treatments, labs, dates).
V2_FACTS = (
    _optional("atc_extent", d.ATC_EXTENT, lambda s: s.case.diagnosis.atc_extent, "ATC extent"),
    _optional(
        "coexisting_dtc",
        d.COEXISTING_DTC,
        lambda s: s.case.diagnosis.coexisting_dtc,
        "coexisting differentiated cancer",
    ),
    _worded("operable", BOOL, lambda s: w.yes_no(s.case.operable), w.OPERABLE),
    _optional("pregnancy", d.PREGNANCY, lambda s: s.case.pregnancy, "pregnancy status"),
    _worded("reproductive_age", BOOL, h.reproductive_age, h.REPRODUCTIVE_WORDS),
    _optional("braf_method", d.BRAF_METHODS, lambda s: s.case.biomarkers.braf_method, "BRAF by"),
    Fact(
        "sequencing",
        d.SEQUENCING + (UNKNOWN,),
        h.sequencing,
        lambda s: f"sequencing (NGS): {h.sequencing(s).replace('_', ' ')}",
    ),
    Fact("had", TREATMENT_TYPES, h.had, h.had_words, several=True),
    Fact("progressed_on", TREATMENT_TYPES, h.progressed_on, h.progressed_words, several=True),
    Fact("ongoing", TREATMENT_TYPES, h.ongoing, h.ongoing_words, several=True),
    Fact(
        "ongoing_working", TREATMENT_TYPES, h.ongoing_working, h.ongoing_working_words, several=True
    ),
    _worded("thyroid", tuple(h.THYROID_WORDS), h.thyroid, h.THYROID_WORDS),
    Fact(
        "egfr",
        ("below_contrast", "below_cisplatin", "adequate", UNKNOWN),
        h.egfr,
        h.egfr_words,
    ),
    _worded(
        "treatment_start",
        tuple(h.TREATMENT_START_WORDS),
        h.treatment_start,
        h.TREATMENT_START_WORDS,
    ),
    _worded("referral_urgent", BOOL, lambda s: w.yes_no(s.case.referral.urgent), w.URGENT),
)

FACTS: dict[str, Fact] = {
    fact.name: fact
    for fact in (
        Fact("stage", STAGES, lambda s: s.staging.stage, w.stage_words),
        _tnm("t", "T not recorded"),
        _tnm("n", "N not recorded"),
        _tnm("m", "M not assessed"),
        _worded(
            "confirmed_by",
            d.CONFIRMED_BY + (UNKNOWN,),
            lambda s: s.case.diagnosis.confirmed_by or UNKNOWN,
            w.CONFIRMED,
        ),
        _worded("resectability", d.RESECTABILITY, lambda s: s.case.resectability, w.RESECTABILITY),
        _worded("phase", d.PHASES, lambda s: s.case.phase, w.PHASE),
        *(_result(name) for name in d.BIOMARKER_FIELDS),
        Fact(
            "targetable_driver", ("present", "absent", "pending", UNKNOWN), w.driver, w.driver_words
        ),
        Fact(
            "pdl1",
            ("high", "low", UNKNOWN),
            lambda s: w.level(s.case.biomarkers.pdl1_tps_percent, s.settings.pdl1_high_min_tps),
            w.pdl1_words,
        ),
        Fact(
            "tmb",
            ("high", "low", UNKNOWN),
            lambda s: w.level(s.case.biomarkers.tmb_mut_per_mb, s.settings.tmb_high_min_mut_per_mb),
            w.tmb_words,
        ),
        Fact("results_pending", BOOL, w.pending, w.pending_words),
        Fact("ecog", ("good", "intermediate", "poor", UNKNOWN), w.ecog, w.ecog_words),
        Fact(
            "ecog_score",
            ("0", "1", "2", "3", "4", "5", UNKNOWN),
            lambda s: UNKNOWN if s.case.ecog is None else str(s.case.ecog),
            w.ecog_words,
        ),
        _worded("airway", d.AIRWAY, lambda s: s.case.airway, w.AIRWAY),
        _worded(
            "goals_of_care",
            d.GOALS_OF_CARE + (UNKNOWN,),
            lambda s: s.case.goals_of_care or UNKNOWN,
            w.GOALS,
        ),
        _worded("decision_capacity", d.CAPACITY, lambda s: s.case.decision_capacity, w.CAPACITY),
        Fact(
            "declines",
            d.DECLINABLE + ("none",),
            lambda s: _several(s.case.declines),
            lambda s: _listed("patient declines ", s.case.declines, "no treatment declined"),
            several=True,
        ),
        Fact(
            "metastatic_sites",
            d.METASTATIC_SITES + ("none",),
            lambda s: _several(s.case.metastases.sites),
            lambda s: _listed(
                "distant metastases: ", s.case.metastases.sites, "no distant sites recorded"
            ),
            several=True,
        ),
        _worded(
            "metastatic_burden",
            d.BURDEN + (UNKNOWN,),
            lambda s: s.case.metastases.burden or UNKNOWN,
            w.BURDEN,
        ),
        _worded(
            "brain_symptomatic",
            BOOL,
            lambda s: w.yes_no(s.case.metastases.brain_symptomatic),
            w.BRAIN_SYMPTOMS,
        ),
        _worded(
            "brain_imaging_done",
            BOOL,
            lambda s: w.yes_no(s.case.brain_imaging_done),
            w.BRAIN_IMAGING,
        ),
        *V2_FACTS,
    )
}


class CaseFacts:
    """The facts of one situation, each read and worded once."""

    def __init__(self, situation: Situation):
        self.situation = situation
        self._tokens: dict[str, frozenset[str]] = {}

    def tokens(self, name: str) -> frozenset[str]:
        if name not in self._tokens:
            self._tokens[name] = FACTS[name].tokens(self.situation)
        return self._tokens[name]

    def words(self, name: str) -> str:
        return FACTS[name].words(self.situation)
