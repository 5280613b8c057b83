"""innesto: strategic planning of a city's industrial transformation.

The library (``innesto.sources``, ``innesto.measures``, ``innesto.plan``, ...) has no web or
CLI import; the portal (``innesto.portal``) and the CLI (``innesto.cli``) consume it.
Importing innesto does no I/O, and the panel (with pyarrow and NumPy) is loaded only when
first used, so that ``innesto.errors`` or ``innesto.plan`` stay quick to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from innesto.errors import InnestoError, PanelError, PlanError, SourceError

if TYPE_CHECKING:
    from innesto.panel import Panel, PanelMatrix, PanelMeta

__version__ = "0.1.0"

__all__ = [
    "InnestoError",
    "Panel",
    "PanelError",
    "PanelMatrix",
    "PanelMeta",
    "PlanError",
    "SourceError",
    "__version__",
]

_LAZY = {"Panel", "PanelMatrix", "PanelMeta"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from innesto import panel

        return getattr(panel, name)
    raise AttributeError(f"module 'innesto' has no attribute {name!r}")
