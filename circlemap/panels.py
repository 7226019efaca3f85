"""What the pages show beside the map: counters, cards and tables, ready to render.

Pure functions of a :class:`~circlemap.catalog.Catalog` (or its frames), a
:class:`~circlemap.filters.Selection` and a language; no Streamlit import.
Pages call these and render the result, so every pandas transform and every
label lookup lives here and is unit-tested.

Text from the data is returned as plain text; :func:`md_escape` makes it safe
for ``st.markdown`` (no markup, no HTML, no Streamlit directives).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import altair as alt
import geopandas as gpd
import pandas as pd

from circlemap import settings, vocab
from circlemap.filters import Selection, filter_features, filter_measures, search_measures
from circlemap.i18n import city_name, name_of, t, term

_MD_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&=])")
WORD_JOINER: Final = "\u2060"
"""Zero-width, invisible; splits the patterns Streamlit's front end turns into links or icons."""
_MD_INERT: Final = re.compile(r":|@|(?i:www)(?=\\\.)")
"""Where :func:`md_escape` puts a :data:`WORD_JOINER` (after the match)."""

NEAR_RIVER_M: Final = 15_000.0
"""A site counts as "along the Yellow River" within this distance (metres, UTM 50N)."""


def md_escape(text: object) -> str:
    """Make ``text`` inert in Streamlit Markdown: shown verbatim, never markup.

    The one escaping function for user- and data-supplied text in
    ``st.markdown``, ``st.caption``, alerts, headings and widget labels:

    - Markdown, HTML and Streamlit directive characters get a backslash.
    - A backslash is not enough for what Streamlit's front end finds in the
      *text* after parsing (or in the raw source): GFM autolink literals
      (``https://``, ``www.``, ``name@host``), emoji shortcodes (``:smile:``)
      and Material icons (``:material/home:``, replaced before parsing). A
      WORD JOINER (U+2060, zero width, invisible) after every ``:``, after
      ``www`` and after ``@`` breaks each of those patterns.
    - Newlines become Markdown line breaks.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    escaped = _MD_INERT.sub(lambda m: m.group(0) + WORD_JOINER, escaped)
    return escaped.replace("\n", "  \n")


def source_title(source: object, lang: str) -> str | None:
    """Title of a source text in ``lang`` (``None`` for a file not in :data:`vocab.SOURCES`)."""
    key = str(source)
    return term(vocab.SOURCES, key, lang) if key in vocab.SOURCES else None


def source_label(source: str, lang: str) -> str:
    """Title of a source text and its file name, e.g. ``鲁中晨报… · 000_….txt``."""
    title = source_title(source, lang)
    return f"{title} · {source}" if title else source


def cities_label(cities: Iterable[str], lang: str) -> str:
    """City names in ``lang``, joined (``济南、淄博`` / ``Jinan, Zibo``).

    Exactly the seven circle cities read "All seven cities" (most measures).
    """
    names = list(cities)
    if sorted(names) == sorted(vocab.CIRCLE_CITIES):
        return t("all_circle_cities", lang)
    sep = ", " if lang == "en" else "、"
    return sep.join(city_name(c, lang) if c in vocab.CITY_BY_ZH else str(c) for c in names)


# --- selection ---------------------------------------------------------------------------


def visible_features(
    catalog: Any, selection: Selection, *, groups: Sequence[str] = ()
) -> gpd.GeoDataFrame:
    """Content features the selection allows, optionally only some map groups."""
    kept = filter_features(catalog.features, selection, measures=catalog.measures)
    if groups:
        kept = kept[kept["group"].isin(groups)]
    return kept


def visible_measures(
    catalog: Any,
    selection: Selection,
    *,
    scopes: Sequence[str] = (),
    text: str = "",
) -> pd.DataFrame:
    """Measures the selection allows, narrowed by scope and a zh/en text search."""
    kept = filter_measures(catalog.measures, selection, features=catalog.features)
    if scopes:
        kept = kept[kept["scope"].isin(scopes)]
    return search_measures(kept, text)


def city_shapes(catalog: Any, cities: Sequence[str]) -> gpd.GeoSeries:
    """Boundaries (EPSG:4326) of the given circle cities (zh names), for fitting a view."""
    return catalog.cities.geometry[catalog.cities["name_zh"].isin(cities)]


def feature_shapes(features: gpd.GeoDataFrame, ids: Sequence[str]) -> gpd.GeoSeries:
    """Geometries (EPSG:4326) of the given feature ids that are in ``features``."""
    return features.geometry[features.index.isin(ids)]


@dataclass(frozen=True)
class Counters:
    """Numbers shown above the map for the current selection."""

    projects: int
    measures: int
    cities: int


def counters(catalog: Any, selection: Selection) -> Counters:
    """Count visible features, visible measures and the circle cities they touch."""
    features = visible_features(catalog, selection)
    measures = visible_measures(catalog, selection)
    touched = {c for cs in features["cities"] for c in cs}
    touched |= {c for cs in measures["cities"] for c in cs}
    wanted = set(selection.cities or vocab.CIRCLE_CITIES)
    return Counters(
        projects=len(features),
        measures=len(measures),
        cities=len(touched & wanted & set(vocab.CIRCLE_CITIES)),
    )


# --- cards --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureCard:
    """The fields of a feature's card, labelled in one language (plain text)."""

    id: str
    name: str
    kind: str
    group: str
    status: str
    accuracy: str
    accuracy_note: str
    cities: str
    quote: str
    source: str
    description: str | None


