"""What each role is offered in the window (the store enforces the sign-off itself).

Chairs run the meeting and can do everything; members prepare and draft; nurses print
care programmes; administrators export minutes, back up and manage users.
"""

from __future__ import annotations

ALL = ("chair", "member", "nurse", "administrator")
DRAFTING = ("chair", "member")

# objectName of a window action -> the roles that are offered it
WINDOW_ACTIONS: dict[str, tuple[str, ...]] = {
    "signOffAction": ("chair",),
    "amendAction": ("chair",),
    "editCaseAction": DRAFTING,
    "newCaseAction": DRAFTING,
    "importCasesAction": ("chair", "member", "administrator"),
    "addCaseAction": ("chair", "member", "administrator"),
    "deferAction": ("chair", "member", "administrator"),
    "moveUpAction": ("chair", "member", "administrator"),
    "moveDownAction": ("chair", "member", "administrator"),
    "attendanceAction": ("chair", "member", "administrator"),
    "newMeetingAction": ("chair", "administrator"),
    "closeMeetingAction": ("chair", "administrator"),
    "exportMinutesAction": ("chair", "administrator"),
    "careProgrammeAction": ("chair", "member", "nurse"),
    "backupAction": ("chair", "administrator"),
    "manageUsersAction": ("chair", "administrator"),
    "exportDraftAction": DRAFTING,  # what the decision form holds (issue 19, offline)
}
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
    return role in WINDOW_ACTIONS.get(name, FORM_BUTTONS.get(name, ALL))


def may_draft(role: str | None) -> bool:
    return role is None or role in DRAFTING
