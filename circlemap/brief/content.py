"""What a briefing says, as plain data: assembled from the catalog and a selection.

:func:`build_briefing` is a pure function of a :class:`~circlemap.catalog.Catalog`,
a :class:`~circlemap.filters.Selection`, a language and a date. It holds no
layout: :mod:`circlemap.brief.pdf` and :mod:`circlemap.brief.word` lay out the
same :class:`Briefing`, so the PDF and the DOCX say the same thing.

Nothing is written here that the catalog does not hold: the summary is counts
of the listed items, titles and quotes are the data's own (quotes verbatim,
through :func:`quote_text`), and labels come from :mod:`circlemap.vocab`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from circlemap import panels, views, vocab
from circlemap.brief.strings import bt
from circlemap.filters import Selection
from circlemap.i18n import city_name, name_of, t, term

if TYPE_CHECKING:
    from circlemap.catalog import Catalog

CIRCLE_MARKERS: Final[tuple[str, ...]] = ("省会经济圈", "省會經濟圈", "economic circle")
"""Words by which a milestone concerns the whole circle (simplified, traditional, English)."""


def quote_text(row: Mapping[str, Any]) -> str:
    """The verbatim quote of a feature, measure or milestone row, as one string.

    The one place that reads a quote: a quote stored as a list of verbatim
    fragments (a sentence split across page columns) is shown joined.
    """
    quote = row["quote"]
    if isinstance(quote, list | tuple):
        return "".join(str(part) for part in quote)
    return str(quote)


@dataclass(frozen=True)
class Quote:
    """A verbatim quote and the source text it comes from."""

    text: str
    source: str
    """File name in the seeds folder."""
    source_title: str
    """Title of the source in the briefing's language (the file name if untitled)."""


@dataclass(frozen=True)
class FeatureItem:
    """A project or corridor, numbered as on the briefing's shared map."""

    number: int
    id: str
    name: str
    name_zh: str
    kind: str
    kind_key: str
    group: str
    status: str
    accuracy: str
    accuracy_key: str
    accuracy_note: str
    cities: str
    quote: Quote


@dataclass(frozen=True)
class MeasureItem:
    """A measure: title in the briefing's language, the zh title, its quote."""

    id: str
    title: str
    title_zh: str
    status: str
    scope: str
    cities: str
    quote: Quote


@dataclass(frozen=True)
class MeasureGroup:
    """The measures of one category, in table order."""

    category: str
    label: str
    measures: tuple[MeasureItem, ...]


@dataclass(frozen=True)
class MilestoneItem:
    """A dated milestone with its quote (and the same event in other sources)."""

    id: str
    when: str
    text: str
    quote: Quote
    also_in: tuple[Quote, ...]


@dataclass(frozen=True)
class SourceItem:
    """A source text and how many of the briefing's items quote it."""

    file: str
    title: str
    cited: int


@dataclass(frozen=True)
class Summary:
    """Counts only: (label, count) pairs, largest first, then vocabulary order."""

    features: int
    measures: int
    milestones: int
    by_kind: tuple[tuple[str, int], ...]
    by_status: tuple[tuple[str, int], ...]
    by_category: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Briefing:
    """Everything one briefing shows, in one language.

    Attributes
    ----------
    lang : {"zh", "en"}
    selection : Selection
        The filters it was made for (``cities`` empty: the whole circle).
    today : datetime.date
        Export date printed on it.
    title, scope : str
        Document title and the place it covers (city names or the circle).
    filters : tuple of (str, str)
        The active filters as (heading, values), "all" when unset.
    summary : Summary
    features : tuple of FeatureItem
        Numbered 1..n in map-group, then kind order.
    measure_groups : tuple of MeasureGroup
        In :data:`circlemap.vocab.CATEGORIES` order.
    milestones : tuple of MilestoneItem
        By date.
    sources : tuple of SourceItem
    licences : tuple of str
    """

    lang: str
    selection: Selection
    today: dt.date
    title: str
    scope: str
    filters: tuple[tuple[str, str], ...]
    summary: Summary
    features: tuple[FeatureItem, ...]
    measure_groups: tuple[MeasureGroup, ...]
    milestones: tuple[MilestoneItem, ...]
    sources: tuple[SourceItem, ...]
    licences: tuple[str, ...]

    @property
    def measures(self) -> tuple[MeasureItem, ...]:
        """Every measure, category by category."""
        return tuple(m for group in self.measure_groups for m in group.measures)


