#!/usr/bin/env bash
# Linux: a one-folder bundle in dist/mdt-assistant plus a tarball with the .desktop file.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .venv-build
.venv-build/bin/pip install -q '.[build]'
.venv-build/bin/pyinstaller --noconfirm packaging/mdt-assistant.spec
install -D -m 644 packaging/linux/mdt-assistant.desktop dist/mdt-assistant/share/applications/mdt-assistant.desktop
install -D -m 644 resources/icons/mdt-assistant.png dist/mdt-assistant/share/icons/hicolor/256x256/apps/mdt-assistant.png
tar -C dist -czf dist/mdt-assistant-linux-x86_64.tar.gz mdt-assistant
echo "built dist/mdt-assistant-linux-x86_64.tar.gz"
