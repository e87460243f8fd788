"""The guideline options: four groups in a fixed order, told apart by symbol, word and
border (never by colour alone); each option can be picked for the plan."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.common import label

# Fixed order: what is missing first (it may change everything), then the options.
GROUPS = (
    ("missing", "!", QT_TR_NOOP("Missing data")),
    ("recommended", "✔", QT_TR_NOOP("Recommended")),
    ("consider", "?", QT_TR_NOOP("Consider")),
    ("not_recommended", "✘", QT_TR_NOOP("Not recommended")),
)
SYMBOLS = {name: symbol for name, symbol, _ in GROUPS}
GROUP_WORDS = {name: words for name, _, words in GROUPS}


class ClickLabel(QLabel):
    """A wrapped label that toggles its checkbox when clicked (QCheckBox text cannot wrap)."""

    def __init__(self, text: str, box: QCheckBox):
        super().__init__(text)
        self.box = box
        self.setWordWrap(True)
        self.setProperty("role", "optionTitle")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event) -> None:
        if self.box.isEnabled() and event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()
        super().mouseReleaseEvent(event)


class OptionRow(QWidget):
    """One option: pick box, symbol and title, rationale, expandable sources.

    Rows are kept per (list, code) and refilled with ``set_option``: moving from case to
    case then only changes texts, which keeps switching cases fast.
    """

    toggled = Signal(str, bool)  # code, picked
    actionRequested = Signal(str)  # a missing-data prompt turned into an action

    def __init__(self, group: str, code: str, parent=None):
        super().__init__(parent)
        self.group = group
        self.code = code
        self.option: dict = {"code": code, "title": code}
        self.setObjectName(f"option_{code}")
        self.box: QCheckBox | None = None
        self.add_button: QPushButton | None = None
        head = QHBoxLayout()
        head.setSpacing(6)
        if group == "missing":
            self.title = label("", "optionTitle", wrap=True)
            head.addWidget(self.title, 1)
            self.add_button = QPushButton(self.tr("+ Action"))
            self.add_button.setObjectName(f"addAction_{code}")
            self.add_button.setToolTip(self.tr("Add this work-up to the decision's actions"))
            self.add_button.clicked.connect(lambda: self.actionRequested.emit(self.option["title"]))
            head.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        else:
            self.box = QCheckBox()
            self.box.setObjectName(f"pick_{code}")
            self.box.toggled.connect(lambda on: self.toggled.emit(self.code, on))
            self.title = ClickLabel("", self.box)
            head.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
            head.addWidget(self.title, 1)
        self.sources_button = QToolButton()
        self.sources_button.setProperty("role", "sources")
        self.sources_button.setCheckable(True)
        self.sources_button.setObjectName(f"sources_{code}")
        self.sources_button.toggled.connect(self._expand)
        self.rationale = label("", "rationale", wrap=True)
        self.details = label("", "muted", wrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 4)
        layout.setSpacing(1)
        layout.addLayout(head)
        indent = QVBoxLayout()
        indent.setContentsMargins(24, 0, 0, 0)
        indent.setSpacing(0)
        indent.addWidget(self.rationale)
        indent.addWidget(self.sources_button, 0, Qt.AlignmentFlag.AlignLeft)
        indent.addWidget(self.details)
        layout.addLayout(indent)

    def set_option(self, option: dict) -> None:
        """Show ``option`` (an as_dict() entry), collapsed."""
        self.option = option
        title = option["title"]
        self.title.setText(f"{SYMBOLS[self.group]} {title}")
        self.rationale.setText(option.get("rationale", ""))
        sources = option.get("sources") or []
        self.details.setText("\n".join([*sources, self.tr("Code: {code}").format(code=self.code)]))
        self.sources_button.setAccessibleName(self.tr("Sources of {title}").format(title=title))
        if self.box is not None:
            self.box.setAccessibleName(
                self.tr("Pick {group} option: {title}").format(
                    group=self.tr(GROUP_WORDS[self.group]), title=title
                )
            )
        if self.add_button is not None:
            self.add_button.setAccessibleName(self.tr("Add action: {title}").format(title=title))
        self.sources_button.blockSignals(True)
        self.sources_button.setChecked(False)
        self.sources_button.blockSignals(False)
        self._expand(False)

    def _expand(self, on: bool) -> None:
        sources = self.option.get("sources") or []
        if on:
            text = self.tr("▾ Sources")
        elif len(sources) > 1:
            text = self.tr("▸ Sources: {first} +{more}").format(
                first=_short(sources[0]), more=len(sources) - 1
            )
        else:
            text = self.tr("▸ Sources: {first}").format(
                first=_short(sources[0]) if sources else "—"
            )
        self.sources_button.setText(text)
        self.sources_button.setToolTip("\n".join(sources))
        self.details.setVisible(on)

    def set_picked(self, on: bool) -> None:
        if self.box is not None:
            self.box.blockSignals(True)
            self.box.setChecked(on)
            self.box.blockSignals(False)

    def set_editable(self, on: bool) -> None:
        if self.box is not None:
            self.box.setEnabled(on)
        if self.add_button is not None:
            self.add_button.setEnabled(on)


class OptionGroup(QFrame):
    """One of the four lists: a titled frame whose border style is the group's own."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName(f"group_{name}")
        self.setProperty("group", name)
        self.title = label("", "groupTitle")
        self.title.setProperty("group", name)
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(2)
        empty = self.tr("No missing data") if name == "missing" else self.tr("None")
        self.empty = label(empty, "muted")
        self.rows.addWidget(self.empty)
        self.shown: list[OptionRow] = []
        if name == "missing":
            self.setToolTip(self.tr("Work-up to settle before deciding"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addLayout(self.rows)

    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self.setAccessibleName(text)


class OptionsPanel(QWidget):
    pickedChanged = Signal(str, bool)  # code, picked
    actionRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("guidelineOptions")
        self.setAccessibleName(self.tr("Guideline options"))
        self.title = label(self.tr("Guideline options"), "panelTitle")
        self.guideline = label("", "muted", wrap=True, name="guidelineVersion")
        self.note = label("", "signed", wrap=True, name="optionsNote")
        self.warnings = label("", "warning", wrap=True, name="guidelineWarnings")
        self.groups: dict[str, OptionGroup] = {}
        self.rows: dict[str, OptionRow] = {}  # the options shown now, by code
        self.pool: dict[tuple[str, str], OptionRow] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(6)
        for widget in (self.title, self.guideline, self.note, self.warnings):
            layout.addWidget(widget)
        for name, _symbol, _words in GROUPS:
            box = OptionGroup(name)
            layout.addWidget(box)
            self.groups[name] = box
        layout.addStretch(1)
        self.show_options(None)

    def show_options(
        self,
        snapshot: dict | None,
        picked: list[str] | tuple[str, ...] = (),
        editable: bool = True,
        note: str = "",
    ) -> None:
        """Show a Recommendation.as_dict(); ``picked`` codes are ticked."""
        self.rows = {}
        snapshot = snapshot or {}
        guideline = snapshot.get("guideline") or {}
        if guideline.get("id"):
            self.guideline.setText(
                self.tr("{title} · id {id} · version {version}").format(
                    title=guideline.get("title", ""), id=guideline["id"],
                    version=guideline.get("version", "?"),
                )
            )  # fmt: skip
        else:
            self.guideline.setText(self.tr("No guideline evaluated") if not snapshot else "")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        warnings = snapshot.get("warnings") or []
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))
        for name, symbol, words in GROUPS:
            self._fill(name, symbol, words, snapshot.get(name) or [], set(picked), editable)
        self.setAccessibleDescription(self.summary())

    def _fill(self, name, symbol, words, options, picked, editable) -> None:
        box = self.groups[name]
        box.set_title(f"{symbol} {self.tr(words)} ({len(options)})")
        for row in box.shown:
            row.hide()
        box.shown = []
        box.empty.setVisible(not options)
        for position, option in enumerate(options):
            row = self._row(name, option["code"])
            row.set_option(option)
            row.set_picked(option["code"] in picked)
            row.set_editable(editable)
            box.rows.insertWidget(position + 1, row)  # after the "none" line
            row.show()  # at once: the chair may pick it before the next event-loop turn
            box.shown.append(row)
            self.rows[option["code"]] = row

    def _row(self, group: str, code: str) -> OptionRow:
        row = self.pool.get((group, code))
        if row is None:
            row = OptionRow(group, code)
            row.toggled.connect(self.pickedChanged)
            row.actionRequested.connect(self.actionRequested)
            self.pool[(group, code)] = row
        return row

    def pick_boxes(self) -> list[QCheckBox]:
        return [row.box for row in self.rows.values() if row.box is not None]

    def focus_first_option(self) -> bool:
        for name in ("recommended", "consider", "not_recommended"):
            for row in self.rows.values():
                if row.group == name and row.box is not None and row.box.isEnabled():
                    row.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
                    return True
        return False

    def summary(self) -> str:
        """'3 recommended, 1 to consider, …' for screen readers and the status bar."""
        counts = {name: 0 for name, _s, _w in GROUPS}
        for row in self.rows.values():
            counts[row.group] += 1
        return self.tr(
            "{recommended} recommended, {consider} to consider, "
            "{not_recommended} not recommended, {missing} missing data"
        ).format(**counts)


def _short(source: str, limit: int = 16) -> str:
    """A citation cut to fit a narrow column; the full list is one click away."""
    return source if len(source) <= limit else source[: limit - 1].rstrip() + "…"