def _quote(row: Mapping[str, Any], lang: str) -> Quote:
    source = str(row["source"])
    return Quote(
        text=quote_text(row),
        source=source,
        source_title=views.source_title(source, lang) or source,
    )


def scope_label(selection: Selection, lang: str) -> str:
    """The place a briefing covers: its city names, or the seven cities of the circle."""
    if not selection.cities:
        return bt("brief_scope_circle", lang)
    sep = ", " if lang == "en" else "、"
    return sep.join(city_name(c, lang) for c in selection.cities)


def filters_list(selection: Selection, lang: str) -> tuple[tuple[str, str], ...]:
    """The active filters as (heading, values) in ``lang``; "all" where unset."""

    def values(keys: tuple[str, ...], label: Any) -> str:
        if not keys:
            return t("export_all", lang)
        return ("、" if lang == "zh" else ", ").join(label(k) for k in keys)

    return (
        (t("export_cities", lang), values(selection.cities, lambda c: city_name(c, lang))),
        (t("export_kinds", lang), values(selection.kinds, lambda k: term(vocab.KINDS, k, lang))),
        (
            t("export_statuses", lang),
            values(selection.statuses, lambda s: term(vocab.STATUSES, s, lang)),
        ),
        (
            t("export_categories", lang),
            values(selection.categories, lambda c: term(vocab.CATEGORIES, c, lang)),
        ),
    )


def ordered_features(features: pd.DataFrame) -> pd.DataFrame:
    """Features in briefing order: transport, sites, corridors; then kind order; stable."""
    groups = list(vocab.KIND_GROUPS)
    kinds = list(vocab.KINDS)
    rank = features.assign(
        _group=features["group"].map(groups.index),
        _kind=features["kind"].map(kinds.index),
    )
    return features.loc[rank.sort_values(["_group", "_kind"], kind="stable").index]


def feature_items(features: pd.DataFrame, lang: str) -> tuple[FeatureItem, ...]:
    """Numbered items of ``features`` (already in briefing order)."""
    return tuple(
        FeatureItem(
            number=number,
            id=str(fid),
            name=name_of(row, lang),
            name_zh=str(row["name_zh"]),
            kind=term(vocab.KINDS, row["kind"], lang),
            kind_key=str(row["kind"]),
            group=term(vocab.KIND_GROUPS, row["group"], lang),
            status=term(vocab.STATUSES, row["status"], lang),
            accuracy=term(vocab.ACCURACIES, row["geometry_accuracy"], lang),
            accuracy_key=str(row["geometry_accuracy"]),
            accuracy_note=str(row[f"accuracy_note_{lang}"] or ""),
            cities=panels.cities_label(row["cities"], lang),
            quote=_quote(row, lang),
        )
        for number, (fid, row) in enumerate(features.iterrows(), start=1)
    )


def measure_groups(measures: pd.DataFrame, lang: str) -> tuple[MeasureGroup, ...]:
    """Measures grouped by category (vocabulary order), table order inside a group."""
    groups = []
    for key in vocab.CATEGORIES:
        rows = measures[measures["category"] == key]
        if rows.empty:
            continue
        items = tuple(
            MeasureItem(
                id=str(mid),
                title=str(row[f"title_{lang}"]),
                title_zh=str(row["title_zh"]),
                status=term(vocab.STATUSES, row["status"], lang),
                scope=term(vocab.SCOPES, row["scope"], lang),
                cities=panels.cities_label(row["cities"], lang),
                quote=_quote(row, lang),
            )
            for mid, row in rows.iterrows()
        )
        groups.append(MeasureGroup(key, term(vocab.CATEGORIES, key, lang), items))
    return tuple(groups)


