"""Quotes against their source texts: each quote a verbatim part of its seed file.

The source texts live in :data:`circlemap.settings.SEEDS_DIR`; when that folder
is missing the checks here report nothing, so callers that must not pass
silently (``circlemap validate``) ask :func:`seeds_available` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from circlemap import quotes, schema, settings, vocab

Problem = tuple[str | None, str | None, str]


@cache
def _seed_text(path: Path, mtime_ns: int) -> str:
    del mtime_ns  # part of the cache key only
    return path.read_text(encoding="utf-8")


def seed_text(source: str) -> str | None:
    """Text of a seed file in :data:`circlemap.settings.SEEDS_DIR`; None if absent."""
    path = Path(settings.SEEDS_DIR) / source
    if not path.is_file():
        return None
    return _seed_text(path, path.stat().st_mtime_ns)


def seeds_available() -> bool:
    """Whether the source texts (:data:`settings.SEEDS_DIR`) are there to check quotes against."""
    return Path(settings.SEEDS_DIR).is_dir()


def record_quote_problems(props: Mapping[str, Any], label: str | None) -> list[Problem]:
    problems: list[Problem] = []
    if "quote" in props and "source" in props:
        problems.extend(_quote_problems(props, label, "quote"))
    if props.get("quote_en") is not None and "source" in props:
        problems.extend(_quote_problems(props, label, "quote_en"))
    for i, ref in enumerate(props.get("also_in") or []):
        if isinstance(ref, dict):
            problems.extend(_quote_problems(ref, label, f"also_in.{i}.quote"))
    return problems


def _checkable(source: Any, quote: Any) -> bool:
    """A quote the schema accepts, of a well-named source, with the seeds folder at hand."""
    if not isinstance(source, str) or not quote:
        return False
    shaped = isinstance(quote, str) or (
        isinstance(quote, list) and all(isinstance(q, str) for q in quote)
    )
    named = bool(schema.SOURCE_PATTERN.match(source))
    return shaped and named and seeds_available()


def _quote_problems(record: Mapping[str, Any], rid: str | None, name: str) -> list[Problem]:
    source, quote = record.get("source"), record.get(name.rsplit(".", 1)[-1])
    if not _checkable(source, quote):
        return []
    source = str(source)
    quote = quote if isinstance(quote, str) else [str(q) for q in quote or ()]
    text = seed_text(source)
    if text is None:
        return [
            (
                rid,
                name.replace("quote_en", "source").replace("quote", "source"),
                f"seed file {source!r} not found in {settings.SEEDS_DIR}",
            )
        ]
    record_of_source = vocab.source_record(source) or {}
    breaks = record_of_source.get("column_breaks") or ()
    problem = quotes.placement_problem(text, quote, breaks if isinstance(breaks, list) else ())
    if problem is None:
        return []
    if isinstance(quote, str) and quote not in text:
        return [(rid, name, f"quote {quote[:40]!r}... is not a verbatim substring of {source}")]
    return [(rid, name, f"{problem} in {source}")]
