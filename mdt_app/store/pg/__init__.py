"""The store on a PostgreSQL server (issue 19): the team database.

`connection.py` gives the repositories the small part of sqlite-utils' `Database` they
use, over psycopg 3 (``?`` placeholders translated); `schema.py` holds the versioned
migrations with the same integrity rules as the SQLite file, enforced by triggers;
`open.py` opens a store on a ``postgresql://`` URL from a small connection pool.
"""
