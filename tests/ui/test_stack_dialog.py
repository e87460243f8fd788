"""ui.widgets.common.stack_dialog: the one layout of the small form dialogs (sign-in,
team server, attendance, defer, identity, meeting, case data, sign-off, users, new
database). What it stacks, in which order (also the Tab order), and what its buttons do."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ui.widgets.common import label, stack_dialog


def _buttons() -> QDialogButtonBox:
    return QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )


def _texts(dialog: QDialog) -> list[str]:
    """What the dialog's top-level layout holds, top to bottom (labels by their text,
    other widgets by their objectName, layouts as "layout")."""
    layout = dialog.layout()
    out = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        widget = item.widget()
        if widget is None:
            out.append("layout")
        elif isinstance(widget, QLabel):
            out.append(widget.text())
        else:
            out.append(widget.objectName())
    return out


def test_a_form_with_a_text_introduction(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = QFormLayout()
    form.addRow("Name", QLineEdit())
    problem = label("problem here", "warning")
    buttons = _buttons()
    buttons.setObjectName("buttons")
    stack_dialog(dialog, form, problem, buttons, 480, "Say who you are.")
    assert _texts(dialog) == ["Say who you are.", "layout", "problem here", "buttons"]
    intro = dialog.layout().itemAt(0).widget()
    assert intro.wordWrap()
    assert dialog.width() == 480


def test_parts_in_order_with_their_stretch_and_notes_below_the_problem(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    first = QLineEdit()
    first.setObjectName("first")
    reason = QPlainTextEdit()
    reason.setObjectName("reason")
    row = QHBoxLayout()
    last = QLineEdit()
    last.setObjectName("last")
    row.addWidget(last)
    buttons = _buttons()
    buttons.setObjectName("buttons")
    intro = label("own intro", "muted")
    stack_dialog(
        dialog,
        [first, (reason, 1), row],
        label("problem"),
        buttons,
        600,
        intro,
        height=400,
        notes=[label("a note")],
    )
    assert _texts(dialog) == [
        "own intro",
        "first",
        "reason",
        "layout",
        "problem",
        "a note",
        "buttons",
    ]
    layout = dialog.layout()
    assert layout.itemAt(0).widget() is intro  # a label of its own is used as it is
    assert [layout.stretch(i) for i in range(layout.count())] == [0, 0, 1, 0, 0, 0, 0]
    assert (dialog.width(), dialog.height()) == (600, 400)
    # Tab goes through the editors in the order they stand.
    dialog.show()
    qtbot.waitExposed(dialog)
    assert first.nextInFocusChain() is reason
    chain: list[QWidget] = []
    widget: QWidget = reason
    while widget is not last and len(chain) < 20:
        widget = widget.nextInFocusChain()
        chain.append(widget)
    assert widget is last


def test_ok_accepts_and_cancel_rejects(qtbot):
    for which, expected in (
        (QDialogButtonBox.StandardButton.Ok, QDialog.DialogCode.Accepted),
        (QDialogButtonBox.StandardButton.Cancel, QDialog.DialogCode.Rejected),
    ):
        dialog = QDialog()
        qtbot.addWidget(dialog)
        buttons = _buttons()
        stack_dialog(dialog, QFormLayout(), label(), buttons, 300)
        dialog.show()
        buttons.button(which).click()
        assert dialog.result() == expected
        assert not dialog.isVisible()


def test_a_dialog_that_checks_first_gets_the_buttons(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    asked: list[str] = []
    buttons = _buttons()
    stack_dialog(
        dialog,
        QFormLayout(),
        label(),
        buttons,
        None,
        on_accept=lambda: asked.append("check"),
        on_reject=lambda: asked.append("closing"),
    )
    dialog.resize(333, 222)  # None: the dialog sizes itself, stack_dialog did not
    dialog.show()
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert asked == ["check", "closing"]
    assert dialog.isVisible()  # neither answer closed it: the dialog's own code decides
    assert dialog.width() == 333


# The dialogs built on it: their buttons still go where they went.


def test_sign_off_ok_checks_first_and_cancel_rejects(qtbot):
    from ui.sign_off_dialog import SignOffDialog, SignOffSummary

    summary = SignOffSummary(
        "PATIENT, A (MRN 1)", (), "", None, None, None, "none", (), (), "Quorate", True, ""
    )
    dialog = SignOffDialog(summary)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()  # no chair's name: refused, nothing signed
    assert dialog.findChild(QLabel, "signOffDialogProblem").isVisible()
    dialog.name.setText("Dr Chair")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    again = SignOffDialog(summary)
    qtbot.addWidget(again)
    again.show()
    again.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert again.result() == QDialog.DialogCode.Rejected


def test_case_data_close_closes_the_editor(qtbot):
    from store_helpers import valid_case

    from ui.widgets.case_editor import CaseDataDialog

    dialog = CaseDataDialog(valid_case())
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()


def test_defer_without_a_reason_is_refused_in_the_dialog(qtbot):
    from datetime import date

    from store_helpers import valid_case

    from mdt_app import domain as d
    from ui.widgets.defer_dialog import DeferDialog

    meeting = d.Meeting(id=1, date=date(2026, 12, 2), title="ATC MDT")
    dialog = DeferDialog(valid_case().patient, meeting, [meeting])
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible()
    assert dialog.findChild(QLabel, "deferProblem").isVisible()
    box.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected
