"""A guideline pathway file (YAML) read into typed, checked objects.

The schema is checked as the file loads: unknown keys, facts, values, option codes or
list names, and rules without citations, fail with a PathwayError naming the file, the
rule id and the field. resources/guidelines/README.md describes the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mdt_app.errors import UserError
from mdt_app.guideline import codes as c
from mdt_app.guideline.conditions import SchemaProblem
from mdt_app.guideline.rules import Rule, parse_rule
from mdt_app.guideline.situation import Settings

TOP = "(top level)"
TOP_KEYS = ("id", "title", "version", "description", "settings", "codes", "rules")
REQUIRED_TOP = ("id", "title", "version", "settings", "codes", "rules")
SETTING_LIMITS = {
    "good_ps_max_ecog": (0, 4, int),
    "pdl1_high_min_tps": (0, 100, float),
    "tmb_high_min_mut_per_mb": (0, 1000, float),
    "poor_ps_min_ecog": (1, 5, int),
    "egfr_cisplatin_min": (0, 200, float),
    "egfr_contrast_min": (0, 200, float),
    "treatment_start_target_days": (1, 365, int),
    "response_imaging_weeks": (1, 52, int),
    "reproductive_age_min": (0, 100, int),
    "reproductive_age_max": (0, 100, int),
    "surveillance_interval_months": (1, 24, int),
}
# Settings every pathway file must give; the later ones were added with version 2.0 and
# take their defaults when a file (such as the kept 1.0 file) does not name them.
REQUIRED_SETTINGS = ("good_ps_max_ecog", "pdl1_high_min_tps", "tmb_high_min_mut_per_mb")


class PathwayError(UserError):
    """A pathway file that cannot be used; the message names the rule and the field."""


@dataclass(frozen=True)
class Pathway:
    """A checked pathway file: its identity and version, settings, option titles and rules."""

    id: str
    title: str
    version: str
    description: str
    settings: Settings
    titles: dict[str, str] = field(compare=False)
    rules: tuple[Rule, ...]
    source: str = ""

    def title_of(self, code: str) -> str:
        return self.titles.get(code, code)


def read_pathway(path: str | Path) -> Pathway:
    """Read and check a pathway file; PathwayError names what is wrong and where."""
    where = str(path)
    from mdt_app.guideline.pathway_file import DocumentError, load_document

    try:
        data = load_document(Path(path))
    except FileNotFoundError:
        raise PathwayError(f"{where}: no such pathway file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PathwayError(f"{where}: cannot be read ({exc})") from None
    except DocumentError as exc:
        raise PathwayError(f"{where}: {exc}") from None
    except RecursionError:
        raise PathwayError(f"{where}: is nested too deeply to be a pathway file") from None
    try:
        return parse_pathway(data, where)
    except RecursionError:
        raise PathwayError(f"{where}: a condition is nested too deeply") from None
    except (TypeError, ValueError, AttributeError) as exc:  # a shape the schema did not foresee
        raise PathwayError(
            f"{where}: cannot be used: a field has a value of the wrong kind ({type(exc).__name__})"
        ) from None


def parse_pathway(data: Any, where: str = "pathway") -> Pathway:
    """Check a loaded pathway document and build the Pathway it describes."""
    try:
        top = _mapping(data, TOP, TOP_KEYS, REQUIRED_TOP)
        pathway = Pathway(
            id=_text(top, "id", "id"),
            title=_text(top, "title", "title"),
            version=_text(top, "version", "version"),
            description=_text(top, "description", "description") if top.get("description") else "",
            settings=_settings(top["settings"]),
            titles=_titles(top["codes"]),
            rules=(),
            source=where,
        )
    except SchemaProblem as exc:
        raise PathwayError(f"{where}: {exc}") from None
    pathway = replace(pathway, rules=_rules(top["rules"], where))
    untitled = sorted({code for r in pathway.rules for code in r.codes()} - set(pathway.titles))
    if untitled:
        raise PathwayError(f"{where}: field 'codes.{untitled[0]}': is required (a rule uses it)")
    return pathway


def _mapping(raw: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
    if not isinstance(raw, dict):
        raise SchemaProblem(path, "expected a mapping of fields")
    prefix = "" if path == TOP else f"{path}."
    for key in raw:
        if key not in allowed:
            raise SchemaProblem(f"{prefix}{key}", f"unknown field (allowed: {', '.join(allowed)})")
    for key in required:
        if raw.get(key) is None:
            raise SchemaProblem(f"{prefix}{key}", "is required")
    return raw


def _text(raw: dict, key: str, path: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SchemaProblem(path, "must be non-empty text (put numbers like 1.0 in quotes)")
    return " ".join(value.split())


def _settings(raw: Any) -> Settings:
    raw = _mapping(raw, "settings", tuple(SETTING_LIMITS), REQUIRED_SETTINGS)
    values: dict[str, Any] = {}
    unverified: dict[str, str] = {}
    for name, (low, high, kind) in SETTING_LIMITS.items():
        if raw.get(name) is None:
            continue
        path, entry = f"settings.{name}", raw[name]
        if isinstance(entry, dict):
            entry = _mapping(entry, path, ("value", "unverified"), ("value",))
            if entry.get("unverified") is not None:
                unverified[name] = _text(entry, "unverified", f"{path}.unverified")
            path, entry = f"{path}.value", entry["value"]
        ok = isinstance(entry, int | float) and not isinstance(entry, bool)
        if not ok or not low <= entry <= high or (kind is int and entry != int(entry)):
            raise SchemaProblem(path, f"{entry!r} is not a {kind.__name__} from {low} to {high}")
        values[name] = kind(entry)
    settings = Settings(**values, unverified=tuple(unverified.items()), given=tuple(values))
    if settings.poor_from <= settings.good_ps_max_ecog:
        raise SchemaProblem("settings.poor_ps_min_ecog", "must be above good_ps_max_ecog")
    if settings.egfr_contrast_min > settings.egfr_cisplatin_min:
        raise SchemaProblem("settings.egfr_contrast_min", "must not be above egfr_cisplatin_min")
    if settings.reproductive_age_min > settings.reproductive_age_max:
        raise SchemaProblem("settings.reproductive_age_min", "must not be above the maximum")
    return settings


def _titles(raw: Any) -> dict[str, str]:
    required = tuple(code for code in c.OPTION_CODES if code not in c.ADDED_IN_V2)
    raw = _mapping(raw, "codes", c.OPTION_CODES, required)
    return {code: _text(raw, code, f"codes.{code}") for code in c.OPTION_CODES if code in raw}


def _rules(raw: Any, where: str) -> tuple[Rule, ...]:
    if not isinstance(raw, list) or not raw:
        raise PathwayError(f"{where}: field 'rules': expected a non-empty list of rules")
    rules: list[Rule] = []
    ids: set[str] = set()
    for i, item in enumerate(raw):
        rid = item.get("id") if isinstance(item, dict) else None
        label = f"rule {rid!r}" if isinstance(rid, str) else f"rule #{i + 1} (no id)"
        try:
            rule = parse_rule(item)
        except SchemaProblem as exc:
            raise PathwayError(f"{where}: {label}: {exc}") from None
        if rule.id in ids:
            raise PathwayError(f"{where}: {label}: field 'id': the id is used twice")
        ids.add(rule.id)
        rules.append(rule)
    return tuple(rules)
