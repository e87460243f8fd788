#!/usr/bin/env bash
# macOS: dist/MDT Assistant.app and a compressed disk image.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .venv-build
.venv-build/bin/pip install -q '.[build]'
.venv-build/bin/pyinstaller --noconfirm packaging/mdt-assistant.spec
hdiutil create -volname "MDT Assistant" -srcfolder "dist/MDT Assistant.app" -ov -format UDZO \
  dist/MDT-Assistant.dmg
echo "built dist/MDT-Assistant.dmg"
