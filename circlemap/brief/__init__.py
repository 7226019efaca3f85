"""Briefings: a report of one city, the whole circle or the current filters.

One code path serves the app's buttons and the command line::

    data = render_briefing(catalog, Selection(cities=("淄博",)), lang="zh", fmt="pdf")
    name = briefing_filename(Selection(cities=("淄博",)), "zh", "pdf", today)

:mod:`~circlemap.brief.content` assembles what a briefing says (pure data);
:mod:`~circlemap.brief.pdf` lays it out as an A4 PDF (ReportLab, vector maps,
embedded CJK font), :mod:`~circlemap.brief.word` as a DOCX (python-docx).
:func:`all_cities` renders the seven city briefings and the circle's in one go.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from circlemap import settings, vocab
from circlemap.brief.content import Briefing, build_briefing
from circlemap.errors import ExportError
from circlemap.export import suggested_filename
from circlemap.filters import Selection

if TYPE_CHECKING:
    from circlemap.catalog import Catalog

BRIEF_FORMATS: Final[dict[str, str]] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
"""Briefing formats and their MIME types."""

FILENAME_PREFIX: Final = "circle-map-brief"

__all__ = [
    "BRIEF_FORMATS",
    "BatchItem",
    "Briefing",
    "all_cities",
    "batch_filename",
    "batch_selections",
    "batch_zip",
    "briefing_filename",
    "build_briefing",
    "render_briefing",
]


def _check(lang: str, fmt: str) -> None:
    if fmt not in BRIEF_FORMATS:
        msg = f"unknown briefing format {fmt!r} (expected one of {', '.join(BRIEF_FORMATS)})"
        raise ExportError(msg)
    if lang not in settings.LANGS:
        msg = f"unknown language {lang!r} (expected one of {', '.join(settings.LANGS)})"
        raise ExportError(msg)


def render_briefing(
    catalog: Catalog,
    selection: Selection,
    *,
    lang: str,
    fmt: str = "pdf",
    today: dt.date | None = None,
) -> bytes:
    """The briefing of ``selection`` as ``fmt`` (``"pdf"`` or ``"docx"``) bytes.

    Parameters
    ----------
    catalog : Catalog
        From :func:`circlemap.catalog.load_catalog`.
    selection : Selection
        The filters; ``cities`` empty means the whole circle.
    lang : {"zh", "en"}
    fmt : {"pdf", "docx"}
    today : datetime.date, optional
        Export date printed on it; default today.

    Raises
    ------
    ExportError
        For an unknown format or language.
    """
    from circlemap.brief import pdf, word

    _check(lang, fmt)
    briefing = build_briefing(catalog, selection, lang=lang, today=today)
    if fmt == "docx":
        return word.render_docx(catalog, briefing)
    return pdf.render_pdf(catalog, briefing)


def briefing_filename(
    selection: Selection, lang: str, fmt: str, today: dt.date | None = None
) -> str:
    """ASCII file name: ``circle-map-brief_<cities>_<filters>_<lang>_<date>.<fmt>``.

    Examples
    --------
    >>> briefing_filename(Selection(cities=("淄博",)), "zh", "pdf", dt.date(2026, 12, 2))
    'circle-map-brief_zibo_zh_2026-12-02.pdf'
    """
    _check(lang, fmt)
    stem = suggested_filename(selection, lang, "csv", today).removesuffix(".csv")
    return FILENAME_PREFIX + stem.removeprefix("circle-map") + "." + fmt


def batch_selections(selection: Selection | None = None) -> list[Selection]:
    """One selection per circle city, then the whole circle, keeping the other filters."""
    base = selection or Selection()
    return [base.with_(cities=(city,)) for city in vocab.CIRCLE_CITIES] + [base.with_(cities=())]


@dataclass(frozen=True)
class BatchItem:
    """One rendered briefing of a batch."""

    selection: Selection
    filename: str
    data: bytes


def all_cities(
    catalog: Catalog,
    *,
    lang: str,
    fmt: str = "pdf",
    today: dt.date | None = None,
    selection: Selection | None = None,
    progress: Callable[[int, int, Selection], None] | None = None,
) -> Iterator[BatchItem]:
    """Render the briefing of each circle city and of the whole circle, one by one.

    ``progress(done, total, selection)`` is called before each briefing is
    rendered (``done`` finished so far) and once at the end (``done == total``).
    """
    today = today or dt.date.today()
    selections = batch_selections(selection)
    for done, item in enumerate(selections):
        if progress is not None:
            progress(done, len(selections), item)
        yield BatchItem(
            item,
            briefing_filename(item, lang, fmt, today),
            render_briefing(catalog, item, lang=lang, fmt=fmt, today=today),
        )
    if progress is not None:
        progress(len(selections), len(selections), selections[-1])


def batch_zip(
    catalog: Catalog,
    *,
    lang: str,
    fmt: str = "pdf",
    today: dt.date | None = None,
    selection: Selection | None = None,
    progress: Callable[[int, int, Selection], None] | None = None,
) -> bytes:
    """:func:`all_cities` as one ZIP archive (the app's batch download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for item in all_cities(
            catalog, lang=lang, fmt=fmt, today=today, selection=selection, progress=progress
        ):
            archive.writestr(item.filename, item.data)
    return buffer.getvalue()


def batch_filename(lang: str, fmt: str, today: dt.date | None = None) -> str:
    """Name of the batch archive: ``circle-map-brief_all-cities_<fmt>_<lang>_<date>.zip``."""
    _check(lang, fmt)
    return f"{FILENAME_PREFIX}_all-cities_{fmt}_{lang}_{(today or dt.date.today()).isoformat()}.zip"
