"""`mdt-app centre [--name TEXT] [--phone-24h NUMBER] [--country CC] ...`: show or set the
centre printed on care programmes and minutes (the 24-hour line and the country's
emergency number fill the programme's emergency box)."""

from __future__ import annotations

import argparse
import re

from mdt_app.commands._common import store_for
from mdt_app.errors import ValidationError

FIELDS = (  # setting key, option, help
    ("name", "--name", "the centre's name"),
    ("address", "--address", "postal address"),
    ("phone", "--phone", "main phone number"),
    ("phone_24h", "--phone-24h", "the line patients can call day and night"),
    ("email", "--email", "email address"),
    ("country", "--country", "ISO country code (GB, FR, DE...): emergency number, groups"),
    ("emergency_number", "--emergency-number", "the public emergency number, if not the country's"),
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "centre",
        parents=[common],
        help="show or set the centre printed on care programmes",
        description="Without options, print the centre's settings. With options, change "
        "them (an empty value removes one); the change is recorded in the audit log.",
    )
    for key, option, text in FIELDS:
        p.add_argument(option, dest=key, metavar="TEXT", help=text)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    changes = {key: getattr(args, key) for key, _o, _h in FIELDS if getattr(args, key) is not None}
    country = (changes.get("country") or "").strip()
    if country and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise ValidationError(f"--country {country!r}: use a two-letter ISO code such as GB")
    for key in ("phone", "phone_24h", "emergency_number"):
        value = (changes.get(key) or "").strip()
        if value and not re.fullmatch(r"[+0-9 ()./-]{2,30}", value):
            raise ValidationError(f"--{key.replace('_', '-')} {value!r}: not a phone number")
    with store_for(args) as store:
        current = store.get_setting("centre")
        centre = dict(current) if isinstance(current, dict) else {}
        if changes:
            for key, value in changes.items():
                value = value.strip().upper() if key == "country" else value.strip()
                if value:
                    centre[key] = value
                else:
                    centre.pop(key, None)
            store.set_setting("centre", centre)
    for key, option, _h in FIELDS:
        print(f"{option[2:]}\t{centre.get(key, '')}")
    return 0
