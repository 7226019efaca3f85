"""The web map's legend as HTML (every text escaped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from circlemap import basemaps, styles, vocab
from circlemap.i18n import t, term
from circlemap.webmap.geojson import html_text

if TYPE_CHECKING:
    from circlemap.catalog import Catalog


def _swatch_line(colour: str, dash: str | None, *, weight: float = 3.0) -> str:
    dash_attr = f' stroke-dasharray="{html_text(dash)}"' if dash else ""
    return (
        '<svg width="30" height="12" aria-hidden="true">'
        f'<line x1="2" y1="6" x2="28" y2="6" stroke="{html_text(colour)}" stroke-width="{weight}"'
        f' stroke-linecap="round"{dash_attr}/></svg>'
    )


def _swatch_point(colour: str) -> str:
    return (
        '<svg width="30" height="14" aria-hidden="true">'
        f'<circle cx="15" cy="7" r="5.5" fill="{html_text(colour)}" fill-opacity="0.85"'
        f' stroke="{html_text(colour)}" stroke-width="1.5"/></svg>'
    )


def _swatch_area(fill: str, edge: str, *, weight: float = 1.5, fill_opacity: float = 1.0) -> str:
    return (
        '<svg width="30" height="14" aria-hidden="true">'
        f'<rect x="3" y="2" width="24" height="10" fill="{html_text(fill)}"'
        f' fill-opacity="{fill_opacity}" stroke="{html_text(edge)}" stroke-width="{weight}"/></svg>'
    )


def _legend_item(swatch: str, label: str) -> str:
    return f"<li>{swatch}<span>{html_text(label)}</span></li>"


def _kinds_present(features: gpd.GeoDataFrame | pd.DataFrame | None) -> list[str]:
    if features is None or len(features) == 0 or "kind" not in features:
        return []
    present = set(features["kind"])
    return [k for k in vocab.KINDS if k in present]


def legend_html(catalog: Catalog, *, lang: str, basemap: str = basemaps.DEFAULT_BASEMAP) -> str:
    """The legend's HTML (every text escaped), as drawn by :func:`build_base_map`.

    Lists the kinds present in ``catalog.features`` by map group with their
    colours, the three geometry accuracies as line styles with their meaning,
    and the base layers. Exposed for the print exports.
    """
    base = basemaps.get_basemap(basemap)
    parts = [f"<details open><summary>{html_text(t('map_legend', lang))}</summary>"]
    kinds = _kinds_present(getattr(catalog, "features", None))
    for group in ("transport", "site", "ecology"):
        in_group = [k for k in kinds if vocab.KINDS[k].group == group]
        if not in_group:
            continue
        parts.append(f"<h4>{html_text(term(vocab.KIND_GROUPS, group, lang))}</h4><ul>")
        for kind in in_group:
            colour = styles.kind_colour(kind)
            swatch = _swatch_point(colour) if group == "site" else _swatch_line(colour, None)
            parts.append(_legend_item(swatch, term(vocab.KINDS, kind, lang)))
        parts.append("</ul>")
    parts.append(f"<h4>{html_text(t('map_legend_accuracy', lang))}</h4><ul>")
    for accuracy in vocab.ACCURACIES:
        swatch = _swatch_line("#444444", styles.accuracy_dash(accuracy))
        parts.append(_legend_item(swatch, t(f"map_accuracy_{accuracy}", lang)))
    parts.append("</ul>")
    parts.append(f"<h4>{html_text(t('map_legend_base', lang))}</h4><ul>")
    parts.append(
        _legend_item(_swatch_line(styles.RIVER_COLOUR, None), term(vocab.LAYERS, "river", lang))
    )
    parts.append(
        _legend_item(
            _swatch_area(styles.CITY_FILL, styles.CITY_EDGE, weight=2.0),
            term(vocab.LAYERS, "cities", lang),
        )
    )
    parts.append(
        _legend_item(
            _swatch_line(styles.COUNTY_EDGE, None, weight=1.0), term(vocab.LAYERS, "counties", lang)
        )
    )
    parts.append(
        _legend_item(
            _swatch_area(styles.CONTEXT_FILL, styles.CONTEXT_EDGE, weight=1.0),
            term(vocab.LAYERS, "context", lang),
        )
    )
    if not base.tiles:
        parts.append(
            _legend_item(
                _swatch_area(styles.NEIGHBOUR_FILL, styles.NEIGHBOUR_FILL, weight=1.0),
                term(vocab.LAYERS, "provinces", lang),
            )
        )
    parts.append(
        _legend_item(
            _swatch_line(styles.PROVINCE_BORDER, styles.PROVINCE_BORDER_DASH, weight=1.6),
            term(vocab.LAYERS, "borders", lang),
        )
    )
    parts.append(
        _legend_item(
            _swatch_area(styles.LAKE_FILL, styles.LAKE_EDGE, weight=1.0),
            term(vocab.LAYERS, "lakes", lang),
        )
    )
    parts.append(
        _legend_item(
            _swatch_line(styles.OTHER_RIVER_COLOUR, None, weight=1.2),
            term(vocab.LAYERS, "rivers", lang),
        )
    )
    parts.append("</ul>")
    parts.append(f'<p class="cm-note">{html_text(t("map_geometry_note", lang))}</p>')
    if base.is_gcj02:
        parts.append(f'<p class="cm-note">{html_text(t("map_gcj02_note", lang))}</p>')
    parts.append("</details>")
    return "".join(parts)
