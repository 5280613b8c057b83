"""innesto: strategic planning of a city's industrial transformation.

The library (``innesto.sources``, ``innesto.measures``, ``innesto.plan``, ...) has no web or
CLI import; the portal (``innesto.portal``) and the CLI (``innesto.cli``) consume it.
Importing innesto does no I/O.
"""

from innesto.errors import InnestoError, PanelError, PlanError, SourceError
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
