"""Quotes: verbatim fragments, where they sit in their source, and the forms readers see.

A quote in the data is either one verbatim string or a list of verbatim
fragments: a sentence the page layout split across columns (it stops at the
end of one paragraph and goes on at the start of a later one). The text of
record is always the verbatim text; readers see

* :func:`joined`: the fragments joined with nothing between them (the
  sentence as printed, without the column break);
* :func:`cleaned`: the joined text without the leftovers of a faulty
  character conversion (source ``003`` carries pinyin in brackets after some
  characters, e.g. ``戰(zhàn)略``), see :data:`PINYIN_LEFTOVER`;
* :func:`simplified`: the cleaned text rendered in Simplified characters by
  OpenCC (``t2s``), for sources written in Traditional characters.

Which of these apply to a source is data (``cleaning`` and ``script`` in
``data/sources.yaml``), so a new source needs no code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

PINYIN_LEFTOVER: Final = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
    r"\([a-z\u00e0-\u00fc\u0101-\u01dc\u0300-\u036f]+\)"
)
"""A conversion leftover: a bracket right after a CJK ideograph holding only
lower-case pinyin letters (with or without tone marks), e.g. ``(zhàn)`` in
``戰(zhàn)略``. Brackets holding Chinese (``(上海)``) or capitals (``(CPC)``) are
text and stay."""

CLEANING_RULES: Final[dict[str, re.Pattern[str]]] = {"pinyin_leftovers": PINYIN_LEFTOVER}
"""Cleaning rules a source may name in ``data/sources.yaml`` (``cleaning``)."""

SCRIPTS: Final[tuple[str, ...]] = ("simplified", "traditional", "latin")
"""Writing system of a source's text (``script`` in ``data/sources.yaml``)."""


def fragments(quote: Any) -> tuple[str, ...]:
    """A quote as stored (a string or a list of strings) as a tuple of fragments."""
    if isinstance(quote, str):
        return (quote,)
    return tuple(quote)


def joined(quote: str | Sequence[str]) -> str:
    """The fragments of ``quote`` joined with nothing between them (what readers see)."""
    return "".join(fragments(quote))


def placement_problem(
    text: str, quote: str | Sequence[str], column_breaks: Sequence[Sequence[int]] = ()
) -> str | None:
    """Why ``quote`` does not sit verbatim in ``text``, or None when it does.

    The first fragment is found at its first occurrence. Each later fragment
    must start a paragraph (a line of ``text``) after the paragraph where the
    previous fragment ends: that is what a column break looks like in the
    source files.

    ``column_breaks`` (``[line, line]`` pairs, 1-based, from the source's
    record: a sentence breaks off in the first line and goes on at the start
    of the second) make the check exact: consecutive fragments must meet at a
    declared break, and a quote may neither stop where a sentence breaks off
    nor start where one goes on.
    """
    problem = _order_problem(text, quote)
    if problem is None and column_breaks:
        problem = _break_problem(text.split("\n"), fragments(quote), column_breaks)
    return problem


def _break_problem(
    lines: Sequence[str], parts: Sequence[str], breaks: Sequence[Sequence[int]]
) -> str | None:
    def line(number: int) -> str:
        return lines[number - 1] if 0 < number <= len(lines) else ""

    for i in range(len(parts) - 1):
        if not any(parts[i] in line(a) and line(b).startswith(parts[i + 1]) for a, b in breaks):
            return (
                f"fragments {i + 1} and {i + 2} do not meet at a column break of the source "
                "(expected a pair of column_breaks in data/sources.yaml)"
            )
    for a, b in breaks:
        if line(a).endswith(parts[-1]):
            return (
                f"the quote stops where line {a} breaks off mid-sentence (it goes on at line "
                f"{b}; expected the continuation as a further fragment)"
            )
        if line(b).startswith(parts[0]):
            return (
                f"the quote starts mid-sentence at line {b} (the sentence begins on line {a}; "
                "expected its beginning as a first fragment)"
            )
    return None


def _order_problem(text: str, quote: str | Sequence[str]) -> str | None:
    parts = fragments(quote)
    if not parts or any(not isinstance(p, str) or not p for p in parts):
        return "empty quote or fragment (expected verbatim text)"
    at = text.find(parts[0])
    if at < 0:
        return f"fragment 1 {parts[0][:40]!r} is not a verbatim substring of the source"
    end = at + len(parts[0])
    for number, part in enumerate(parts[1:], start=2):
        line_end = text.find("\n", end)
        found = -1 if line_end < 0 else _paragraph_start(text, part, line_end)
        if found < 0:
            where = "a verbatim substring of the source"
            if part in text:
                where = f"found after fragment {number - 1} at the start of a later paragraph"
            return (
                f"fragment {number} {part[:40]!r} is not {where} "
                "(expected verbatim fragments in source order)"
            )
        end = found + len(part)
    return None


def _paragraph_start(text: str, part: str, start: int) -> int:
    """Position of the first occurrence of ``part`` at a line start at or after ``start``."""
    at = text.find("\n" + part, start)
    return -1 if at < 0 else at + 1


def cleaned(text: str, rules: Sequence[str] = ()) -> str:
    """``text`` with the matches of the named :data:`CLEANING_RULES` removed."""
    for rule in rules:
        text = CLEANING_RULES[rule].sub("", text)
    return text


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in Simplified characters (OpenCC ``t2s``, character and phrase tables)."""
    return str(_converter().convert(text))


@dataclass(frozen=True, slots=True)
class QuoteForms:
    """Every form of one quote.

    Attributes
    ----------
    fragments : tuple of str
        Verbatim fragments, as stored (the text of record).
    verbatim : str
        The fragments joined (still verbatim characters, leftovers included).
    reader_zh : str
        What Chinese readers see: cleaned, and Simplified for a Traditional source.
    en : str or None
        The source's own English sentence stating the same fact, if any.
    """

    fragments: tuple[str, ...]
    verbatim: str
    reader_zh: str
    en: str | None = None

    @property
    def differs(self) -> bool:
        """True when readers see another form than the verbatim text."""
        return self.reader_zh != self.verbatim


def forms(
    quote: str | Sequence[str],
    *,
    cleaning: Sequence[str] = (),
    script: str = "simplified",
    quote_en: str | None = None,
) -> QuoteForms:
    """All forms of ``quote`` for a source with the given ``cleaning`` rules and ``script``."""
    parts = fragments(quote)
    verbatim = joined(parts)
    reader = cleaned(verbatim, cleaning)
    if script == "traditional":
        reader = simplified(reader)
    return QuoteForms(fragments=parts, verbatim=verbatim, reader_zh=reader, en=quote_en)
