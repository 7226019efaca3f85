"""Controlled vocabularies shared by the data, the map, the panels and the exports.

Every value a data file may use for ``cities``, ``kind``, ``status``,
``geometry_accuracy``, ``category`` or ``scope`` is a key of one of the
mappings below; each key carries its Chinese and English label.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from circlemap import datafiles, settings


@dataclass(frozen=True, slots=True)
class City:
    """A prefecture-level city of Shandong.

    Attributes
    ----------
    zh, en : str
        Short names (``"淄博"``, ``"Zibo"``); ``zh`` is the key used in data files.
    adcode : str
        Six-digit administrative code of the city (``"370300"``).
    in_circle : bool
        True for the seven cities of the Provincial Capital Economic Circle.
    """

    zh: str
    en: str
    adcode: str
    in_circle: bool


CITIES: Final[tuple[City, ...]] = (
    City("济南", "Jinan", "370100", True),
    City("淄博", "Zibo", "370300", True),
    City("泰安", "Tai'an", "370900", True),
    City("聊城", "Liaocheng", "371500", True),
    City("德州", "Dezhou", "371400", True),
    City("滨州", "Binzhou", "371600", True),
    City("东营", "Dongying", "370500", True),
    City("青岛", "Qingdao", "370200", False),
    City("枣庄", "Zaozhuang", "370400", False),
    City("烟台", "Yantai", "370600", False),
    City("潍坊", "Weifang", "370700", False),
    City("济宁", "Jining", "370800", False),
    City("威海", "Weihai", "371000", False),
    City("日照", "Rizhao", "371100", False),
    City("临沂", "Linyi", "371300", False),
    City("菏泽", "Heze", "371700", False),
)
"""All 16 cities of Shandong; the first seven form the circle (circle order)."""

CITY_BY_ZH: Final[dict[str, City]] = {c.zh: c for c in CITIES}
CIRCLE_CITIES: Final[tuple[str, ...]] = tuple(c.zh for c in CITIES if c.in_circle)


@dataclass(frozen=True, slots=True)
class Term:
    """One vocabulary entry: Chinese and English label, plus the group it belongs to."""

    zh: str
    en: str
    group: str = ""


KINDS: Final[dict[str, Term]] = {
    # transport links (lines)
    "rail": Term("轨道交通", "Rail", "transport"),
    "road": Term("公路", "Road", "transport"),
    "bridge": Term("桥梁", "Bridge", "transport"),
    "bus": Term("城际公交", "Intercity bus", "transport"),
    # sites (points or areas)
    "pilot_zone": Term("先行先试区", "Pilot zone", "site"),
    "industrial_park": Term("产业园区", "Industrial park", "site"),
    "science": Term("科技创新", "Science & innovation", "site"),
    "computing": Term("算力与数字", "Computing & digital", "site"),
    "medical": Term("医疗健康", "Health & medical", "site"),
    "court": Term("司法", "Court", "site"),
    "free_trade_zone": Term("自贸试验区", "Free trade zone", "site"),
    "energy": Term("氢能", "Hydrogen energy", "site"),
    "agriculture": Term("农业", "Agriculture", "site"),
    "platform": Term("合作平台", "Cooperation platform", "site"),
    # green corridors
    "greenway": Term("沿黄生态绿道", "Yellow River greenway", "ecology"),
    "wetland": Term("湿地公园", "Wetland park", "ecology"),
    "waterfront": Term("滩区亲水设施", "Floodplain waterfront", "ecology"),
    "delta": Term("黄河三角洲", "Yellow River Delta", "ecology"),
}
"""Feature kinds; ``group`` is the map layer the kind is drawn in."""

KIND_GROUPS: Final[dict[str, Term]] = {
    "transport": Term("交通互联", "Transport links"),
    "site": Term("产业与公共服务", "Sites"),
    "ecology": Term("生态廊道", "Green corridors"),
}

STATUSES: Final[dict[str, Term]] = {
    "planning": Term("谋划", "To plan"),
    "preliminary": Term("前期工作", "Preliminary work"),
    "advancing": Term("推进", "To advance"),
    "implementing": Term("实施", "To implement"),
    "building": Term("建设", "To build"),
    "supported": Term("支持", "To support"),
    "exploring": Term("探索", "To explore"),
    "launched": Term("启用", "Launched"),
    "approved": Term("审议通过", "Approved"),
    "signed": Term("签订", "Signed"),
    "proposed": Term("提出", "Proposed"),
}
"""Status as the source words it: the verb the text uses for the item.

The verb says what is to be done, not what has been done: read it with the
record's ``standing`` (:data:`STANDINGS`) and the source's date. English labels
are infinitives for that reason ("To build", not "Being built")."""

STANDINGS: Final[dict[str, Term]] = {
    "agreed": Term("协议约定的计划", "Agreed plan"),
    "announced": Term("方案公布的计划", "Announced plan"),
    "proposed": Term("提出的方向", "Stated direction"),
    "done": Term("来源所报已发生", "Reported as done"),
}
"""What kind of statement a record is, whatever its verb.

``agreed``: a commitment of an agreement ("双方将…"); ``announced``: an item of
a plan that "will be carried out" ("将实施"); ``proposed``: a direction or goal
a government stated ("明确提出"); ``done``: an event the source reports as
having happened (signed, approved, opened). Nothing in the sources reports
progress on a plan, so every plan is shown "as of" its source's date."""

ACCURACIES: Final[dict[str, Term]] = {
    "exact": Term("精确", "Exact"),
    "approximate": Term("大致位置", "Approximate location"),
    "schematic": Term("示意走向", "Schematic alignment"),
}
"""How exact a geometry is.

``exact``: surveyed or official boundary, simplified for display only.
``approximate``: the place is known to the district or town, not the site.
``schematic``: a planned line drawn straight between its named end points
(and named intermediate places), because the route is not public."""

