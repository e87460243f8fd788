"""Decisions typed while the database could not be reached, kept on this computer.

While the database is out of reach (a share gone, a lock held too long, a server
connection lost), every autosave of the decision form writes the whole draft here
instead: one private file (0600, in a 0700 folder) per agenda item under the user's
data folder, ``drafts/``. The file is replaced atomically (written beside it, flushed,
renamed), so a crash leaves the previous copy or the new one, never half of one.

When the database is back the window saves the draft through the store's normal
version-checked save, so a change someone made meanwhile is shown as a conflict and
never overwritten; only then is the file removed. A file left behind (the window was
closed or killed while offline) is offered back on the next start, or exported to a
readable text file. The files hold identifiable data, like the database itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from mdt_app import domain as d
from mdt_app import paths
from mdt_app.errors import UserError
from mdt_app.security.private_files import FILE_MODE, create_private, private_dir

FORMAT = "mdt-local-draft/1"
_DATETIMES = ("created_at", "updated_at", "signed_at")
_DATES = ("discussed_with_patient_on",)


def drafts_dir() -> Path:
    """The folder of kept drafts (in the user's private data folder)."""
    return paths.user_data_dir() / "drafts"


def database_label(location: str | os.PathLike[str]) -> str:
    """Which database a draft belongs to: the absolute file path, or a server URL
    without its password."""
    text = os.fspath(location)
    if "://" in text:
        parts = urlsplit(text)
        host = parts.hostname or ""
        netloc = (f"{parts.username}@" if parts.username else "") + host
        netloc += f":{parts.port}" if parts.port else ""
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return str(Path(text).expanduser().absolute())


def decision_to_json(decision: d.Decision) -> dict[str, Any]:
    """Every field of ``decision`` as JSON values (dates as ISO text)."""
    out: dict[str, Any] = {}
    for f in fields(decision):
        value = getattr(decision, f.name)
        if f.name == "actions":
            value = [
                {
                    "description": a.description,
                    "owner": a.owner,
                    "due_date": a.due_date.isoformat() if a.due_date else None,
                    "id": a.id,
                }
                for a in value
            ]
        elif isinstance(value, date | datetime):
            value = value.isoformat()
        out[f.name] = value
    return out


def decision_from_json(data: dict[str, Any]) -> d.Decision:
    """The Decision written by `decision_to_json` (unknown keys are ignored)."""
    known = {f.name for f in fields(d.Decision)}
    values = {k: v for k, v in data.items() if k in known}
    for name in _DATETIMES:
        if values.get(name):
            values[name] = datetime.fromisoformat(values[name])
    for name in _DATES:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    values["actions"] = [
        d.Action(
            description=str(a.get("description") or ""),
            owner=a.get("owner"),
            due_date=date.fromisoformat(a["due_date"]) if a.get("due_date") else None,
            id=a.get("id"),
        )
        for a in values.get("actions") or []
    ]
    return d.Decision(**values)


@dataclass(frozen=True)
class LocalDraft:
    """One kept draft: the decision as typed and what identifies it to the user."""

    database: str
    decision: d.Decision
    meeting_id: int | None
    kept_at: datetime
    reason: str  # why it could not be saved (the store's one-line message)
    patient: str = ""  # name, birth date and MRN, as the banner shows them
    meeting: str = ""  # date and title
    path: Path | None = None

    @property
    def agenda_item_id(self) -> int:
        return self.decision.agenda_item_id

    def describe(self) -> str:
        """One line for the user: whose draft, which meeting, when it was kept."""
        when = self.kept_at.strftime("%Y-%m-%d %H:%M")
        where = f" ({self.meeting})" if self.meeting else ""
        return f"{self.patient or 'agenda item ' + str(self.agenda_item_id)}{where}, typed {when}"


class LocalDrafts:
    """The kept drafts of one database, in ``folder`` (default `drafts_dir()`)."""

    def __init__(self, database: str | os.PathLike[str], folder: Path | None = None):
        self.database = database_label(database)
        self.folder = folder or drafts_dir()
        self._stem = hashlib.sha256(self.database.encode()).hexdigest()[:16]

    def file_for(self, agenda_item_id: int) -> Path:
        return self.folder / f"{self._stem}-item-{agenda_item_id}.json"

    def keep(
        self,
        decision: d.Decision,
        *,
        reason: str,
        meeting_id: int | None = None,
        patient: str = "",
        meeting: str = "",
    ) -> LocalDraft:
        """Write (or replace) the kept copy of ``decision``; atomic and private.

        Raises UserError (one line) when this computer cannot write it either."""
        draft = LocalDraft(
            database=self.database,
            decision=decision,
            meeting_id=meeting_id,
            kept_at=datetime.now().astimezone().replace(microsecond=0),
            reason=reason,
            patient=patient,
            meeting=meeting,
        )
        target = self.file_for(decision.agenda_item_id)
        body = {
            "format": FORMAT,
            "database": self.database,
            "meeting_id": meeting_id,
            "kept_at": draft.kept_at.isoformat(),
            "reason": reason,
            "patient": patient,
            "meeting": meeting,
            "decision": decision_to_json(decision),
        }
        text = json.dumps(body, ensure_ascii=False, indent=1, default=str)
        temp = target.with_name(target.name + ".tmp")
        try:
            private_dir(self.folder)
            create_private(temp)
            with open(temp, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise UserError(
                f"{target}: the draft cannot be kept on this computer either ({exc.strerror})"
            ) from None
        return replace(draft, path=target)

    def get(self, agenda_item_id: int) -> LocalDraft | None:
        """The kept draft of that agenda item, if any (an unreadable file: None)."""
        return _read(self.file_for(agenda_item_id), self.database)

    def leftovers(self) -> list[LocalDraft]:
        """Every kept draft of this database, oldest first."""
        if not self.folder.is_dir():
            return []
        found = [_read(p, self.database) for p in sorted(self.folder.glob(f"{self._stem}-*.json"))]
        return sorted((x for x in found if x is not None), key=lambda x: x.kept_at)

    def discard(self, agenda_item_id: int) -> bool:
        """Remove the kept copy (after it was saved, exported or given up); True if one was."""
        try:
            self.file_for(agenda_item_id).unlink()
            return True
        except FileNotFoundError:
            return False


def _read(path: Path, database: str) -> LocalDraft | None:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        if body.get("format") != FORMAT or body.get("database") != database:
            return None
        return LocalDraft(
            database=database,
            decision=decision_from_json(body["decision"]),
            meeting_id=body.get("meeting_id"),
            kept_at=datetime.fromisoformat(body["kept_at"]),
            reason=str(body.get("reason") or ""),
            patient=str(body.get("patient") or ""),
            meeting=str(body.get("meeting") or ""),
            path=path,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def draft_as_text(draft: LocalDraft, option_titles: dict[str, str] | None = None) -> str:
    """The kept draft as a document a person can read (and type in again elsewhere)."""
    x = draft.decision
    titles = option_titles or {}
    lines = [
        "MDT Assistant - decision draft typed while the database was out of reach",
        f"Patient: {draft.patient}" if draft.patient else f"Agenda item {x.agenda_item_id}",
        *([f"Meeting: {draft.meeting}"] if draft.meeting else []),
        f"Database: {draft.database}",
        f"Typed: {draft.kept_at.isoformat()} (not saved: {draft.reason})",
        "NOT A SIGNED DECISION: a draft, to be saved or typed in again and signed.",
        "",
        "Options picked:",
        *[f"  - {titles.get(code, code)} [{code}]" for code in x.chosen_options],
        *([] if x.chosen_options else ["  (none)"]),
        "",
        "Plan:",
        x.plan_text or "(empty)",
        "",
        f"Reason for deviating from the guideline: {x.deviation_reason or '(none)'}",
        f"Clinical-trial referral: {x.clinical_trial or '(none)'}",
        f"Follow-up: every {x.follow_up_weeks} weeks"
        if x.follow_up_weeks
        else f"Follow-up: every {x.follow_up_months} months",
        f"Follow-up checks: {', '.join(x.follow_up_items) or '(none)'}",
        "",
        "Actions:",
        *[
            f"  - {a.description}"
            + (f" (owner: {a.owner})" if a.owner else "")
            + (f" (due {a.due_date.isoformat()})" if a.due_date else "")
            for a in x.actions
        ],
        *([] if x.actions else ["  (none)"]),
        "",
        "For the patient:",
        x.patient_explanation or "(empty)",
    ]
    return "\n".join(lines) + "\n"


def export_draft(
    draft: LocalDraft, target: Path, option_titles: dict[str, str] | None = None
) -> Path:
    """Write the draft as text to ``target`` (a private file); one-line error if it cannot."""
    try:
        create_private(target)
        target.write_text(draft_as_text(draft, option_titles), encoding="utf-8")
        os.chmod(target, FILE_MODE)
    except OSError as exc:
        raise UserError(f"{target}: the draft cannot be written there ({exc.strerror})") from None
    return target
