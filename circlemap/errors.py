"""Domain exceptions: every error the package raises on purpose.

Each names what was wrong in its message (file, feature, field; the bad
argument; the host that did not answer), so a caller can print it as it is.
The command line (:mod:`circlemap.cli`) prints any :class:`CircleMapError`
and exits 2.
"""

from __future__ import annotations

import re
from typing import Any, Final

SECRET_PARAMS: Final = ("tk", "key", "token", "apikey", "api_key", "access_token")
"""Query parameters whose value is a credential (Tianditu's key travels as ``tk``)."""
_SECRET_VALUE: Final = re.compile(
    r"(?P<name>[?&;](?:" + "|".join(SECRET_PARAMS) + r")=)[^&#\s'\"<>]*", re.IGNORECASE
)


def redact_secrets(text: str) -> str:
    """``text`` with the value of every credential query parameter replaced by ``REDACTED``.

    For anything that may quote a tile URL (error messages, log lines):
    ``...&tk=abc123&x=1`` becomes ``...&tk=REDACTED&x=1``.
    """
    return _SECRET_VALUE.sub(r"\g<name>REDACTED", text)


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


class DataFileError(CircleMapError, ValueError):
    """A data file cannot be read: too large, empty, not UTF-8, bad syntax, too deep.

    Raised by :mod:`circlemap.reading`; the validator turns it into a problem of
    the file (so readers see the data-error page, never a traceback).

    Attributes
    ----------
    line : int or None
        1-based line of the problem, when known.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(message if line is None else f"line {line}: {message}")


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


class UnknownViewError(CircleMapError):
    """A page name that is not a map page (:data:`circlemap.views.MAP_VIEWS`)."""


class BasemapError(CircleMapError):
    """An unknown basemap, or one that needs a key that is not set."""


class AssetError(CircleMapError):
    """A map element asks for an asset the app does not serve itself."""


class TileError(ExportError):
    """Basemap tiles could not be used, so the print map keeps its vector background.

    Parameters
    ----------
    reason : {"key", "network", "timeout", "http", "invalid"}
        What went wrong; selects the footer's explanation
        (``export_tiles_reason_<reason>`` in :mod:`circlemap.i18n`).
    message : str
        The English message (logs, ``str(error)``).
    **params
        Values the explanation quotes (``host``, ``status``, ``seconds`` ...).
    """

    def __init__(self, reason: str, message: str, **params: Any) -> None:
        # Tile URLs carry the Tianditu key: no message (hence no log line) shows it.
        super().__init__(redact_secrets(message))
        self.reason = reason
        self.params = params

    def explain(self, lang: str) -> str:
        """Why no tiles were drawn, in ``lang`` (for the footer)."""
        from circlemap import i18n

        return i18n.t(f"export_tiles_reason_{self.reason}", lang).format(**self.params)