CATEGORIES: Final[dict[str, Term]] = {
    "transport": Term("交通与基础设施", "Transport & infrastructure"),
    "digital": Term("数字化", "Digital"),
    "industry": Term("产业", "Industry"),
    "agriculture": Term("农业", "Agriculture"),
    "finance": Term("金融", "Finance"),
    "science": Term("科技创新", "Science & technology"),
    "culture_tourism": Term("文化旅游", "Culture & tourism"),
    "ecology": Term("生态环保", "Ecology & environment"),
    "education": Term("教育", "Education"),
    "health": Term("医疗卫生", "Health"),
    "employment": Term("就业", "Employment"),
    "social_security": Term("社会保障", "Social security"),
    "emergency": Term("应急管理", "Emergency management"),
    "credit": Term("信用体系", "Credit"),
    "household_registration": Term("户籍", "Household registration"),
    "market_ip": Term("市场监管与知识产权", "Market regulation & IP"),
    "investment": Term("招商引资", "Investment promotion"),
    "planning": Term("规划与机制", "Planning & coordination"),
    "public_services": Term("公共服务", "Public services"),
    "market": Term("市场一体化", "Market integration"),
}
"""Measure categories."""

SCOPES: Final[dict[str, Term]] = {
    "circle_guidance": Term("省会经济圈一体化指导意见", "Circle integration guidance (2020)"),
    "joint_conference_2020": Term("第一次联席会议", "First joint conference (July 2020)"),
    "jinan_directions": Term("济南市提出的一体化方向", "Jinan's stated directions for the circle"),
    "jinan_zibo_agreement": Term("济淄同城化战略合作协议", "Jinan–Zibo same-city agreement"),
    "circle_369": Term("省会经济圈“369”行动方案", "Circle-wide “369” action plan"),
    "strong_capital": Term("济南强省会战略", "Strong Provincial Capital strategy (Jinan)"),
}
"""Which document or programme a measure belongs to."""

LAYERS: Final[dict[str, Term]] = {
    "cities": Term("省会经济圈城市", "Circle cities"),
    "counties": Term("县级行政区", "Counties and districts"),
    "context": Term("山东其他城市", "Other Shandong cities"),
    "river": Term("黄河", "Yellow River"),
    "provinces": Term("邻近省份", "Neighbouring provinces"),
    "borders": Term("省界", "Provincial boundary"),
    "lakes": Term("湖泊、水库", "Lakes and reservoirs"),
    "rivers": Term("其他河流", "Other rivers"),
}
"""Base layers built from official boundaries and river data."""


class SourceTable(Mapping[str, Term]):
    """The source texts of ``data/sources.yaml`` as a read-only mapping file name -> titles.

    Read from :data:`circlemap.settings.DATA_DIR` at access time (cached per
    file and modification time), so a new source is a data record, and tests
    that point ``DATA_DIR`` elsewhere see their own sources.
    """

    def _table(self) -> dict[str, Term]:
        return {
            str(r["file"]): Term(str(r["title_zh"]), str(r["title_en"]))
            for r in source_records()
            if isinstance(r, dict) and "file" in r
        }

    def __getitem__(self, key: str) -> Term:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


SOURCES: Final[SourceTable] = SourceTable()
"""The source texts (file name in ``../shared/seeds/``) and what each one is, from
``data/sources.yaml``; every ``source`` field must name one of these files."""

SOURCES_FILE: Final = "sources.yaml"


def source_records() -> list[dict[str, Any]]:
    """Records of ``data/sources.yaml`` (empty when the file is missing or unreadable).

    The validator reports what is wrong with the file; here a broken file
    just means no known sources.
    """
    path = Path(settings.DATA_DIR) / SOURCES_FILE
    if not path.is_file():
        return []
    return _read_sources(path, path.stat().st_mtime_ns)


@cache
def _read_sources(path: Path, mtime_ns: int) -> list[dict[str, Any]]:
    del mtime_ns  # part of the cache key only
    try:
        data = datafiles.read_yaml(path)
    except datafiles.DataFileError:
        return []
    return [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []


def source_record(source: str) -> dict[str, Any] | None:
    """The ``data/sources.yaml`` record of one source file, or None."""
    return next((r for r in source_records() if r.get("file") == source), None)


def as_of(source: str, lang: str) -> str:
    """The source's date as "as of" text: ``截至2021年2月`` / ``as of Feb 2021``."""
    record = source_record(source) or {}
    date = str(record.get("date", ""))
    if len(date) < 7:
        return ""
    year, month = int(date[:4]), int(date[5:7])
    if lang == "zh":
        return f"截至{year}年{month}月"
    return f"as of {_MONTHS[month - 1]} {year}"


_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def status_text(status: str, standing: str | None, source: str, lang: str) -> str:
    """The status as readers see it: the source's verb, what kind of statement, as of when.

    ``谋划 · 协议约定的计划，截至2021年2月`` / ``To plan · agreed plan, as of Feb 2021``.
    """
    verb = _label(STATUSES, status, lang)
    if standing not in STANDINGS:
        return verb
    kind = _label(STANDINGS, standing, lang)
    when = as_of(source, lang)
    if lang == "zh":
        return f"{verb} · {kind}" + (f"，{when}" if when else "")
    return f"{verb} · {kind[0].lower()}{kind[1:]}" + (f", {when}" if when else "")


def _label(mapping: Mapping[str, Term], key: str, lang: str) -> str:
    item = mapping.get(key)
    if item is None:
        return str(key)
    return item.zh if lang == "zh" else item.en
