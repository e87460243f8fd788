"""What changed between two pathway files: the listing a clinical-safety officer signs.

`mdt-app guideline diff OLD NEW` compares settings, option codes and titles, rules
(by id: added, removed, changed field by field) and the citations used anywhere.
OLD and NEW are pathway files or versions: the shipped version, or one kept under
resources/guidelines/history/ as atc-<version>.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mdt_app.guideline.engine import load_pathway
from mdt_app.guideline.pathway import Pathway, PathwayError
from mdt_app.guideline.text import _rule_dict, settings_lines
from mdt_app.paths import resource_path

HISTORY = ("guidelines", "history")


def resolve(ref: str) -> Pathway:
    """The pathway a command-line reference names: a file, or a version number."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_pathway(path)
    shipped = load_pathway()
    if ref == shipped.version:
        return shipped
    kept = resource_path(*HISTORY, f"{shipped.id}-{ref}.yaml")
    if Path(kept).exists():
        return load_pathway(kept)
    known = sorted(
        {shipped.version}
        | {p.stem.split("-", 1)[1] for p in Path(resource_path(*HISTORY)).glob("*-*.yaml")}
    )
    raise PathwayError(
        f"{ref}: no such pathway file or version (known versions: {', '.join(known)})"
    )


@dataclass
class PathwayDiff:
    old: Pathway
    new: Pathway
    settings: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codes_removed: list[str] = field(default_factory=list)
    titles_changed: list[tuple[str, str, str]] = field(default_factory=list)
    rules_added: list[str] = field(default_factory=list)
    rules_removed: list[str] = field(default_factory=list)
    rules_changed: dict[str, list[tuple[str, object, object]]] = field(default_factory=dict)
    citations_added: list[str] = field(default_factory=list)
    citations_removed: list[str] = field(default_factory=list)
    options_added: list[str] = field(default_factory=list)  # codes some rule now emits
    options_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            getattr(self, name)
            for name in (
                "settings",
                "codes_added",
                "codes_removed",
                "titles_changed",
                "rules_added",
                "rules_removed",
                "rules_changed",
                "citations_added",
                "citations_removed",
            )
        )


def _settings(p: Pathway) -> dict[str, str]:
    out = dict(line.split(": ", 1) for line in settings_lines(p))
    for name in out:
        if name not in p.settings.given:
            out[name] += " (default: not in the file)"
    return out


def _citations(p: Pathway) -> set[str]:
    return {c for r in p.rules for c in r.cite}


def _emitted(p: Pathway) -> set[str]:
    return {code for r in p.rules for code in r.codes()}


def compare(old: Pathway, new: Pathway) -> PathwayDiff:
    """Every difference between two pathways, in file order where there is one."""
    out = PathwayDiff(old, new)
    so, sn = _settings(old), _settings(new)
    for name in dict.fromkeys([*so, *sn]):
        if so.get(name) != sn.get(name):
            out.settings.append((name, so.get(name), sn.get(name)))
    out.codes_added = [c for c in new.titles if c not in old.titles]
    out.codes_removed = [c for c in old.titles if c not in new.titles]
    out.titles_changed = [
        (c, old.titles[c], new.titles[c])
        for c in new.titles
        if c in old.titles and old.titles[c] != new.titles[c]
    ]
    old_rules = {r.id: _rule_dict(r) for r in old.rules}
    new_rules = {r.id: _rule_dict(r) for r in new.rules}
    out.rules_added = [rid for rid in new_rules if rid not in old_rules]
    out.rules_removed = [rid for rid in old_rules if rid not in new_rules]
    for rid, now in new_rules.items():
        before = old_rules.get(rid)
        if before is None:
            continue
        changes = [(k, before.get(k), now[k]) for k in now if before.get(k) != now[k]]
        if changes:
            out.rules_changed[rid] = changes
    co, cn = _citations(old), _citations(new)
    out.citations_added = sorted(cn - co)
    out.citations_removed = sorted(co - cn)
    eo, en = _emitted(old), _emitted(new)
    out.options_added = sorted(en - eo)
    out.options_removed = sorted(eo - en)
    return out


def diff_text(diff: PathwayDiff) -> str:
    """The comparison as plain text."""
    o, n = diff.old, diff.new
    lines = [
        f"Pathway {o.id} {o.version} -> {n.id} {n.version}",
        f"old: {o.source}",
        f"new: {n.source}",
    ]
    if diff.empty:
        return "\n".join([*lines, "", "No differences."])

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.extend(["", f"{title} ({len(items)}):", *(f"  {i}" for i in items)])

    section(
        "Settings changed",
        [f"{k}: {a or '(none)'} -> {b or '(none)'}" for k, a, b in diff.settings],
    )
    section("Option codes added", [f"+ {c}: {n.titles[c]}" for c in diff.codes_added])
    section("Option codes removed", [f"- {c}: {o.titles[c]}" for c in diff.codes_removed])
    section("Option titles changed", [f"{c}: {a!r} -> {b!r}" for c, a, b in diff.titles_changed])
    section("Options now emitted by some rule", diff.options_added)
    section("Options no longer emitted", diff.options_removed)
    section("Rules added", [f"+ {rid}" for rid in diff.rules_added])
    section("Rules removed", [f"- {rid}" for rid in diff.rules_removed])
    if diff.rules_changed:
        lines.extend(["", f"Rules changed ({len(diff.rules_changed)}):"])
        for rid, changes in diff.rules_changed.items():
            lines.append(f"  ~ {rid}")
            for key, before, after in changes:
                lines.append(f"      {key}: {_short(before)}")
                lines.append(f"      {' ' * len(key)}  -> {_short(after)}")
    section("Citations added", diff.citations_added)
    section("Citations removed", diff.citations_removed)
    counts = (
        f"{len(diff.rules_added)} rules added, {len(diff.rules_removed)} removed, "
        f"{len(diff.rules_changed)} changed; {len(diff.settings)} settings changed"
    )
    return "\n".join([*lines, "", counts + "."])


def _short(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 300 else text[:297] + "..."


def diff_dict(diff: PathwayDiff) -> dict:
    """The comparison as data (`guideline diff --json`)."""
    return {
        "old": {"id": diff.old.id, "version": diff.old.version, "file": diff.old.source},
        "new": {"id": diff.new.id, "version": diff.new.version, "file": diff.new.source},
        "settings_changed": [{"setting": k, "old": a, "new": b} for k, a, b in diff.settings],
        "codes_added": diff.codes_added,
        "codes_removed": diff.codes_removed,
        "titles_changed": [{"code": c, "old": a, "new": b} for c, a, b in diff.titles_changed],
        "options_added": diff.options_added,
        "options_removed": diff.options_removed,
        "rules_added": diff.rules_added,
        "rules_removed": diff.rules_removed,
        "rules_changed": {
            rid: [{"field": k, "old": a, "new": b} for k, a, b in changes]
            for rid, changes in diff.rules_changed.items()
        },
        "citations_added": diff.citations_added,
        "citations_removed": diff.citations_removed,
    }
