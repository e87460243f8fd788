"""PySide6's check of each module imported after it, answered without the tokenizer.

PySide6 asks of every module imported once it is loaded whether the module uses PySide
(its `__feature__` switches apply only to those): it reads the module's source through
`inspect.getsource`, which tokenises the whole file and keeps it in `linecache`, for
the 170-odd modules the window imports before its first paint (issue 17: 25 to 60 ms).
The question is whether the source contains the text "PySide6"; this answers it from the
file's bytes, and for an extension module (no source: PySide's answer is no) without
reading it. Anything else is still asked of PySide's own check.

Private PySide API, so installing is a no-op where it is not as expected.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.machinery import EXTENSION_SUFFIXES
from types import ModuleType

_FEATURE = "shibokensupport.feature"
_MARK = "_mdt_reads_bytes"


def install() -> None:
    """Load PySide6 (ImportError if it cannot be) and put the quick check in place."""
    import PySide6.QtCore  # noqa: F401 (its import sets up the check replaced here)

    install_if_loaded()


def install_if_loaded() -> None:
    """Put the quick check in place if PySide6 is loaded already (no Qt import)."""
    feature = sys.modules.get(_FEATURE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original) or getattr(original, _MARK, False):
        return
    feature._mod_uses_pyside = quick_check(original)  # type: ignore[attr-defined]


def quick_check(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """PySide's ``original`` check, answered from the file where there is one."""
    extensions = tuple(EXTENSION_SUFFIXES)

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str):
            if path.endswith(".py"):
                try:
                    with open(path, "rb") as source:
                        return b"PySide6" in source.read()
                except OSError:
                    pass
            elif path.endswith(extensions):
                return False  # no source to search: PySide's own check says no as well
        return bool(original(module))

    setattr(uses_pyside, _MARK, True)
    return uses_pyside
