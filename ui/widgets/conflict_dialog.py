"""Someone else saved the record you are editing: what changed, and what to do now.

The store refused the save (ConflictError) and wrote nothing; the form still holds what
the user typed. This dialog shows each field that differs - the stored value (theirs)
beside the user's - and offers: keep editing (nothing lost, nothing saved), save mine
over theirs after this review, or load theirs (the user's plan text goes to the
clipboard first, so even then nothing typed is lost).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mdt_app.errors import ConflictError
from ui.widgets.common import label

KEEP, OVERWRITE, RELOAD = "keep", "overwrite", "reload"


def shown(value: object) -> str:
    """A stored value in words for the table."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(shown(v) if not isinstance(v, list) else ", ".join(str(x) for x in v if x)
                         for v in value)  # fmt: skip
    if isinstance(value, dict):
        return ", ".join(f"{k}: {shown(v)}" for k, v in value.items())
    return str(value)


class ConflictDialog(QDialog):
    def __init__(self, error: ConflictError, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Changed by someone else"))
        self.choice = KEEP
        who = error.changed_by or self.tr("another user")
        heading = self.tr(
            "{what} was changed by {who} after you opened it. Nothing of yours was saved "
            "and nothing you typed is lost: review the differences below."
        ).format(what=error.what, who=who)
        table = QTableWidget(len(error.changes), 3)
        table.setObjectName("conflictChanges")
        table.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Now stored ({who})").format(who=who), self.tr("Yours")]
        )
        for row, (field, values) in enumerate(sorted(error.changes.items())):
            stored, yours = _pair(values)
            for column, text in enumerate((field.replace("_", " "), shown(stored), shown(yours))):
                table.setItem(row, column, QTableWidgetItem(text))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        table.resizeRowsToContents()
        buttons = QDialogButtonBox()
        keep = buttons.addButton(self.tr("Keep editing"), QDialogButtonBox.ButtonRole.RejectRole)
        keep.setObjectName("conflictKeepButton")
        overwrite = QPushButton(self.tr("Save mine over theirs"))
        overwrite.setObjectName("conflictOverwriteButton")
        reload_ = QPushButton(self.tr("Load theirs (mine to the clipboard)"))
        reload_.setObjectName("conflictReloadButton")
        buttons.addButton(overwrite, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(reload_, QDialogButtonBox.ButtonRole.ResetRole)
        overwrite.clicked.connect(lambda: self._choose(OVERWRITE))
        reload_.clicked.connect(lambda: self._choose(RELOAD))
        keep.clicked.connect(lambda: self._choose(KEEP))
        layout = QVBoxLayout(self)
        layout.addWidget(label(heading, "warning", wrap=True, name="conflictHeading"))
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(640, 360)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept() if choice != KEEP else self.reject()


def _pair(values: object) -> tuple[object, object]:
    if isinstance(values, dict):
        return values.get("stored", values.get("from")), values.get("yours", values.get("to"))
    return values, None
