"""Finding patients and their cases: name fragments (case- and accent-insensitive), MRN
prefix, birth date. Backed by the FTS5 index `patient_search` (migration
m130_patient_search) and indexes on MRN and birth date, so a search never reads the
whole archive.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.errors import ValidationError
from mdt_app.store import rows
from mdt_app.store.migrations_meetings import FOLDS

if TYPE_CHECKING:
    from mdt_app.store import Store

DEFAULT_LIMIT = 50
_FOLD_TABLE = str.maketrans({a: b for a, b in FOLDS})
_DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})$"),
)


@dataclass(frozen=True)
class SearchHit:
    """One case found, with the meeting it is (or was last) on."""

    row: d.CaseRow
    meeting: d.Meeting | None


def fold(text: str) -> str:
    """Lower case without accents: 'Dvořák' -> 'dvorak', 'Bjørnstad' -> 'bjornstad'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_TABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def birth_date_in(text: str) -> date | None:
    """The date the search text names (YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY), if any;
    ValidationError for a date-shaped text that is no real date."""
    for form in _DATE_FORMS:
        found = form.match(text.strip())
        if found:
            try:
                return date(int(found["y"]), int(found["m"]), int(found["d"]))
            except ValueError:
                raise ValidationError(f"{text.strip()!r} is not a valid date") from None
    return None


def _fts_query(text: str) -> str | None:
    tokens = re.findall(r"\w+", fold(text))
    if not tokens:
        return None
    # Every word must start a word of the name, in any order: "dvo ant" finds Antonín Dvořák.
    return " AND ".join(f'"{t}"*' for t in tokens)


def search_cases(store: Store, text: str, *, limit: int = DEFAULT_LIMIT) -> list[SearchHit]:
    """Cases of the patients matching ``text`` (at most ``limit`` patients), exact MRN
    first, then by family and given name; each with its latest agenda place."""
    text = text.strip()
    if not text:
        return []
    day = birth_date_in(text)
    params: list = []
    if day is not None:
        hits = "SELECT id AS pid FROM patients WHERE birth_date = ?"
        params.append(day.isoformat())
    else:
        parts = []
        if store.is_server:
            tokens = re.findall(r"\w+", fold(text))
            if tokens:  # every word starts a word of the name (mdt_fold in pg/schema.py)
                words = " AND ".join(
                    "mdt_fold(given_name || ' ' || family_name) LIKE ?" for _ in tokens
                )
                parts.append(f"SELECT id AS pid FROM patients WHERE {words}")
                params += ["% " + _like_escaped(t) + "%" for t in tokens]
        else:
            fts = _fts_query(text)
            if fts is not None:
                parts.append("SELECT rowid AS pid FROM patient_search WHERE patient_search MATCH ?")
                params.append(fts)
        mrn = text.replace(" ", "")
        parts.append(
            "SELECT id AS pid FROM patients"
            " WHERE mrn COLLATE NOCASE >= ? AND mrn COLLATE NOCASE < ?"
        )
        params += [mrn, mrn + "\uffff"]
        hits = " UNION ".join(parts)
    sql = f"""
        WITH hits AS ({hits}),
        top AS (
            SELECT p.id, p.mrn, p.given_name, p.family_name, p.birth_date
            FROM patients p JOIN hits ON hits.pid = p.id
            ORDER BY (p.mrn = ? COLLATE NOCASE) DESC, p.family_name COLLATE NOCASE,
                     p.given_name COLLATE NOCASE, p.id
            LIMIT ?)
        SELECT c.id, c.t, c.n, c.m, c.referred_on, c.diagnosed_on, c.urgent,
               p.mrn, p.given_name, p.family_name, p.birth_date,
               a.id AS item_id, a.position, a.status AS agenda_status,
               m.id AS m_id, m.date AS m_date, m.title AS m_title, m.status AS m_status,
               -- Store.decision_status in one pass: the latest signed record decides.
               (SELECT CASE WHEN x.amends_decision_id IS NULL THEN 'signed' ELSE 'amended' END
                FROM decisions x WHERE x.agenda_item_id = a.id AND x.status = 'signed'
                ORDER BY x.signed_at DESC, x.id DESC LIMIT 1) AS signed_status,
               EXISTS (SELECT 1 FROM decisions x
                       WHERE x.agenda_item_id = a.id AND x.status = 'draft') AS has_draft
        FROM top p
        JOIN cases c ON c.patient_id = p.id
        LEFT JOIN agenda_items a ON a.id = (
            SELECT a2.id FROM agenda_items a2 JOIN meetings m2 ON m2.id = a2.meeting_id
            WHERE a2.case_id = c.id ORDER BY m2.date DESC, a2.id DESC LIMIT 1)
        LEFT JOIN meetings m ON m.id = a.meeting_id
        ORDER BY (p.mrn = ? COLLATE NOCASE) DESC, p.family_name COLLATE NOCASE,
                 p.given_name COLLATE NOCASE, p.id, c.id DESC
    """
    params += [text, limit, text]
    if store.is_server:
        sql = _without_nocase(sql)
    return [_hit(r) for r in store.query(sql, params)]


def _like_escaped(token: str) -> str:
    return token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _without_nocase(sql: str) -> str:
    """SQLite's ``x COLLATE NOCASE`` as ``lower(x)`` (PostgreSQL has no such collation)."""
    sql = re.sub(r"\(p\.mrn = \? COLLATE NOCASE\)", "(lower(p.mrn) = lower(?))", sql)
    sql = re.sub(r"mrn COLLATE NOCASE (>=|<) \?", r"lower(mrn) \1 lower(?)", sql)
    return re.sub(r"([\w.]+) COLLATE NOCASE", r"lower(\1)", sql)


def _hit(r: dict) -> SearchHit:
    from mdt_app.staging import stage_for

    meeting = None
    if r["m_id"] is not None:
        meeting = d.Meeting(
            date=date.fromisoformat(r["m_date"]), title=r["m_title"], status=r["m_status"],
            id=r["m_id"],
        )  # fmt: skip
    row = d.CaseRow(
        id=r["id"],
        mrn=r["mrn"],
        patient=f"{r['given_name']} {r['family_name']}".strip(),
        birth_date=rows.day(r["birth_date"]),
        stage=stage_for(d.TNM(r["t"], r["n"], r["m"])).stage,
        meeting_id=r["m_id"],
        agenda_item_id=r["item_id"],
        position=r["position"],
        agenda_status=r["agenda_status"],
        decision_status=r["signed_status"] or ("draft" if r["has_draft"] else "none"),
        referred_on=rows.day(r["referred_on"]),
        diagnosed_on=rows.day(r["diagnosed_on"]),
        urgent=rows.unflag(r["urgent"]),
    )
    return SearchHit(row, meeting)
