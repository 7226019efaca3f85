"""Search the map: features, cities, counties and measures, in Chinese, English and pinyin.

:func:`search_index` lists every searchable item with its keys: the zh
name, the en name, and the name's pinyin, whole and as initials
(``经十路东延`` -> ``jingshiludongyan``, ``jsldy``). Pinyin comes from
``data/search_pinyin.json``, which ``scripts/build_search_pinyin.py``
derives from the names with pypinyin (a build-time dependency; the app only
reads the file). :func:`search` matches a query against the keys, ignoring
case, spaces and punctuation.

No Streamlit import.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from circlemap import settings, vocab

PINYIN_FILE: Final = "search_pinyin.json"
"""Under :data:`settings.DATA_DIR`: zh text -> [full pinyin, initials]."""

KIND_ORDER: Final[dict[str, int]] = {"feature": 0, "city": 1, "county": 2, "measure": 3}
"""Hits of equal quality are listed features first, then cities, counties, measures."""

MAX_HITS: Final = 8

HitKind = Literal["feature", "city", "county", "measure"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable item.

    Attributes
    ----------
    kind : {"feature", "city", "county", "measure"}
    id : str
        Feature id, city zh name, county id or measure id.
    zh, en : str
        Its names (measure titles).
    city : str
        Zh name of the city a county belongs to ("" otherwise).
    keys : tuple of str
        Normalised texts a query is matched against (:func:`normalise`).
    """

    kind: HitKind
    id: str
    zh: str
    en: str
    city: str
    keys: tuple[str, ...]

    def label(self, lang: str) -> str:
        """Name in ``lang``."""
        return self.en if lang == "en" else self.zh


_DROP: Final = re.compile(r"[\s\-–—_·.,，、。:：;；'’\"“”()（）]+")


def normalise(text: str) -> str:
    """Lower case, width-folded (NFKC), spaces and punctuation removed."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).casefold())


def load_pinyin(path: Path | None = None) -> dict[str, list[str]]:
    """The precomputed pinyin keys (empty when the file is absent)."""
    path = path or settings.DATA_DIR / PINYIN_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): [str(v) for v in vals] for k, vals in data.get("pinyin", {}).items()}


def searchable_names(catalog: Any) -> list[tuple[HitKind, str, str, str, str]]:
    """(kind, id, zh, en, city) of everything the search finds, in catalog order."""
    rows: list[tuple[HitKind, str, str, str, str]] = []
    for fid, row in catalog.features.iterrows():
        rows.append(("feature", str(fid), str(row["name_zh"]), str(row["name_en"]), ""))
    for zh in vocab.CIRCLE_CITIES:
        rows.append(("city", zh, zh, vocab.CITY_BY_ZH[zh].en, zh))
    for _, row in catalog.counties.iterrows():
        rows.append(
            ("county", str(row["id"]), str(row["name_zh"]), str(row["name_en"]), str(row["city"]))
        )
    for mid, row in catalog.measures.iterrows():
        rows.append(("measure", str(mid), str(row["title_zh"]), str(row["title_en"]), ""))
    return rows


def search_index(catalog: Any, pinyin: Mapping[str, Iterable[str]] | None = None) -> list[Entry]:
    """Every searchable item of ``catalog`` with its match keys."""
    keys_of = load_pinyin() if pinyin is None else pinyin
    out = []
    for kind, item_id, zh, en, city in searchable_names(catalog):
        keys = [normalise(zh), normalise(en), *(normalise(p) for p in keys_of.get(zh, ()))]
        out.append(Entry(kind, item_id, zh, en, city, tuple(dict.fromkeys(k for k in keys if k))))
    return out


def search(index: Iterable[Entry], query: str, *, limit: int = MAX_HITS) -> list[Entry]:
    """Entries whose keys contain ``query``, best first.

    A key equal to the query beats one that starts with it, which beats one
    that contains it; then features, cities, counties, measures; then the
    shorter name. An empty query finds nothing.
    """
    q = normalise(query)
    if not q:
        return []
    scored = []
    for n, entry in enumerate(index):
        best = None
        for key in entry.keys:
            if key == q:
                rank = 0
            elif key.startswith(q):
                rank = 1
            elif q in key:
                rank = 2
            else:
                continue
            best = rank if best is None else min(best, rank)
        if best is not None:
            scored.append(((best, KIND_ORDER[entry.kind], len(entry.zh), n), entry))
    scored.sort(key=lambda pair: pair[0])
    return [entry for _, entry in scored[:limit]]
