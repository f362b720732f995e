"""ipanalysis: curated Chinese IP policy targets and outcomes, with provenance checks and comparisons.

``import ipanalysis`` is cheap: the functions below and the public modules (``ipanalysis.plotting``,
``ipanalysis.comparisons``, ``ipanalysis.display`` ...) are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .dataset import Dataset, DataValidationError, load
    from .quantities import Quantity, QuantityParseError, parse_quantity
    from .validation import validate

_FUNCTIONS = {
    "Dataset": "dataset",
    "DataValidationError": "dataset",
    "load": "dataset",
    "Quantity": "quantities",
    "QuantityParseError": "quantities",
    "parse_quantity": "quantities",
    "validate": "validation",
}
__all__ = ["DataValidationError", "Dataset", "Quantity", "QuantityParseError", "load", "parse_quantity", "validate"]


def __getattr__(name: str):
    """Import a public function or module on first use."""
    if name in _FUNCTIONS:
        value = getattr(importlib.import_module(f".{_FUNCTIONS[name]}", __name__), name)
    elif not name.startswith("_"):
        try:
            value = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return [*globals(), *_FUNCTIONS]
