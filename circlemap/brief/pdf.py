"""Lay out a :class:`~circlemap.brief.content.Briefing` as an A4 PDF with ReportLab.

Text is set in the bundled CJK font (WenQuanYi Micro Hei, :mod:`circlemap.fonts`),
embedded as a TrueType subset, so it is real and extractable. Paragraphs wrap
(Chinese anywhere, Latin at spaces), tables get fixed column widths that add
up to the text frame, and every page carries the briefing's title, the export
date and "page n of N". Two passes (``multiBuild``) fill the contents list.

The maps are vector: the print map and the numbered locator map are rendered
by matplotlib into one-page PDFs (:mod:`circlemap.brief.figures`) and stamped,
scaled, into the places :class:`MapSlot` left for them, with pypdf.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any, Final
from xml.sax.saxutils import escape

from circlemap import fonts
from circlemap.brief import figures
from circlemap.brief.content import Briefing, FeatureItem, MeasureItem, Quote
from circlemap.brief.strings import bt

FONT_NAME: Final = "CircleMapCJK"
"""Name the bundled font is registered under in ReportLab."""

MM: Final = 72 / 25.4
"""Points per millimetre."""

PAGE_SIZE: Final[tuple[float, float]] = (210 * MM, 297 * MM)
"""A4 portrait (points)."""

MARGINS: Final[tuple[float, float, float, float]] = (18 * MM, 22 * MM, 18 * MM, 20 * MM)
"""Text frame margins (left, top, right, bottom), points; header and footer sit outside."""

HEADER_Y: Final = PAGE_SIZE[1] - 13 * MM
FOOTER_Y: Final = 11 * MM

INK: Final = "#222222"
MUTED: Final = "#666666"
ACCENT: Final = "#8a3b1f"
RULE: Final = "#c9b79c"
QUOTE_BG: Final = "#f7f3ec"


@functools.cache
def register_font() -> str:
    """Register the bundled font with ReportLab (once); return its ReportLab name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(
        TTFont(FONT_NAME, str(fonts.font_path()), subfontIndex=fonts.FONT_FACE_INDEX)
    )
    # one face only: bold and italic markup fall back to the same glyphs
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT_NAME, bold, italic, FONT_NAME)
    return FONT_NAME


def _text(value: object) -> str:
    """Data text made inert for ReportLab's paragraph markup; newlines kept."""
    return escape(str(value)).replace("\n", "<br/>")


@dataclass
class _Styles:
    title: Any
    scope: Any
    subtitle: Any
    h1: Any
    h2: Any
    h3: Any
    body: Any
    bullet: Any
    small: Any
    quote: Any
    cell: Any
    cell_head: Any
    toc1: Any
    toc2: Any


def _styles(lang: str) -> _Styles:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    font = register_font()
    # Chinese breaks between any two characters; English text keeps words whole.
    wrap = "CJK" if lang == "zh" else None
    base = ParagraphStyle(
        "base",
        fontName=font,
        fontSize=9.5,
        leading=14,
        textColor=colors.HexColor(INK),
        wordWrap=wrap,
    )

    def derive(name: str, **kw: Any) -> Any:
        if kw.get("wordWrap", wrap) == "CJK":
            # CJK wrapping lets closing punctuation hang past the line's end by one
            # character: keep that room inside the frame (or the table cell)
            kw.setdefault("rightIndent", kw.get("fontSize", base.fontSize))
        return ParagraphStyle(name, parent=base, **kw)

    return _Styles(
        title=derive("title", fontSize=22, leading=28, textColor=colors.HexColor(ACCENT)),
        scope=derive("scope", fontSize=16, leading=22, spaceBefore=4),
        subtitle=derive("subtitle", fontSize=10, leading=15, textColor=colors.HexColor(MUTED)),
        h1=derive(
            "h1",
            fontSize=15,
            leading=20,
            spaceBefore=6,
            spaceAfter=8,
            textColor=colors.HexColor(ACCENT),
        ),
        h2=derive("h2", fontSize=12, leading=16, spaceBefore=10, spaceAfter=4),
        h3=derive("h3", fontSize=10.5, leading=15, spaceBefore=6, spaceAfter=1),
        body=derive("body"),
        bullet=derive("bullet", leftIndent=11, bulletIndent=0, bulletFontName=font),
        small=derive("small", fontSize=8, leading=11.5, textColor=colors.HexColor(MUTED)),
        # quotes are Chinese (or English as printed): break anywhere in both reports
        quote=derive("quote", fontSize=9.5, leading=14.5, wordWrap="CJK"),
        cell=derive("cell", fontSize=8.5, leading=12),
        cell_head=derive("cell_head", fontSize=8.5, leading=12, textColor=colors.HexColor(MUTED)),
        toc1=derive("toc1", fontSize=11, leading=18),
        toc2=derive("toc2", fontSize=9, leading=13, leftIndent=14),
    )