def milestone_concerns(row: Mapping[str, Any], cities: tuple[str, ...]) -> bool:
    """Whether a milestone concerns one of ``cities`` (zh names; empty: every milestone).

    It does when its zh text or any of its quotes names one of the cities
    (zh name; the traditional forms of the seven names are the same
    characters), or names the whole circle (:data:`CIRCLE_MARKERS`).
    """
    if not cities:
        return True
    texts = [str(row["text_zh"]), quote_text(row)]
    texts += [quote_text(other) for other in row["also_in"] or ()]
    haystack = "\n".join(texts)
    if any(marker in haystack.casefold() for marker in CIRCLE_MARKERS):
        return True
    return any(city in haystack for city in cities)


def milestone_items(
    milestones: pd.DataFrame, selection: Selection, lang: str
) -> tuple[MilestoneItem, ...]:
    """The milestones that concern the selection's cities, by date."""
    table = panels.milestone_table(milestones, lang)
    items = []
    for mid, row in milestones.iterrows():
        if not milestone_concerns(row, selection.cities):
            continue
        items.append(
            MilestoneItem(
                id=str(mid),
                when=str(table.loc[mid, "when"]),
                text=str(row[f"text_{lang}"]),
                quote=_quote(row, lang),
                also_in=tuple(_quote(other, lang) for other in row["also_in"] or ()),
            )
        )
    return tuple(items)


def _counted(values: list[str], vocabulary: Mapping[str, vocab.Term], lang: str) -> Any:
    counts = Counter(values)
    order = list(vocabulary)
    keys = sorted(counts, key=lambda k: (-counts[k], order.index(k)))
    return tuple((term(vocabulary, k, lang), counts[k]) for k in keys)


def source_items(
    features: tuple[FeatureItem, ...],
    measures: tuple[MeasureItem, ...],
    milestones: tuple[MilestoneItem, ...],
) -> tuple[SourceItem, ...]:
    """Every source text the briefing quotes, with how many quotes come from it."""
    quotes = [f.quote for f in features] + [m.quote for m in measures]
    quotes += [q for m in milestones for q in (m.quote, *m.also_in)]
    cited = Counter(q.source for q in quotes)
    titles = {q.source: q.source_title for q in quotes}
    return tuple(SourceItem(s, titles[s], cited[s]) for s in sorted(cited))


LICENCE_KEYS: Final[tuple[str, ...]] = (
    "brief_lic_content",
    "brief_lic_boundaries",
    "brief_lic_river",
    "brief_lic_projection",
    "brief_lic_font",
    "brief_lic_software",
)


def build_briefing(
    catalog: Catalog, selection: Selection, *, lang: str, today: dt.date | None = None
) -> Briefing:
    """Assemble the briefing of ``selection`` in ``lang``.

    Parameters
    ----------
    catalog : Catalog
        From :func:`circlemap.catalog.load_catalog`.
    selection : Selection
        The filters; ``cities`` empty means the whole circle.
    lang : {"zh", "en"}
    today : datetime.date, optional
        Export date; default today.
    """
    today = today or dt.date.today()
    features_frame = ordered_features(views.visible_features(catalog, selection))
    measures_frame = views.visible_measures(catalog, selection)
    features = feature_items(features_frame, lang)
    groups = measure_groups(measures_frame, lang)
    milestones = milestone_items(catalog.milestones, selection, lang)
    measures = tuple(m for g in groups for m in g.measures)
    summary = Summary(
        features=len(features),
        measures=len(measures),
        milestones=len(milestones),
        by_kind=_counted(list(features_frame["kind"]), vocab.KINDS, lang),
        by_status=_counted(list(features_frame["status"]), vocab.STATUSES, lang),
        by_category=_counted(list(measures_frame["category"]), vocab.CATEGORIES, lang),
    )
    scope = scope_label(selection, lang)
    return Briefing(
        lang=lang,
        selection=selection,
        today=today,
        title=bt("brief_title", lang),
        scope=scope,
        filters=filters_list(selection, lang),
        summary=summary,
        features=features,
        measure_groups=groups,
        milestones=milestones,
        sources=source_items(features, measures, milestones),
        licences=tuple(bt(key, lang) for key in LICENCE_KEYS),
    )