def feature_card(catalog: Any, feature_id: str, lang: str) -> FeatureCard:
    """Card of one content feature (``KeyError`` for an unknown id)."""
    row = catalog.features.loc[feature_id]
    description = row.get(f"description_{lang}")
    return FeatureCard(
        id=feature_id,
        name=name_of(row, lang),
        kind=term(vocab.KINDS, row["kind"], lang),
        group=term(vocab.KIND_GROUPS, row["group"], lang),
        status=term(vocab.STATUSES, row["status"], lang),
        accuracy=term(vocab.ACCURACIES, row["geometry_accuracy"], lang),
        accuracy_note=str(row[f"accuracy_note_{lang}"] or ""),
        cities=cities_label(row["cities"], lang),
        quote=str(row["quote"]),
        source=source_label(str(row["source"]), lang),
        description=description if isinstance(description, str) else None,
    )


@dataclass(frozen=True)
class MeasureCard:
    """The fields of a measure's detail view (plain text) and its linked features."""

    id: str
    title: str
    category: str
    scope: str
    status: str
    cities: str
    quote: str
    source: str
    features: tuple[tuple[str, str], ...]
    """(feature id, feature name) of every linked feature that exists."""


def measure_card_of_row(
    measure_id: str, row: pd.Series, lang: str, *, features: pd.DataFrame | None = None
) -> MeasureCard:
    """Detail of a measure from its row; linked features named when ``features`` is given."""
    linked: tuple[tuple[str, str], ...] = ()
    if features is not None:
        linked = tuple(
            (fid, name_of(features.loc[fid], lang))
            for fid in row["features"]
            if fid in features.index
        )
    return MeasureCard(
        id=str(measure_id),
        title=str(row[f"title_{lang}"]),
        category=term(vocab.CATEGORIES, row["category"], lang),
        scope=term(vocab.SCOPES, row["scope"], lang),
        status=term(vocab.STATUSES, row["status"], lang),
        cities=cities_label(row["cities"], lang),
        quote=str(row["quote"]),
        source=source_label(str(row["source"]), lang),
        features=linked,
    )


def measure_card(catalog: Any, measure_id: str, lang: str) -> MeasureCard:
    """Detail of one measure and its linked features (``KeyError`` for an unknown id)."""
    row = catalog.measures.loc[measure_id]
    return measure_card_of_row(measure_id, row, lang, features=catalog.features)


# --- tables ------------------------------------------------------------------------------