class MapSlot:
    """Factory of a flowable that reserves room for a map and records where it landed."""

    @staticmethod
    def make(
        key: str, width: float, height: float, slots: dict[str, tuple[int, float, float]]
    ) -> Any:
        """A flowable ``width`` x ``height`` points whose page and position go to ``slots[key]``.

        The position is the lower-left corner in page coordinates (points);
        each build pass overwrites it, so after ``multiBuild`` it is final.
        """
        from reportlab.platypus import Flowable

        class _Slot(Flowable):
            def __init__(self) -> None:
                super().__init__()
                self.width = width
                self.height = height

            def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
                del avail_width, avail_height
                return self.width, self.height

            def draw(self) -> None:
                x, y = self.canv.absolutePosition(0, 0)
                slots[key] = (self.canv.getPageNumber(), x, y)
                self.canv.setStrokeColorRGB(0.6, 0.6, 0.6)
                self.canv.setLineWidth(0.4)
                self.canv.rect(0, 0, self.width, self.height)

        return _Slot()


def _canvas_class(briefing: Briefing) -> Any:
    """A canvas that draws header and "page n of N" footer once the page count is known."""
    from reportlab.pdfgen.canvas import Canvas

    lang = briefing.lang
    header = f"{briefing.title} · {briefing.scope}"
    footer_left = f"{bt('brief_exported', lang)} {briefing.today.isoformat()}"

    class _NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # the default Helvetica would be referenced (unembedded) on every page
            kwargs["initialFontName"] = FONT_NAME
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            left, _, right, _ = MARGINS
            self.saveState()
            self.setFont(FONT_NAME, 7.5)
            self.setFillColorRGB(0.4, 0.4, 0.4)
            page = self._pageNumber
            if page > 1:
                self.drawString(left, HEADER_Y, header)
                self.setStrokeColorRGB(0.79, 0.72, 0.61)
                self.setLineWidth(0.4)
                self.line(left, HEADER_Y - 2.5 * MM, PAGE_SIZE[0] - right, HEADER_Y - 2.5 * MM)
            self.drawString(left, FOOTER_Y, footer_left)
            self.drawRightString(
                PAGE_SIZE[0] - right,
                FOOTER_Y,
                bt("brief_page", lang).format(page=page, total=total),
            )
            self.restoreState()

    return _NumberedCanvas


def _doc_class() -> Any:
    from reportlab.platypus import BaseDocTemplate

    class _BriefDoc(BaseDocTemplate):
        """Headings (``style.name`` h1/h2) become contents entries and PDF bookmarks."""

        def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 (ReportLab's name)
            style = getattr(flowable, "style", None)
            level = {"h1": 0, "h2": 1}.get(getattr(style, "name", ""))
            if level is None:
                return
            text = flowable.getPlainText()
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, text, self.page, key))

    return _BriefDoc


def _table(rows: list[list[Any]], widths: list[float], *, head: bool = True) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=1 if head else 0, hAlign="LEFT")
    commands: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)),
    ]
    if head:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(ACCENT)))
    table.setStyle(TableStyle(commands))
    return table


