"""The repository documents itself: nothing in it points at a file outside it.

A person who clones the repository has only the repository; references to the project's
working notes elsewhere (the shared folder beside it, its contracts and clinical notes)
would send them nowhere. The documentation they need is under docs/.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".git", ".venv", ".venv-build", "build", "dist", "__pycache__", "out"}
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".json", ".txt", ".sh", ".spec", ""}
# Built from parts so that this file does not match itself.
OUTSIDE = ("../" + "shared", "/work/" + "shared", "contracts" + ".md", "atc-" + "pathway.md")


def _files():
    for path in ROOT.rglob("*"):
        if any(part in SKIPPED_DIRS for part in path.relative_to(ROOT).parts):
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield path


def test_nothing_refers_to_a_path_outside_the_repository():
    found = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for n, line in enumerate(text.splitlines(), start=1):
            if any(marker in line for marker in OUTSIDE):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "references outside the repository:\n" + "\n".join(found)


def test_the_docs_the_readme_names_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("case-format.md", "option-codes.md", "development.md", "architecture.md"):
        assert f"docs/{name}" in readme
        assert (ROOT / "docs" / name).is_file(), name
