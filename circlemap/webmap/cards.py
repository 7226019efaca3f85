"""Feature cards in popups, for the offline HTML export (no page beside the map)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from folium.template import Template

from circlemap.i18n import t
from circlemap.webmap.elements import RenderedOnce
from circlemap.webmap.geojson import html_text

if TYPE_CHECKING:
    from circlemap.panels import FeatureCard


def card_html(card: FeatureCard, *, lang: str) -> str:
    """A feature card as popup HTML, every text escaped: name, kind, status,
    accuracy, cities, the verbatim quote and its source."""
    rows = [
        (t("card_kind", lang), card.kind),
        (t("card_status", lang), card.status),
        (t("card_accuracy", lang), card.accuracy),
        (t("card_cities", lang), card.cities),
    ]
    parts = [f'<div class="cm-card"><h3>{html_text(card.name)}</h3><dl>']
    parts += [f"<dt>{html_text(k)}</dt><dd>{html_text(v)}</dd>" for k, v in rows]
    parts.append("</dl>")
    if card.accuracy_note:
        parts.append(f'<p class="cm-card-note">{html_text(card.accuracy_note)}</p>')
    parts.append(f"<blockquote>{html_text(card.quote)}</blockquote>")
    source = f"{t('card_source', lang)} {card.source}"
    parts.append(f'<p class="cm-card-source">{html_text(source)}</p>')
    parts.append("</div>")
    return "".join(parts)


class CardPopups(RenderedOnce):
    """Opens a feature's card in a popup when it is clicked (or Enter is pressed on it).

    ``cards`` maps feature ids to :func:`card_html` (``L.circlemap.cards``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.circlemap.cards({{ this._parent.get_name() }}, {{ this.cards|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, cards: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "CardPopups"
        self.cards = dict(cards)