def measure_table(measures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Measures as a display table (translated headers and labels), index = id."""
    return pd.DataFrame(
        {
            t("col_title", lang): measures[f"title_{lang}"],
            t("col_category", lang): measures["category"].map(
                lambda k: term(vocab.CATEGORIES, k, lang)
            ),
            t("col_status", lang): measures["status"].map(lambda k: term(vocab.STATUSES, k, lang)),
            t("col_cities", lang): measures["cities"].map(lambda cs: cities_label(cs, lang)),
            t("col_scope", lang): measures["scope"].map(lambda k: term(vocab.SCOPES, k, lang)),
        },
        index=measures.index,
    )


SHORT_FEATURE_COLUMNS: Final = ("col_name", "col_kind", "col_status")
"""Columns of a feature table in a side panel (keys of the UI strings)."""


def feature_table(
    features: pd.DataFrame, lang: str, *, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Features as a display table (name, kind, status, accuracy, cities), index = id.

    ``columns`` (UI string keys such as ``"col_kind"``) keeps only some of them.
    """
    table = pd.DataFrame(
        {
            t("col_name", lang): [name_of(r, lang) for _, r in features.iterrows()],
            t("col_kind", lang): features["kind"].map(lambda k: term(vocab.KINDS, k, lang)),
            t("col_status", lang): features["status"].map(lambda k: term(vocab.STATUSES, k, lang)),
            t("col_accuracy", lang): features["geometry_accuracy"].map(
                lambda k: term(vocab.ACCURACIES, k, lang)
            ),
            t("col_cities", lang): features["cities"].map(lambda cs: cities_label(cs, lang)),
        },
        index=pd.Index(features.index, name="id"),
    )
    return table if columns is None else table[[t(c, lang) for c in columns]]


def measures_of_feature(catalog: Any, feature_id: str) -> pd.DataFrame:
    """The measures that link a feature, in table order."""
    ids = catalog.features.loc[feature_id, "measure_ids"]
    return catalog.measures.loc[[i for i in ids if i in catalog.measures.index]]


@dataclass(frozen=True)
class CityPanel:
    """A clicked city: its name, and the visible features and measures touching it."""

    city: str
    name: str
    features: pd.DataFrame
    measures: pd.DataFrame


def city_panel(catalog: Any, city: str, selection: Selection, lang: str) -> CityPanel:
    """Features (name, kind, status) and measures (title, category) of one city
    within the selection, as narrow display tables for the side panel."""
    narrowed = selection.with_(cities=(city,))
    features = visible_features(catalog, narrowed)
    measures = measure_table(visible_measures(catalog, narrowed), lang)
    return CityPanel(
        city=city,
        name=city_name(city, lang),
        features=feature_table(features, lang, columns=SHORT_FEATURE_COLUMNS),
        measures=measures[[t(c, lang) for c in ("col_title", "col_category")]],
    )


def city_of_click(catalog: Any, clicked: str) -> str | None:
    """Zh name of the circle city a map click names (its id, adcode or zh name)."""
    if clicked in vocab.CIRCLE_CITIES:
        return clicked
    for _, row in catalog.cities.iterrows():
        if clicked in (row.get("id"), row.get("adcode"), row.get("name_en")):
            return str(row["name_zh"])
    return None


def option_labels(features: pd.DataFrame, lang: str) -> dict[str, str]:
    """Feature id -> ``name · kind · status`` for pickers, in table order."""
    return {
        str(fid): " · ".join(
            (
                name_of(row, lang),
                term(vocab.KINDS, row["kind"], lang),
                term(vocab.STATUSES, row["status"], lang),
            )
        )
        for fid, row in features.iterrows()
    }


def measure_labels(measures: pd.DataFrame, lang: str) -> dict[str, str]:
    """Measure id -> title in ``lang`` for pickers, in table order."""
    return {str(mid): str(title) for mid, title in measures[f"title_{lang}"].items()}


# --- ecology -----------------------------------------------------------------------------


def corridors_by_city(catalog: Any, selection: Selection, lang: str) -> pd.DataFrame:
    """Green corridors listed once per circle city they touch: city, name, status."""
    corridors = visible_features(catalog, selection, groups=("ecology",))
    rows = [
        {
            t("col_city", lang): city_name(city, lang),
            t("col_name", lang): name_of(row, lang),
            t("col_status", lang): term(vocab.STATUSES, row["status"], lang),
            "_order": vocab.CIRCLE_CITIES.index(city),
        }
        for _, row in corridors.iterrows()
        for city in row["cities"]
        if city in vocab.CIRCLE_CITIES and (not selection.cities or city in selection.cities)
    ]
    columns = [t(c, lang) for c in ("col_city", "col_name", "col_status")]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows).sort_values("_order", kind="stable")
    return frame[columns].reset_index(drop=True)


def sites_along_river(catalog: Any, selection: Selection) -> gpd.GeoDataFrame:
    """Visible sites within :data:`NEAR_RIVER_M` metres of the Yellow River.

    Distances are measured in :data:`circlemap.settings.METRIC_CRS` (metres).
    """
    sites = visible_features(catalog, selection, groups=("site",))
    if sites.empty:
        return sites
    river = catalog.river.to_crs(settings.METRIC_CRS).union_all()
    distance = sites.to_crs(settings.METRIC_CRS).distance(river)
    return sites[distance <= NEAR_RIVER_M]


