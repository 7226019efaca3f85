"""Domain exceptions."""

from __future__ import annotations


class CircleMapError(Exception):
    """Base class of every error this package raises on purpose."""


class DataValidationError(CircleMapError):
    """A data file breaks the schema.

    The message names the file, the feature or row id, the field, and what was
    expected, e.g. ``geodata/projects.geojson: feature 'rail-x': field 'cities':
    unknown city '上海' (expected one of 济南, 淄博, ...)``.

    Parameters
    ----------
    file : str
        Path of the offending file, relative to the repository when possible.
    problems : list of (feature_id, field, message)
        Every problem found; ``feature_id`` is ``None`` when the whole file
        is broken (invalid JSON), ``field`` is ``None`` when no field applies.
    """

    def __init__(self, file: str, problems: list[tuple[str | None, str | None, str]]) -> None:
        self.file = file
        self.problems = list(problems)
        lines = [format_problem(file, fid, field, msg) for fid, field, msg in self.problems]
        super().__init__("\n".join(lines))


def format_problem(file: str, feature_id: str | None, field: str | None, message: str) -> str:
    """Render one problem as ``file: feature 'id': field 'f': message``."""
    parts = [file]
    if feature_id is not None:
        parts.append(f"feature {feature_id!r}")
    if field is not None:
        parts.append(f"field {field!r}")
    parts.append(message)
    return ": ".join(parts)


class ExportError(CircleMapError):
    """An export could not be produced (bad arguments, unknown format)."""
