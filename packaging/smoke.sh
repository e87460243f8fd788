#!/usr/bin/env bash
# Smoke test of the frozen bundle: build it with PyInstaller from a clean clone of this
# checkout's HEAD (only committed files, as a release would), then run every command a
# user would run of the frozen `mdt-app` and open the window offscreen for 3 seconds.
#
#   packaging/smoke.sh            # exit 0 when every check passed
#   SMOKE_KEEP=1 packaging/smoke.sh   # keep the clone and the bundle (path printed)
#
# The build venv is .venv-build/ in this checkout (kept between runs, ignored by git);
# SMOKE_VENV=DIR uses another. Needs git, python3 with venv, and the system libraries of
# the README.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${SMOKE_VENV:-$ROOT/.venv-build}
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mdt-smoke.XXXXXX")
cleanup() {
  if [ "${SMOKE_KEEP:-}" = 1 ]; then echo "smoke: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say() { echo "smoke: $*"; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
  say "note: uncommitted changes are not part of the clean clone"
fi
CLONE=$WORK/src
git clone -q "$ROOT" "$CLONE"
git -C "$CLONE" checkout -q --detach "$(git -C "$ROOT" rev-parse HEAD)"
say "clean clone of $(git -C "$CLONE" log -1 --format='%h %s')"

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "$CLONE[build]" >"$WORK/pip.log" 2>&1 \
  || { tail -20 "$WORK/pip.log" >&2; fail "pip could not install the clone into $VENV"; }
VPY=$VENV/bin/python

started=$(date +%s)
(cd "$CLONE" && "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$WORK/dist" --workpath "$WORK/build" packaging/mdt-assistant.spec) \
  >"$WORK/pyinstaller.log" 2>&1 \
  || { tail -30 "$WORK/pyinstaller.log" >&2; fail "PyInstaller could not build the bundle"; }
say "bundle built in $(($(date +%s) - started)) s: $(du -sh "$WORK/dist/mdt-assistant" | cut -f1)"

BUNDLE=$WORK/dist/mdt-assistant
APP=$BUNDLE/mdt-app
WINDOW=$BUNDLE/mdt-assistant
[ -x "$APP" ] && [ -x "$WINDOW" ] || fail "the bundle lacks mdt-app or mdt-assistant"

# The frozen app runs in a home of its own: nothing read from or written to the user's.
export HOME=$WORK/home XDG_DATA_HOME=$WORK/home/data XDG_CONFIG_HOME=$WORK/home/config
unset MDT_APP_DB
mkdir -p "$HOME"
DB=$WORK/demo.db
OUT=$WORK/out
mkdir -p "$OUT"

version=$("$APP" --version)
expected=$("$VPY" -c 'import mdt_app; print(mdt_app.__version__)')
[ "$version" = "mdt-app $expected" ] || fail "--version printed '$version'"
say "ok --version: $version"

"$APP" demo --db "$DB" >/dev/null
say "ok demo --db"

"$APP" --db "$DB" meetings >"$OUT/meetings.tsv"
"$APP" --db "$DB" cases --json >"$OUT/cases.json"
# A case with a signed decision, and its meeting: the care programme and minutes need one.
read -r CASE_ID MEETING_ID < <("$VPY" - "$OUT/cases.json" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
signed = [r for r in rows if r["decision_status"] in ("signed", "amended") and r["meeting_id"]]
if not signed:
    sys.exit("no case with a signed decision in the demo database")
print(signed[0]["id"], signed[0]["meeting_id"])
EOF
)
say "ok cases: $("$VPY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT/cases.json") cases; using case $CASE_ID, meeting $MEETING_ID"

"$APP" --db "$DB" care-programme "$CASE_ID" -o "$OUT/pcp.pdf" >/dev/null
head -c 5 "$OUT/pcp.pdf" | grep -q '%PDF-' || fail "care-programme did not write a PDF"
say "ok care-programme: $(wc -c <"$OUT/pcp.pdf") bytes"

for suffix in pdf docx csv json; do
  "$APP" --db "$DB" minutes "$MEETING_ID" -o "$OUT/minutes.$suffix" >/dev/null
done
"$VPY" - "$OUT" <<'EOF' || fail "the frozen minutes are not what they should be"
import csv, json, sys
from pathlib import Path

import docx

out = Path(sys.argv[1])
assert (out / "minutes.pdf").read_bytes().startswith(b"%PDF-"), "minutes.pdf is no PDF"
document = docx.Document(str(out / "minutes.docx"))  # python-docx must open it
text = "\n".join(p.text for p in document.paragraphs)
assert "Minutes of the multidisciplinary team meeting" in text, "DOCX has no minutes text"
assert document.tables, "DOCX has no tables"
rows = list(csv.DictReader(open(out / "minutes.csv", encoding="utf-8-sig", newline="")))
assert rows, "CSV has no rows"
bundle = json.loads((out / "minutes.json").read_text(encoding="utf-8"))
assert bundle["resourceType"] == "Bundle" and bundle["entry"], "JSON is no FHIR Bundle"
print(f"smoke: ok minutes: pdf, docx ({len(document.tables)} tables), "
      f"csv ({len(rows)} rows), json ({len(bundle['entry'])} entries)")
EOF

"$APP" recommend "$CLONE/tests/fixtures/import/valid_case.json" --json >"$OUT/recommend.json"
"$VPY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["stage"] and "recommended" in r; print("smoke: ok recommend: stage", r["stage"], "-", len(r["recommended"]), "recommended")' "$OUT/recommend.json"

# No display: one line and exit 1, never Qt's abort.
set +e
err=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$WINDOW" --db "$DB" 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "no display: rc $rc: $err"
say "ok no display: $err"
# A display nobody serves (or X11 libraries missing here): one line too, found through
# the frozen bundle's own Qt plugin folder.
set +e
err=$(env -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM DISPLAY=:987 "$WINDOW" --db "$DB" 2>&1)
rc=$?
set -e
[ "$rc" = 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "DISPLAY=:987: rc $rc: $err"
case $err in
  *"is missing"* | *"cannot reach the X display"*) say "ok unusable display: $err" ;;
  *) fail "DISPLAY=:987 gave: $err" ;;
esac

# The window, offscreen, for 3 seconds: still running when the time is up (exit 124).
set +e
QT_QPA_PLATFORM=offscreen timeout 3 "$WINDOW" --db "$DB" >"$OUT/window.log" 2>&1
rc=$?
set -e
[ "$rc" = 124 ] || fail "the window did not stay open 3 s (exit $rc): $(tail -5 "$OUT/window.log")"
if grep -q "Traceback" "$OUT/window.log" || grep -qs " ERROR " "$XDG_DATA_HOME"/mdt-assistant/logs/*.log; then
  fail "the window reported an error: $(tail -5 "$OUT/window.log")"
fi
say "ok window: open offscreen for 3 s"

say "all checks passed"
