"""Lay out a :class:`~circlemap.brief.content.Briefing` as an A4 PDF with ReportLab.

Sections in order: cover (title, place, export date, filters, the print map),
contents, summary (counts only), projects and corridors (numbered map, table,
one entry each with its quote), measures by category, milestones, sources and
licences. Two passes (``multiBuild``) fill the contents list. The maps are
vector: :mod:`circlemap.brief.figures` renders them to one-page PDFs and
:mod:`circlemap.brief.stamp` places them where :class:`~circlemap.brief.typeset.MapSlot`
left room for them. Building blocks (font, styles, page furniture) live in
:mod:`circlemap.brief.typeset`.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from circlemap.brief import figures, stamp
from circlemap.brief.content import Briefing, FeatureItem, MeasureItem
from circlemap.brief.strings import bt
from circlemap.brief.typeset import (
    FONT_NAME,
    MARGINS,
    MM,
    MUTED,
    PAGE_SIZE,
    MapSlot,
    Styles,
    canvas_class,
    doc_class,
    frame_width,
    inert,
    make_styles,
    quote_block,
    table,
)

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


def _cover(briefing: Briefing, st: Styles, slots: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    lang = briefing.lang
    width = frame_width()
    colon = ": " if lang == "en" else "："
    story: list[Any] = [
        Paragraph(inert(briefing.title), st.title),
        Paragraph(inert(briefing.scope), st.scope),
        Spacer(1, 3 * MM),
        Paragraph(inert(bt("brief_subtitle", lang)), st.subtitle),
        Paragraph(f"{bt('brief_exported', lang)}{colon}{briefing.today.isoformat()}", st.subtitle),
        Spacer(1, 4 * MM),
    ]
    rows = [
        [Paragraph(inert(k), st.cell_head), Paragraph(inert(v), st.cell)]
        for k, v in briefing.filters
    ]
    story += [
        Paragraph(inert(bt("brief_filters", lang)), st.h3),
        table(rows, [0.25 * width, 0.75 * width], head=False),
        Spacer(1, 6 * MM),
        MapSlot.make("cover", width, width * 210 / 297, slots),
        Paragraph(inert(bt("brief_cover_map", lang)), st.small),
    ]
    return story


def _counts_table(
    title: str, pairs: tuple[tuple[str, int], ...], st: Styles, lang: str, width: float
) -> Any:
    from reportlab.platypus import Paragraph

    rows = [
        [Paragraph(inert(title), st.cell_head), Paragraph(bt("brief_count", lang), st.cell_head)]
    ]
    rows += [[Paragraph(inert(label), st.cell), Paragraph(str(n), st.cell)] for label, n in pairs]
    return table(rows, [width - 16 * MM, 16 * MM])


def _summary(briefing: Briefing, st: Styles) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer, Table

    lang = briefing.lang
    width = frame_width()
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
            Paragraph(inert(bt("brief_sources_dates", lang)), st.cell_head),
            Paragraph(inert(bt("brief_file", lang)), st.cell_head),
        ]
    ]
    sources += [
        [Paragraph(inert(s.title), st.cell), Paragraph(inert(s.file), st.cell)]
        for s in briefing.sources
    ]
    return [
        Paragraph(inert(bt("brief_summary", lang)), st.h1),
        Paragraph(inert(sentence), st.body),
        Spacer(1, 4 * MM),
        table(sources, [0.62 * width, 0.38 * width]),
        Spacer(1, 5 * MM),
        pair,
    ]


def _feature_entry(item: FeatureItem, st: Styles, lang: str) -> Any:
    from reportlab.platypus import KeepTogether, Paragraph

    width = frame_width()
    colon = ": " if lang == "en" else "："
    sep = " · "
    head = f"{item.number}. {inert(item.name)}"
    if lang == "en":
        head += f" <font color='{MUTED}'>{inert(item.name_zh)}</font>"
    meta = sep.join(
        f"{bt(k, lang)}{colon}{inert(v)}"
        for k, v in (
            ("brief_kind", item.kind),
            ("brief_status", item.status),
            ("brief_accuracy", item.accuracy),
            ("brief_cities", item.cities),
        )
    )
    parts: list[Any] = [Paragraph(head, st.h3), Paragraph(meta, st.small)]
    if item.accuracy_note:
        parts.append(Paragraph(inert(item.accuracy_note), st.small))
    parts += quote_block(item.quote, st, width, lang)
    return KeepTogether(parts)


def _features(briefing: Briefing, st: Styles, slots: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    lang = briefing.lang
    width = frame_width()
    story: list[Any] = [Paragraph(inert(bt("brief_features", lang)), st.h1)]
    if not briefing.features:
        return [*story, Paragraph(inert(bt("brief_features_none", lang)), st.body)]
    map_w, map_h = (v * 72 for v in figures.LOCATOR_SIZE_IN)
    story += [
        MapSlot.make("locator", width, width * map_h / map_w, slots),
        Paragraph(inert(bt("brief_features_map", lang)), st.small),
        Spacer(1, 4 * MM),
    ]
    head = ["brief_no", "brief_name", "brief_kind", "brief_status", "brief_accuracy"]
    rows = [[Paragraph(inert(bt(k, lang)), st.cell_head) for k in head]]
    rows += [
        [
            Paragraph(str(f.number), st.cell),
            Paragraph(inert(f.name), st.cell),
            Paragraph(inert(f.kind), st.cell),
            Paragraph(inert(f.status), st.cell),
            Paragraph(inert(f.accuracy), st.cell),
        ]
        for f in briefing.features
    ]
    fractions = [0.07, 0.43, 0.18, 0.14, 0.18]
    story += [table(rows, [f * width for f in fractions]), Spacer(1, 4 * MM)]
    story += [_feature_entry(item, st, lang) for item in briefing.features]
    return story


def _measure_entry(item: MeasureItem, st: Styles, lang: str) -> Any:
    from reportlab.platypus import KeepTogether, Paragraph

    colon = ": " if lang == "en" else "："
    meta = (
        " · ".join(
            f"{bt(k, lang)}{colon}{inert(v)}"
            for k, v in (("brief_status", item.status), ("brief_cities", item.cities))
        )
        + f" · {inert(item.scope)}"
    )
    return KeepTogether(
        [
            Paragraph(inert(item.title), st.h3),
            Paragraph(meta, st.small),
            *quote_block(item.quote, st, frame_width(), lang),
        ]
    )


def _measures(briefing: Briefing, st: Styles) -> list[Any]:
    from reportlab.platypus import Paragraph

    lang = briefing.lang
    story: list[Any] = [Paragraph(inert(bt("brief_measures", lang)), st.h1)]
    if not briefing.measure_groups:
        return [*story, Paragraph(inert(bt("brief_measures_none", lang)), st.body)]
    for group in briefing.measure_groups:
        story.append(Paragraph(f"{inert(group.label)} ({len(group.measures)})", st.h2))
        story += [_measure_entry(m, st, lang) for m in group.measures]
    return story


def _milestones(briefing: Briefing, st: Styles) -> list[Any]:
    from reportlab.platypus import KeepTogether, Paragraph

    lang = briefing.lang
    width = frame_width()
    story: list[Any] = [
        Paragraph(inert(bt("brief_milestones", lang)), st.h1),
        Paragraph(inert(bt("brief_milestones_rule", lang)), st.small),
    ]
    if not briefing.milestones:
        return [*story, Paragraph(inert(bt("brief_milestones_none", lang)), st.body)]
    for item in briefing.milestones:
        parts: list[Any] = [Paragraph(f"{inert(item.when)} · {inert(item.text)}", st.h3)]
        for quote in (item.quote, *item.also_in):
            parts += quote_block(quote, st, width, lang)
        story.append(KeepTogether(parts))
    return story


def _sources(briefing: Briefing, st: Styles) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    lang = briefing.lang
    width = frame_width()
    rows = [
        [
            Paragraph(inert(bt(k, lang)), st.cell_head)
            for k in ("brief_source", "brief_file", "brief_cited")
        ]
    ]
    rows += [
        [
            Paragraph(inert(s.title), st.cell),
            Paragraph(inert(s.file), st.cell),
            Paragraph(str(s.cited), st.cell),
        ]
        for s in briefing.sources
    ]
    story: list[Any] = [
        Paragraph(inert(bt("brief_sources", lang)), st.h1),
        Paragraph(inert(bt("brief_sources_texts", lang)), st.h2),
        Paragraph(inert(bt("brief_sources_texts_note", lang)), st.small),
        Spacer(1, 2 * MM),
        table(rows, [0.56 * width, 0.32 * width, 0.12 * width]),
        Paragraph(inert(bt("brief_licences", lang)), st.h2),
    ]
    story += [Paragraph(inert(line), st.bullet, bulletText="•") for line in briefing.licences]
    story += [Spacer(1, 4 * MM), Paragraph(inert(bt("brief_generated", lang)), st.small)]
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

    st = make_styles(briefing.lang)
    slots: dict[str, tuple[int, float, float]] = {}
    buffer = io.BytesIO()
    left, top, right, bottom = MARGINS
    doc = doc_class()(
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
        frame_width(),
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
        Paragraph(inert(bt("brief_contents", briefing.lang)), st.h1),
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
    doc.multiBuild(story, canvasmaker=canvas_class(briefing))
    return buffer.getvalue(), slots


def render_pdf(catalog: Catalog, briefing: Briefing) -> bytes:
    """The briefing as PDF bytes: pages laid out, maps stamped in."""
    document, slots = layout(briefing)
    maps = {"cover": figures.cover_map(catalog, briefing)}
    if "locator" in slots:
        maps["locator"] = figures.locator_map(catalog, briefing)
    return stamp.stamp_maps(document, slots, maps, width=frame_width())