def ecology_measures(catalog: Any, selection: Selection) -> pd.DataFrame:
    """Visible measures of the ecology category (whatever categories are chosen)."""
    return visible_measures(catalog, selection.with_(categories=("ecology",)))


def unmapped_measures(catalog: Any, selection: Selection, category: str) -> pd.DataFrame:
    """Visible measures of ``category`` linked to no feature: what the map cannot show.

    E.g. road re-routings whose end points the sources do not name, or
    circle-wide goals; a page lists them beside its map so they are not lost.
    """
    kept = visible_measures(catalog, selection.with_(categories=(category,)))
    return kept[kept["features"].map(len) == 0]


# --- timeline ----------------------------------------------------------------------------


def milestone_table(milestones: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Milestones with a display date and text in ``lang`` (sorted by date)."""

    def shown(row: pd.Series) -> str:
        fmt = {"year": "%Y", "month": "%Y-%m"}.get(row["date_precision"], "%Y-%m-%d")
        text = row["date"].strftime(fmt)
        if pd.notna(row["end_date"]):
            text += " – " + row["end_date"].strftime(fmt)
        return text

    return pd.DataFrame(
        {
            "date": milestones["date"],
            "end_date": milestones["end_date"],
            "when": milestones.apply(shown, axis=1) if len(milestones) else [],
            "text": milestones[f"text_{lang}"],
            "quote": milestones["quote"],
            "source": milestones["source"],
        },
        index=milestones.index,
    )


TIMELINE_GAP_DAYS: Final = 730
"""A gap longer than this (days) breaks the time axis into separate panels."""


def timeline_segments(table: pd.DataFrame) -> list[pd.DataFrame]:
    """Split milestones (sorted by date) where more than :data:`TIMELINE_GAP_DAYS` pass."""
    if table.empty:
        return []
    gaps = table["date"].diff().dt.days.fillna(0) > TIMELINE_GAP_DAYS
    return [part for _, part in table.groupby(gaps.cumsum(), sort=True)]


def timeline_chart(table: pd.DataFrame, lang: str, *, width: int = 560) -> alt.HConcatChart:
    """Altair chart: one row per milestone (labelled), a dot on a time axis, a bar for ranges.

    Long gaps (the 2013 plan before the 2020-2021 events) break the axis into
    panels, so close dates are not squeezed into one corner; rows share one
    y axis. ``width`` (px) is shared by the panels, the short ones at least 60.
    """
    data = table.reset_index(names="id").assign(
        end=lambda d: d["end_date"].fillna(d["date"]),
        label=lambda d: d["when"] + "  " + d["text"],
    )
    labels = list(data["label"])
    segments = timeline_segments(data)
    spans = [max((seg["end"].max() - seg["date"].min()).days, 1) for seg in segments]
    short = [span < 60 for span in spans]
    wide_width = width - 60 * sum(short)
    wide_total = sum(span for span, s in zip(spans, short, strict=True) if not s) or 1
    panels = []
    for i, (seg, span, is_short) in enumerate(zip(segments, spans, short, strict=True)):
        pad = pd.Timedelta(days=max(span * 0.06, 45))
        domain = [seg["date"].min() - pad, seg["end"].max() + pad]
        panel_width = 60 if is_short else max(int(wide_width * span / wide_total), 120)
        base = alt.Chart(seg).encode(
            x=alt.X(
                "date:T",
                title=None,
                scale=alt.Scale(domain=[d.isoformat() for d in domain]),
                axis=alt.Axis(format="%Y" if is_short else "%Y-%m", tickCount=1 if is_short else 6),
            ),
            y=alt.Y(
                "label:N",
                sort=labels,
                scale=alt.Scale(domain=labels),
                title=None,
                axis=alt.Axis(labelLimit=340, labelFontSize=12) if i == 0 else None,
            ),
            tooltip=[
                alt.Tooltip("when:N", title=t("col_date", lang)),
                alt.Tooltip("text:N", title=t("col_event", lang)),
            ],
        )
        bars = base.mark_rule(strokeWidth=8, color="#b5442f", opacity=0.45).encode(x2="end:T")
        dots = base.mark_circle(size=120, color="#b5442f", opacity=1)
        panels.append((bars + dots).properties(width=panel_width, height=28 * len(labels)))
    return alt.hconcat(*panels, spacing=8).resolve_scale(y="shared")


# --- about -------------------------------------------------------------------------------


def concat_features(*frames: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Several feature frames as one (EPSG:4326), each id once, in argument order."""
    joined = pd.concat(frames)
    return gpd.GeoDataFrame(
        joined[~joined.index.duplicated()], geometry="geometry", crs=settings.STORAGE_CRS
    )


MAP_VIEWS: Final[tuple[str, ...]] = ("overview", "transport", "ecology")
"""Pages that draw a map; :func:`map_view_features` says what each one draws."""


def map_view_features(catalog: Any, selection: Selection, view: str) -> gpd.GeoDataFrame:
    """The content features the map of page ``view`` draws for ``selection``.

    ``overview``: every visible feature; ``transport``: the transport links;
    ``ecology``: the green corridors plus the sites along the Yellow River.
    The pages and the exports both call this, so an export holds exactly
    what the page's map shows.

    Raises
    ------
    ValueError
        For a ``view`` not in :data:`MAP_VIEWS`.
    """
    if view == "overview":
        return visible_features(catalog, selection)
    if view == "transport":
        return visible_features(catalog, selection, groups=("transport",))
    if view == "ecology":
        return concat_features(
            visible_features(catalog, selection, groups=("ecology",)),
            sites_along_river(catalog, selection),
        )
    msg = f"unknown map view {view!r} (expected one of {', '.join(MAP_VIEWS)})"
    raise ValueError(msg)


ACCURACY_MEANING: Final[dict[str, tuple[str, str]]] = {
    "exact": (
        "边界或线位来自官方或测绘数据，仅为显示做了简化。",
        "Surveyed or official boundary or alignment, simplified for display only.",
    ),
    "approximate": (
        "已知所在区县或乡镇，但不知具体地块：以虚点轮廓标在大致位置。",
        "The district or town is known, not the site: drawn as a dotted outline "
        "at the approximate place.",
    ),
    "schematic": (
        "规划线路走向尚未公开：在公开的起讫点（及途经地）之间以虚线示意。",
        "The route of a planned line is not public: a dashed line drawn between its "
        "named end points (and named intermediate places).",
    ),
}
"""What each ``geometry_accuracy`` flag means, zh and en."""


def accuracy_table(catalog: Any, lang: str) -> pd.DataFrame:
    """Each accuracy flag: label, line style, meaning and how many features carry it."""
    counts = catalog.features["geometry_accuracy"].value_counts()
    style = {
        "exact": ("实线", "solid line"),
        "approximate": ("点线", "dotted line"),
        "schematic": ("虚线", "dashed line"),
    }
    pick = 1 if lang == "en" else 0
    return pd.DataFrame(
        {
            t("col_accuracy", lang): [term(vocab.ACCURACIES, k, lang) for k in vocab.ACCURACIES],
            t("col_line", lang): [style[k][pick] for k in vocab.ACCURACIES],
            t("col_meaning", lang): [ACCURACY_MEANING[k][pick] for k in vocab.ACCURACIES],
            t("col_count", lang): [int(counts.get(k, 0)) for k in vocab.ACCURACIES],
        }
    )


def source_table(catalog: Any, lang: str) -> pd.DataFrame:
    """Each seed text and how many features, measures and milestones quote it."""
    sources = sorted(
        set(catalog.features["source"])
        | set(catalog.measures["source"])
        | set(catalog.milestones["source"])
    )
    return pd.DataFrame(
        {
            t("col_source", lang): [source_label(s, lang) for s in sources],
            t("counter_projects", lang): [
                int((catalog.features["source"] == s).sum()) for s in sources
            ],
            t("counter_measures", lang): [
                int((catalog.measures["source"] == s).sum()) for s in sources
            ],
            t("col_milestones", lang): [
                int((catalog.milestones["source"] == s).sum()) for s in sources
            ],
        }
    )


def geodata_sources() -> str:
    """``geodata/SOURCES.md`` (written by the base-layer build script), as Markdown.

    Headings are demoted three levels so the file nests under the page's own.
    """
    text = (settings.GEODATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    return re.sub(
        r"^(#{1,3}) ", lambda m: "#" * min(len(m.group(1)) + 3, 6) + " ", text, flags=re.M
    )
