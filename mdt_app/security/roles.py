"""What each role is offered, in the window and on the command line (one table; the
window and the CLI only ask it; the store enforces the sign-off itself).

Chairs run the meeting and can do everything; members prepare and draft; nurses print
care programmes; administrators export minutes, back up and manage users. Every window
action and every command is listed (a test checks it), so a new one is never offered to
everyone by default.
"""

from __future__ import annotations

ALL = ("chair", "member", "nurse", "administrator")
DRAFTING = ("chair", "member")
MEETING_ADMIN = ("chair", "administrator")  # plan, edit, cancel and close meetings
AGENDA = ("chair", "member", "administrator")  # cases onto and around the agenda

# objectName of a window action -> the roles that are offered it
WINDOW_ACTIONS: dict[str, tuple[str, ...]] = {
    "signOffAction": ("chair",),
    "amendAction": ("chair",),
    "editCaseAction": DRAFTING,
    "newCaseAction": DRAFTING,
    "referPanelAction": DRAFTING,  # a clinical referral, with the local MDT's options
    "editIdentityAction": AGENDA,  # correcting a name or MRN: coordinators too
    "importCasesAction": AGENDA,
    "addCaseAction": AGENDA,
    "deferAction": AGENDA,
    "moveUpAction": AGENDA,
    "moveDownAction": AGENDA,
    "moveToMeetingAction": AGENDA,
    "removeFromAgendaAction": AGENDA,
    "attendanceAction": AGENDA,
    "newMeetingAction": MEETING_ADMIN,
    "editMeetingAction": MEETING_ADMIN,
    "cancelMeetingAction": MEETING_ADMIN,
    "closeMeetingAction": MEETING_ADMIN,
    "exportMinutesAction": MEETING_ADMIN,
    "careProgrammeAction": ("chair", "member", "nurse"),
    "backupAction": MEETING_ADMIN,
    "manageUsersAction": MEETING_ADMIN,
    "exportDraftAction": DRAFTING,  # what the decision form holds (issue 19, offline)
    # reading and moving about: everyone
    **{
        name: ALL
        for name in (
            "findMeetingAction",
            "findPatientAction",
            "caseNotesAction",  # reads the notes (imports add them, audited)
            "caseHistoryAction",
            "openDemoAction",  # the synthetic demo, in its own database and window
            "connectServerAction",  # the team server, in its own window (signed in there)
            "showAgendaAction",
            "showSummaryAction",
            "focusAgendaAction",
            "focusDecisionAction",
            "focusOptionsAction",
            "nextCaseAction",
            "previousCaseAction",
            "presentationAction",
            "presentNextAction",
            "presentPreviousAction",
            "leavePresentationAction",
            "wideOptionsAction",
            "manualAction",
            "aboutAction",
            "quitAction",
        )
    },
}
# `mdt-app` commands that write, by their words ("meeting create"): the roles a signed-in
# (--as) user needs. Without --as a write is the operating-system login's, marked not
# authenticated (or refused when the database requires named users). Reading commands
# are in READ_COMMANDS: they need no user.
COMMANDS: dict[str, tuple[str, ...]] = {
    "import": AGENDA,
    "meeting create": MEETING_ADMIN,
    "meeting edit": MEETING_ADMIN,
    "meeting close": MEETING_ADMIN,
    "meeting cancel": MEETING_ADMIN,
    "minutes": MEETING_ADMIN,
    "care-programme": ("chair", "member", "nurse"),
    "refer": DRAFTING,
    "centre set": MEETING_ADMIN,
    "backup": MEETING_ADMIN,
    "restore": MEETING_ADMIN,
    "encrypt": MEETING_ADMIN,
    "decrypt": MEETING_ADMIN,
    "user add": MEETING_ADMIN,
    "user disable": MEETING_ADMIN,
    "user cli-named-users": MEETING_ADMIN,
    "user passwd": ALL,  # one's own; another's needs a chair or administrator (users.py)
    # issue 19: the database's owner sets up a team server, then copies whole databases
    "server init": MEETING_ADMIN,
    "server roles": MEETING_ADMIN,
    "migrate-db": MEETING_ADMIN,
}
READ_COMMANDS = frozenset(
    {
        "cases",
        "search",
        "recommend",
        "notes",
        "meetings",
        "centre",
        "verify",
        "user list",
        "guideline show",
        "guideline diff",
        "demo",  # the synthetic demo database: no patient data, no accounts yet
    }
)


def command_allowed(command: str, role: str | None) -> bool:
    """Whether a signed-in ``role`` may run the command (None: no --as user)."""
    if role is None or command in READ_COMMANDS:
        return True
    return role in COMMANDS.get(command, ())


# Buttons of the decision form, by objectName
FORM_BUTTONS: dict[str, tuple[str, ...]] = {
    "signOffButton": ("chair",),
    "amendButton": ("chair",),
    "printCareProgrammeButton": ("chair", "member", "nurse"),
}


def offered(name: str, role: str | None) -> bool:
    """Whether the window offers action/button ``name`` to ``role`` (None: no user
    signed in on this window, as when it is embedded; nothing is hidden then)."""
    if role is None:
        return True
    # Not listed (a new action): the chair only, until the table says otherwise.
    return role in WINDOW_ACTIONS.get(name, FORM_BUTTONS.get(name, ("chair",)))


def may_draft(role: str | None) -> bool:
    return role is None or role in DRAFTING
