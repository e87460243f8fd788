"""The painted parts of the case screen that keep a case switch cheap (issue 17): the
clinical findings and an option's sources line. What the chair reads, clicks and copies
is what the labels they replace gave."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from ui.widgets.facts_grid import FactsGrid
from ui.widgets.sources_line import SourcesLine

FACTS = [("ECOG", "1"), ("Airway", "stable"), ("Goals of care", "active treatment"),
         ("Metastases", "lung, bone, liver (high burden); brain symptomatic")]  # fmt: skip


def _grid(qtbot, width: int) -> FactsGrid:
    grid = FactsGrid()
    qtbot.addWidget(grid)
    grid.set_facts(FACTS)
    grid.resize(width, grid.heightForWidth(width))
    grid.show()
    return grid


def test_facts_two_pairs_to_a_row_when_wide_one_when_narrow(qtbot):
    wide, narrow = _grid(qtbot, 1400), _grid(qtbot, 300)
    assert (wide.per_row, narrow.per_row) == (2, 1)
    assert wide.values == dict(FACTS) and narrow.values["Airway"] == "stable"
    # half the rows; the long value wraps in the narrow column, so that column is higher
    assert narrow.heightForWidth(300) > 2 * wide.heightForWidth(1400) - 10
    assert narrow.heightForWidth(200) > narrow.heightForWidth(300)  # never clipped


def test_every_fact_is_painted_inside_the_widget(qtbot):
    grid = _grid(qtbot, 260)
    layout = grid._layout_for(260)
    assert len(layout.cells) == len(FACTS)
    for name_box, value_box in layout.cells:
        assert grid.rect().contains(name_box) and grid.rect().contains(value_box)
        assert name_box.right() < value_box.left()  # the name never runs into its value
    image = grid.grab().toImage()
    assert image.height() == grid.heightForWidth(260)


def test_a_long_name_wraps_and_leaves_its_value_room(qtbot):
    """Presentation type in a narrow pane (issue 17's leftover): a long name once took
    nearly the whole width and its value was painted past the edge, cut off."""
    grid = FactsGrid()
    qtbot.addWidget(grid)
    font = grid.font()
    font.setPointSize(font.pointSize() * 2)
    grid.setFont(font)
    facts = [("Thyroid-stimulating hormone on levothyroxine", "suppressed"),
             ("Airway", "symptomatic")]  # fmt: skip
    grid.set_facts(facts)
    width = 340
    assert grid.minimumSizeHint().width() < width // 2
    grid.resize(width, grid.heightForWidth(width))
    layout = grid._layout_for(width)
    (long_name, long_value), (short_name, short_value) = layout.cells
    for name_box, value_box in layout.cells:
        assert name_box.width() <= width * 2 // 5 and value_box.right() < width
    metrics = grid.fontMetrics()
    assert long_name.height() >= 2 * metrics.height()  # the long name wraps
    assert short_value.width() >= metrics.horizontalAdvance("symptomatic")
    assert grid.values == dict(facts)


def test_findings_are_read_and_copied_as_lines(qtbot):
    grid = _grid(qtbot, 600)
    assert grid.accessibleName() == "Clinical findings"
    assert "Goals of care: active treatment" in grid.accessibleDescription()
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton)  # a click gives it the keyboard
    qtbot.keySequence(grid, QKeySequence(QKeySequence.StandardKey.Copy))
    assert QGuiApplication.clipboard().text().splitlines()[:2] == ["ECOG: 1", "Airway: stable"]


def test_new_findings_of_the_same_height_do_not_lay_the_summary_out_again(qtbot):
    grid = _grid(qtbot, 400)
    before = grid.heightForWidth(400)
    grid.set_facts([(name, value.upper()) for name, value in FACTS])
    assert grid.values["Airway"] == "STABLE" and grid.heightForWidth(400) >= before
    grid.set_facts([])
    assert grid.heightForWidth(400) == 0 and grid.text() == ""


def _sources(qtbot, citations: list[str], width: int = 400) -> SourcesLine:
    line = SourcesLine()
    qtbot.addWidget(line)
    line.set_sources("Sources: ", citations)
    line.resize(width, line.heightForWidth(width))
    line.show()
    qtbot.waitExposed(line)
    return line


def _point_of(line: SourcesLine, index: int) -> QPoint:
    """The middle of a citation's first character on screen."""
    start, _length = line._links[index]
    text_line = line._lay_out(line.width()).lineForTextPosition(start)
    x = text_line.cursorToX(start)[0] + 2
    return QPoint(int(x), int(text_line.y() + text_line.height() / 2))


def test_a_click_on_a_citation_opens_that_citation(qtbot):
    line = _sources(qtbot, ["ATA21 R4 (S-M)", "ATA21 R5 (S-M)", "GPS2"])
    assert line.text() == "Sources: ATA21 R4 (S-M), ATA21 R5 (S-M), GPS2"
    for index in (0, 2):
        with qtbot.waitSignal(line.linkActivated) as blocker:
            qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=_point_of(line, index))
        assert blocker.args == [f"cite:{index}"]
    with qtbot.assertNotEmitted(line.linkActivated):
        qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=QPoint(3, 5))  # "Sources:"


