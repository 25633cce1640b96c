"""SHACL validation of a graph against the shapes, with the ontology and code lists beside it.

``validate(...)`` returns a ``ValidationReport`` value; a failure to validate is an exception."""

from policygraph.validation.report import ValidationReport, ValidationResult
from policygraph.validation.shacl import validate

__all__ = ["ValidationReport", "ValidationResult", "validate"]
