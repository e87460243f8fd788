"""The PySide6 desktop shell over mdt_app."""
