"""The PostgreSQL integrity rules are written from one template (store/pg/schema.py
``row_guard``): a shipped migration's SQL must stay exactly as it shipped, so a change to
the template cannot rewrite it."""

from __future__ import annotations

import hashlib

from mdt_app.store.pg import schema

# p002 as it shipped (before the template), and as every server database applied it.
P002_SHA256 = "1f9396285db607873d83ff7ee1c4d43f61c1b1b8ce1fc2975022aafac524c3ea"


def test_the_shipped_integrity_rules_are_unchanged():
    (p002,) = [m for m in schema.MIGRATIONS if m.name == "p002_integrity_rules"]
    assert hashlib.sha256(p002.sql.encode()).hexdigest() == P002_SHA256


def test_a_row_guard_lets_a_row_through_as_its_operation_needs():
    insert_only = schema.row_guard("mdt_g", "g", "INSERT", "t", "    NULL;\n")
    assert insert_only == (
        "CREATE FUNCTION mdt_g() RETURNS trigger\n"
        "LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "    NULL;\n"
        "    RETURN NEW;\n"
        "END $$;\n\n"
        "CREATE TRIGGER g BEFORE INSERT ON t\n"
        "    FOR EACH ROW EXECUTE FUNCTION mdt_g();\n"
    )
    with_delete = schema.row_guard(
        "mdt_g", "g", "UPDATE OR DELETE", "t", "    NULL;\n", declare="    n INT;\n"
    )
    assert "DECLARE\n    n INT;\nBEGIN\n" in with_delete
    assert "    IF TG_OP = 'DELETE' THEN\n        RETURN OLD;\n    END IF;\n    RETURN NEW;\n" in (
        with_delete
    )


def test_a_refusal_is_an_integrity_violation_with_its_message():
    assert schema.refuse("no", 4) == (
        "    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',\n"
        "        MESSAGE = 'no';\n"
    )
