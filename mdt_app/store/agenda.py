"""Meetings, their agendas and attendance: two repositories over the store's core."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app.errors import NotFound, ValidationError
from mdt_app.store import rows, versions
from mdt_app.store.base import StoreCore

if TYPE_CHECKING:
    from mdt_app.store.cases import Cases


class Meetings:
    """Meetings: creating, reading, listing (planning and closing: `meeting_admin`)."""

    def __init__(self, core: StoreCore) -> None:
        self.core = core

    def create_meeting(self, meeting: d.Meeting) -> int:
        if not meeting.title.strip():
            raise ValidationError("a meeting needs a title")
        with self.core.atomic():
            meeting_id = self.core.insert(
                "meetings",
                {
                    "date": meeting.date.isoformat(),
                    "title": meeting.title.strip(),
                    "status": meeting.status,
                    "chair": meeting.chair,
                    "location": meeting.location,
                    "created_at": self.core.stamp(),
                },
            )
            self.core.audit("create_meeting", "meeting", meeting_id, {"title": meeting.title})
        return meeting_id

    def get_meeting(self, meeting_id: int) -> d.Meeting:
        found = self.core.query("SELECT * FROM meetings WHERE id = ?", [meeting_id])
        if not found:
            raise NotFound(f"no meeting with id {meeting_id}")
        return rows.meeting_from(found[0])

    def list_meetings(self) -> list[d.Meeting]:
        """Newest first."""
        return [
            rows.meeting_from(r)
            for r in self.core.query("SELECT * FROM meetings ORDER BY date DESC, id DESC")
        ]


class Agenda:
    """The agenda of each meeting and who attended it."""

    def __init__(self, core: StoreCore, meetings: Meetings, cases: Cases) -> None:
        self.core = core
        self.meetings = meetings
        self.cases = cases

    def agenda_counts(self) -> dict[int, int]:
        """How many cases each meeting's agenda holds, for every meeting, in one statement."""
        return {
            r["meeting_id"]: r["n"]
            for r in self.core.query(
                "SELECT meeting_id, count(*) AS n FROM agenda_items GROUP BY meeting_id"
            )
        }

    def agenda(self, meeting_id: int) -> list[d.AgendaItem]:
        self.meetings.get_meeting(meeting_id)
        return [
            rows.agenda_item_from(r)
            for r in self.core.query(
                "SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position, id",
                [meeting_id],
            )
        ]

    def get_agenda_item(self, item_id: int) -> d.AgendaItem:
        found = self.core.query("SELECT * FROM agenda_items WHERE id = ?", [item_id])
        if not found:
            raise NotFound(f"no agenda item with id {item_id}")
        return rows.agenda_item_from(found[0])

    def add_to_agenda(self, meeting_id: int, case_id: int) -> d.AgendaItem:
        """Queue a case at the end of a meeting's agenda (no-op if already on it)."""
        self.meetings.get_meeting(meeting_id)
        self.cases.get_case(case_id)
        with self.core.atomic():
            item = self.queue_case(meeting_id, case_id)
        return item

    def queue_case(self, meeting_id: int, case_id: int) -> d.AgendaItem:
        """`add_to_agenda` inside the caller's transaction (deferring, carrying, intake)."""
        found = self.core.query(
            "SELECT * FROM agenda_items WHERE meeting_id = ? AND case_id = ?",
            [meeting_id, case_id],
        )
        if found:
            return rows.agenda_item_from(found[0])
        last = self.core.query(
            "SELECT coalesce(max(position), 0) AS p FROM agenda_items WHERE meeting_id = ?",
            [meeting_id],
        )[0]["p"]
        item_id = self.core.insert(
            "agenda_items",
            {
                "meeting_id": meeting_id,
                "case_id": case_id,
                "position": last + 1,
                "status": "queued",
                "added_at": self.core.stamp(),
            },
        )
        self.core.audit("add_to_agenda", "agenda_item", item_id, {"meeting_id": meeting_id})
        return self.get_agenda_item(item_id)

    def move_agenda_item(self, item_id: int, new_position: int) -> None:
        """Move an item to a 1-based position; the others close up around it."""
        item = self.get_agenda_item(item_id)
        ids = [i.id for i in self.agenda(item.meeting_id)]
        ids.remove(item_id)
        new_position = max(1, min(new_position, len(ids) + 1))
        ids.insert(new_position - 1, item_id)
        with self.core.atomic():
            versions.bump(self.core, "agenda_items", item_id)
            for position, other in enumerate(ids, start=1):
                self.core.db.execute(
                    "UPDATE agenda_items SET position = ? WHERE id = ?", [position, other]
                )
            self.core.audit(
                "move_agenda_item",
                "agenda_item",
                item_id,
                {"from": item.position, "to": new_position},
            )

    def set_agenda_status(
        self, item_id: int, status: str, reason: str | None = None, version: int = 0
    ) -> None:
        """Set an item's status; refused if the item changed since ``version`` (0: no check)."""
        if status not in d.AGENDA_STATUSES:
            raise ValidationError(f"agenda status {status!r} is not one of {d.AGENDA_STATUSES}")
        with self.core.atomic():
            item = self.get_agenda_item(item_id)
            versions.require_version(
                self.core, "agenda_items", "agenda_item", item_id, version, f"Agenda item {item_id}"
            )
            versions.bump(self.core, "agenda_items", item_id)
            self.core.db.table("agenda_items").update(
                item_id, {"status": status, "status_reason": reason}
            )
            self.core.audit(
                "set_agenda_status",
                "agenda_item",
                item_id,
                {"from": item.status, "to": status, "reason": reason},
            )

    def defer(
        self, item_id: int, to_meeting_id: int, reason: str, version: int = 0
    ) -> d.AgendaItem:
        """Defer an item to another meeting; returns the new item there."""
        if not reason.strip():
            raise ValidationError("deferring a case needs a reason")
        with self.core.atomic():
            item = self.get_agenda_item(item_id)
            if to_meeting_id == item.meeting_id:
                raise ValidationError("a case cannot be deferred to the same meeting")
            self.meetings.get_meeting(to_meeting_id)
            versions.require_version(
                self.core, "agenda_items", "agenda_item", item_id, version, f"Agenda item {item_id}"
            )
            versions.bump(self.core, "agenda_items", item_id)
            self.core.db.table("agenda_items").update(
                item_id,
                {
                    "status": "deferred",
                    "status_reason": reason.strip(),
                    "deferred_to_meeting_id": to_meeting_id,
                },
            )
            self.core.audit(
                "defer", "agenda_item", item_id, {"to_meeting_id": to_meeting_id, "reason": reason}
            )
            new_item = self.queue_case(to_meeting_id, item.case_id)
        return new_item

    # --- attendance ---------------------------------------------------------------------

    def attendance(self, meeting_id: int) -> list[d.Attendee]:
        return [
            d.Attendee(
                name=r["name"], specialty=r["specialty"], present=bool(r["present"]), id=r["id"]
            )
            for r in self.core.query(
                "SELECT * FROM attendance WHERE meeting_id = ? ORDER BY id", [meeting_id]
            )
        ]

    def set_attendance(self, meeting_id: int, attendees: list[d.Attendee]) -> None:
        """Replace the meeting's attendance list with ``attendees``."""
        self.meetings.get_meeting(meeting_id)
        names = [a.name.strip() for a in attendees]
        if any(not n for n in names):
            raise ValidationError("every attendee needs a name")
        if len(set(names)) != len(names):
            raise ValidationError("an attendee is listed twice")
        with self.core.atomic():
            versions.bump(self.core, "meetings", meeting_id)
            self.core.db.execute("DELETE FROM attendance WHERE meeting_id = ?", [meeting_id])
            for a in attendees:
                self.core.insert(
                    "attendance",
                    {
                        "meeting_id": meeting_id,
                        "name": a.name.strip(),
                        "specialty": a.specialty,
                        "present": int(a.present),
                    },
                )
            self.core.audit(
                "set_attendance",
                "meeting",
                meeting_id,
                {"attendees": [[a.name, a.specialty, a.present] for a in attendees]},
            )
