"""ReportLab building blocks of the briefing PDF: page, font, styles, canvas, tables.

A4 portrait, text in the bundled CJK font (WenQuanYi Micro Hei,
:mod:`circlemap.fonts`) embedded as a TrueType subset, so it is real and
extractable. Paragraphs wrap (Chinese anywhere, Latin at spaces), tables get
fixed column widths that add up to the text frame, and every page carries the
briefing's title, the export date and "page n of N" (:func:`canvas_class`).
Headings become contents entries and PDF bookmarks (:func:`doc_class`).
Lengths are in points (1/72 inch) unless named otherwise.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Final
from xml.sax.saxutils import escape

from circlemap import fonts
from circlemap.brief.content import Briefing, Quote
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


def inert(value: object) -> str:
    """Data text made inert for ReportLab's paragraph markup; newlines kept."""
    return escape(str(value)).replace("\n", "<br/>")


@dataclass
class Styles:
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


def make_styles(lang: str) -> Styles:
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

    return Styles(
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

        class _Slot(Flowable):  # type: ignore[misc]  # ReportLab ships no types
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


def canvas_class(briefing: Briefing) -> Any:
    """A canvas that draws header and "page n of N" footer once the page count is known."""
    from reportlab.pdfgen.canvas import Canvas

    lang = briefing.lang
    header = f"{briefing.title} · {briefing.scope}"
    footer_left = f"{bt('brief_exported', lang)} {briefing.today.isoformat()}"

    class _NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no types
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


def doc_class() -> Any:
    from reportlab.platypus import BaseDocTemplate

    class _BriefDoc(BaseDocTemplate):  # type: ignore[misc]  # ReportLab ships no types
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


def table(rows: list[list[Any]], widths: list[float], *, head: bool = True) -> Any:
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


def quote_block(quote: Quote, st: Styles, width: float, lang: str) -> list[Any]:
    """A verbatim quote (shaded, ruled on the left) and its source title under it.

    The quote is shown exactly as stored, with no quotation marks added: the
    shaded block says it is a quote (added closing marks also broke badly after
    a quote's own final 。, which ReportLab lets hang only one character deep).
    """
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    block = Table(
        [[Paragraph(inert(quote.text), st.quote)]],
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
    source = Paragraph(f"{bt('brief_source', lang)}{colon}{inert(quote.source_title)}", st.small)
    return [block, source]


def frame_width() -> float:
    return PAGE_SIZE[0] - MARGINS[0] - MARGINS[2]
