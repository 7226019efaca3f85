"""Reading the hand-edited YAML files under ``data/``: safe, strict, with line numbers.

PyYAML's safe loader builds only plain data (no Python objects). On top of it
this loader rejects a key given twice in one mapping (YAML would silently keep
the last), and keeps dates as the strings the schema checks (``2021-02-06``
stays text, never a ``datetime.date``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import yaml

from circlemap.errors import DataFileError

__all__ = ["DataFileError", "StrictLoader", "load_yaml_text", "read_yaml"]

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_Base):  # type: ignore[misc]  # PyYAML is untyped here
    """Safe loader: no duplicate keys, dates and times left as strings."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                msg = (
                    f"duplicate key {key!r} (first at line {seen[key]}; expected each key "
                    "once per record)"
                )
                raise DataFileError(msg, line)
            seen[key] = key_node.start_mark.line + 1
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def yaml_error(exc: yaml.YAMLError) -> DataFileError:
    """The :class:`DataFileError` of a PyYAML error: its problem and line where it has one."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        return DataFileError(f"invalid YAML: {exc.problem}", line)
    return DataFileError(f"invalid YAML: {exc}")


def load_yaml_text(text: str) -> Any:
    """Parse YAML ``text`` with :class:`StrictLoader`; raise :class:`DataFileError`."""
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise yaml_error(exc) from exc


def read_yaml(path: Path) -> Any:
    """Read and parse one YAML file with the limits of :func:`circlemap.reading.read_yaml`."""
    from circlemap import reading  # reading builds on this module

    return reading.read_yaml(path)