def _quote_block(quote: Quote, st: _Styles, width: float, lang: str) -> list[Any]:
    """A verbatim quote (shaded, ruled on the left) and its source title under it."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    block = Table(
        [
            [
                Paragraph(
                    f"“{_text(quote.text)}”" if lang == "en" else f"「{_text(quote.text)}」",
                    st.quote,
                )
            ]
        ],
        colWidths=[width],
        hAlign="LEFT",
    )
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(QUOTE_BG)),
                ("LINEBEFORE", (0, 0), (0, -1), 1.6, colors.HexColor(RULE)),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    colon = ": " if lang == "en" else "："
    source = Paragraph(f"{bt('brief_source', lang)}{colon}{_text(quote.source_title)}", st.small)
    return [block, source]


def _frame_width() -> float:
    return PAGE_SIZE[0] - MARGINS[0] - MARGINS[2]


def _cover(briefing: Briefing, st: _Styles, slots: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    lang = briefing.lang
    width = _frame_width()
    colon = ": " if lang == "en" else "："
    story: list[Any] = [
        Paragraph(_text(briefing.title), st.title),
        Paragraph(_text(briefing.scope), st.scope),
        Spacer(1, 3 * MM),
        Paragraph(_text(bt("brief_subtitle", lang)), st.subtitle),
        Paragraph(f"{bt('brief_exported', lang)}{colon}{briefing.today.isoformat()}", st.subtitle),
        Spacer(1, 4 * MM),
    ]
    rows = [
        [Paragraph(_text(k), st.cell_head), Paragraph(_text(v), st.cell)]
        for k, v in briefing.filters
    ]
    story += [
        Paragraph(_text(bt("brief_filters", lang)), st.h3),
        _table(rows, [0.25 * width, 0.75 * width], head=False),
        Spacer(1, 6 * MM),
        MapSlot.make("cover", width, width * 210 / 297, slots),
        Paragraph(_text(bt("brief_cover_map", lang)), st.small),
    ]
    return story


def _counts_table(
    title: str, pairs: tuple[tuple[str, int], ...], st: _Styles, lang: str, width: float
) -> Any:
    from reportlab.platypus import Paragraph

    rows = [
        [Paragraph(_text(title), st.cell_head), Paragraph(bt("brief_count", lang), st.cell_head)]
    ]
    rows += [[Paragraph(_text(label), st.cell), Paragraph(str(n), st.cell)] for label, n in pairs]
    return _table(rows, [width - 16 * MM, 16 * MM])


def _summary(briefing: Briefing, st: _Styles) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer, Table

    lang = briefing.lang
    width = _frame_width()
    summary = briefing.summary
    half = (width - 8 * MM) / 2
    sentence = bt("brief_summary_counts", lang).format(
        features=summary.features,
        measures=summary.measures,
        milestones=summary.milestones,
        sources=len(briefing.sources),
    )
    left = [
        _counts_table(bt("brief_by_kind", lang), summary.by_kind, st, lang, half),
        Spacer(1, 5 * MM),
        _counts_table(bt("brief_by_status", lang), summary.by_status, st, lang, half),
    ]
    right = _counts_table(bt("brief_by_category", lang), summary.by_category, st, lang, half)
    pair = Table([[left, right]], colWidths=[half + 8 * MM, half], hAlign="LEFT")
    pair.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    sources = [
        [
            Paragraph(_text(bt("brief_sources_dates", lang)), st.cell_head),
            Paragraph(_text(bt("brief_file", lang)), st.cell_head),
        ]
    ]
    sources += [
        [Paragraph(_text(s.title), st.cell), Paragraph(_text(s.file), st.cell)]
        for s in briefing.sources
    ]
    return [
        Paragraph(_text(bt("brief_summary", lang)), st.h1),
        Paragraph(_text(sentence), st.body),
        Spacer(1, 4 * MM),
        _table(sources, [0.62 * width, 0.38 * width]),
        Spacer(1, 5 * MM),
        pair,
    ]


def _feature_entry(item: FeatureItem, st: _Styles, lang: str) -> Any:
    from reportlab.platypus import KeepTogether, Paragraph

    width = _frame_width()
    colon = ": " if lang == "en" else "："
    sep = " · "
    head = f"{item.number}. {_text(item.name)}"
    if lang == "en":
        head += f" <font color='{MUTED}'>{_text(item.name_zh)}</font>"
    meta = sep.join(
        f"{bt(k, lang)}{colon}{_text(v)}"
        for k, v in (
            ("brief_kind", item.kind),
            ("brief_status", item.status),
            ("brief_accuracy", item.accuracy),
            ("brief_cities", item.cities),
        )
    )
    parts: list[Any] = [Paragraph(head, st.h3), Paragraph(meta, st.small)]
    if item.accuracy_note:
        parts.append(Paragraph(_text(item.accuracy_note), st.small))
    parts += _quote_block(item.quote, st, width, lang)
    return KeepTogether(parts)


def _features(briefing: Briefing, st: _Styles, slots: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    lang = briefing.lang
    width = _frame_width()
    story: list[Any] = [Paragraph(_text(bt("brief_features", lang)), st.h1)]
    if not briefing.features:
        return [*story, Paragraph(_text(bt("brief_features_none", lang)), st.body)]
    map_w, map_h = (v * 72 for v in figures.LOCATOR_SIZE_IN)
    story += [
        MapSlot.make("locator", width, width * map_h / map_w, slots),
        Paragraph(_text(bt("brief_features_map", lang)), st.small),
        Spacer(1, 4 * MM),
    ]
    head = ["brief_no", "brief_name", "brief_kind", "brief_status", "brief_accuracy"]
    rows = [[Paragraph(_text(bt(k, lang)), st.cell_head) for k in head]]
    rows += [
        [
            Paragraph(str(f.number), st.cell),
            Paragraph(_text(f.name), st.cell),
            Paragraph(_text(f.kind), st.cell),
            Paragraph(_text(f.status), st.cell),
            Paragraph(_text(f.accuracy), st.cell),
        ]
        for f in briefing.features
    ]
    fractions = [0.07, 0.43, 0.18, 0.14, 0.18]
    story += [_table(rows, [f * width for f in fractions]), Spacer(1, 4 * MM)]
    story += [_feature_entry(item, st, lang) for item in briefing.features]
    return story


def _measure_entry(item: MeasureItem, st: _Styles, lang: str) -> Any:
    from reportlab.platypus import KeepTogether, Paragraph

    colon = ": " if lang == "en" else "："
    meta = (
        " · ".join(
            f"{bt(k, lang)}{colon}{_text(v)}"
            for k, v in (("brief_status", item.status), ("brief_cities", item.cities))
        )
        + f" · {_text(item.scope)}"
    )
    return KeepTogether(
        [
            Paragraph(_text(item.title), st.h3),
            Paragraph(meta, st.small),
            *_quote_block(item.quote, st, _frame_width(), lang),
        ]
    )


def _measures(briefing: Briefing, st: _Styles) -> list[Any]:
    from reportlab.platypus import Paragraph

    lang = briefing.lang
    story: list[Any] = [Paragraph(_text(bt("brief_measures", lang)), st.h1)]
    if not briefing.measure_groups:
        return [*story, Paragraph(_text(bt("brief_measures_none", lang)), st.body)]
    for group in briefing.measure_groups:
        story.append(Paragraph(f"{_text(group.label)} ({len(group.measures)})", st.h2))
        story += [_measure_entry(m, st, lang) for m in group.measures]
    return story


def _milestones(briefing: Briefing, st: _Styles) -> list[Any]:
    from reportlab.platypus import KeepTogether, Paragraph

    lang = briefing.lang
    width = _frame_width()
    story: list[Any] = [
        Paragraph(_text(bt("brief_milestones", lang)), st.h1),
        Paragraph(_text(bt("brief_milestones_rule", lang)), st.small),
    ]
    if not briefing.milestones:
        return [*story, Paragraph(_text(bt("brief_milestones_none", lang)), st.body)]
    for item in briefing.milestones:
        parts: list[Any] = [Paragraph(f"{_text(item.when)} · {_text(item.text)}", st.h3)]
        for quote in (item.quote, *item.also_in):
            parts += _quote_block(quote, st, width, lang)
        story.append(KeepTogether(parts))
    return story


def _sources(briefing: Briefing, st: _Styles) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    lang = briefing.lang
    width = _frame_width()
    rows = [
        [
            Paragraph(_text(bt(k, lang)), st.cell_head)
            for k in ("brief_source", "brief_file", "brief_cited")
        ]
    ]
    rows += [
        [
            Paragraph(_text(s.title), st.cell),
            Paragraph(_text(s.file), st.cell),
            Paragraph(str(s.cited), st.cell),
        ]
        for s in briefing.sources
    ]
    story: list[Any] = [
        Paragraph(_text(bt("brief_sources", lang)), st.h1),
        Paragraph(_text(bt("brief_sources_texts", lang)), st.h2),
        Paragraph(_text(bt("brief_sources_texts_note", lang)), st.small),
        Spacer(1, 2 * MM),
        _table(rows, [0.56 * width, 0.32 * width, 0.12 * width]),
        Paragraph(_text(bt("brief_licences", lang)), st.h2),
    ]
    story += [Paragraph(_text(text), st.bullet, bulletText="•") for text in briefing.licences]
    story += [Spacer(1, 4 * MM), Paragraph(_text(bt("brief_generated", lang)), st.small)]
    return story


def layout(briefing: Briefing) -> tuple[bytes, dict[str, tuple[int, float, float]]]:
    """The briefing's pages without maps, and where each map goes.

    Returns
    -------
    bytes, dict
        The PDF, and ``{"cover" | "locator": (page number, x, y)}`` (points,
        lower-left corner) of the frames left for the maps.
    """
    from reportlab.platypus import Frame, PageBreak, PageTemplate, Paragraph
    from reportlab.platypus.tableofcontents import TableOfContents

    st = _styles(briefing.lang)
    slots: dict[str, tuple[int, float, float]] = {}
    buffer = io.BytesIO()
    left, top, right, bottom = MARGINS
    doc = _doc_class()(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=f"{briefing.title} · {briefing.scope}",
        author="Circle Map",
        subject=briefing.scope,
        creator="Circle Map",
        lang=briefing.lang,
    )
    frame = Frame(
        left,
        bottom,
        _frame_width(),
        PAGE_SIZE[1] - top - bottom,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    toc = TableOfContents(
        levelStyles=[st.toc1, st.toc2],
        dotsMinLevel=0,
        tableStyle=[("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        + [(f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")],
    )
    story: list[Any] = [
        *_cover(briefing, st, slots),
        PageBreak(),
        Paragraph(_text(bt("brief_contents", briefing.lang)), st.h1),
        toc,
        PageBreak(),
        *_summary(briefing, st),
        PageBreak(),
        *_features(briefing, st, slots),
        PageBreak(),
        *_measures(briefing, st),
        PageBreak(),
        *_milestones(briefing, st),
        PageBreak(),
        *_sources(briefing, st),
    ]
    doc.multiBuild(story, canvasmaker=_canvas_class(briefing))
    return buffer.getvalue(), slots


def _form_xobject(page: Any, writer: Any) -> Any:
    """A one-page PDF's page as a Form XObject owned by ``writer`` (content not reparsed)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, FloatObject, NameObject

    contents = page["/Contents"].get_object()
    parts = contents if isinstance(contents, list) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(part.get_object().get_data() for part in parts))
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in page.mediabox)
    form[NameObject("/Resources")] = page["/Resources"].clone(writer)
    return writer._add_object(form.flate_encode())


