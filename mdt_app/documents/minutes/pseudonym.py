"""Stable pseudonyms for audit exports: the same patient gets the same code every time.

A pseudonym is an HMAC-SHA256 of the MRN under a secret kept in the database's
settings (``pseudonym_key``), so exports of one database agree with each other, while
someone holding only an export cannot rebuild the MRNs by hashing candidate numbers.

The key is written with its own audit entry that does not record the value: the
audit log is append-only and is itself shared for audit, so a key written through
``set_setting`` (which logs the value) could never be taken back out of it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING

from mdt_app.documents.minutes.content import (
    ActionRef,
    AgendaEntry,
    DecisionRecord,
    MeetingMinutes,
    PatientRef,
)

if TYPE_CHECKING:
    from mdt_app.store import Store

KEY_SETTING = "pseudonym_key"
PREFIX = "PSN-"
LENGTH = 10  # hex digits: 40 bits, no collision to expect among a centre's patients


def pseudonym_key(store: Store) -> bytes:
    """The database's pseudonym secret, created on first use."""
    key = store.get_setting(KEY_SETTING)
    if not key:
        with store.atomic():
            # DO NOTHING: if two exports race, the first key written wins for both.
            store.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                [KEY_SETTING, json.dumps(secrets.token_hex(32))],
            )
            store.audit("create_pseudonym_key", "setting", None, {"key": KEY_SETTING})
        key = store.get_setting(KEY_SETTING)
    return bytes.fromhex(key)


class Pseudonymiser:
    """Maps an MRN to its pseudonym and scrubs a patient's identifiers from free text."""

    def __init__(self, key: bytes):
        self._key = key

    @classmethod
    def for_store(cls, store: Store) -> Pseudonymiser:
        return cls(pseudonym_key(store))

    def pseudonym(self, mrn: str) -> str:
        digest = hmac.new(self._key, mrn.strip().encode("utf-8"), hashlib.sha256)
        return PREFIX + digest.hexdigest()[:LENGTH].upper()

    def scrub(self, text: str | None, mrn: str, names: tuple[str, ...]) -> str | None:
        """``text`` with the MRN and each name (whole words, any case) replaced."""
        if not text:
            return text
        code = self.pseudonym(mrn)
        # The full name first, then each part of it ("Anna-Maria", "Anna", "Maria").
        parts = {w for n in (*names, mrn) for w in (n, *n.split(), *re.split(r"[\s\-']+", n))}
        for part in sorted((w for w in parts if len(w.strip()) > 1), key=len, reverse=True):
            words = r"\s+".join(re.escape(w) for w in part.split())
            text = re.sub(rf"(?<!\w){words}(?!\w)", code, text, flags=re.IGNORECASE)
        return text


def pseudonymise_minutes(minutes: MeetingMinutes, p: Pseudonymiser) -> MeetingMinutes:
    """The same minutes with every patient's name, MRN and birth date replaced or dropped;
    cases whose patient refused registry use are left out."""
    kept = tuple(_entry(e, p) for e in minutes.items if not e.registry_refused)
    withheld = len(minutes.items) - len(kept)
    return replace(minutes, items=kept, pseudonymised=True, withheld=withheld)


def _entry(e: AgendaEntry, p: Pseudonymiser) -> AgendaEntry:
    mrn, names = e.patient.mrn, (e.patient.name,)

    def clean(text: str | None) -> str | None:
        return p.scrub(text, mrn, names)

    def record(x: DecisionRecord | None) -> DecisionRecord | None:
        if x is None:
            return None
        actions = tuple(
            ActionRef(clean(a.description) or "", clean(a.owner), a.due_date) for a in x.actions
        )
        return replace(
            x,
            plan_text=clean(x.plan_text) or "",
            clinical_trial=clean(x.clinical_trial),
            deviation_reason=clean(x.deviation_reason),
            amendment_reason=clean(x.amendment_reason),
            sign_off_reason=clean(x.sign_off_reason),
            actions=actions,
        )

    code = p.pseudonym(mrn)
    case = None
    if e.case is not None:
        case = replace(
            e.case,
            patient=replace(
                e.case.patient, mrn=code, given_name="", family_name=code, birth_date=None
            ),
            referral=replace(
                e.case.referral,
                question=clean(e.case.referral.question),
                referring_clinician=clean(e.case.referral.referring_clinician),
            ),
            imaging=[
                replace(i, summary=clean(i.summary) or "", region=clean(i.region) or "")
                for i in e.case.imaging
            ],
        )
    return replace(
        e,
        case=case,
        patient=PatientRef(code, code, None, e.patient.age, e.patient.sex),
        status_reason=clean(e.status_reason),
        referral_question=clean(e.referral_question),
        referring_clinician=clean(e.referring_clinician),
        decision=record(e.decision),
        superseded=tuple(filter(None, (record(x) for x in e.superseded))),
        draft=record(e.draft),
    )
