"""Several clients on one database, and a meeting that goes on when it is out of reach.

- `change_feed`: "tell me what changed since I last asked, and by whom" (SQLite between
  processes on one machine; the hook where the PostgreSQL LISTEN/NOTIFY feed plugs in).
- `changes`: one change read from the audit log, resolved to the meeting, case and
  decision it concerns.
- `refresh`: which parts of the meeting screen a batch of changes makes stale.
- `local_drafts`: the decision typed while the database could not be reached, kept in a
  private file on this computer until it is saved (or exported).

No Qt here: the window polls the feed with a timer (`ui/live_refresh.py`).
"""
