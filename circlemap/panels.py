"""What the pages show beside the map: counters, cards and tables, ready to render.

Pure functions of a :class:`~circlemap.catalog.Catalog` (or its frames), a
:class:`~circlemap.filters.Selection` and a language; no Streamlit import.
Pages call these and render the result, so every pandas transform and every
label lookup lives here and is unit-tested. What each page's map shows is in
:mod:`circlemap.views`, the charts in :mod:`circlemap.charts`, the words in
:mod:`circlemap.i18n`.

Text from the data is returned as plain text; :func:`md_escape` makes it safe
for ``st.markdown`` (no markup, no HTML, no Streamlit directives).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import geopandas as gpd
import pandas as pd

from circlemap import settings, vocab
from circlemap.filters import Selection
from circlemap.i18n import city_name, name_of, t, term
from circlemap.views import source_label, visible_features, visible_measures

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


_MD_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&=])")
WORD_JOINER: Final = "\u2060"
"""Zero-width, invisible; splits the patterns Streamlit's front end turns into links or icons."""
_MD_INERT: Final = re.compile(r"(?::|@)(?=\\?[\w+/-])|(?i:www)(?=\\\.)")
"""Where :func:`md_escape` puts a :data:`WORD_JOINER` (after the match): a ``:`` or ``@``
that a word, ``+``, ``-`` or ``/`` follows (a shortcode, a scheme, an address), ``www`` before a
dot. A ``:`` before a space, as in ordinary prose, is left alone."""


def md_escape(text: object) -> str:
    """Make ``text`` inert in Streamlit Markdown: shown verbatim, never markup.

    The one escaping function for user- and data-supplied text in
    ``st.markdown``, ``st.caption``, alerts, headings and widget labels:

    - Markdown, HTML and Streamlit directive characters get a backslash.
    - A backslash is not enough for what Streamlit's front end finds in the
      *text* after parsing (or in the raw source): GFM autolink literals
      (``https://``, ``www.``, ``name@host``), emoji shortcodes (``:smile:``)
      and Material icons (``:material/home:``, replaced before parsing). A
      WORD JOINER (U+2060, zero width, invisible) after such a ``:``, after
      ``www`` and after ``@`` breaks each of those patterns; prose keeps its
      plain colons.
    - Newlines become Markdown line breaks.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    escaped = _MD_INERT.sub(lambda m: m.group(0) + WORD_JOINER, escaped)
    return escaped.replace("\n", "  \n")


def cities_label(cities: Iterable[str], lang: str) -> str:
    """City names in ``lang``, joined (``济南、淄博`` / ``Jinan, Zibo``).

    Exactly the seven circle cities read "All seven cities" (most measures).
    """
    names = list(cities)
    if sorted(names) == sorted(vocab.CIRCLE_CITIES):
        return t("all_circle_cities", lang)
    sep = ", " if lang == "en" else "、"
    return sep.join(city_name(c, lang) if c in vocab.CITY_BY_ZH else str(c) for c in names)


def city_shapes(catalog: Catalog, cities: Sequence[str]) -> gpd.GeoSeries:
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


def counters(
    catalog: Catalog, selection: Selection, *, features: gpd.GeoDataFrame | None = None
) -> Counters:
    """Count visible features, visible measures and the circle cities they touch.

    ``features`` is :func:`~circlemap.views.visible_features` of ``selection``
    when the caller has it already (the overview's map draws the same frame).
    """
    if features is None:
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
    quote_verbatim: str = ""
    """The verbatim text of record (fragments joined), when readers see another form."""
    quote_parts: int = 1
    """How many verbatim fragments the quote joins (more than one: a column break)."""
    quote_fragments: tuple[str, ...] = ()
    """The verbatim fragments, when there are several."""
    quote_is_english: bool = False
    """True when ``quote`` is the source's own English sentence (English readers)."""


def feature_card(catalog: Catalog, feature_id: str, lang: str) -> FeatureCard:
    """Card of one content feature (``KeyError`` for an unknown id)."""
    row = catalog.features.loc[feature_id]
    description = row.get(f"description_{lang}")
    return FeatureCard(
        id=feature_id,
        name=name_of(row, lang),
        kind=term(vocab.KINDS, row["kind"], lang),
        group=term(vocab.KIND_GROUPS, row["group"], lang),
        status=status_of(row, lang),
        accuracy=term(vocab.ACCURACIES, row["geometry_accuracy"], lang),
        accuracy_note=str(row[f"accuracy_note_{lang}"] or ""),
        cities=cities_label(row["cities"], lang),
        source=source_label(str(row["source"]), lang),
        description=description if isinstance(description, str) else None,
        **quote_fields(row, lang),
    )


def status_of(row: pd.Series, lang: str) -> str:
    """The status as readers see it: the source's verb, the kind of statement, as of when."""
    standing = row.get("standing")
    return vocab.status_text(
        str(row["status"]),
        standing if isinstance(standing, str) else None,
        str(row["source"]),
        lang,
    )


def quote_fields(row: pd.Series, lang: str) -> dict[str, Any]:
    """``quote`` (what readers see), ``quote_verbatim`` and ``quote_parts`` of a row.

    Chinese readers see the cleaned (and, for a Traditional source, Simplified)
    form; English readers the source's own English sentence where there is one,
    else that same Chinese form. ``quote_verbatim`` is set when it differs
    from what is shown, or when the quote joins fragments.
    """
    verbatim = str(row["quote"])
    reader = row.get("quote_reader_zh")
    shown = reader if isinstance(reader, str) and reader else verbatim
    english = row.get("quote_en")
    is_english = lang == "en" and isinstance(english, str) and bool(english)
    if is_english:
        shown = str(english)
    fragments = row.get("quote_fragments")
    parts = len(fragments) if isinstance(fragments, tuple | list) else 1
    differs = shown != verbatim or parts > 1
    return {
        "quote": shown,
        "quote_verbatim": verbatim if differs else "",
        "quote_parts": parts,
        "quote_fragments": tuple(fragments) if parts > 1 and fragments is not None else (),
        "quote_is_english": is_english,
    }


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
    quote_verbatim: str = ""
    """As :attr:`FeatureCard.quote_verbatim`."""
    quote_parts: int = 1
    quote_fragments: tuple[str, ...] = ()
    quote_is_english: bool = False


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
        status=status_of(row, lang),
        cities=cities_label(row["cities"], lang),
        source=source_label(str(row["source"]), lang),
        features=linked,
        **quote_fields(row, lang),
    )


