"""MDT Assistant: runs an anaplastic thyroid cancer multidisciplinary team meeting.

This package is the whole product without a window; it never imports Qt.
"""

# The one place the version is written: pyproject.toml reads it from here (hatch), so
# `mdt-app --version` needs no importlib.metadata (26 ms) at start.
__version__ = "0.1.0"
