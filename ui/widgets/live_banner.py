"""The strip above the open case that tells the chair about other clients and outages:
"OFFLINE" (red, while the database cannot be reached: typing is kept on this computer)
and "changed by someone else" (amber, while the user's own unsaved typing is kept)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.widgets.common import label

STYLE = """
QLabel#offlineBanner {
    color: #ffffff; background: #a4161a; font-weight: bold; padding: 6px;
    border-radius: 3px;
}
QLabel#remoteChangeNote {
    color: #1b1f24; background: #fff4d6; border: 2px solid #8a5a00; padding: 4px;
    border-radius: 3px;
}
"""


class LiveBanner(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("liveBanner")
        self.setStyleSheet(STYLE)
        self.offline = label("", wrap=True, name="offlineBanner")
        self.offline.setAccessibleName(self.tr("Offline"))
        self.notice = label("", wrap=True, name="remoteChangeNote")
        self.notice.setAccessibleName(self.tr("Changed by another user"))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.offline)
        column.addWidget(self.notice)
        self.offline.hide()
        self.notice.hide()
        self.hide()

    def show_offline(self, text: str) -> None:
        self.offline.setText(text)
        self.offline.show()
        self.show()

    def hide_offline(self) -> None:
        self.offline.hide()
        self.setVisible(self.notice.isVisibleTo(self))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self.show()

    def hide_notice(self) -> None:
        self.notice.hide()
        self.setVisible(self.offline.isVisibleTo(self))

    @property
    def is_offline(self) -> bool:
        return self.offline.isVisibleTo(self)
