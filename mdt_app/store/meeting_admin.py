"""Planning, editing, cancelling and closing meetings; recurring series; moving and
removing agenda items. Every change is one transaction with its audit entry."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from mdt_app import domain as d
from mdt_app import meetings as mt
from mdt_app.errors import NotFound, ValidationError
from mdt_app.store import rows, versions
from mdt_app.store.base import StoreCore

if TYPE_CHECKING:
    from mdt_app.store.agenda import Agenda, Meetings
    from mdt_app.store.cases import Cases
    from mdt_app.store.decisions import Decisions

_DETAIL_FIELDS = ("date", "start_time", "title", "chair", "location", "expected_specialties")


def _meeting_values(m: d.Meeting) -> dict:
    return {
        "date": m.date.isoformat(),
        "start_time": m.start_time,
        "title": m.title,
        "chair": m.chair,
        "location": m.location,
        "expected_specialties": json.dumps(m.expected_specialties, ensure_ascii=False),
    }


def _series_from(row: dict) -> mt.MeetingSeries:
    return mt.MeetingSeries(
        title=row["title"],
        weekday=row["weekday"],
        starts_on=date.fromisoformat(row["starts_on"]),
        start_time=row["start_time"],
        chair=row["chair"],
        location=row["location"],
        expected_specialties=json.loads(row["expected_specialties"]),
        weeks_ahead=row["weeks_ahead"],
        active=bool(row["active"]),
        id=row["id"],
    )


class MeetingAdmin:
    """Planning, editing, closing and cancelling meetings; series; moving agenda items."""

    def __init__(
        self,
        core: StoreCore,
        meetings: Meetings,
        agenda: Agenda,
        decisions: Decisions,
        cases: Cases,
    ) -> None:
        self.core = core
        self.meetings = meetings
        self.agenda = agenda
        self.decisions = decisions
        self.cases = cases

    # --- one meeting ------------------------------------------------------------------

    def plan_meeting(self, meeting: d.Meeting) -> int:
        """Create a meeting with all its details; returns its id."""
        m = mt.check_meeting(meeting)
        with self.core.atomic():
            meeting_id = self._insert_meeting(m)
        return meeting_id

    def _insert_meeting(self, m: d.Meeting) -> int:
        meeting_id = self.core.insert(
            "meetings",
            {
                **_meeting_values(m),
                "status": "planned",
                "series_id": m.series_id,
                "created_at": self.core.stamp(),
            },
        )
        self.core.audit(
            "create_meeting",
            "meeting",
            meeting_id,
            {"title": m.title, "date": m.date.isoformat(), "series_id": m.series_id},
        )
        return meeting_id

    def edit_meeting(self, meeting: d.Meeting) -> None:
        """Save changed details (date, time, title, chair, place, specialties)."""
        before = self.meetings.get_meeting(meeting.id or 0)
        if not mt.is_open(before):
            raise ValidationError(
                f"meeting {before.id} is {before.status}; its details can no longer change"
            )
        m = mt.check_meeting(meeting)
        old, new = _meeting_values(before), _meeting_values(m)
        changes = {k: {"from": old[k], "to": new[k]} for k in _DETAIL_FIELDS if old[k] != new[k]}
        if not changes:
            return
        with self.core.atomic():
            versions.require_version(  # refused if someone changed it since it was read
                self.core,
                "meetings",
                "meeting",
                before.id or 0,
                meeting.version,
                f"The meeting {before.title!r} of {before.date}",
                changes={k: {"stored": v["from"], "yours": v["to"]} for k, v in changes.items()},
                current=before,
            )
            self.core.db.table("meetings").update(before.id or 0, new)
            versions.bump(self.core, "meetings", before.id or 0)
            self.core.audit("edit_meeting", "meeting", before.id, {"changes": changes})

    def undiscussed_items(self, meeting_id: int) -> list[tuple[d.AgendaItem, d.Patient]]:
        """Items of the meeting still waiting for a decision (queued or not discussed,
        not yet carried elsewhere, with no signed decision)."""
        out = []
        for item in self.agenda.agenda(meeting_id):
            if item.status not in ("queued", "not_discussed") or item.deferred_to_meeting_id:
                continue
            if any(x.is_signed for x in self.decisions.decisions_for_item(item.id or 0)):
                continue
            out.append((item, self.cases.get_case(item.case_id).patient))
        return out

    def close_meeting(
        self,
        meeting_id: int,
        reasons: dict[int, str] | None = None,
        *,
        default_reason: str = mt.DEFAULT_CARRY_REASON,
        today: date | None = None,
    ) -> mt.CarryReport:
        """Close a meeting: its minutes become final. Each undiscussed case is marked
        'not discussed' with its reason (``reasons`` by agenda item id, else the default)
        and queued on the next open meeting, created from the series if there is none."""
        meeting = self.meetings.get_meeting(meeting_id)
        if not mt.is_open(meeting):
            raise ValidationError(f"meeting {meeting_id} is already {meeting.status}")
        reasons = reasons or {}
        with self.core.atomic():
            report = self._carry_undiscussed(meeting, reasons, default_reason, today)
            stamp = self.core.stamp()
            self.core.db.table("meetings").update(
                meeting_id, {"status": "closed", "closed_at": stamp, "closed_by": self.core.actor}
            )
            versions.bump(self.core, "meetings", meeting_id)
            self.core.audit(
                "close_meeting",
                "meeting",
                meeting_id,
                {"carried": [[c.case_id, c.to_meeting.id if c.to_meeting else None]
                             for c in report.carried]},
            )  # fmt: skip
        report.meeting = self.meetings.get_meeting(meeting_id)
        return report

    def cancel_meeting(
        self, meeting_id: int, reason: str, *, today: date | None = None
    ) -> mt.CarryReport:
        """Cancel a meeting that has not decided anything; its cases move to the next one."""
        if not reason.strip():
            raise ValidationError("cancelling a meeting needs a reason")
        meeting = self.meetings.get_meeting(meeting_id)
        if not mt.is_open(meeting):
            raise ValidationError(f"meeting {meeting_id} is already {meeting.status}")
        for item in self.agenda.agenda(meeting_id):
            if any(x.is_signed for x in self.decisions.decisions_for_item(item.id or 0)):
                raise ValidationError(
                    f"meeting {meeting_id} has signed decisions; close it instead of cancelling"
                )
        why = f"meeting cancelled: {reason.strip()}"
        with self.core.atomic():
            report = self._carry_undiscussed(meeting, {}, why, today)
            self.core.db.table("meetings").update(
                meeting_id, {"status": d.MEETING_CANCELLED, "status_reason": reason.strip()}
            )
            versions.bump(self.core, "meetings", meeting_id)
            self.core.audit("cancel_meeting", "meeting", meeting_id, {"reason": reason.strip()})
        report.meeting = self.meetings.get_meeting(meeting_id)
        return report

    def _carry_undiscussed(
        self, meeting: d.Meeting, reasons: dict[int, str], default: str, today: date | None
    ) -> mt.CarryReport:
        report = mt.CarryReport(meeting)
        pending = self.undiscussed_items(meeting.id or 0)
        target = self._next_open_meeting(meeting, create=True, today=today) if pending else None
        for item, patient in pending:
            reason = (reasons.get(item.id or 0) or "").strip() or default
            self.core.db.table("agenda_items").update(
                item.id or 0,
                {
                    "status": "not_discussed",
                    "status_reason": reason,
                    "deferred_to_meeting_id": target.id if target else None,
                },
            )
            versions.bump(self.core, "agenda_items", item.id or 0)
            self.core.audit(
                "carry_over",
                "agenda_item",
                item.id,
                {"reason": reason, "to_meeting_id": target.id if target else None},
            )
            if target is not None:
                new_item = self.agenda.queue_case(target.id or 0, item.case_id)
                self._carry_draft(item.id or 0, new_item.id or 0)
            report.carried.append(
                mt.CarriedCase(item.case_id, patient.display_name, patient.mrn, reason, target)
            )
        return report

    def _carry_draft(self, from_item: int, to_item: int) -> None:
        """An unsigned draft goes with its case, so nothing typed is left behind on a
        closed meeting (unless the case already has a draft where it goes)."""
        drafts = self.core.query(
            "SELECT id FROM decisions WHERE agenda_item_id = ? AND status = 'draft'", [from_item]
        )
        taken = self.core.query(
            "SELECT 1 FROM decisions WHERE agenda_item_id = ? AND status = 'draft'", [to_item]
        )
        if drafts and not taken:
            draft_id = drafts[0]["id"]
            self.core.db.execute(
                "UPDATE decisions SET agenda_item_id = ?, version = version + 1 WHERE id = ?",
                [to_item, draft_id],
            )
            self.core.audit("carry_draft", "decision", draft_id, {"from_item": from_item,
                       "to_item": to_item})  # fmt: skip

    def next_open_meeting(self, after: d.Meeting, *, create: bool = False) -> d.Meeting | None:
        """The first open meeting after ``after`` (by date); with ``create``, the series'
        next meeting is created when there is none."""
        if create:
            with self.core.atomic():
                return self._next_open_meeting(after, create=True)
        return self._next_open_meeting(after, create=False)

    def _next_open_meeting(
        self, after: d.Meeting, *, create: bool, today: date | None = None
    ) -> d.Meeting | None:
        found = self.core.query(
            "SELECT * FROM meetings WHERE status IN ('planned', 'in_progress') AND id != ?"
            " AND (date > ? OR (date = ? AND coalesce(start_time, '') >= coalesce(?, '')"
            " AND id > ?)) ORDER BY date, start_time, id LIMIT 1",
            [after.id, after.date.isoformat(), after.date.isoformat(), after.start_time, after.id],
        )
        if found:
            return rows.meeting_from(found[0])
        if not create or after.series_id is None:
            return None
        series = self.get_series(after.series_id)
        day = mt.next_series_date(series, max(after.date, today or after.date))
        while self.core.query(
            "SELECT 1 FROM meetings WHERE series_id = ? AND date = ?", [series.id, day.isoformat()]
        ):  # that day's meeting exists but is closed or cancelled: take the week after
            day = mt.next_series_date(series, day)
        return self.meetings.get_meeting(self._insert_series_meeting(series, day))

    # --- series -----------------------------------------------------------------------

    def create_series(self, series: mt.MeetingSeries, *, today: date | None = None) -> int:
        """Store a recurring meeting and create its meetings ``weeks_ahead`` weeks ahead."""
        s = mt.check_series(series)
        with self.core.atomic():
            series_id = self.core.insert(
                "meeting_series",
                {
                    "title": s.title,
                    "weekday": s.weekday,
                    "starts_on": s.starts_on.isoformat(),
                    "start_time": s.start_time,
                    "chair": s.chair,
                    "location": s.location,
                    "expected_specialties": json.dumps(s.expected_specialties),
                    "weeks_ahead": s.weeks_ahead,
                    "active": 1,
                    "created_at": self.core.stamp(),
                },
            )
            self.core.audit("create_series", "meeting_series", series_id, {"title": s.title,
                       "weekday": s.weekday, "start_time": s.start_time})  # fmt: skip
        self.extend_series(today=today)
        return series_id

    def get_series(self, series_id: int) -> mt.MeetingSeries:
        found = self.core.query("SELECT * FROM meeting_series WHERE id = ?", [series_id])
        if not found:
            raise NotFound(f"no meeting series with id {series_id}")
        return _series_from(found[0])

    def list_series(self) -> list[mt.MeetingSeries]:
        return [
            _series_from(r) for r in self.core.query("SELECT * FROM meeting_series ORDER BY id")
        ]

    def stop_series(self, series_id: int) -> None:
        self.get_series(series_id)
        with self.core.atomic():
            self.core.db.table("meeting_series").update(series_id, {"active": 0})
            self.core.audit("stop_series", "meeting_series", series_id, {})

    def extend_series(self, *, today: date | None = None) -> list[int]:
        """Create the missing meetings of every active series up to its horizon."""
        today = today or date.today()
        created: list[int] = []
        with self.core.atomic():
            for series in self.list_series():
                if not series.active:
                    continue
                have = {
                    r["date"]
                    for r in self.core.query(
                        "SELECT date FROM meetings WHERE series_id = ? AND date >= ?",
                        [series.id, today.isoformat()],
                    )
                }
                for day in mt.series_dates(series, today):
                    if day.isoformat() not in have:
                        created.append(self._insert_series_meeting(series, day))
        return created

    def _insert_series_meeting(self, series: mt.MeetingSeries, day: date) -> int:
        meeting = d.Meeting(
            date=day,
            title=series.title,
            chair=series.chair,
            location=series.location,
            start_time=series.start_time,
            expected_specialties=list(series.expected_specialties),
            series_id=series.id,
        )
        return self._insert_meeting(mt.check_meeting(meeting))

    # --- finding meetings ---------------------------------------------------------------

    def meeting_choices(
        self, today: date | None = None, *, upcoming: int = 12, recent: int = 8
    ) -> list[d.Meeting]:
        """What the meeting selector lists: the next ``upcoming`` meetings (today's first),
        then the ``recent`` latest past ones. Two index range scans, whatever the archive."""
        day = (today or date.today()).isoformat()
        ahead = self.core.query(
            "SELECT * FROM meetings WHERE date >= ? ORDER BY date, start_time, id LIMIT ?",
            [day, upcoming],
        )
        past = self.core.query(
            "SELECT * FROM meetings WHERE date < ? ORDER BY date DESC, start_time DESC, id DESC"
            " LIMIT ?",
            [day, recent],
        )
        return [rows.meeting_from(r) for r in [*ahead, *past]]

    def find_meetings(self, text: str, *, limit: int = 50) -> list[d.Meeting]:
        """Meetings whose date starts with ``text`` (2025, 2025-03, 2025-03-04) or whose
        title contains it; newest first."""
        text = text.strip()
        if not text:
            return []
        if text[:1].isdigit():
            found = self.core.query(
                "SELECT * FROM meetings WHERE date >= ? AND date < ?"
                " ORDER BY date DESC, id DESC LIMIT ?",
                [text, text + "\uffff", limit],
            )
        else:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            found = self.core.query(
                f"SELECT * FROM meetings WHERE title {self.core.dialect.like} ? ESCAPE '\\'"
                " ORDER BY date DESC, id DESC LIMIT ?",
                [pattern + "%", limit],
            )
        return [rows.meeting_from(r) for r in found]

    # --- agenda work --------------------------------------------------------------------

    def _item_without_decisions(self, item_id: int, what: str) -> d.AgendaItem:
        item = self.agenda.get_agenda_item(item_id)
        if self.decisions.decisions_for_item(item_id):
            raise ValidationError(
                f"the case has a decision recorded on this agenda; {what} is not possible "
                "(defer it instead)"
            )
        return item

    def move_to_meeting(self, item_id: int, meeting_id: int, reason: str) -> d.AgendaItem:
        """Move a case queued on the wrong meeting to another one (no decision on it yet)."""
        if not reason.strip():
            raise ValidationError("moving a case to another meeting needs a reason")
        item = self._item_without_decisions(item_id, "moving it")
        target = self.meetings.get_meeting(meeting_id)
        if target.id == item.meeting_id:
            raise ValidationError("the case is already on that meeting")
        if not mt.is_open(target):
            raise ValidationError(f"meeting {meeting_id} is {target.status}")
        with self.core.atomic():
            self.core.db.execute("DELETE FROM agenda_items WHERE id = ?", [item_id])
            self._close_up(item.meeting_id)
            new_item = self.agenda.queue_case(meeting_id, item.case_id)
            self.core.audit(
                "move_to_meeting",
                "agenda_item",
                item_id,
                {"case_id": item.case_id, "from_meeting_id": item.meeting_id,
                 "to_meeting_id": meeting_id, "new_item_id": new_item.id,
                 "reason": reason.strip()},
            )  # fmt: skip
        return new_item

    def remove_from_agenda(self, item_id: int, reason: str) -> d.AgendaItem:
        """Take off a case queued by mistake (no decision on it); the audit log keeps it."""
        if not reason.strip():
            raise ValidationError("removing a case from the agenda needs a reason")
        item = self._item_without_decisions(item_id, "removing it")
        with self.core.atomic():
            self.core.db.execute("DELETE FROM agenda_items WHERE id = ?", [item_id])
            self._close_up(item.meeting_id)
            self.core.audit(
                "remove_from_agenda",
                "agenda_item",
                item_id,
                {"case_id": item.case_id, "meeting_id": item.meeting_id,
                 "position": item.position, "reason": reason.strip()},
            )  # fmt: skip
        return item

    def meeting_on(self, day: date, like: d.Meeting) -> int:
        """The open meeting held on ``day`` (other than ``like``); one is created with
        ``like``'s title, chair, place, time and specialties if there is none."""
        found = self.core.query(
            "SELECT id FROM meetings WHERE date = ? AND status IN ('planned', 'in_progress')"
            " AND id != ? ORDER BY start_time, id LIMIT 1",
            [day.isoformat(), like.id],
        )
        if found:
            return int(found[0]["id"])
        return self.plan_meeting(
            d.Meeting(
                date=day,
                title=like.title,
                chair=like.chair,
                location=like.location,
                start_time=like.start_time,
                expected_specialties=list(like.expected_specialties),
            )
        )

    def defer_to_date(self, item_id: int, day: date, reason: str) -> d.AgendaItem:
        """Defer to the open meeting on ``day``, creating one if there is none."""
        if not reason.strip():
            raise ValidationError("deferring a case needs a reason")
        item = self.agenda.get_agenda_item(item_id)
        source = self.meetings.get_meeting(item.meeting_id)
        with self.core.atomic():  # a meeting created for it goes if the deferral fails
            target_id = self.meeting_on(day, source)
            return self.agenda.defer(item_id, target_id, reason)

    def _close_up(self, meeting_id: int) -> None:
        for position, r in enumerate(
            self.core.query(
                "SELECT id FROM agenda_items WHERE meeting_id = ? ORDER BY position, id",
                [meeting_id],
            ),
            start=1,
        ):
            self.core.db.execute(
                "UPDATE agenda_items SET position = ? WHERE id = ?", [position, r["id"]]
            )
