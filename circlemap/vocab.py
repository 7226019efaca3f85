"""Controlled vocabularies shared by the data, the map, the panels and the exports.

Every value a data file may use for ``cities``, ``kind``, ``status``,
``geometry_accuracy``, ``category`` or ``scope`` is a key of one of the
mappings below; each key carries its Chinese and English label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


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
    "planning": Term("谋划", "Being planned"),
    "preliminary": Term("前期工作", "Preliminary work"),
    "advancing": Term("推进", "Being advanced"),
    "implementing": Term("实施", "Being implemented"),
    "building": Term("建设", "Being built"),
    "supported": Term("支持", "Supported"),
    "exploring": Term("探索", "Being explored"),
    "launched": Term("启用", "Launched"),
    "approved": Term("审议通过", "Approved"),
    "signed": Term("签订", "Signed"),
    "proposed": Term("提出", "Proposed"),
}
"""Status as the source words it (the verb the text uses for the item)."""

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
    "jinan_zibo_agreement": Term("济淄同城化战略合作协议", "Jinan–Zibo same-city agreement"),
    "circle_369": Term("省会经济圈“369”行动方案", "Circle-wide “369” action plan"),
    "strong_capital": Term("济南强省会战略", "Jinan strong-capital strategy"),
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

SOURCES: Final[dict[str, Term]] = {
    "000_62d8a2b4d5d19bc4.txt": Term(
        "鲁中晨报·省会经济圈一体化专版（2021 年 2 月）",
        "Luzhong Morning Post, Provincial Capital Economic Circle page (Feb 2021)",
    ),
    "003_8ae7c7190ee9ed8c.txt": Term(
        "“强省会”战略评论（2020 年末至 2021 年 2 月）",
        "Commentary on the strong-provincial-capital strategy (late 2020 to Feb 2021)",
    ),
}
"""The source texts (file name in ``../shared/seeds/``) and what each one is.

Every ``source`` field must name one of these files; the titles are ours,
drawn from the seeds' README and the papers' own mastheads.
"""