def test_a_narrow_sources_line_wraps_and_still_clicks(qtbot):
    citations = ["ATA21 R4 (S-M)", "ATA21 R5 (S-M)", "GPS2", "NCCN THYR 2024"]
    line = _sources(qtbot, citations, width=120)
    one_line = line.heightForWidth(2000)
    assert line.heightForWidth(120) >= 2 * one_line
    with qtbot.waitSignal(line.linkActivated) as blocker:
        qtbot.mouseClick(line, Qt.MouseButton.LeftButton, pos=_point_of(line, 3))
    assert blocker.args == ["cite:3"]


def test_no_sources_says_so(qtbot):
    line = _sources(qtbot, [])
    assert line.text() == "Sources: —"
    QApplication.processEvents()


def test_an_empty_plan_stays_empty_and_undo_never_reaches_the_case_before(qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    from ui.widgets.plain_text import set_plain_text

    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "resect")  # typed for the case before, then cleared by hand
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    assert edit.toPlainText() == "" and edit.document().isUndoAvailable()
    set_plain_text(edit, "")  # the next case has no plan either
    edit.undo()
    assert edit.toPlainText() == "" and not edit.document().isUndoAvailable()
    set_plain_text(edit, "Total thyroidectomy")
    assert edit.toPlainText() == "Total thyroidectomy"
    set_plain_text(edit, "")
    assert edit.toPlainText() == ""


def test_a_wrapped_labels_cheap_size_hints_still_fit_its_text(qtbot):
    """SizedLabel's hints for wrapped plain text (one text layout, not Qt's four): wide
    enough for the text up to 80 characters, as high as the text at that width, never
    wider than a plain QLabel's hint; rich text keeps Qt's own hints."""
    from PySide6.QtWidgets import QLabel

    from ui.widgets.common import label

    words = "Stage IVC. Discuss hospice care as part of planning for metastatic disease. " * 3
    mine, plain = label(words, wrap=True), QLabel(words)
    plain.setWordWrap(True)
    for widget in (mine, plain):
        qtbot.addWidget(widget)
    hint = mine.sizeHint()
    assert hint.width() <= 80 * mine.fontMetrics().averageCharWidth() + 1
    assert hint.height() == plain.heightForWidth(hint.width())  # the text fits at its width
    assert mine.minimumSizeHint().width() <= plain.minimumSizeHint().width()
    assert mine.minimumSizeHint().height() >= mine.fontMetrics().height()
    short = label("Intact", wrap=True)
    qtbot.addWidget(short)
    assert short.sizeHint().width() >= short.fontMetrics().horizontalAdvance("Intact")
    rich = label("<b>Bold</b> words", wrap=True)
    qtbot.addWidget(rich)
    twin = QLabel("<b>Bold</b> words")
    twin.setWordWrap(True)
    qtbot.addWidget(twin)
    assert rich.sizeHint() == twin.sizeHint()


def test_table_text_measures_are_kept_per_text_font_and_width(qtbot):
    from PySide6.QtGui import QFont

    from ui.widgets import table_fit

    base = QFont()
    bold = QFont(base)
    bold.setBold(True)
    text = "Thyroglobulin antibodies (recheck in 4 weeks)"
    narrow = table_fit.text_height(text, base, 60)
    assert narrow > table_fit.text_height(text, base, 2000)  # another width: measured again
    assert table_fit.text_height(text, base, 60) == narrow  # kept
    assert table_fit.text_width(text, bold) > table_fit.text_width(text, base)  # another font
    key = (text, base.key(), int(table_fit.QTextOption.WrapMode.WordWrap.value), 60)
    assert key in table_fit._MEASURED


def test_a_group_title_wraps_instead_of_widening_the_options_column(qtbot):
    """At presentation type a title such as "✔ Recommended treatment (0)" once held the
    options panel wider than its pane, cutting every row's right edge."""
    from ui.widgets.options_panel import OptionGroup

    group = OptionGroup("recommended")
    qtbot.addWidget(group)
    font = group.font()
    font.setPointSize(font.pointSize() * 2)
    group.setFont(font)
    group.set_title("✔ Recommended treatment (0)")
    one_line = group.title.fontMetrics().horizontalAdvance(group.title.text())
    assert group.minimumSizeHint().width() < one_line
    group.resize(one_line // 2, group.heightForWidth(one_line // 2))
    assert group.title.height() >= 2 * group.title.fontMetrics().height() - 2
