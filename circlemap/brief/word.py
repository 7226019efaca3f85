"""The same :class:`~circlemap.brief.content.Briefing` as a Word document (DOCX).

For people who edit reports: python-docx writes real headings (Word's
navigation pane and its contents field use them), tables and paragraphs in
the order of the PDF. Maps are PNG pictures of the same figures (DOCX has no
portable vector format python-docx can write). The contents list and the page
numbers are Word fields that Word fills when the document opens.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, Final

from circlemap.brief import figures
from circlemap.brief.content import Briefing, FeatureItem, MeasureItem, Quote
from circlemap.brief.strings import bt

if TYPE_CHECKING:
    from circlemap.catalog import Catalog

EAST_ASIAN_FONT: Final = "Microsoft YaHei"
"""East Asian font named in the styles (Word substitutes a CJK font where it is missing)."""

TEXT_WIDTH_CM: Final = 16.0
"""Width of the text column (A4 with 2.5 cm margins), for pictures and tables."""


def _set_fonts(document: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    document.styles["Normal"].font.size = Pt(10)


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """Append a Word field (``PAGE``, ``NUMPAGES``, ``TOC ...``) to ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = paragraph.add_run()
    run._r.append(char("begin"))  # python-docx exposes fields only as XML
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = instruction
    run._r.append(code)
    run._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _update_fields_on_open(document: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    document.settings.element.append(element)


def _table(document: Any, rows: list[list[str]], widths_cm: list[float]) -> Any:
    from docx.shared import Cm

    table = document.add_table(rows=len(rows), cols=len(widths_cm))
    table.style = "Light List"
    table.autofit = False
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Cm(widths_cm[c])
            cell.text = value
    return table


def _quote(document: Any, quote: Quote, lang: str) -> None:
    from docx.shared import Pt, RGBColor

    document.add_paragraph(quote.text, style="Quote")  # verbatim, in Word's quote style
    colon = ": " if lang == "en" else "："
    source = document.add_paragraph()
    run = source.add_run(f"{bt('brief_source', lang)}{colon}{quote.source_title}")
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)


def _meta(document: Any, text: str) -> None:
    from docx.shared import Pt, RGBColor

    run = document.add_paragraph().add_run(text)
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)


def _feature(document: Any, item: FeatureItem, lang: str) -> None:
    colon = ": " if lang == "en" else "："
    head = f"{item.number}. {item.name}"
    if lang == "en":
        head += f" {item.name_zh}"
    document.add_heading(head, level=3)
    _meta(
        document,
        " · ".join(
            f"{bt(k, lang)}{colon}{v}"
            for k, v in (
                ("brief_kind", item.kind),
                ("brief_status", item.status),
                ("brief_accuracy", item.accuracy),
                ("brief_cities", item.cities),
            )
        ),
    )
    if item.accuracy_note:
        _meta(document, item.accuracy_note)
    _quote(document, item.quote, lang)


def _measure(document: Any, item: MeasureItem, lang: str) -> None:
    colon = ": " if lang == "en" else "："
    document.add_heading(item.title, level=3)
    _meta(
        document,
        f"{bt('brief_status', lang)}{colon}{item.status} · "
        f"{bt('brief_cities', lang)}{colon}{item.cities} · {item.scope}",
    )
    _quote(document, item.quote, lang)


def _front(document: Any, catalog: Catalog, briefing: Briefing) -> None:
    from docx.shared import Cm

    lang = briefing.lang
    colon = ": " if lang == "en" else "："
    document.add_heading(briefing.title, level=0)
    document.add_paragraph(briefing.scope, style="Subtitle")
    document.add_paragraph(bt("brief_subtitle", lang))
    document.add_paragraph(f"{bt('brief_exported', lang)}{colon}{briefing.today.isoformat()}")
    document.add_paragraph(bt("brief_filters", lang), style="Heading 3")
    _table(document, [list(pair) for pair in briefing.filters], [4.0, 12.0])
    document.add_paragraph()
    document.add_picture(
        io.BytesIO(figures.cover_map(catalog, briefing, fmt="png")), width=Cm(TEXT_WIDTH_CM)
    )
    _meta(document, bt("brief_cover_map", lang))
    document.add_page_break()
    document.add_paragraph(bt("brief_contents", lang), style="Heading 1")
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', bt("brief_contents", lang))
    document.add_page_break()


