"""The guideline options: four groups in a fixed order, told apart by symbol, word and
border (never by colour alone); each option can be picked for the plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mdt_app import decision_rules
from mdt_app.domain import OptionList
from mdt_app.guideline.references import split_unverified
from mdt_app.snapshot import OptionsSnapshot, SnapshotOption
from ui.translate import QT_TR_NOOP
from ui.widgets.common import SizedLabel, label, restyle
from ui.widgets.kept_hint import KeptSizeHint
from ui.widgets.safety_warnings import SafetyWarnings
from ui.widgets.sources_line import SourcesLine

# Fixed order: what is missing first (it may change everything), then the options.
# "Care for everyone" holds the care framework every patient gets whatever the treatment
# (goals of care, palliative care, advance directive, thyroid hormone), apart from the
# treatment options, so ticking one of them is never mistaken for choosing a treatment.
GROUPS = (
    ("missing", "!", QT_TR_NOOP("Missing data")),
    ("recommended", "✔", QT_TR_NOOP("Recommended treatment")),
    ("care", "♥", QT_TR_NOOP("Care for everyone")),
    ("consider", "?", QT_TR_NOOP("Consider")),
    ("not_recommended", "✘", QT_TR_NOOP("Not recommended")),
)
GROUP_TIPS = {
    "missing": QT_TR_NOOP("Work-up to settle before deciding"),
    "recommended": QT_TR_NOOP("What the guideline recommends for this patient's situation"),
    "care": QT_TR_NOOP("Recommended for every patient whatever the treatment: ticking these "
                       "does not choose a treatment"),
    "consider": QT_TR_NOOP("Reasonable options, depending on the patient"),
    "not_recommended": QT_TR_NOOP("Against the guideline here: ticking one asks for "
                                  "confirmation and a reason"),
}  # fmt: skip
SYMBOLS = {name: symbol for name, symbol, _ in GROUPS}
GROUP_WORDS = {name: words for name, _, words in GROUPS}


class ClickLabel(SizedLabel):
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
    """One option: pick box, symbol and title, rationale, its sources as citation links.

    The pick box is the row's only Tab stop (Space ticks it, Enter opens the citation
    legend); the whole row is outlined while it has focus. Rows are kept per (group,
    code) and refilled with ``set_option``: moving from case to case only changes texts.
    """

    toggled = Signal(str, bool)  # code, picked
    actionRequested = Signal(str)  # a missing-data prompt turned into an action
    citationRequested = Signal(str, int)  # code, index of the citation clicked (-1: all)

    def __init__(self, group: str, code: str, parent=None):
        super().__init__(parent)
        self.group = group
        self.code = code
        self.option = SnapshotOption(code=code, title=code)
        self.setObjectName(f"option_{code}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("role", "optionRow")
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
            self.add_button.clicked.connect(lambda: self.actionRequested.emit(self.option.title))
            head.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignTop)
        else:
            self.box = QCheckBox()
            self.box.setObjectName(f"pick_{code}")
            self.box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.box.toggled.connect(lambda on: self.toggled.emit(self.code, on))
            self.box.installEventFilter(self)
            self.title = ClickLabel("", self.box)
            head.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
            head.addWidget(self.title, 1)
        self.title.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rationale = label("", "rationale", wrap=True)
        self.unverified = label("", "unverifiedMark", name=f"unverified_{code}")
        # Links by mouse only: keyboard users reach the legend with Enter on the pick box,
        # so each option stays one Tab stop.
        self.sources = SourcesLine()
        self.sources.setObjectName(f"sources_{code}")
        self.sources.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sources.linkActivated.connect(self._link)
        layout = self.column = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 4)
        layout.setSpacing(1)
        layout.addLayout(head)
        indent = QVBoxLayout()
        indent.setContentsMargins(24, 0, 0, 0)
        indent.setSpacing(0)
        indent.addWidget(self.rationale)
        foot = QHBoxLayout()
        foot.setSpacing(8)
        foot.addWidget(self.sources, 1)
        foot.addWidget(self.unverified, 0, Qt.AlignmentFlag.AlignTop)
        indent.addLayout(foot)
        layout.addLayout(indent)

    def set_option(self, option: SnapshotOption) -> None:
        """Show ``option`` (one option of the snapshot on screen)."""
        self.option = option
        title = option.title
        self.title.setText(f"{SYMBOLS[self.group]} {title}")
        rationale, notes = split_unverified(option.rationale)
        sources = option.sources
        notes += tuple(s for s in sources if "unverified" in s.lower())
        self.rationale.setText(rationale)
        self.unverified.setText(self.tr("◇ unverified") if notes else "")
        self.unverified.setToolTip(
            self.tr("Not checked against the primary text:\n{notes}").format(
                notes="\n".join(f"• {n}" for n in notes)
            )
            if notes
            else ""
        )
        self.unverified.setVisible(bool(notes))
        self.sources.set_sources(self.tr("Sources: "), [_short(s, 28) for s in sources])
        self.sources.setToolTip(
            self.tr("Click a source for the full reference (Enter on the option)")
        )
        if self.box is not None:
            self.box.setAccessibleName(
                self.tr("Pick {group} option: {title}").format(
                    group=self.tr(GROUP_WORDS[self.group]), title=title
                )
            )
            self.box.setAccessibleDescription(rationale)
        if self.add_button is not None:
            self.add_button.setAccessibleName(self.tr("Add action: {title}").format(title=title))

    def _link(self, href: str) -> None:
        self.citationRequested.emit(self.code, int(href.split(":", 1)[1]))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.box:
            kind = event.type()
            if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
                self.setProperty("focused", "true" if kind == QEvent.Type.FocusIn else "false")
                restyle(self)
            elif kind == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                self.citationRequested.emit(self.code, -1)
                return True
        return super().eventFilter(watched, event)

    def set_picked(self, on: bool) -> None:
        if self.box is not None:
            self.box.blockSignals(True)
            self.box.setChecked(on)
            self.box.blockSignals(False)

    def set_editable(self, on: bool, presenting: bool = False) -> None:
        if self.box is not None:
            self.box.setEnabled(on)
        if self.add_button is not None:
            # A signed decision offers no "+ Action"; nor does the projected screen.
            self.add_button.setVisible(on and not presenting)


class OptionGroup(QFrame):
    """One of the four lists: a titled frame whose border style is the group's own."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName(f"group_{name}")
        self.setProperty("group", name)
        self.title = label("", "groupTitle", wrap=True)
        self.title.setProperty("group", name)
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(2)
        empty = self.tr("No missing data") if name == "missing" else self.tr("None")
        self.empty = label(empty, "muted")
        self.rows.addWidget(self.empty)
        self.shown: list[OptionRow] = []
        self.title.setToolTip(self.tr(GROUP_TIPS[name]))
        layout = self.column = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addLayout(self.rows)

    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self.setAccessibleName(text)


