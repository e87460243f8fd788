"""Case > Case notes: the notes imported onto the open case (pathology and imaging report
text from HL7 v2 feeds, expert panel replies), read-only, oldest first."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ui.location import Location, as_location
from ui.translate import QT_TR_NOOP
from ui.widgets.banner import identity_line


def _t(text: str) -> str:
    return QCoreApplication.translate("CaseNotesDialog", text)


KIND_LABELS = {
    "histology": QT_TR_NOOP("Pathology report"),
    "imaging": QT_TR_NOOP("Imaging report"),
    "panel_reply": QT_TR_NOOP("Expert panel reply"),
    "other": QT_TR_NOOP("Note"),
}


class CaseNotesDialog(QDialog):
    def __init__(self, parent: QWidget, db_path: Location, case_id: int):
        super().__init__(parent)
        from mdt_app.exchange.records import notes
        from mdt_app.store import open_store

        self.setObjectName("caseNotesDialog")
        self.setWindowTitle(_t("Case notes"))
        with open_store(db_path, create=False) as store:
            case = store.get_case(case_id)
            found = notes(store, case_id)
        layout = QVBoxLayout(self)
        layout.addWidget(identity_line(case.patient, "caseNotesBanner"))
        self.view = QTextBrowser()
        self.view.setObjectName("caseNotesView")
        parts = []
        for n in found:
            head = f"{_t(KIND_LABELS.get(n.kind, 'Note'))}, {n.noted_on or _t('undated')}"
            parts.append(
                f"<h3>{escape(head)}</h3><p><i>{escape(_t('From'))} {escape(n.source)}; "
                f"{escape(_t('imported by'))} {escape(n.created_by)}</i></p>"
                f"<p>{escape(n.text).replace(chr(10), '<br/>')}</p>"
            )
        self.view.setHtml("".join(parts) or f"<p>{escape(_t('No notes on this case.'))}</p>")
        layout.addWidget(self.view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 480)
        self.count = len(found)


def show_case_notes(parent: QWidget, db_path: Location, case_id: int) -> None:
    """Open the notes of one case (window-modal, returns at once)."""
    dialog = CaseNotesDialog(parent, as_location(db_path), case_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
