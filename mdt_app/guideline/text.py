"""Plain-text renderings: a case's options, and the pathway's review listing."""

from __future__ import annotations

import textwrap

from mdt_app.domain import Case, Option, Recommendation
from mdt_app.guideline.conditions import describe
from mdt_app.guideline.pathway import Pathway
from mdt_app.guideline.rules import Rule
from mdt_app.guideline.warning_levels import ordered

WIDTH = 100
HEADINGS = {
    "recommended": "Recommended",
    "consider": "Consider",
    "not_recommended": "Not recommended",
    "missing": "Missing data (work-up)",
}


def _wrap(label: str, text: str, indent: int = 6) -> list[str]:
    pad = " " * indent
    return textwrap.wrap(
        text, WIDTH, initial_indent=f"{pad}{label}", subsequent_indent=pad + " " * len(label)
    )


def recommendation_text(rec: Recommendation, case: Case | None = None) -> str:
    """A readable summary of one Recommendation (the plain `mdt-app recommend`)."""
    lines: list[str] = []
    if case is not None:
        name = case.patient.display_name or "(no name)"
        lines.append(f"Case: {name}, MRN {case.patient.mrn}; TNM {case.tnm}")
    lines.append(f"Stage: {rec.stage} ({rec.stage_basis})")
    lines.append(f"Guideline: {rec.guideline_title} [{rec.guideline_id} {rec.guideline_version}]")
    for name, options in rec.lists().items():
        lines.append("")
        lines.append(f"{HEADINGS[name]}:")
        lines.extend(_option_lines(o) for o in options)
        if not options:
            lines.append("  (none)")
    if rec.warnings:
        pairs = ordered(rec.warnings)
        critical = sum(1 for c, _ in pairs if c)
        lines.append("")
        lines.append(f"Warnings ({len(pairs)}, {critical} safety-critical, marked [!]):")
        lines.extend(f"  ! {'[!] ' if c else ''}{w}" for c, w in pairs)
    return "\n".join(lines)


def _option_lines(option: Option) -> str:
    lines = [f"  {option.code}: {option.title}"]
    lines += _wrap("why: ", option.rationale)
    lines += _wrap("sources: ", "; ".join(option.sources))
    return "\n".join(lines)


def pathway_text(pathway: Pathway) -> str:
    """Every rule with its condition, options and citations: the listing a reviewer signs."""
    lines = [
        f"{pathway.title}",
        f"id: {pathway.id}   version: {pathway.version}   file: {pathway.source}",
        *textwrap.wrap(pathway.description, WIDTH),
        "",
        "Settings:",
        *(f"  {line}" for line in settings_lines(pathway)),
    ]
    group = None
    for rule in pathway.rules:
        if rule.group != group:
            group = rule.group
            lines += ["", f"== {group} =="]
        lines += ["", *rule_lines(rule, pathway)]
    lines += ["", f"{len(pathway.rules)} rules."]
    return "\n".join(lines)


def settings_lines(pathway: Pathway) -> list[str]:
    s = pathway.settings
    values = {
        "good_ps_max_ecog": f"good performance status = ECOG 0-{s.good_ps_max_ecog}",
        "poor_ps_min_ecog": f"poor performance status = ECOG {s.poor_from} or more",
        "pdl1_high_min_tps": f"PD-L1 high = TPS {s.pdl1_high_min_tps:g}% or more",
        "tmb_high_min_mut_per_mb": f"TMB high = {s.tmb_high_min_mut_per_mb:g} mut/Mb or more",
        "egfr_cisplatin_min": f"avoid cisplatin below eGFR {s.egfr_cisplatin_min:g} mL/min/1.73m2",
        "egfr_contrast_min": f"iodinated contrast caution below eGFR {s.egfr_contrast_min:g}",
        "treatment_start_target_days": f"treatment start within {s.treatment_start_target_days} "
        "days of tissue diagnosis",
        "response_imaging_weeks": f"first response imaging {s.response_imaging_weeks} weeks "
        "after starting systemic therapy",
        "reproductive_age_min": f"pregnancy checked from age {s.reproductive_age_min}",
        "reproductive_age_max": f"pregnancy checked up to age {s.reproductive_age_max}",
        "surveillance_interval_months": f"surveillance imaging every "
        f"{s.surveillance_interval_months} months",
    }
    return [_setting_line(k, v, s.note(k)) for k, v in values.items()]


def _setting_line(name: str, value: str, note: str | None) -> str:
    return f"{name}: {value}" + (f" [unverified: {note}]" if note else "")


def rule_lines(rule: Rule, pathway: Pathway) -> list[str]:
    lines = [f"[{rule.id}]"]
    lines += _wrap("when: ", describe(rule.when), 2)
    for name, code in rule.emit:
        lines += _wrap(f"{name}: ", f"{code} ({pathway.title_of(code)})", 2)
    if rule.offered:
        groups = " and ".join("(" + " or ".join(g) + ")" for g in rule.offered)
        lines += _wrap("if offered: ", groups, 2)
    for _, code in rule.emit:
        template = rule.title_for(code)
        if template:
            lines += _wrap(f"title of {code}: ", template, 2)
    if rule.overrides:
        text = ", ".join(rule.overrides) + " -> not_recommended, if another rule offered them"
        lines += _wrap("overrides: ", text, 2)
    if rule.caps:
        text = ", ".join(rule.caps) + " -> at most consider, if another rule offered them"
        lines += _wrap("caps: ", text, 2)
    if rule.removes:
        text = ", ".join(rule.removes) + " -> not listed, if another rule offered them"
        lines += _wrap("removes: ", text, 2)
    if rule.rationale:
        lines += _wrap("rationale: ", rule.rationale, 2)
    if rule.warn:
        lines += _wrap("warning: ", rule.warn, 2)
    if rule.unverified:
        lines += _wrap("UNVERIFIED: ", rule.unverified, 2)
    lines += _wrap("cite: ", "; ".join(rule.cite), 2)
    return lines


def pathway_dict(pathway: Pathway) -> dict:
    """The review listing as data (`mdt-app guideline show --json`)."""
    return {
        "id": pathway.id,
        "title": pathway.title,
        "version": pathway.version,
        "description": pathway.description,
        "settings": settings_lines(pathway),
        "codes": dict(pathway.titles),
        "rules": [_rule_dict(rule) for rule in pathway.rules],
    }


def _rule_dict(rule: Rule) -> dict:
    emit: dict[str, list[str]] = {}
    for name, code in rule.emit:
        emit.setdefault(name, []).append(code)
    return {
        "id": rule.id,
        "group": rule.group,
        "when": describe(rule.when),
        "emit": emit,
        "overrides": list(rule.overrides),
        "caps": list(rule.caps),
        "removes": list(rule.removes),
        "titles": dict(rule.titles),
        "offered": [list(g) for g in rule.offered],
        "rationale": rule.rationale,
        "warn": rule.warn,
        "unverified": rule.unverified,
        "cite": list(rule.cite),
    }
