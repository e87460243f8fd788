"""File > Users: the database's accounts for a chair or an administrator (add, disable,
set a password). The rules (who may, the last chair, password length) are in
mdt_app.security.users; errors come back as one line under the list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from mdt_app.errors import UserError
from mdt_app.security.users import ROLES, add_user, disable_user, list_users, set_password
from mdt_app.store import Store
from ui.widgets.common import label, stack_dialog


class NewUserForm(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("newUserDialog")
        self.setWindowTitle(self.tr("Add user"))
        self.name = QLineEdit()
        self.username = QLineEdit()
        self.specialty = QLineEdit()
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(self.tr(role), role)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(self.tr("Full name"), self.name)
        form.addRow(self.tr("Username"), self.username)
        form.addRow(self.tr("Specialty"), self.specialty)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("First password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class UsersDialog(QDialog):
    COLUMNS = ("Name", "Username", "Specialty", "Role", "Active")

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setObjectName("usersDialog")
        self.setWindowTitle(self.tr("Users"))
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.problem = label("", "warning", wrap=True)
        self.problem.setVisible(False)
        add = QPushButton(self.tr("Add user…"))
        add.setObjectName("addUserButton")
        add.clicked.connect(self.add)
        disable = QPushButton(self.tr("Disable"))
        disable.setObjectName("disableUserButton")
        disable.clicked.connect(self.disable)
        password = QPushButton(self.tr("Set password…"))
        password.setObjectName("setPasswordButton")
        password.clicked.connect(self.set_password)
        row = QHBoxLayout()
        for button in (add, disable, password):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        stack_dialog(self, [self.table, row], self.problem, close, 720, height=400)
        self.reload()

    def reload(self) -> None:
        users = list_users(self.store)
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            cells = (u.name, u.username, u.specialty, self.tr(u.role),
                     self.tr("yes") if u.active else self.tr("no"))  # fmt: skip
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def selected_username(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 1) if row >= 0 else None
        return item.text() if item else None

    def _do(self, fn, *args) -> bool:
        try:
            fn(self.store, *args)
        except UserError as exc:
            self.problem.setText("⚠ " + str(exc))
            self.problem.setVisible(True)
            return False
        self.problem.setVisible(False)
        self.reload()
        return True

    def add(self) -> None:
        form = NewUserForm(self)
        if form.exec() == QDialog.DialogCode.Accepted:
            self._do(
                add_user,
                form.username.text(),
                form.name.text(),
                str(form.role.currentData()),
                form.password.text(),
                form.specialty.text(),
            )

    def disable(self) -> None:
        username = self.selected_username()
        if username:
            self._do(disable_user, username)

    def set_password(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        username = self.selected_username()
        if not username:
            return
        text, ok = QInputDialog.getText(
            self,
            self.tr("Set password"),
            self.tr("New password for {user}").format(user=username),
            QLineEdit.EchoMode.Password,
        )
        if ok and text:
            self._do(set_password, username, text)
