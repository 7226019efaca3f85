"""Reading data files safely: one place, with limits, for every reader of the data.

:func:`read_json` (GeoJSON layers) and :func:`read_yaml` (the hand-edited
tables) are used by :mod:`circlemap.catalog` (through :mod:`circlemap.validate`),
``circlemap validate`` and the build scripts. Whatever is wrong with a file's
bytes comes back as one :class:`~circlemap.datafiles.DataFileError` whose
message the error page and the validator show; never a traceback.

Rules (documented in ``docs/DATA_MODEL.md``, limits in :mod:`circlemap.settings`):

- at most :data:`~circlemap.settings.MAX_FILE_BYTES` bytes per file;
- not empty (nothing but white space and comments is empty too);
- UTF-8 without a byte-order mark (a BOM is rejected with the fix: save as
  "UTF-8", not "UTF-8 with BOM"), no other encoding (GBK bytes are named);
- nesting at most :data:`~circlemap.settings.MAX_NESTING_DEPTH` levels deep
  (checked before parsing, so ``[`` x 100000 never reaches the parser's recursion);
- JSON: no ``NaN``/``Infinity`` (not JSON), no key twice in one object;
- YAML: no anchors or aliases (``&a`` / ``*a``: the "billion laughs" bomb
  expands a few lines into gigabytes), no key twice in one mapping (naming
  the line), dates kept as strings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

import numpy as np
import yaml

from circlemap import settings
from circlemap.datafiles import DataFileError, StrictLoader, load_yaml_text, yaml_error

BOM: Final = b"\xef\xbb\xbf"

_JSON_STRING: Final = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def read_text(path: Path) -> str:
    """The text of one data file, after the byte-level checks (size, empty, BOM, UTF-8).

    Raises
    ------
    DataFileError
        Naming what is wrong and how to fix it.
    """
    path = Path(path)
    size = path.stat().st_size
    limit = settings.MAX_FILE_BYTES
    if size > limit:
        msg = (
            f"file too large: {size:,} bytes (expected at most {limit:,} bytes, "
            "settings.MAX_FILE_BYTES; simplify the geometry or split the layer)"
        )
        raise DataFileError(msg)
    raw = path.read_bytes()
    if raw.startswith(BOM):
        msg = (
            "starts with a UTF-8 byte-order mark (BOM) (expected UTF-8 without BOM: "
            "save as 'UTF-8', not 'UTF-8 with BOM')"
        )
        raise DataFileError(msg, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = (
            f"not UTF-8 text: byte {exc.start} is {raw[exc.start : exc.start + 2].hex(' ')} "
            f"({exc.reason}; expected UTF-8, e.g. not GBK: re-save the file as UTF-8)"
        )
        raise DataFileError(msg, line) from exc
    if not text.strip():
        raise DataFileError("empty file (expected data)")
    return text


def nesting_depth(raw: bytes) -> int:
    """Deepest bracket nesting (``[``/``{``) of JSON text, outside strings.

    Linear in the size and free of recursion, so it can run before the parser.
    """
    stripped = _JSON_STRING.sub(b'""', raw)
    codes = np.frombuffer(stripped, dtype=np.uint8)
    steps = np.isin(codes, (ord("["), ord("{"))).astype(np.int64) - np.isin(
        codes, (ord("]"), ord("}"))
    ).astype(np.int64)
    return int(np.cumsum(steps).max(initial=0))


def _too_deep(depth: int) -> DataFileError:
    limit = settings.MAX_NESTING_DEPTH
    msg = (
        f"nested {depth} levels deep (expected at most {limit}, settings.MAX_NESTING_DEPTH; "
        "a GeoJSON MultiPolygon needs 8)"
    )
    return DataFileError(msg)


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not a JSON number (expected a finite number, or null)"
    raise DataFileError(msg)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            msg = f"duplicate key {key!r} in one JSON object (expected each key once)"
            raise DataFileError(msg)
        out[key] = value
    return out


def read_json(path: Path) -> Any:
    """Read and parse one JSON/GeoJSON file under the rules above; raise :class:`DataFileError`."""
    text = read_text(path)
    depth = nesting_depth(text.encode("utf-8"))
    if depth > settings.MAX_NESTING_DEPTH:
        raise _too_deep(depth)
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise DataFileError(msg) from exc


def check_yaml_events(text: str) -> None:
    """Reject aliases and too deep nesting by scanning the parser's events (no recursion)."""
    depth = 0
    deepest = 0
    try:
        for event in yaml.parse(text, Loader=StrictLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 if event.start_mark else None
                msg = (
                    "YAML anchors and aliases (&name, *name) are not allowed in data files "
                    "(expected every value written out)"
                )
                raise DataFileError(msg, line)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
                if depth > settings.MAX_NESTING_DEPTH:
                    raise _too_deep(depth)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise yaml_error(exc) from exc


def read_yaml(path: Path) -> Any:
    """Read and parse one YAML file under the rules above; raise :class:`DataFileError`."""
    text = read_text(path)
    check_yaml_events(text)
    data = load_yaml_text(text)
    if data is None:
        raise DataFileError("empty file (expected data)")
    return data


def read_data_file(path: Path) -> Any:
    """:func:`read_yaml` for ``.yaml``/``.yml``, else :func:`read_json`."""
    if Path(path).suffix in (".yaml", ".yml"):
        return read_yaml(path)
    return read_json(path)
