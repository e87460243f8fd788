"""Support organisations and emergency numbers for a care programme, from
resources/care_programme/support.yaml (by the centre's country and the patient's language).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from mdt_app.paths import resource_path


@cache
def support_data() -> dict[str, Any]:
    """The whole data file (cached)."""
    path = resource_path("care_programme", "support.yaml")
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


@dataclass(frozen=True)
class Organisation:
    name: str
    web: str
    about: str


def centre_country(centre: Mapping[str, Any] | None) -> str | None:
    country = (centre or {}).get("country")
    return str(country).strip().upper() or None if country else None


def emergency_number(centre: Mapping[str, Any] | None) -> str:
    """The centre's own emergency number setting, else its country's, else 112."""
    own = str((centre or {}).get("emergency_number") or "").strip()
    if own:
        return own
    numbers = support_data()["emergency_numbers"]
    return str(numbers.get(centre_country(centre) or "", numbers["default"]))


def organisations(centre: Mapping[str, Any] | None, language: str) -> tuple[Organisation, ...]:
    """National groups of the centre's country first, then groups in the patient's
    language from elsewhere, then the international ones."""
    country = centre_country(centre)
    national, in_language, international = [], [], []
    for entry in support_data()["organisations"]:
        about = entry["about"].get(language) or entry["about"]["en"]
        org = Organisation(entry["name"], entry["web"], " ".join(about.split()))
        if "all" in entry["countries"]:
            international.append(org)
        elif country in entry["countries"]:
            national.append(org)
        elif language in entry["languages"] and language != "en":
            in_language.append(org)
    return (*national, *in_language, *international)
