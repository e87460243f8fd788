"""Rows for the case fields of pathway 2.0 (see migrations_pathway_v2.py)."""

from __future__ import annotations

from datetime import date

from mdt_app import domain as d


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def case_columns(c: d.Case) -> dict:
    """The pathway 2.0 columns of `cases` for a Case."""
    return {
        "atc_extent": c.diagnosis.atc_extent,
        "coexisting_dtc": c.diagnosis.coexisting_dtc,
        "operable": None if c.operable is None else int(c.operable),
        "pregnancy": c.pregnancy,
        "braf_method": c.biomarkers.braf_method,
        "sequencing": c.biomarkers.sequencing,
    }


def apply_columns(case: d.Case, row: dict) -> None:
    """Put the pathway 2.0 columns of a `cases` row onto ``case``."""
    case.diagnosis.atc_extent = row.get("atc_extent")
    case.diagnosis.coexisting_dtc = row.get("coexisting_dtc")
    operable = row.get("operable")
    case.operable = None if operable is None else bool(operable)
    case.pregnancy = row.get("pregnancy")
    case.biomarkers.braf_method = row.get("braf_method")
    case.biomarkers.sequencing = row.get("sequencing")


def treatment_row(t: d.PriorTreatment) -> dict:
    return {
        "type": t.type,
        "started_on": _iso(t.started_on),
        "ended_on": _iso(t.ended_on),
        "response": t.response,
        "note": t.note,
    }


def treatment_from(row: dict) -> d.PriorTreatment:
    return d.PriorTreatment(
        type=row["type"],
        started_on=_day(row["started_on"]),
        ended_on=_day(row["ended_on"]),
        response=row["response"],
        note=row["note"],
        id=row["id"],
    )
