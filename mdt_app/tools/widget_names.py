"""`python -m mdt_app.tools.widget_names`: docs/widget-names.md, the window's object names.

GUI automation and screen readers find the window's parts by `objectName`. The names
in the first table are a fixed public interface (never renamed); the actions and buttons
after it come from the core's role table (`mdt_app/security/roles.py`), so the page
lists every action the window has and who is offered it:

    python -m mdt_app.tools.widget_names > docs/widget-names.md   # regenerate

tests/test_widget_names_doc.py fails while the committed page differs from this output,
and checks that every name on it exists in the built window.
"""

from __future__ import annotations

import sys

from mdt_app.security import roles

REGENERATE = "python -m mdt_app.tools.widget_names > docs/widget-names.md"

# The fixed names: (objectName, what it is). Renaming one breaks users' automation.
FIXED: tuple[tuple[str, str], ...] = (
    ("mainWindow", "the main window (QMainWindow)"),
    ("meetingSelector", "picks the meeting whose agenda is shown"),
    ("caseQueue", "the agenda: one row per case on it (a QAbstractItemView)"),
    ("patientBanner", "name, birth date, MRN and age of the patient on screen"),
    ("stagingSummary", "TNM, the AJCC stage and what it rests on"),
    ("imagingTable", "the imaging summaries (a QAbstractItemView)"),
    ("labsTable", "the laboratory results (a QAbstractItemView)"),
    ("guidelineOptions", "the guideline options: recommended, consider, not recommended, missing"),
    ("decisionForm", "where the decision is recorded"),
    ("signOffButton", "the chair's sign-off of the decision"),
    ("printCareProgrammeButton", "prints or saves the patient's care programme"),
    ("exportMinutesAction", "action: export the meeting's minutes"),
    ("newMeetingAction", "action: plan a new meeting"),
    ("closeMeetingAction", "action: close the meeting on screen"),
    ("newCaseAction", "action: enter a new patient or referral by hand"),
    ("importCasesAction", "action: import case files, FHIR Bundles or HL7 v2, with a report"),
    ("patientSearch", "finds patients by a piece of the name, an MRN or a birth date"),
    ("presentationAction", "action: presentation mode on or off"),
)

ROLE_ORDER = ("chair", "member", "nurse", "administrator")


def _who(allowed: tuple[str, ...]) -> str:
    if set(allowed) >= set(ROLE_ORDER):
        return "everyone"
    return ", ".join(r for r in ROLE_ORDER if r in allowed)


def widget_names_markdown() -> str:
    """The page, as committed in docs/widget-names.md."""
    lines = [
        "# Widget names",
        "",
        f"<!-- generated: {REGENERATE} -->",
        "",
        "`ui.app.build_main_window(db_path)` builds the main window on a database without",
        "starting the event loop (for embedding and tests). Its parts carry these",
        "`objectName`s, for GUI automation and assistive technology.",
        "",
        "## Fixed names",
        "",
        "These names are a public interface: they are never renamed.",
        "",
        "| objectName | what it is |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {what} |" for name, what in FIXED]
    lines += [
        "",
        "## Actions and buttons, and who is offered them",
        "",
        "The window offers an action only to the roles below (a signed-in user of another",
        "role does not see it); the rule table is `mdt_app/security/roles.py`.",
        "",
        "| objectName | offered to |",
        "|---|---|",
    ]
    table = {**roles.WINDOW_ACTIONS, **roles.FORM_BUTTONS}
    lines += [f"| `{name}` | {_who(tuple(allowed))} |" for name, allowed in sorted(table.items())]
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.stdout.write(widget_names_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
