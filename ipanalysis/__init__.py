"""ipanalysis: curated Tianjin IP policy targets and outcomes, with provenance checks and comparisons."""

from .dataset import Dataset, DataValidationError, load
from .quantities import Quantity, QuantityParseError, parse_quantity
from .validation import validate

__all__ = ["DataValidationError", "Dataset", "Quantity", "QuantityParseError", "load", "parse_quantity", "validate"]
