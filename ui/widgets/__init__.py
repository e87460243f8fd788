"""The meeting screen's parts, each a widget the main window composes."""
