"""Nothing written for the patient needs no glossary (issue 17: every case opened and
every empty draft checked the words for shorthand, building 150 patterns the first time)."""

from __future__ import annotations

import subprocess
import sys


def test_no_words_no_glossary_and_words_still_checked():
    code = (
        "import sys\n"
        "from mdt_app.documents.care_programme_check import shorthand_in\n"
        "assert shorthand_in('', 'en') == [] and shorthand_in(' \\n ', 'en') == []\n"
        "print('mdt_app.documents.care_programme_content' in sys.modules)\n"
        "print(shorthand_in('Start IMRT bd', 'en'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    unloaded, found = done.stdout.strip().splitlines()
    assert unloaded == "False"
    assert "bd" in found
