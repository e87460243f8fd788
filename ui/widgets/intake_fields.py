"""The referral form's fields, each bound to its place in an mdt-case/1 object.

The widgets only collect text and choices: `form()` turns them into the case-file
object as typed (a date stays the text typed, a number the text if it is no number),
and the core reader `mdt_app.intake.case_from_form` decides what is valid, so the
messages are the ones `mdt-app import` gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ui import labels


@dataclass
class Binding:
    path: tuple[str, ...]  # where in the case object, e.g. ("patient", "mrn")
    widget: QWidget
    kind: str  # text, plain, choice, number, checks


def number_or_text(text: str) -> Any:
    """A number when the text is one; otherwise the text itself (refused by the reader
    with the field's name)."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value


class Choice(QComboBox):
    """A choice among a field's values; the first entry stands for 'not recorded'."""

    def __init__(self, name: str, values, none_text: str, words: bool = True):
        super().__init__()
        self.setObjectName(name)
        self.addItem(none_text, None)
        for value in values:
            text = labels.word(value) if words and isinstance(value, str) else str(value)
            self.addItem(text, value)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        self.setCurrentIndex(index if index >= 0 else 0)


class FormFields:
    """Holds the bindings; builds the case object from the widgets and back."""

    def __init__(self, changed: Callable[[], None]):
        self.bindings: list[Binding] = []
        self.changed = changed

    def text(self, path: tuple[str, ...], name: str, placeholder: str = "") -> QLineEdit:
        w = QLineEdit()
        w.setObjectName(name)
        w.setPlaceholderText(placeholder)
        w.textChanged.connect(self.changed)
        self.bindings.append(Binding(path, w, "text"))
        return w

    def number(self, path: tuple[str, ...], name: str, placeholder: str = "") -> QLineEdit:
        w = self.text(path, name, placeholder)
        self.bindings[-1].kind = "number"
        return w

    def plain(self, path: tuple[str, ...], name: str, placeholder: str = "") -> QPlainTextEdit:
        w = QPlainTextEdit()
        w.setObjectName(name)
        w.setPlaceholderText(placeholder)
        w.setTabChangesFocus(True)
        w.setFixedHeight(64)
        w.textChanged.connect(self.changed)
        self.bindings.append(Binding(path, w, "plain"))
        return w

    def choice(self, path: tuple[str, ...], name: str, values, none_text: str,
               words: bool = True) -> Choice:  # fmt: skip
        w = Choice(name, values, none_text, words)
        w.currentIndexChanged.connect(self.changed)
        self.bindings.append(Binding(path, w, "choice"))
        return w

    def checks(self, path: tuple[str, ...], name: str, values) -> dict[str, QCheckBox]:
        boxes = {}
        for value in values:
            box = QCheckBox(labels.word(value))
            box.setObjectName(f"{name}_{value}")
            box.toggled.connect(self.changed)
            boxes[value] = box
        holder = QWidget()
        holder.setProperty("boxes", list(boxes))
        self.bindings.append(Binding(path, holder, "checks"))
        holder.boxes = boxes  # type: ignore[attr-defined]
        return boxes

    # --- to and from the case object -----------------------------------------------------

    def form(self) -> dict:
        out: dict = {}
        for b in self.bindings:
            value = _read(b)
            node = out
            for key in b.path[:-1]:
                node = node.setdefault(key, {})
            node[b.path[-1]] = value
        return out

    def load(self, form: dict) -> None:
        for b in self.bindings:
            node: Any = form
            for key in b.path:
                node = node.get(key) if isinstance(node, dict) else None
            _write(b, node)

    def set_enabled(self, prefix: tuple[str, ...], on: bool) -> None:
        for b in self.bindings:
            if b.path[: len(prefix)] == prefix:
                b.widget.setEnabled(on)


def _read(b: Binding) -> Any:
    w = b.widget
    if b.kind == "text":
        return w.text().strip() or None  # type: ignore[attr-defined]
    if b.kind == "number":
        return number_or_text(w.text())  # type: ignore[attr-defined]
    if b.kind == "plain":
        return w.toPlainText().strip() or None  # type: ignore[attr-defined]
    if b.kind == "choice":
        return w.value()  # type: ignore[attr-defined]
    return [v for v, box in w.boxes.items() if box.isChecked()]  # type: ignore[attr-defined]


def _write(b: Binding, value: Any) -> None:
    w = b.widget
    if b.kind in ("text", "number"):
        w.setText("" if value is None else str(value))  # type: ignore[attr-defined]
    elif b.kind == "plain":
        w.setPlainText("" if value is None else str(value))  # type: ignore[attr-defined]
    elif b.kind == "choice":
        w.set_value(value)  # type: ignore[attr-defined]
    else:
        chosen = set(value or [])
        for v, box in w.boxes.items():  # type: ignore[attr-defined]
            box.setChecked(v in chosen)
