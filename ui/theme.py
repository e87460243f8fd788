"""Look and type size: one stylesheet, scaled as a whole for presentation mode.

Sizes are in points, so a projector's DPI scales them too. Meaning is never carried by
colour alone: every coloured thing also has a symbol, a word or a border pattern.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

BASE_POINTS = 10.0
PRESENTATION_SCALE = 1.4
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")

INK = "#1b1f24"
MUTED = "#4a5360"
PAPER = "#ffffff"
CANVAS = "#eef1f4"
LINE = "#c5ccd5"
ACCENT = "#1d4f91"
GOOD = "#1e6b34"
CONSIDER = "#1d4f91"
AGAINST = "#a4161a"
MISSING = "#8a5a00"
MISSING_BG = "#fff4d6"


def presentation_scale(screen_height: int) -> float:
    """Type scale for the projector: 1.4 on a 768-line screen, larger on taller ones
    (about 1.8 at 1080), so the back of the room reads the same size of letters."""
    return round(PRESENTATION_SCALE * max(1.0, screen_height / 768) ** 0.75, 2)


def load_fonts(app: QApplication) -> None:
    """Use the shipped DejaVu Sans (it has every symbol the window draws)."""
    try:
        from mdt_app.paths import resource_path

        families = []
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
            families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    except (FileNotFoundError, OSError) as exc:
        log.warning("shipped fonts not loaded: %s", exc)
        return
    if families:
        font = QFont(families[0])
        font.setPointSizeF(BASE_POINTS)
        app.setFont(font)


def stylesheet(scale: float = 1.0) -> str:
    """The window's stylesheet with every type size multiplied by ``scale``."""

    def pt(size: float) -> str:
        return f"{size * scale:.1f}pt"

    def px(size: float) -> int:
        return round(size * scale)

    return f"""
QWidget {{ font-size: {pt(BASE_POINTS)}; color: {INK}; }}
QMainWindow, QDialog {{ background: {CANVAS}; }}
QToolTip {{ font-size: {pt(BASE_POINTS)}; }}
QFrame#patientBanner {{
    background: {ACCENT}; border-radius: 4px;
}}
QFrame#patientBanner QLabel {{ color: white; }}
QLabel[role="bannerName"] {{ font-size: {pt(17)}; font-weight: bold; }}
QLabel[role="bannerFacts"] {{ font-size: {pt(13)}; }}
QLabel[role="demoBadge"] {{
    font-size: {pt(11)}; font-weight: bold; color: {INK}; background: #ffd43b;
    border: 2px solid {INK}; border-radius: 3px; padding: 2px 8px;
}}
QLabel[role="sectionTitle"] {{
    font-size: {pt(11)}; font-weight: bold; color: {ACCENT};
    border-bottom: 1px solid {LINE}; padding-top: 6px;
}}
QLabel[role="stage"] {{ font-size: {pt(15)}; font-weight: bold; }}
QLabel[role="basis"] {{ color: {MUTED}; }}
QLabel[role="question"] {{ font-size: {pt(11.5)}; font-style: italic; }}
QLabel[role="factName"] {{ color: {MUTED}; }}
QLabel[role="factValue"] {{ font-weight: bold; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="panelTitle"] {{ font-size: {pt(12)}; font-weight: bold; }}
QLabel[role="warning"] {{
    color: {AGAINST}; font-weight: bold; background: #fdecec;
    border: 2px solid {AGAINST}; border-radius: 3px; padding: 4px;
}}
QLabel[role="status"] {{ color: {MUTED}; font-style: italic; }}
QLabel[role="signed"] {{
    font-weight: bold; color: {GOOD}; border: 2px solid {GOOD}; border-radius: 3px;
    padding: 3px 6px; background: #eaf5ec;
}}
QLabel#quorumIndicator[quorate="true"] {{
    font-weight: bold; color: {GOOD}; border: 2px solid {GOOD}; border-radius: 3px;
    padding: 2px 6px; background: #eaf5ec;
}}
QLabel#quorumIndicator[quorate="false"] {{
    font-weight: bold; color: {AGAINST}; border: 2px dashed {AGAINST}; border-radius: 3px;
    padding: 2px 6px; background: #fdecec;
}}
QGroupBox {{
    font-weight: bold; background: {PAPER};
    margin-top: {pt(11)}; padding: {pt(4)} 4px 4px 4px; border: 1px solid {LINE};
}}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; }}
QFrame[group] {{ background: {PAPER}; border-radius: 4px; }}
QFrame[group="recommended"] {{ border: 3px solid {GOOD}; }}
QFrame[group="consider"] {{ border: 2px dashed {CONSIDER}; }}
QFrame[group="not_recommended"] {{ border: 4px double {AGAINST}; }}
QFrame[group="missing"] {{ border: 3px solid {MISSING}; background: {MISSING_BG}; }}
QFrame[group] QLabel, QFrame[group] OptionRow {{ border: none; background: transparent; }}
QLabel[role="groupTitle"] {{ font-size: {pt(11.5)}; font-weight: bold; }}
QLabel[role="groupTitle"][group="recommended"] {{ color: {GOOD}; }}
QLabel[role="groupTitle"][group="consider"] {{ color: {CONSIDER}; }}
QLabel[role="groupTitle"][group="not_recommended"] {{ color: {AGAINST}; }}
QLabel[role="groupTitle"][group="missing"] {{ color: {MISSING}; }}
QCheckBox[role="optionTitle"], QLabel[role="optionTitle"] {{ font-weight: bold; }}
QLabel[role="rationale"] {{ color: {MUTED}; }}
QToolButton[role="sources"] {{ color: {ACCENT}; border: none; text-decoration: underline; }}
QTableView {{
    background: {PAPER}; gridline-color: {LINE}; selection-background-color: #cfe0f5;
    selection-color: {INK};
}}
QHeaderView::section {{
    font-weight: bold; background: #e2e7ed; border: none;
    border-right: 1px solid {LINE}; border-bottom: 1px solid {LINE}; padding: 3px 4px;
}}
QPushButton {{ padding: 4px 10px; }}
QCheckBox::indicator {{ width: {px(14)}px; height: {px(14)}px; }}
QPushButton#signOffButton {{
    font-weight: bold; color: white; background: {GOOD}; border: 2px solid #123f1f;
    border-radius: 3px; padding: 6px 14px;
}}
QPushButton#signOffButton:disabled {{ background: #9aa5b1; border-color: #7b8794; }}
QPlainTextEdit, QLineEdit, QTextEdit {{ background: {PAPER}; }}
QPlainTextEdit[readOnly="true"], QLineEdit[readOnly="true"] {{ background: #f1f3f5; color: {INK}; }}
QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; }}
QWidget[role="card"] {{ background: {PAPER}; border: 1px solid {LINE}; border-radius: 4px; }}
QStatusBar {{ color: {MUTED}; }}
QFrame[group="care"] {{ border: 2px solid {MUTED}; }}
QLabel[role="groupTitle"][group="care"] {{ color: {INK}; }}
QWidget[role="optionRow"] {{ border: 3px solid transparent; border-radius: 4px; }}
QWidget[role="optionRow"][focused="true"] {{ border: 3px solid {ACCENT}; background: #dbe7f7; }}
QCheckBox:focus {{ outline: none; }}
QCheckBox::indicator:focus {{ border: 2px solid {ACCENT}; }}
QLabel[role="sources"] {{ color: {MUTED}; font-size: {pt(BASE_POINTS * 0.9)}; }}
QLabel[role="unverifiedMark"] {{
    color: {MISSING}; font-size: {pt(BASE_POINTS * 0.85)}; border: 1px dotted {MISSING};
    border-radius: 3px; padding: 0 3px;
}}
QWidget#presentationBar {{ background: {INK}; }}
QWidget#presentationBar QLabel {{ color: white; }}
QLabel[role="presentPosition"] {{ font-size: {pt(15)}; font-weight: bold; }}
QLabel[role="presentNext"] {{ font-size: {pt(13)}; }}
QLabel[role="presentHint"] {{ font-size: {pt(9)}; color: #c5ccd5; }}
*:focus {{ outline: 2px solid {ACCENT}; }}
QPlainTextEdit:focus, QLineEdit:focus, QSpinBox:focus, QComboBox:focus, QTableView:focus {{
    border: 2px solid {ACCENT};
}}
"""
