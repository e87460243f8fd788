"""Each agenda case's option rows are built in idle time once the meeting is on screen
(issue 17: a case's first visit was the slowest switch). What is shown never changes
until the chair opens the case, and opening it shows exactly the rows prepared."""

from __future__ import annotations

from mdt_app.errors import NotFound, StoreError
from mdt_app.snapshot import OptionsSnapshot


def _idle(qtbot, w) -> None:
    qtbot.waitUntil(lambda: not w.warm_up.timer.isActive(), timeout=10000)


def test_every_agenda_case_has_its_rows_before_it_is_opened(qtbot, meeting_window):
    w = meeting_window
    _idle(qtbot, w)
    shown_before = dict(w.options.rows)
    later = [line for line in w.session.lines if line.item_id != w.session.item.id]
    assert later and {line.item_id for line in w.session.lines} <= w.warm_up.done
    evaluations = w.session.core.guidance.evaluations
    for line in later:
        rec = w.session.preview_item(line.item_id)  # the cache: no new evaluation
        snapshot = OptionsSnapshot.of(rec.as_dict())
        for group in w.options.groups:
            for option in w.options._options_of(snapshot, group):
                row = w.options.pool[(group, option.code)]
                assert row.parent() is w.options.groups[group]
    assert w.session.core.guidance.evaluations == evaluations
    assert w.options.rows == shown_before  # nothing on screen changed
    assert all(row.isVisible() for row in w.options.rows.values())
    visible = {id(r) for r in w.options.rows.values()}
    assert not any(r.isVisible() for r in w.options.pool.values() if id(r) not in visible)
    # opening a later case evaluates nothing and shows the prepared rows, filled
    target = next(x for x in later if not x.decided)
    pool = dict(w.options.pool)
    w.session.open_item(target.item_id)
    assert w.session.core.guidance.evaluations == evaluations
    assert w.options.rows and all(r.isVisible() for r in w.options.rows.values())
    assert all(pool.get((r.group, r.code)) is r for r in w.options.rows.values())
    assert all(r.title.text() for r in w.options.rows.values())


def test_a_database_away_stops_the_warm_up_and_a_missing_item_is_skipped(
    qtbot, meeting_window, monkeypatch
):
    w = meeting_window
    _idle(qtbot, w)
    lines = w.session.lines
    w.warm_up.done.clear()
    asked: list[int] = []

    def missing(item_id):
        asked.append(item_id)
        raise NotFound("no such agenda item")

    monkeypatch.setattr(w.session, "preview_item", missing)
    w.warm_up.offer(lines)
    _idle(qtbot, w)
    assert asked == [line.item_id for line in lines]  # each skipped, the rest still tried

    def away(item_id):
        asked.append(item_id)
        raise StoreError("the database cannot be reached")

    asked.clear()
    w.warm_up.done.clear()
    monkeypatch.setattr(w.session, "preview_item", away)
    w.warm_up.offer(lines)
    _idle(qtbot, w)
    assert asked == [lines[0].item_id] and w.warm_up.pending == []
