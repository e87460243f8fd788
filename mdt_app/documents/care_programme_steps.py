"""A next step in the patient's language, where the app knows what it is.

Next steps are typed by clinicians, in English in most centres, and most are made from
the pathway's own work-up prompts ("+ Action" beside a missing-data option, which puts
the option's title in the description). Those the app recognises, by the English
pathway title or the English patient title of an option, are printed with that
option's patient title in the programme's language; any other text is the clinician's
own and is printed as typed (it cannot be translated safely), and the French and German
programmes say so under the table.
"""

from __future__ import annotations

from functools import cache

from mdt_app.guideline import load_pathway
from mdt_app.guideline.pathway import PathwayError
from mdt_app.texts import load_texts


def _key(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".")


@cache
def _codes_by_title() -> dict[str, str]:
    """{English title, normalised: option code} for every option the pathway names."""
    out: dict[str, str] = {}
    try:
        titles = load_pathway().titles
    except PathwayError:  # a broken pathway file is reported elsewhere; words stay as typed
        titles = {}
    for code, title in titles.items():
        out.setdefault(_key(title), code)
    for code, words in load_texts("options", "en").items():
        if isinstance(words, dict) and isinstance(words.get("title"), str):
            out.setdefault(_key(words["title"]), code)
    return out


def step_code(description: str) -> str | None:
    """The option code a next step's description is the title of, if any."""
    return _codes_by_title().get(_key(description))


def translated_step(description: str, language: str, options: dict) -> tuple[str, bool]:
    """(text to print, whether it is in the programme's language)."""
    if language == "en":
        return description, True
    code = step_code(description)
    words = options.get(code) if code else None
    if isinstance(words, dict) and isinstance(words.get("title"), str):
        return " ".join(words["title"].split()), True
    return description, False