def measure_card(catalog: Catalog, measure_id: str, lang: str) -> MeasureCard:
    """Detail of one measure and its linked features (``KeyError`` for an unknown id)."""
    row = catalog.measures.loc[measure_id]
    return measure_card_of_row(measure_id, row, lang, features=catalog.features)


def measure_table(measures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Measures as a display table (translated headers and labels), index = id."""
    return pd.DataFrame(
        {
            t("col_title", lang): measures[f"title_{lang}"],
            t("col_category", lang): measures["category"].map(
                lambda k: term(vocab.CATEGORIES, k, lang)
            ),
            t("col_status", lang): [status_of(r, lang) for _, r in measures.iterrows()],
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


def measures_of_feature(catalog: Catalog, feature_id: str) -> pd.DataFrame:
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


def city_panel(catalog: Catalog, city: str, selection: Selection, lang: str) -> CityPanel:
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


def city_of_click(catalog: Catalog, clicked: str) -> str | None:
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


def corridors_by_city(catalog: Catalog, selection: Selection, lang: str) -> pd.DataFrame:
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


def unmapped_measures(catalog: Catalog, selection: Selection, category: str) -> pd.DataFrame:
    """Visible measures of ``category`` linked to no feature: what the map cannot show.

    E.g. road re-routings whose end points the sources do not name, or
    circle-wide goals; a page lists them beside its map so they are not lost.
    """
    kept = visible_measures(catalog, selection.with_(categories=(category,)))
    return kept[kept["features"].map(len) == 0]


def milestone_table(milestones: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Milestones with a display date and text in ``lang`` (sorted by date)."""

    def shown(row: pd.Series) -> str:
        fmt = {"year": "%Y", "month": "%Y-%m"}.get(row["date_precision"], "%Y-%m-%d")
        text = str(row["date"].strftime(fmt))
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
            "quote_shown": [quote_fields(r, lang)["quote"] for _, r in milestones.iterrows()],
            "quote_verbatim": [
                quote_fields(r, lang)["quote_verbatim"] for _, r in milestones.iterrows()
            ],
            "source": milestones["source"],
        },
        index=milestones.index,
    )


def accuracy_table(catalog: Catalog, lang: str) -> pd.DataFrame:
    """Each accuracy flag: label, line style, meaning and how many features carry it."""
    counts = catalog.features["geometry_accuracy"].value_counts()
    return pd.DataFrame(
        {
            t("col_accuracy", lang): [term(vocab.ACCURACIES, k, lang) for k in vocab.ACCURACIES],
            t("col_line", lang): [t(f"accuracy_line_{k}", lang) for k in vocab.ACCURACIES],
            t("col_meaning", lang): [t(f"accuracy_meaning_{k}", lang) for k in vocab.ACCURACIES],
            t("col_count", lang): [int(counts.get(k, 0)) for k in vocab.ACCURACIES],
        }
    )


def source_table(catalog: Catalog, lang: str) -> pd.DataFrame:
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