def _summary(document: Any, briefing: Briefing) -> None:
    lang = briefing.lang
    summary = briefing.summary
    document.add_heading(bt("brief_summary", lang), level=1)
    document.add_paragraph(
        bt("brief_summary_counts", lang).format(
            features=summary.features,
            measures=summary.measures,
            milestones=summary.milestones,
            sources=len(briefing.sources),
        )
    )
    head = [bt("brief_sources_dates", lang), bt("brief_file", lang)]
    _table(document, [head] + [[s.title, s.file] for s in briefing.sources], [10.0, 6.0])
    for key, pairs in (
        ("brief_by_kind", summary.by_kind),
        ("brief_by_status", summary.by_status),
        ("brief_by_category", summary.by_category),
    ):
        document.add_paragraph()
        rows = [[bt(key, lang), bt("brief_count", lang)]] + [[k, str(n)] for k, n in pairs]
        _table(document, rows, [12.0, 4.0])


def _body(document: Any, catalog: Catalog, briefing: Briefing) -> None:
    from docx.shared import Cm

    lang = briefing.lang
    document.add_page_break()
    document.add_heading(bt("brief_features", lang), level=1)
    if briefing.features:
        document.add_picture(
            io.BytesIO(figures.locator_map(catalog, briefing, fmt="png")),
            width=Cm(TEXT_WIDTH_CM),
        )
        _meta(document, bt("brief_features_map", lang))
        head = [bt(k, lang) for k in ("brief_no", "brief_name", "brief_kind", "brief_status")]
        rows = [[str(f.number), f.name, f.kind, f.status] for f in briefing.features]
        _table(document, [head, *rows], [1.2, 8.0, 3.6, 3.2])
        for item in briefing.features:
            _feature(document, item, lang)
    else:
        document.add_paragraph(bt("brief_features_none", lang))
    document.add_page_break()
    document.add_heading(bt("brief_measures", lang), level=1)
    if not briefing.measure_groups:
        document.add_paragraph(bt("brief_measures_none", lang))
    for group in briefing.measure_groups:
        document.add_heading(f"{group.label} ({len(group.measures)})", level=2)
        for measure in group.measures:
            _measure(document, measure, lang)
    document.add_page_break()
    document.add_heading(bt("brief_milestones", lang), level=1)
    _meta(document, bt("brief_milestones_rule", lang))
    if not briefing.milestones:
        document.add_paragraph(bt("brief_milestones_none", lang))
    for milestone in briefing.milestones:
        document.add_heading(f"{milestone.when} · {milestone.text}", level=3)
        for quote in (milestone.quote, *milestone.also_in):
            _quote(document, quote, lang)


def _back(document: Any, briefing: Briefing) -> None:
    lang = briefing.lang
    document.add_page_break()
    document.add_heading(bt("brief_sources", lang), level=1)
    document.add_heading(bt("brief_sources_texts", lang), level=2)
    _meta(document, bt("brief_sources_texts_note", lang))
    head = [bt(k, lang) for k in ("brief_source", "brief_file", "brief_cited")]
    rows = [[s.title, s.file, str(s.cited)] for s in briefing.sources]
    _table(document, [head, *rows], [8.5, 5.5, 2.0])
    document.add_heading(bt("brief_licences", lang), level=2)
    for text in briefing.licences:
        document.add_paragraph(text, style="List Bullet")
    _meta(document, bt("brief_generated", lang))


def _page_setup(document: Any, briefing: Briefing) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.header.paragraphs[0].text = f"{briefing.title} · {briefing.scope}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{bt('brief_exported', briefing.lang)} {briefing.today.isoformat()} · ")
    _field(footer, "PAGE", "1")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES", "1")


def render_docx(catalog: Catalog, briefing: Briefing) -> bytes:
    """The briefing as DOCX bytes (Word 2007 and later, LibreOffice)."""
    import docx

    document = docx.Document()
    _set_fonts(document)
    _page_setup(document, briefing)
    core = document.core_properties
    core.title = f"{briefing.title} · {briefing.scope}"
    core.author = "Circle Map"
    core.language = briefing.lang
    _front(document, catalog, briefing)
    _summary(document, briefing)
    _body(document, catalog, briefing)
    _back(document, briefing)
    _update_fields_on_open(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
