"""MDT Assistant: runs an anaplastic thyroid cancer multidisciplinary team meeting.

This package is the whole product without a window; it never imports Qt.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mdt-assistant")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