class OptionsPanel(KeptSizeHint, QWidget):
    pickedChanged = Signal(str, bool)  # code, picked
    actionRequested = Signal(str)
    citationRequested = Signal(str, list, int)  # option title, its citations, index clicked

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("guidelineOptions")
        self.setAccessibleName(self.tr("Guideline options"))
        self.title = label(self.tr("Guideline options"), "panelTitle")
        self.guideline = label("", "muted", wrap=True, name="guidelineVersion")
        self.note = label("", "signed", wrap=True, name="optionsNote")
        self.warnings = SafetyWarnings()
        self.groups: dict[str, OptionGroup] = {}
        self.rows: dict[str, OptionRow] = {}  # the options shown now, by code
        self.pool: dict[tuple[str, str], OptionRow] = {}
        # Asked before a not-recommended option is ticked (the window sets it).
        self.confirm: Callable[[str], bool] | None = None
        self.presenting = False
        self._editable = True
        layout = self.column = QVBoxLayout(self)
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
        options: OptionsSnapshot | Mapping[str, Any] | None,
        picked: list[str] | tuple[str, ...] = (),
        editable: bool = True,
        note: str = "",
    ) -> None:
        """Show the options of a case (an OptionsSnapshot, or a Recommendation's stored
        form, read through one); ``picked`` codes are ticked."""
        self.rows = {}
        self._editable = editable
        snapshot = OptionsSnapshot.of(options) or OptionsSnapshot()
        if snapshot.guideline_id:
            self.guideline.setText(
                self.tr("{title} · id {id} · version {version}").format(
                    title=snapshot.guideline_title, id=snapshot.guideline_id,
                    version=snapshot.guideline_version or "?",
                )
            )  # fmt: skip
        else:
            self.guideline.setText(self.tr("No guideline evaluated") if not options else "")
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.warnings.set_warnings(list(snapshot.warnings))
        # Each row shown re-lays out the panel at once; paused, the panel is laid out once.
        layouts = [self.column, *(box.column for box in self.groups.values())]
        for layout in layouts:
            layout.setEnabled(False)
        try:
            for name, symbol, words in GROUPS:
                options_here = self._options_of(snapshot, name)
                self._fill(name, symbol, words, options_here, set(picked), editable)
        finally:
            for layout in reversed(layouts):
                layout.setEnabled(True)
            # Placed now, from the rows up (the chair may click before the next turn): a
            # layout activated tells its parent to lay out again, so children first, or
            # the whole panel is laid out a second time on the next turn.
            for box in self.groups.values():
                for row in box.shown:
                    row.column.activate()
                box.column.activate()
            self.column.activate()
        self._chain_tab_order()
        self.setAccessibleDescription(self.summary())

    def _chain_tab_order(self) -> None:
        """Tab walks the options in the order shown, one stop each (rows are pooled, so
        their creation order is not the display order)."""
        stops = []
        for name, _symbol, _words in GROUPS:
            for row in self.groups[name].shown:
                stop = row.box if row.box is not None else row.add_button
                if stop is not None:
                    stops.append(stop)
        for before, after in zip(stops, stops[1:], strict=False):
            QWidget.setTabOrder(before, after)

    @staticmethod
    def _options_of(snapshot: OptionsSnapshot, group: str) -> list[SnapshotOption]:
        """The options shown in ``group``: the care framework moves to "care"."""
        care = decision_rules.CARE_FRAMEWORK
        if group == "care":
            return [o for n in (OptionList.RECOMMENDED, OptionList.CONSIDER)
                    for o in snapshot.options(n) if o.code in care]  # fmt: skip
        options = snapshot.options(OptionList(group))
        if group in (OptionList.RECOMMENDED, OptionList.CONSIDER):
            return [o for o in options if o.code not in care]
        return list(options)

    def _fill(self, name, symbol, words, options, picked, editable) -> None:
        """Refill one group in place: rows that stay are only re-texted, never hidden and
        shown again (each show re-lays out the whole panel), and new rows are shown while
        the panel's layouts are paused (``show_options``)."""
        box = self.groups[name]
        box.set_title(f"{symbol} {self.tr(words)} ({len(options)})")
        wanted = [self._row(name, option.code) for option in options]
        for row in box.shown:
            if row not in wanted:
                row.hide()
        box.shown = wanted
        box.empty.setVisible(not options)
        for position, (option, row) in enumerate(zip(options, wanted, strict=True)):
            row.set_option(option)
            row.set_picked(option.code in picked)
            row.set_editable(editable, self.presenting)
            if box.rows.indexOf(row) != position + 1:
                box.rows.insertWidget(position + 1, row)  # after the "none" line
            if row.isHidden():
                # At once (the chair may pick it before the next turn of the event loop),
                # its layout paused: a show lays a row out at the size it had, then
                # show_options lays it out again at its width.
                row.column.setEnabled(False)
                row.show()
                row.column.setEnabled(True)
            self.rows[option.code] = row

    def prepare(self, options: OptionsSnapshot | None) -> int:
        """Build, hidden, the rows ``options`` would show (idle time, before that case is
        opened): a row's first show costs its construction and style polish, which made
        each case's first visit the slowest switch. Shows nothing and changes no row on
        screen; returns how many rows were new."""
        made = 0
        for name, _symbol, _words in GROUPS:
            box = self.groups[name]
            for option in self._options_of(options or OptionsSnapshot(), name):
                if (name, option.code) in self.pool:
                    continue
                row = self._row(name, option.code)
                row.setParent(box)  # hidden until _fill places and shows it
                row.ensurePolished()
                made += 1
        return made

    def _row(self, group: str, code: str) -> OptionRow:
        row = self.pool.get((group, code))
        if row is None:
            row = OptionRow(group, code)
            row.toggled.connect(lambda c, on, r=row: self._picked(r, on))
            row.actionRequested.connect(self.actionRequested)
            row.citationRequested.connect(self._citation)
            self.pool[(group, code)] = row
        return row

    def _picked(self, row: OptionRow, on: bool) -> None:
        if on and row.group == "not_recommended" and self.confirm is not None:
            question = self.tr(
                "“{title}” is NOT recommended for this patient:\n{why}\n\n"
                "Add it to the plan anyway? A reason will be needed before sign-off."
            ).format(title=row.option.title, why=row.rationale.text())
            if not self.confirm(question):
                row.set_picked(False)
                return
        self.pickedChanged.emit(row.code, on)

    def _citation(self, code: str, index: int) -> None:
        row = self.rows.get(code)
        if row is not None:
            self.citationRequested.emit(row.option.title, list(row.option.sources), index)

    def set_presenting(self, on: bool) -> None:
        """Presentation mode hides the editing buttons ("+ Action"); ticking stays."""
        self.presenting = on
        for row in self.rows.values():
            row.set_editable(self._editable, on)

    def pick_boxes(self) -> list[QCheckBox]:
        return [row.box for row in self.rows.values() if row.box is not None]

    def focus_first_option(self) -> bool:
        for name in ("recommended", "care", "consider", "not_recommended"):
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
            "{recommended} recommended, {care} care for everyone, {consider} to consider, "
            "{not_recommended} not recommended, {missing} missing data"
        ).format(**counts)


def _short(source: str, limit: int = 16) -> str:
    """A citation cut to fit a narrow column; the full reference is one click away."""
    return source if len(source) <= limit else source[: limit - 1].rstrip() + "…"