def stamp_maps(
    document: bytes,
    slots: dict[str, tuple[int, float, float]],
    maps: dict[str, bytes],
    *,
    width: float,
) -> bytes:
    """Place one-page PDF ``maps[key]`` at ``slots[key]``, scaled to ``width`` points.

    Each map page becomes a Form XObject drawn once on its page: its paths and
    its embedded-font text stay vector and extractable, and its content is
    copied, not parsed (a print map holds tens of thousands of path points).
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    for i, (key, (page_number, x, y)) in enumerate(sorted(slots.items())):
        figure = PdfReader(io.BytesIO(maps[key])).pages[0]
        scale = width / float(figure.mediabox.width)
        name = NameObject(f"/CircleMapFigure{i}")
        page = writer.pages[page_number - 1]
        resources: Any = page["/Resources"].get_object()
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        resources["/XObject"].get_object()[name] = _form_xobject(figure, writer)
        draw = DecodedStreamObject()
        draw.set_data(f"q {scale:.6f} 0 0 {scale:.6f} {x:.3f} {y:.3f} cm {name} Do Q".encode())
        contents: Any = page["/Contents"]
        old = list(contents.get_object()) if isinstance(contents.get_object(), list) else [contents]
        page[NameObject("/Contents")] = ArrayObject([*old, writer._add_object(draw)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf(catalog: Any, briefing: Briefing) -> bytes:
    """The briefing as PDF bytes: pages laid out, maps stamped in."""
    document, slots = layout(briefing)
    maps = {"cover": figures.cover_map(catalog, briefing)}
    if "locator" in slots:
        maps["locator"] = figures.locator_map(catalog, briefing)
    return stamp_maps(document, slots, maps, width=_frame_width())
