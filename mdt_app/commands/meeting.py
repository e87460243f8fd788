"""`mdt-app meeting create|edit|close|cancel`: plan and run meetings from the command line."""

from __future__ import annotations

import argparse
from datetime import date

from mdt_app import domain as d
from mdt_app import meetings as mt
from mdt_app.commands._common import store_for
from mdt_app.security.cli_options import add_encrypted_option
from mdt_app.store import Store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "meeting",
        parents=[common],
        help="create, edit, close or cancel a meeting",
        description="Plan and run meetings: create (optionally as a weekly series), edit, "
        "close (its undiscussed cases are carried to the next open meeting) or cancel.",
    )
    actions = p.add_subparsers(dest="meeting_command", metavar="ACTION", required=True)

    create = actions.add_parser(
        "create",
        parents=[common],
        help="create a meeting; prints its id",
        description="Create a meeting and print its id on standard output. With --every "
        "it is the first of a weekly series whose next meetings are created ahead.",
    )
    create.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    create.add_argument("--title", required=True, metavar="TEXT")
    create.add_argument("--chair", required=True, metavar="NAME")
    _detail_options(create)
    add_encrypted_option(create)
    create.add_argument(
        "--every",
        metavar="WEEKDAY",
        help="repeat weekly on this day (e.g. tuesday); needs --date on that day",
    )
    create.add_argument(
        "--weeks-ahead",
        type=int,
        default=4,
        metavar="N",
        help="how many weeks of a series to create ahead (default 4)",
    )
    create.set_defaults(func=run_create)  # fmt: skip

    edit = actions.add_parser(
        "edit", parents=[common], help="change a meeting's details",
        description="Change the details of a planned meeting; options not given stay as they are.",
    )  # fmt: skip
    edit.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    edit.add_argument("--date", metavar="YYYY-MM-DD")
    edit.add_argument("--title", metavar="TEXT")
    edit.add_argument("--chair", metavar="NAME")
    _detail_options(edit)
    edit.set_defaults(func=run_edit)

    close = actions.add_parser(
        "close",
        parents=[common],
        help="close a meeting; its minutes become final",
        description="Close a meeting. Cases not decided are marked 'not discussed' and "
        "queued on the next open meeting (created from the meeting's series if needed); a "
        "case with nowhere to go is listed as needing a meeting.",
    )
    close.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    close.add_argument(
        "--reason",
        default=mt.DEFAULT_CARRY_REASON,
        metavar="TEXT",
        help=f"why undiscussed cases move on (default: {mt.DEFAULT_CARRY_REASON})",
    )
    close.set_defaults(func=run_close)  # fmt: skip

    cancel = actions.add_parser(
        "cancel",
        parents=[common],
        help="cancel a meeting; its cases move to the next open meeting",
        description="Cancel a meeting that has no signed decision; its queued cases move to "
        "the next open meeting.",
    )
    cancel.add_argument("meeting_id", type=int, metavar="MEETING_ID")
    cancel.add_argument("--reason", required=True, metavar="TEXT")
    cancel.set_defaults(func=run_cancel)


def _detail_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--location", metavar="TEXT", help="room or video link")
    p.add_argument("--time", metavar="HH:MM", help="start time")
    p.add_argument("--specialty", action="append", metavar="NAME",
                   help="a specialty expected for the quorum (repeat for several)")  # fmt: skip


def run_create(args: argparse.Namespace) -> int:
    # Everything is checked before the database is opened (or created).
    day = mt.parse_day(args.date)
    meeting = mt.check_meeting(
        d.Meeting(
            date=day,
            title=args.title,
            chair=args.chair,
            location=args.location,
            start_time=args.time,
            expected_specialties=args.specialty or [],
        )
    )
    series = None
    if args.every:
        weekday = mt.parse_weekday(args.every)
        if weekday != day.weekday():
            raise mt.ValidationError(
                f"--date {day} is a {mt.WEEKDAYS[day.weekday()]}, not a {mt.WEEKDAYS[weekday]}"
            )
        series = mt.check_series(
            mt.MeetingSeries(
                title=meeting.title,
                weekday=weekday,
                starts_on=day,
                start_time=meeting.start_time,
                chair=meeting.chair,
                location=meeting.location,
                expected_specialties=meeting.expected_specialties,
                weeks_ahead=args.weeks_ahead,
            )
        )
    with store_for(args, create=True) as store:
        if series is None:
            meeting_id = store.plan_meeting(meeting)
        else:
            series_id = store.create_series(series)
            meeting_id = _series_meeting_on(store, series_id, day, meeting)
    print(meeting_id)
    return 0


def _series_meeting_on(store: Store, series_id: int, day: date, meeting: d.Meeting) -> int:
    found = store.query(
        "SELECT id FROM meetings WHERE series_id = ? AND date = ?", [series_id, day.isoformat()]
    )
    if found:
        return int(found[0]["id"])
    meeting.series_id = series_id
    return store.plan_meeting(meeting)


def run_edit(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        m = store.get_meeting(args.meeting_id)
        if args.date:
            m.date = mt.parse_day(args.date)
        for name in ("title", "chair", "location"):
            if getattr(args, name) is not None:
                setattr(m, name, getattr(args, name))
        if args.time is not None:
            m.start_time = args.time
        if args.specialty is not None:
            m.expected_specialties = args.specialty
        store.edit_meeting(m)
    print(f"Meeting {args.meeting_id} updated.")
    return 0


def run_close(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        report = store.close_meeting(args.meeting_id, default_reason=args.reason)
    print(f"Meeting {args.meeting_id} closed; its minutes are final.")
    _print_report(report)
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    with store_for(args) as store:
        report = store.cancel_meeting(args.meeting_id, args.reason)
    print(f"Meeting {args.meeting_id} cancelled.")
    _print_report(report)
    return 0


def _print_report(report: mt.CarryReport) -> None:
    for line in report.lines():
        print(line)
    if report.needing_meeting:
        print(
            f"{len(report.needing_meeting)} case(s) need a meeting: create one with "
            "'mdt-app meeting create' and queue them with 'mdt-app import --meeting' or the window."
        )
