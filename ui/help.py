"""F1: a short manual (the meeting workflow, the shortcuts, what each option group
means) and the About box (app version, guideline version)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def _t(text: str) -> str:
    return QCoreApplication.translate("Help", text)


def manual_markdown(shortcuts: list[tuple[str, str]]) -> str:
    """The manual (resources/text/<language>/manual.md) and the window's shortcut table."""
    try:
        from mdt_app.paths import resource_path

        text = resource_path("text", "en", "manual.md").read_text(encoding="utf-8")
    except OSError as exc:
        text = _t("The manual could not be read ({why}).").format(why=exc)
    rows = "\n".join(f"| {k} | {w} |" for k, w in shortcuts)
    keys = _t("Keyboard")
    return f"{text}\n\n## {keys}\n\n| keys | does |\n|---|---|\n{rows}\n"


def about_text() -> str:
    """App version and the guideline pathway's id and version."""
    from mdt_app import __version__

    try:
        from mdt_app.guideline.engine import load_pathway

        pathway = load_pathway()
        guideline = f"{pathway.title} · id {pathway.id} · version {pathway.version}"
    except Exception as exc:  # the About box must open even with a broken pathway
        guideline = _t("not available ({why})").format(why=exc)
    return _t(
        "MDT Assistant {version}\n\nGuideline pathway: {guideline}\n\n"
        "Decision support for the anaplastic thyroid cancer MDT. The MDT decides; "
        "the guideline options are an aid, with their sources."
    ).format(version=__version__, guideline=guideline)


class ManualDialog(QDialog):
    def __init__(self, shortcuts: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("manualDialog")
        self.setWindowTitle(_t("MDT Assistant: short manual"))
        self.text = QTextBrowser()
        self.text.setObjectName("manualText")
        self.text.setMarkdown(manual_markdown(shortcuts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(720, 600)
