"""The care programme's sections that depend on the patient's situation: the emergency
box, the honest framing of the illness, the plan in the patient's words, what has
happened and what is coming up, tailored check-ups, the sections shown only when they
apply, "what changed" and support. Wording comes from `Words`; facts from
care_programme_facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from mdt_app import domain as d
from mdt_app.documents.care_programme_blocks import (
    Block,
    Bullets,
    Para,
    Section,
    SubHeading,
    Table,
    Words,
)
from mdt_app.documents.care_programme_facts import (
    WORKUP,
    ProgrammeFacts,
    follow_up_plan,
    prior_treatments,
    split_steps,
)
from mdt_app.documents.care_programme_steps import translated_step
from mdt_app.documents.care_programme_support import emergency_number, organisations
from mdt_app.snapshot import OptionsSnapshot

GROUP_ORDER = ("tests", "treatment", "care", "not_for_atc")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- page 1: what to do in an emergency ---------------------------------------------------


def emergency(
    w: Words,
    case: d.Case,
    centre: Mapping[str, Any] | None,
    decision: d.Decision,
    facts: ProgrammeFacts,
) -> Section:
    """One list, one set of thresholds, shown once: call the emergency number now; call
    the 24-hour line now; call the key contact today for the rest."""
    number = emergency_number(centre)
    line = str((centre or {}).get("phone_24h") or "").strip()
    now = list(w.items("emergency.call_now"))
    if facts.brain_metastases:
        now.append(w["emergency.brain"])
    if facts.bone_metastases:
        now.append(w["emergency.bone"])
    blocks: list[Block] = [Bullets(tuple(now), w.fmt("emergency.now", number=number), "alert")]
    urgent = list(w.items("emergency.call_line_items"))
    if facts.systemic:
        urgent.insert(0, w["emergency.fever"])
    if line:
        blocks.append(Bullets(tuple(urgent), w.fmt("emergency.line", line=line), "alert"))
    else:
        blocks.append(Bullets(tuple(urgent), w["emergency.no_line"], "alert"))
    contact = case.care_team
    who = (
        w.fmt(
            "emergency.today_contact",
            name=contact.key_contact_name,
            phone=contact.key_contact_phone or "",
        ).replace(" ()", "")
        if contact.key_contact_name
        else w["emergency.today_team"]
    )
    today = list(w.items("emergency.today_items"))
    last = today.pop()  # "anything new that worries you" closes the list
    for code in dict.fromkeys(decision.chosen_options):
        for item in (w.options.get(code) or {}).get("report") or ():
            text = _one_line(item)
            if text not in today:
                today.append(text)
    # What to do now is never split from its heading; the list for today may run on.
    return Section(
        "emergency",
        w["emergency.heading"],
        tuple(blocks),
        keep_together=True,
        after=(Para(w["emergency.say"]), Bullets((*today, last), who)),
    )


# --- an amended programme -------------------------------------------------------------------


def what_changed(
    w: Words, decision: d.Decision, previous: d.Decision | None
) -> tuple[Section, ...]:
    """A short box: what is new and what is no longer in the plan."""
    if not decision.amends_decision_id:
        return ()
    lines: list[str] = []
    if previous is not None:
        added = [c for c in decision.chosen_options if c not in previous.chosen_options]
        dropped = [c for c in previous.chosen_options if c not in decision.chosen_options]
        for code in added:
            lines.append(w.fmt("changed.added", what=w.option_title(code) or ""))
        for code in dropped:
            lines.append(w.fmt("changed.removed", what=w.option_title(code) or ""))
        before = {(a.description, a.due_date) for a in previous.actions}
        for action in decision.actions:
            if (action.description, action.due_date) not in before:
                lines.append(w.fmt("changed.step", what=action.description))
        if decision.patient_explanation.strip() != previous.patient_explanation.strip():
            lines.append(w["changed.explanation"])
    if not lines:
        lines.append(w["changed.details"])
    blocks: tuple[Block, ...] = (Bullets(tuple(lines), w["changed.intro"], "alert"),)
    return (Section("what_changed", w["changed.heading"], blocks, keep_together=True),)


# --- the illness, honestly -------------------------------------------------------------------


def illness(w: Words, facts: ProgrammeFacts) -> Section:
    """What the stage means and what the treatment aims at, in calm words."""
    blocks: list[Block] = [Para(w["illness.disease"])]
    stages = w["illness.stages"]
    if facts.stage in stages:
        blocks.append(Para(_one_line(stages[facts.stage])))
    blocks.append(SubHeading(w["illness.aim_heading"]))
    for paragraph in w.items(f"illness.aim.{facts.situation}"):
        blocks.append(Para(paragraph))
    blocks.append(Para(w["illness.talk"], "note"))
    return Section("illness", w["illness.heading"], tuple(blocks))


# --- the plan -------------------------------------------------------------------------------


def _group_of(w: Words, code: str) -> str:
    group = (w.options.get(code) or {}).get("group", "treatment")
    return group if group in GROUP_ORDER else "treatment"


def _option_blocks(w: Words, decision: d.Decision, code: str) -> list[Block]:
    text = w.options.get(code)
    if text is None:  # a code this language does not explain yet: never print the code
        return [Para(w["recommendations.unknown_option"])]
    clean = {k: _one_line(v) if isinstance(v, str) else v for k, v in text.items()}
    blocks: list[Block] = [
        SubHeading(clean["title"]),
        Para(clean["what"], label=w["recommendations.what"]),
        Para(clean["why"], label=w["recommendations.why"]),
        Para(clean["how"], label=w["recommendations.how"]),
    ]
    own = (decision.patient_option_explanations or {}).get(code, "").strip()
    if own:
        blocks.append(Para(_one_line(own), "note", label=w["recommendations.for_you"]))
    side_effects = tuple(_one_line(s) for s in clean.get("side_effects") or ())
    if side_effects:
        blocks.append(Bullets(side_effects, label=w["recommendations.side_effects"]))
    return blocks


def _deviation(w: Words, decision: d.Decision) -> list[Block]:
    """A plan that departs from the usual one, said in the patient's words: what would
    usually be offered, and that the doctor will explain why this plan suits them."""
    options = OptionsSnapshot.of(decision.options_snapshot)
    chosen = set(decision.chosen_options)
    recommended = options.codes(d.OptionList.RECOMMENDED) if options else []
    usual = [code for code in recommended if code not in chosen and code not in WORKUP]
    usual_titles = [t for t in (w.option_title(c) for c in usual) if t]
    if not (decision.deviation_reason and decision.deviation_reason.strip()):
        return []
    blocks: list[Block] = [SubHeading(w["deviation.heading"])]
    if usual_titles:
        blocks.append(Bullets(tuple(usual_titles), w["deviation.usual"]))
    blocks.append(Para(w["deviation.different"]))
    if not decision.patient_explanation.strip():
        blocks.append(Para(w["deviation.ask"]))
    return blocks


def recommendations(w: Words, decision: d.Decision) -> Section:
    blocks: list[Block] = [Para(w["recommendations.intro"])]
    if decision.patient_explanation.strip():
        blocks.append(SubHeading(w["recommendations.plan_for_you"]))
        for paragraph in decision.patient_explanation.strip().split("\n\n"):
            if paragraph.strip():
                blocks.append(Para(_one_line(paragraph), "note"))
    blocks.extend(_deviation(w, decision))
    codes = list(dict.fromkeys(decision.chosen_options))  # once each, in the team's order
    if not codes:
        blocks.append(Para(w["recommendations.nothing_chosen"]))
    for group in GROUP_ORDER:
        in_group = [c for c in codes if _group_of(w, c) == group]
        if not in_group:
            continue
        blocks.append(SubHeading(w[f"recommendations.groups.{group}"], level=2))
        for code in in_group:
            blocks.extend(_option_blocks(w, decision, code))
    return Section("recommendations", w["recommendations.heading"], tuple(blocks))


# --- what has happened, what is coming up ----------------------------------------------------


def happened(
    w: Words, case: d.Case, decision: d.Decision, meeting: d.Meeting, today: date
) -> tuple[Section, ...]:
    """Treatments already had and steps whose date has passed (never "coming up")."""
    lines: list[str] = []
    treatments = w["happened.treatments"]
    for prior in prior_treatments(case):
        what = _one_line(treatments.get(prior.type) or treatments["other"])
        if prior.started_on and prior.ongoing:
            lines.append(w.fmt("happened.since", what=what, when=w.month(prior.started_on)))
        elif prior.started_on:
            lines.append(w.fmt("happened.when", what=what, when=w.month(prior.started_on)))
        else:
            lines.append(what)
    lines.append(w.fmt("happened.meeting", date=w.day(meeting.date)))
    past = split_steps(decision.actions, today).past
    blocks: list[Block] = [Bullets(tuple(lines))]
    if past:
        steps = [_step(w, a) for a in past]
        rows = tuple((text, w.day(a.due_date)) for (text, _), a in zip(steps, past, strict=True))
        header = (w["next_steps.what"], w["next_steps.when"])
        blocks.append(Para(w["happened.steps_intro"]))
        blocks.append(Table(header, rows, widths=(0.7, 0.3)))
        blocks.append(Para(w["happened.steps_check"], "small"))
        if not all(ok for _, ok in steps):
            blocks.append(Para(w["next_steps.as_typed"], "small"))
    return (Section("happened", w["happened.heading"], tuple(blocks)),)


def coming_up(w: Words, decision: d.Decision, today: date) -> Section:
    coming = split_steps(decision.actions, today).coming
    if not coming:
        return Section("next_steps", w["next_steps.heading"], (Para(w["next_steps.none"]),))
    steps = [_step(w, a) for a in coming]
    rows = tuple(
        (
            text,
            a.owner or w["next_steps.who_default"],
            w.day(a.due_date) if a.due_date else w["next_steps.when_default"],
        )
        for (text, _), a in zip(steps, coming, strict=True)
    )
    header = (w["next_steps.what"], w["next_steps.who"], w["next_steps.when"])
    blocks: tuple[Block, ...] = (
        Para(w["next_steps.intro"]),
        Table(header, rows, widths=(0.46, 0.3, 0.24)),
    )
    if not all(ok for _, ok in steps):
        blocks += (Para(w["next_steps.as_typed"], "small"),)
    return Section("next_steps", w["next_steps.heading"], blocks)


def _step(w: Words, action: d.Action) -> tuple[str, bool]:
    """A next step's words: the option's patient title in the programme's language when
    the step is one of the pathway's own, else the clinician's text as typed."""
    return translated_step(action.description, w.language, w.options)


# --- check-ups --------------------------------------------------------------------------------


def follow_up(w: Words, case: d.Case, decision: d.Decision, facts: ProgrammeFacts) -> Section:
    months = decision.follow_up_months
    weeks_set = decision.follow_up_weeks  # set in weeks at the meeting: say it in weeks
    if facts.comfort_only or facts.poor_ps:
        interval = w["follow_up.interval_comfort"]
    elif weeks_set:
        interval = w.fmt("follow_up.interval_weeks", weeks=w.number(weeks_set))
    elif months == 1:
        interval = w["follow_up.interval_one"]
    else:
        interval = w.fmt("follow_up.interval", months=w.number(months))
    weeks = ((decision.options_snapshot or {}).get("settings") or {}).get(
        "response_imaging_weeks", 6
    )
    items = tuple(
        w.fmt(f"follow_up.items.{item}", weeks=w.number(weeks))
        for item in follow_up_plan(facts, decision)
    )
    blocks: list[Block] = [Para(interval), Bullets(items, label=w["follow_up.includes"])]
    contact = case.care_team.key_contact_name
    who = (
        w.fmt("follow_up.arranged_by", contact=contact)
        if contact
        else w["follow_up.arranged_by_team"]
    )
    blocks.append(Para(who))
    return Section("follow_up", w["follow_up.heading"], tuple(blocks))


# --- sections shown only when they apply --------------------------------------------------------


def _topic(w: Words, key: str, extra: tuple[str, ...] = ()) -> Section:
    blocks: list[Block] = [Para(p) for p in w.items(f"{key}.paragraphs")]
    for sub in w.t[key].get("lists") or ():
        blocks.append(SubHeading(_one_line(sub["heading"])))
        blocks.append(Bullets(tuple(_one_line(i) for i in sub["items"])))
    blocks.extend(Para(p) for p in extra)
    return Section(key, w[f"{key}.heading"], tuple(blocks))


def living_with(w: Words, facts: ProgrammeFacts) -> tuple[Section, ...]:
    out: list[Section] = []
    if facts.eating_matters:
        out.append(_topic(w, "eating"))
    if facts.tracheostomy:
        out.append(_topic(w, "tracheostomy"))
    if facts.comfort_only or "CRISIS_PLAN" in facts.chosen:
        out.append(_topic(w, "home_plan"))
    if facts.on_braf_mek:
        contraception = {
            "female": w["braf_mek.contraception_female"],
            "male": w["braf_mek.contraception_male"],
        }.get(facts.sex, w["braf_mek.contraception_any"])
        out.append(_topic(w, "braf_mek", (contraception,)))
    return tuple(out)


# --- help and support ----------------------------------------------------------------------


def support(w: Words, case: d.Case, centre: Mapping[str, Any] | None) -> Section:
    blocks: list[Block] = [Para(w["support.intro"])]
    blocks.append(Bullets(w.items("support.items")))
    contact = case.care_team.key_contact_name
    if contact:
        blocks.append(Para(w.fmt("support.ask_contact", contact=contact)))
    orgs = organisations(centre, w.language)
    if orgs:
        blocks.append(SubHeading(w["support.organisations"]))
        rows = tuple(((o.name, o.web), o.about) for o in orgs)
        header = (w["support.organisation"], w["support.about"])
        blocks.append(Table(header, rows, widths=(0.38, 0.62)))
        blocks.append(Para(w["support.organisations_note"], "small"))
    return Section("support", w["support.heading"], tuple(blocks))
