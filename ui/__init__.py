"""The PySide6 desktop shell over mdt_app."""

from ui.pyside_import_check import install_if_loaded

install_if_loaded()  # a script that loaded Qt first (tests, benchmarks) imports ui faster
