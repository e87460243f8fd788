"""The shared shape of the app's table models: column constants, set_rows(), OBJECT_ROLE."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

T = TypeVar("T")

OBJECT_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # the row's domain object

Index = QModelIndex | QPersistentModelIndex


class RowTableModel(QAbstractTableModel, Generic[T]):
    """A table of one object per row. Subclasses define HEADERS and ``display``."""

    HEADERS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[T] = []

    # --- rows ---------------------------------------------------------------------------

    def set_rows(self, rows: list[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_object(self, row: int) -> T:
        return self._rows[row]

    # --- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        obj = self._rows[index.row()]
        if role == OBJECT_ROLE:
            return obj
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(obj, index.column())
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(obj, index.column())
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.tr(self.HEADERS[index.column()])}: {self.display(obj, index.column())}"
        return self.extra(obj, index.column(), role)

    def display(self, obj: T, column: int) -> str:
        raise NotImplementedError

    def edit_value(self, obj: T, column: int) -> str:
        """What an editor starts from (the display text unless a model says otherwise)."""
        return self.display(obj, column)

    def extra(self, obj: T, column: int, role: int) -> Any:
        """Any other role (tooltips, fonts, alignment); None by default."""
        return None
