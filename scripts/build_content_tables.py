"""Build ``data/measures.json`` and ``data/milestones.json`` from the seed texts.

Every quote is cut out of the seed file programmatically: a record names a
paragraph (line number) and a range of clauses of it (split after ``,;。``),
optionally narrowed by a start and an end anchor that are looked up in the
text. So a quote is always a verbatim, contiguous substring of one paragraph
(never spanning a column break). Titles and dates are ours.

Run from the repository root::

    .venv/bin/python scripts/build_content_tables.py            # write data/
    .venv/bin/python scripts/build_content_tables.py --check    # compare, write nothing
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from circlemap import settings, vocab

S0 = "000_62d8a2b4d5d19bc4.txt"
S3 = "003_8ae7c7190ee9ed8c.txt"
SOURCES = {"000": S0, "003": S3}

CIRCLE = list(vocab.CIRCLE_CITIES)
JZ = ["济南", "淄博"]


@cache
def _lines(source: str) -> list[str]:
    return (Path(settings.SEEDS_DIR) / source).read_text(encoding="utf-8").split("\n")


def q(
    src: str,
    line: int,
    first: int,
    last: int | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    nth: int = 1,
) -> str:
    """Clauses ``first..last`` of paragraph ``line`` (1-based) of seed ``src``.

    ``start``/``end`` narrow the result to the text from the ``nth`` ``start``
    through the first following ``end``. Trailing ``,;`` are dropped.
    """
    paragraph = _lines(SOURCES[src])[line - 1]
    clauses = [c for c in re.split(r"(?<=[。;,])", paragraph) if c]
    text = "".join(clauses[first : (first if last is None else last) + 1])
    if start is not None:
        at = -1
        for _ in range(nth):
            at = text.index(start, at + 1)
        text = text[at:]
    if end is not None:
        text = text[: text.index(end) + len(end)]
    text = text.rstrip(",;")
    if not text or text not in paragraph:
        msg = f"no quote at {src} line {line} clauses {first}..{last}"
        raise ValueError(msg)
    return text


def measure(  # noqa: PLR0917 (one table row per call)
    mid: str,
    category: str,
    title_zh: str,
    title_en: str,
    scope: str,
    cities: list[str],
    status: str,
    src: str,
    quote: str,
    features: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": mid,
        "category": category,
        "title_zh": title_zh,
        "title_en": title_en,
        "scope": scope,
        "cities": cities,
        "status": status,
        "source": SOURCES[src],
        "quote": quote,
        "features": features or [],
    }


def agreement(  # noqa: PLR0917 (one table row per call)
    mid: str,
    category: str,
    zh: str,
    en: str,
    status: str,
    quote: str,
    features: list[str] | None = None,
) -> dict[str, Any]:
    """A measure of the Jinan–Zibo same-city agreement (source 000)."""
    return measure(
        mid, category, zh, en, "jinan_zibo_agreement", JZ, status, "000", quote, features
    )


def plan369(  # noqa: PLR0917 (one table row per call)
    mid: str,
    category: str,
    zh: str,
    en: str,
    status: str,
    quote: str,
    features: list[str] | None = None,
) -> dict[str, Any]:
    """A measure of the circle-wide "369" action plan (source 000)."""
    return measure(mid, category, zh, en, "circle_369", CIRCLE, status, "000", quote, features)


def direction(  # noqa: PLR0917 (one table row per call)
    mid: str,
    category: str,
    zh: str,
    en: str,
    status: str,
    quote: str,
    cities: list[str] | None = None,
) -> dict[str, Any]:
    """A direction Jinan set out with the first joint conference (source 003)."""
    return measure(
        mid, category, zh, en, "joint_conference_2020", cities or CIRCLE, status, "003", quote
    )


GREENWAY = [
    f"greenway-yellow-river-{c}"
    for c in ("liaocheng", "taian", "jinan", "dezhou", "zibo", "binzhou", "dongying")
]


def measures() -> list[dict[str, Any]]:
    """Every measure of both sources, in source order."""
    a = agreement
    return [
        # --- 2020 guidance --------------------------------------------------------------
        measure(
            "guidance-one-cluster-two-cores-three-circles",
            "planning",
            "构建“一群两心三圈”区域发展格局",
            "Build the “one cluster, two cores, three circles” regional layout",
            "circle_guidance",
            CIRCLE,
            "proposed",
            "000",
            q("000", 25, 1),
        ),
        # --- first joint conference, 2020-07-02 (003) -----------------------------------
        measure(
            "conference-2020-work-points",
            "planning",
            "审议通过《省会经济圈一体化发展2020年工作要点》",
            "Approved: key work points of circle integration for 2020",
            "joint_conference_2020",
            CIRCLE,
            "approved",
            "003",
            q("003", 4, 4, start="會議審議", end="工作要點》"),
        ),
        measure(
            "conference-strategic-framework-agreement",
            "planning",
            "审议通过《省会经济圈一体化发展战略合作框架协议》",
            "Approved: strategic cooperation framework agreement of the circle",
            "joint_conference_2020",
            CIRCLE,
            "approved",
            "003",
            q("003", 4, 4, start="《省會", end="》", nth=2),
        ),
        measure(
            "conference-joint-conference-system",
            "planning",
            "审议通过《省会经济圈一体化发展联席会议制度》",
            "Approved: joint conference system of the circle",
            "joint_conference_2020",
            CIRCLE,
            "approved",
            "003",
            q("003", 4, 4, start="《省會", end="》", nth=3),
        ),
        direction(
            "direction-infrastructure-integration",
            "transport",
            "加快推进基础设施一体化,推动基础设施互联互通",
            "Speed up infrastructure integration and interconnection",
            "advancing",
            q("003", 4, 6, 7, start="加快推進基礎"),
        ),
        direction(
            "direction-bottleneck-roads",
            "transport",
            "实施“瓶颈路”畅通工程",
            "Clear the “bottleneck roads”",
            "implementing",
            q("003", 4, 8),
        ),
        direction(
            "direction-infrastructure-network",
            "transport",
            "形成轨道交通、公路、航空、水运联通的基础设施网络",
            "An infrastructure network joining rail transit, roads, air and water transport",
            "advancing",
            q("003", 4, 9),
        ),
        direction(
            "direction-industry-chain-integration",
            "industry",
            "推进产业发展一体化:产业链式整合和重点项目联合攻坚",
            "Industrial integration: chain-wise integration and joint push on key projects",
            "implementing",
            q("003", 4, 10, 11),
        ),
        direction(
            "direction-benefit-sharing",
            "industry",
            "建立利益分享机制",
            "Set up a benefit-sharing mechanism",
            "building",
            q("003", 4, 12),
        ),
        direction(
            "direction-cross-region-industry-models",
            "industry",
            "探索“双向飞地”“异地孵化”“共管园区”等合作新模式",
            "Explore two-way enclaves, incubation elsewhere and jointly run parks",
            "exploring",
            q("003", 4, 13),
        ),
        direction(
            "direction-market-rules",
            "market",
            "推进市场融通一体化:规则衔接、机制对接",
            "Market integration: aligned rules and mechanisms of the circle's economy",
            "advancing",
            q("003", 4, 14, 15),
        ),
        direction(
            "direction-factor-flows",
            "market",
            "促进人员、货物、资金、技术、信息等要素流动",
            "Free flow of people, goods, capital, technology and information",
            "advancing",
            q("003", 4, 16),
        ),
        direction(
            "direction-public-services",
            "public_services",
            "推进公共服务一体化,打造优质生活圈",
            "Public-service integration (education, culture, tourism, social security, "
            "epidemic control, emergencies, environment): a high-quality living circle",
            "advancing",
            q("003", 4, 17, 19),
        ),
        direction(
            "direction-jinan-taian-same-city",
            "planning",
            "加快推进济泰同城化",
            "Jinan–Tai'an same-city development",
            "advancing",
            q("003", 4, 20, end="濟泰同城化"),
            ["济南", "泰安"],
        ),
        direction(
            "direction-jinan-zibo-same-city",
            "planning",
            "加快推进济淄同城化",
            "Jinan–Zibo same-city development",
            "advancing",
            q("003", 4, 20, start="濟淄", end="同城化"),
            ["济南", "淄博"],
        ),
        direction(
            "direction-jinan-qihe-integration",
            "planning",
            "加快推进济齐融合发展",
            "Jinan–Qihe (Dezhou) integrated development",
            "advancing",
            q("003", 4, 20, start="濟齊"),
            ["济南", "德州"],
        ),
        # --- strong provincial capital (003) --------------------------------------------
        measure(
            "strong-capital-strategy",
            "planning",
            "实施“强省会”战略",
            "Carry out the “strong provincial capital” strategy",
            "strong_capital",
            ["济南"],
            "proposed",
            "003",
            q("003", 2, 2),
        ),
        measure(
            "strong-capital-province-city-push",
            "planning",
            "省市一体推进济南加快发展",
            "Province and city together speed up Jinan's development",
            "strong_capital",
            ["济南"],
            "proposed",
            "003",
            q("003", 2, 6, start="做出省市"),
        ),
        measure(
            "strong-capital-radiating-power",
            "planning",
            "在提升省会辐射带动能力上实现新突破",
            "A breakthrough in the capital's power to drive its surroundings",
            "strong_capital",
            CIRCLE,
            "proposed",
            "003",
            q("003", 3, 4),
        ),
        measure(
            "strong-capital-regional-synergy",
            "planning",
            "加强与周边区域优势互补和协同发展",
            "Complementary strengths and coordinated development with the surrounding region",
            "strong_capital",
            CIRCLE,
            "proposed",
            "003",
            q("003", 3, 5, 6),
        ),
        # --- Jinan–Zibo same-city agreement (000) ---------------------------------------
        a(
            "agreement-signed",
            "planning",
            "济南、淄博签订同城化建设战略合作协议",
            "Jinan and Zibo sign the same-city strategic cooperation agreement",
            "signed",
            q("000", 31, 1),
        ),
        a(
            "agreement-rail-zibo-yaoqiang-airport",
            "transport",
            "谋划淄博至济南遥墙机场轨道交通",
            "Plan a rail link from Zibo to Jinan Yaoqiang airport",
            "planning",
            q("000", 73, 0, end="遥墙机场"),
            ["rail-zibo-yaoqiang-airport"],
        ),
        a(
            "agreement-rail-zibo-zhangqiu-jinan",
            "transport",
            "谋划淄博经章丘至济南轨道交通",
            "Plan rail transit from Zibo via Zhangqiu to Jinan",
            "planning",
            q("000", 73, 0, start="淄博经章丘"),
            ["rail-zibo-zhangqiu-jinan"],
        ),
        a(
            "agreement-binzhou-linyi-hsr",
            "transport",
            "加快推进滨临高铁前期工作",
            "Speed up preliminary work on the Binzhou–Linyi high-speed railway",
            "preliminary",
            q("000", 73, 1),
            ["rail-binzhou-linyi", "rail-binzhou-linyi-circle-section"],
        ),
        a(
            "agreement-jingshi-road-east",
            "transport",
            "实施经十路东延工程",
            "Extend Jingshi Road eastward",
            "implementing",
            q("000", 73, 2),
            ["road-jingshi-east-extension"],
        ),
        a(
            "agreement-g308-wenshi",
            "transport",
            "加快推进G308文石线改建前期工作",
            "Speed up preliminary work on rebuilding the G308 Wenshi road",
            "preliminary",
            q("000", 73, 3),
        ),
        a(
            "agreement-s102-reroute",
            "transport",
            "积极谋划S102改线工程",
            "Plan the re-routing of provincial road S102",
            "planning",
            q("000", 73, 4, end="改线工程"),
        ),
        a(
            "agreement-huimin-gaoqing-bridge",
            "transport",
            "积极谋划惠高黄河大桥工程",
            "Plan the Huimin–Gaoqing Yellow River bridge",
            "planning",
            q("000", 73, 4, start="惠高"),
            ["bridge-huimin-gaoqing"],
        ),
        a(
            "agreement-s317-reroute",
            "transport",
            "共同推进S317改线",
            "Jointly advance the re-routing of provincial road S317",
            "advancing",
            q("000", 75, 0),
        ),
        a(
            "agreement-intercity-bus",
            "transport",
            "积极推进济淄城际公交一体化",
            "Integrate Jinan–Zibo intercity buses",
            "advancing",
            q("000", 75, 1),
            ["bus-jinan-zibo"],
        ),
        a(
            "agreement-digital-government",
            "digital",
            "加快实施数字政府提升工程",
            "Upgrade digital government",
            "implementing",
            q("000", 75, 2),
        ),
        a(
            "agreement-city-network-coverage",
            "digital",
            "加快实施城市网络覆盖工程",
            "Extend urban network coverage",
            "implementing",
            q("000", 75, 2),
        ),
        a(
            "agreement-information-services",
            "digital",
            "加快实施信息服务惠民工程",
            "Information services for residents",
            "implementing",
            q("000", 75, 2),
        ),
        a(
            "agreement-digital-economy",
            "digital",
            "加快实施数字经济提速工程",
            "Speed up the digital economy",
            "implementing",
            q("000", 75, 2),
        ),
        a(
            "agreement-data-resources",
            "digital",
            "推动数据资源协同布局、共建共享",
            "Coordinate, build and share data resources",
            "advancing",
            q("000", 75, 3),
        ),
        a(
            "agreement-hydrogen-demo-cities",
            "industry",
            "加快建设济淄氢能开发利用示范城市",
            "Build Jinan and Zibo as hydrogen demonstration cities",
            "building",
            q("000", 75, 4),
            ["energy-hydrogen-demo-jinan", "energy-hydrogen-demo-zibo"],
        ),
        a(
            "agreement-zhoucun-pilot-zone",
            "industry",
            "支持周村区建设济淄同城化先行先试区",
            "Zhoucun District as the Jinan–Zibo same-city pilot zone",
            "supported",
            q("000", 79, 0, start="支持"),
            ["pilot-zone-zhoucun"],
        ),
        a(
            "agreement-zhoucun-new-materials-park",
            "industry",
            "推进周村区新材料产业园区打造济淄同城化示范区",
            "Zhoucun new-materials industrial park as a same-city demonstration area",
            "advancing",
            q("000", 79, 1),
            ["park-zhoucun-new-materials"],
        ),
        a(
            "agreement-agriculture-bases",
            "agriculture",
            "建立高科技农业基地和特色优势农产品基地",
            "High-tech farming bases and bases for distinctive farm products",
            "building",
            q("000", 79, 2),
        ),
        a(
            "agreement-zibo-digital-agriculture",
            "agriculture",
            "加快建设淄博国家数字农业农村中心城市",
            "Zibo as national digital agriculture and rural centre city",
            "building",
            q("000", 79, 3),
            ["agri-zibo-digital-agriculture-city"],
        ),
        a(
            "agreement-urban-modern-agriculture",
            "agriculture",
            "打造济淄一体的智慧化、标准化、都市型现代农业",
            "Smart, standardised, metropolitan modern farming across Jinan and Zibo",
            "building",
            q("000", 79, 4),
        ),
        a(
            "agreement-shared-platforms",
            "industry",
            "推进两市平台载体共建共享",
            "Build and share platforms and carriers of the two cities",
            "advancing",
            q("000", 79, 5),
        ),
        a(
            "agreement-enclave-parks",
            "industry",
            "探索跨市双向“飞地园区”建设",
            "Explore two-way cross-city enclave parks",
            "exploring",
            q("000", 81, 1),
        ),
        a(
            "agreement-tax-sharing",
            "investment",
            "鼓励异地注册,实行税收分享政策",
            "Encourage registration in the other city with tax sharing",
            "supported",
            q("000", 81, 2, 3),
        ),
        a(
            "agreement-free-trade-zone",
            "investment",
            "支持淄博用好中国(山东)自由贸易试验区济南片区等平台",
            "Zibo uses the Jinan area of the Shandong pilot free trade zone",
            "supported",
            q("000", 81, 4, 5),
            ["ftz-jinan-area"],
        ),
        a(
            "agreement-settlement-credit",
            "finance",
            "同城化结算服务、跨区域联合授信",
            "Same-city settlement services and cross-region joint credit",
            "advancing",
            q("000", 81, 6),
        ),
        a(
            "agreement-finance-platform",
            "finance",
            "共同建设一体化金融服务平台",
            "Build an integrated financial service platform",
            "building",
            q("000", 81, 7),
        ),
        a(
            "agreement-qilu-corridor-east",
            "science",
            "实施齐鲁科创大走廊东延工程",
            "Extend the Qilu science and innovation corridor eastward",
            "implementing",
            q("000", 85, 0),
            ["science-qilu-corridor", "science-qilu-corridor-east-extension"],
        ),
        a(
            "agreement-innovation-alliance",
            "science",
            "共同组建省会经济圈科技创新联盟",
            "Form a science and technology innovation alliance of the circle",
            "advancing",
            q("000", 85, 1),
        ),
        a(
            "agreement-zibo-two-cities-one-valley",
            "science",
            "促进淄博“两城一谷”与齐鲁科创大走廊高效链接",
            "Link Zibo's science city, university city and innovation valley to the corridor",
            "advancing",
            q("000", 85, 2),
            ["science-zibo-two-cities-one-valley", "science-qilu-corridor-east-extension"],
        ),
        a(
            "agreement-national-science-centre",
            "science",
            "支持济南创建综合性国家科学中心",
            "Jinan bids to become a comprehensive national science centre",
            "supported",
            q("000", 87, 1),
        ),
        a(
            "agreement-china-computing-valley",
            "digital",
            "集中攻坚中国算谷",
            "Concentrated push on China Computing Valley",
            "advancing",
            q("000", 87, 2),
            ["computing-china-computing-valley"],
        ),
        a(
            "agreement-zibo-computing-centre",
            "digital",
            "支持淄博建设中国产业算力中心",
            "Zibo builds the China industrial computing-power centre",
            "supported",
            q("000", 87, 3),
            ["computing-zibo-industrial-computing-centre"],
        ),
        a(
            "agreement-science-diffusion",
            "science",
            "加强联动合作,促进济南科创资源扩散转化",
            "Spread and commercialise Jinan's science resources",
            "advancing",
            q("000", 87, 4, 5),
        ),
        a(
            "agreement-scenic-ticket-offers",
            "culture_tourism",
            "推出景区门票联动优惠措施",
            "Linked discounts on scenic-area tickets",
            "implementing",
            q("000", 41, 0, end="优惠措施"),
        ),
        a(
            "agreement-travel-agency-subsidies",
            "culture_tourism",
            "旅行社互享对方地接补贴政策",
            "Travel agencies share each other's ground-handling subsidies",
            "implementing",
            q("000", 41, 0, start="旅行社"),
        ),
        a(
            "agreement-resident-treatment",
            "culture_tourism",
            "推进景区市民待遇互认",
            "Mutual resident rates at scenic areas",
            "advancing",
            q("000", 41, 1),
        ),
        a(
            "agreement-public-culture",
            "culture_tourism",
            "推进同城化公共文化服务",
            "Same-city public cultural services",
            "advancing",
            q("000", 41, 2),
        ),
        a(
            "agreement-culture-venues",
            "culture_tourism",
            "加强两市公共文化场馆交流合作",
            "Cooperation of the two cities' public cultural venues",
            "advancing",
            q("000", 41, 3),
        ),
        a(
            "agreement-joint-exhibitions",
            "culture_tourism",
            "开展艺术精品联展巡展、文物互展",
            "Joint and touring art exhibitions, exchanged relic exhibitions",
            "implementing",
            q("000", 41, 4),
        ),
        a(
            "agreement-yellow-river-restoration",
            "ecology",
            "启动黄河流域生态保护与修复工程",
            "Start Yellow River basin ecological protection and restoration works",
            "implementing",
            q("000", 43, 0),
            [*GREENWAY, "delta-yellow-river-mouth"],
        ),
        a(
            "agreement-greenway-waterfront",
            "ecology",
            "沿黄生态绿道和滩区亲水设施",
            "Yellow River greenway and floodplain waterfront facilities",
            "building",
            q("000", 51, 0),
            GREENWAY,
        ),
        a(
            "agreement-green-lung",
            "ecology",
            "联通沿黄生态绿道和湿地公园,打造省会经济圈生态绿肺",
            "Join the greenway and wetland parks into the circle's green lung",
            "building",
            q("000", 51, 1, 2),
            GREENWAY,
        ),
        a(
            "agreement-eco-coordination",
            "ecology",
            "完善跨区域生态环境保护统筹协调和应急处理机制",
            "Cross-region coordination and emergency response for the environment",
            "advancing",
            q("000", 51, 3),
        ),
        a(
            "agreement-eco-planning",
            "ecology",
            "推动重大生态工程统一规划",
            "Plan major ecological works together",
            "advancing",
            q("000", 51, 4, end="统一规划"),
        ),
        a(
            "agreement-pollution-control",
            "ecology",
            "水污染、大气污染联防联控",
            "Joint prevention and control of water and air pollution",
            "advancing",
            q("000", 51, 4, start="水污染"),
        ),
        a(
            "agreement-hazardous-waste",
            "ecology",
            "建立两地危废、医废处置互备机制",
            "Mutual backup for hazardous and medical waste disposal",
            "building",
            q("000", 51, 5),
        ),
        a(
            "agreement-school-exchange",
            "education",
            "鼓励两市学校合作交流",
            "Cooperation and exchange between schools",
            "supported",
            q("000", 45, 0),
        ),
        a(
            "agreement-teacher-platform",
            "education",
            "搭建校长、教师交流互通平台",
            "A platform for exchanging head teachers and teachers",
            "building",
            q("000", 45, 1),
        ),
        a(
            "agreement-training-mechanism",
            "education",
            "完善挂职锻炼培训机制和培训资源共享长效机制",
            "Secondment training and shared training resources",
            "advancing",
            q("000", 45, 2),
        ),
        a(
            "agreement-medical-alliance",
            "health",
            "共同打造济淄医联体和专科联盟",
            "A Jinan–Zibo medical consortium and specialist alliances",
            "building",
            q("000", 45, 3),
        ),
        a(
            "agreement-referral-telemedicine",
            "health",
            "建立快速转诊、远程医疗等合作机制",
            "Fast referral and telemedicine cooperation",
            "building",
            q("000", 45, 4),
        ),
        a(
            "agreement-health-information",
            "health",
            "推进全民健康信息平台互联互通",
            "Interconnect the population health information platforms",
            "advancing",
            q("000", 45, 5),
        ),
        a(
            "agreement-test-results",
            "health",
            "电子病历、医学检验检查结果互通互认",
            "Mutual recognition of medical records, lab and examination results",
            "advancing",
            q("000", 53, 0),
        ),
        a(
            "agreement-health-big-data",
            "health",
            "发挥国家健康医疗大数据北方中心优势",
            "Use the national health and medical big-data north centre",
            "advancing",
            q("000", 53, 1),
            ["medical-health-big-data-north-centre"],
        ),
        a(
            "agreement-zibo-regional-medical-centre",
            "health",
            "支持淄博市中心医院建设省级区域医疗中心",
            "Zibo Central Hospital as a provincial regional medical centre",
            "supported",
            q("000", 53, 2),
            ["medical-zibo-central-hospital"],
        ),
        a(
            "agreement-employment-platform",
            "employment",
            "建设统一的就业服务信息管理平台",
            "One employment-service information platform",
            "building",
            q("000", 53, 3),
        ),
        a(
            "agreement-employment-registration",
            "employment",
            "就业失业登记等就业服务同城化",
            "Same-city employment services such as (un)employment registration",
            "advancing",
            q("000", 53, 4),
        ),
        a(
            "agreement-job-fairs",
            "employment",
            "联合举办跨区域招聘洽谈会",
            "Joint cross-region job fairs",
            "implementing",
            q("000", 53, 5),
        ),
        a(
            "agreement-emergency-linkage",
            "emergency",
            "建立完善重大突发事件应急联动机制",
            "Emergency linkage for disasters, public-health and public-safety events",
            "building",
            q("000", 49, 0),
        ),
        a(
            "agreement-rescue-services",
            "emergency",
            "加强救援服务体系",
            "Strengthen rescue services",
            "advancing",
            q("000", 49, 1),
        ),
        a(
            "agreement-credit-integration",
            "credit",
            "推进信用体系一体化,信用平台信息共享",
            "Integrated credit system with shared credit-platform data",
            "advancing",
            q("000", 49, 2, 3),
        ),
        a(
            "agreement-blacklist",
            "credit",
            "建立生产安全事故、重大突发事件“黑名单”定期通报制度",
            "Regular exchange of “blacklists” for safety accidents and major emergencies",
            "building",
            q("000", 49, 4),
        ),
        a(
            "agreement-joint-sanctions",
            "credit",
            "加大失信联合惩戒",
            "Stronger joint sanctions for broken trust",
            "advancing",
            q("000", 49, 5),
        ),
        a(
            "agreement-household-policy",
            "household_registration",
            "加强两市户籍政策衔接和规划",
            "Align household-registration policies and planning",
            "advancing",
            q("000", 49, 6),
        ),
        a(
            "agreement-household-windows",
            "household_registration",
            "推动户籍窗口交流沟通",
            "Exchange between household-registration service windows",
            "advancing",
            q("000", 55, 1),
        ),
        a(
            "agreement-residence-registration",
            "household_registration",
            "试行以经常居住地登记户口制度",
            "Trial of registering residence where people usually live",
            "exploring",
            q("000", 55, 2),
        ),
        a(
            "agreement-free-migration",
            "household_registration",
            "全面放开户口迁移限制",
            "Lift all limits on moving household registration",
            "implementing",
            q("000", 55, 3),
        ),
        a(
            "agreement-joint-enforcement",
            "market_ip",
            "加强市场监管和联合执法合作",
            "Market supervision and joint law enforcement",
            "advancing",
            q("000", 55, 4),
        ),
        a(
            "agreement-ip-protection",
            "market_ip",
            "强化知识产权联合保护",
            "Joint protection of intellectual property",
            "advancing",
            q("000", 55, 5),
        ),
        a(
            "agreement-ip-circuit-court",
            "market_ip",
            "支持设立济南市中级人民法院知识产权庭淄博巡回法庭",
            "A Zibo circuit court of the Jinan Intermediate Court's IP tribunal",
            "supported",
            q("000", 55, 6),
            ["court-ip-tribunal-zibo-circuit"],
        ),
        # --- circle-wide "369" action plan (000) ----------------------------------------
        plan369(
            "plan369-action-plan",
            "planning",
            "实施省会经济圈一体化发展“369”行动方案",
            "The “369” action plan: 3 activities, 6 projects, 9 goals",
            "implementing",
            q("000", 59, 2, 3),
        ),
        plan369(
            "plan369-reception-hall",
            "investment",
            "“京沪会客厅”正式启用",
            "The circle's “Beijing–Shanghai reception hall” opens",
            "launched",
            q("000", 59, 5),
        ),
        plan369(
            "plan369-reception-hall-purpose",
            "investment",
            "“京沪会客厅”吸引集聚京津冀、长三角高端资源",
            "The reception hall draws high-end resources of Beijing–Tianjin–Hebei and "
            "the Yangtze delta",
            "launched",
            q("000", 61, 1, 3),
        ),
        plan369(
            "plan369-activity-multinationals-shanghai",
            "investment",
            "省会经济圈与跨国公司(上海)合作交流",
            "Activity: cooperation exchange with multinationals (Shanghai)",
            "implementing",
            q("000", 63, 1, start="省会经济圈与跨国", end="合作交流"),
        ),
        plan369(
            "plan369-activity-central-soe-beijing",
            "investment",
            "“新发展·新格局·新济南”北京推介会暨与央企(北京)合作交流",
            "Activity: Beijing promotion and cooperation exchange with central SOEs",
            "implementing",
            q("000", 63, 1, start="“新发展", end="(北京)合作交流"),
        ),
        plan369(
            "plan369-activity-rcep-japan-korea",
            "investment",
            "“面向RCEP、抱团出海、深耕日韩”联合招商推介会",
            "Activity: joint investment fair facing RCEP, Japan and Korea",
            "implementing",
            q("000", 63, 1, start="省会经济圈“面向RCEP", end="推介会"),
        ),
        plan369(
            "plan369-project-transport",
            "transport",
            "交通互联互通工程",
            "Project: transport interconnection",
            "implementing",
            q("000", 63, 3, start="交通互联", end="互通工程"),
        ),
        plan369(
            "plan369-project-science-platforms",
            "science",
            "省会高端科技创新平台共享工程",
            "Project: sharing the capital's high-end science platforms",
            "implementing",
            q("000", 63, 3, start="省会高端", end="共享工程"),
        ),
        plan369(
            "plan369-project-social-security",
            "social_security",
            "社会保障联动提升工程",
            "Project: linked social security",
            "implementing",
            q("000", 63, 3, start="社会保障", end="提升工程"),
        ),
        plan369(
            "plan369-project-culture-tourism",
            "culture_tourism",
            "文化旅游“十个一”工程",
            "Project: the “ten ones” of culture and tourism",
            "implementing",
            q("000", 63, 3, start="文化旅游", end="“十个一”工程"),
        ),
        plan369(
            "plan369-project-free-trade-zones",
            "market",
            "自贸试验区联动创新工程",
            "Project: linked innovation of the free trade zones",
            "implementing",
            q("000", 63, 3, start="自贸试验区", end="创新工程"),
            ["ftz-jinan-area"],
        ),
        plan369(
            "plan369-project-green-demonstration",
            "ecology",
            "绿色一体化发展示范区建设工程",
            "Project: a green integrated-development demonstration area",
            "implementing",
            q("000", 63, 3, start="绿色一体化"),
        ),
        plan369(
            "plan369-goal-one-plan",
            "planning",
            "规划编制共绘一幅图:共同编制“十四五”一体化发展规划",
            "Goal: one map — a joint 14th Five-Year integration plan",
            "advancing",
            q("000", 67, 1, 3),
        ),
        plan369(
            "plan369-goal-one-network",
            "transport",
            "交通设施共织一张网:“四网融合”轨道交通,“一环十射”高铁网",
            "Goal: one network — four-network rail, a ring-and-ten-spokes high-speed rail web",
            "advancing",
            q("000", 67, 4, 6),
        ),
        plan369(
            "plan369-goal-one-road",
            "science",
            "科技创新共闯一条路:区域性科创中心、区域创新共同体",
            "Goal: one road — a regional science centre and innovation community",
            "advancing",
            q("000", 67, 7, 9),
        ),
        plan369(
            "plan369-goal-one-base",
            "industry",
            "产业发展共强一基地:世界级产业基地",
            "Goal: one base — capital HQ and R&D, surrounding manufacturing; a world-class "
            "industrial base",
            "advancing",
            q("000", 67, 10, 12),
        ),
        plan369(
            "plan369-goal-one-stage",
            "culture_tourism",
            "文化旅游共唱一台戏:公共文化服务一体化",
            "Goal: one stage — shared galleries, museums, libraries, cultural venues",
            "advancing",
            q("000", 67, 13, 15),
        ),
        plan369(
            "plan369-goal-one-code",
            "public_services",
            "公共服务共扫一个码:社保信息共享、“一网通办”、“一卡通办”",
            "Goal: one code — shared social insurance data, one-stop online services, one card",
            "advancing",
            q("000", 67, 16, 19),
        ),
        plan369(
            "plan369-goal-one-market",
            "market",
            "要素资源共下一盘棋:统一大市场",
            "Goal: one chessboard — fair-competition review, a unified market",
            "advancing",
            q("000", 67, 20, 22),
        ),
        plan369(
            "plan369-goal-one-ledger",
            "ecology",
            "生态环保共算一本账:依托国家生态环境大数据超算云中心",
            "Goal: one ledger — environmental data pooled on the national supercomputing cloud",
            "advancing",
            q("000", 67, 23, 26),
            ["computing-eco-environment-cloud"],
        ),
        plan369(
            "plan369-goal-one-brand",
            "market",
            "市场开放共打一牌:“放管服”改革、“一照多址、一证多址”",
            "Goal: one brand — streamlined administration, one licence for many sites",
            "advancing",
            q("000", 67, 27, 30),
        ),
    ]


def milestones() -> list[dict[str, Any]]:
    """The timeline of both sources, 2013 to 2021-02-19."""

    def m(  # noqa: PLR0917 (one table row per call)
        mid: str,
        date: str,
        end: str | None,
        precision: str,
        zh: str,
        en: str,
        src: str,
        quote: str,
        also: list[tuple[str, str]] | None = None,
    ) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": mid,
            "date": date,
            "end_date": end,
            "date_precision": precision,
            "text_zh": zh,
            "text_en": en,
            "source": SOURCES[src],
            "quote": quote,
        }
        if also:
            row["also_in"] = [{"source": SOURCES[s], "quote": t} for s, t in also]
        return row

    return [
        m(
            "2013-one-plus-six-plan",
            "2013-01-01",
            None,
            "year",
            "山东省政府提出以济南为核心的“1+6”省会经济圈发展规划",
            "Shandong proposes the “1+6” provincial capital economic circle plan around Jinan",
            "000",
            q("000", 23, 0),
        ),
        m(
            "2020-06-08-guidance",
            "2020-06-08",
            None,
            "day",
            "《关于加快省会经济圈一体化发展的指导意见》发布,提出“一群两心三圈”",
            "Guidance on faster circle integration issued: “one cluster, two cores, three circles”",
            "000",
            q("000", 25, 0, 1),
        ),
        m(
            "2020-07-02-first-joint-conference",
            "2020-07-02",
            None,
            "day",
            "工作部署会暨第一次联席会议召开,审议通过工作要点、战略合作框架协议、联席会议制度",
            "First joint conference: 2020 work points, framework agreement and conference system "
            "approved",
            "003",
            q("003", 4, 2, 4),
            [
                ("000", q("000", 27, 0, 1)),
                ("003", q("003", 5, 0, 99, start="On July 2, 2020", end="were approved.")),
            ],
        ),
        m(
            "2020-07-cooperation-meetings",
            "2020-07-09",
            "2020-08-07",
            "day",
            "济南—淄博、济南—聊城、济南—东营、济南—滨州合作推进会先后召开",
            "Cooperation meetings of Jinan with Zibo, Liaocheng, Dongying and Binzhou",
            "000",
            q("000", 29, 0),
        ),
        m(
            "2020-11-30-plenary",
            "2020-11-30",
            "2020-12-02",
            "day",
            "省委十一届十二次全会在济南举行,明确提出实施“强省会”战略",
            "Provincial Party plenary in Jinan launches the “strong provincial capital” strategy",
            "003",
            q("003", 2, 0, 2),
            [("003", q("003", 5, 0, 99, start="From November 30", end="Strong” strategy."))],
        ),
        m(
            "2021-02-02-government-work-report",
            "2021-02-02",
            None,
            "day",
            "山东省政府工作报告明确提出“强省会”战略",
            "Shandong's government work report restates the strong-capital strategy",
            "003",
            q("003", 2, 3, 4),
            [("003", q("003", 5, 0, 99, start="Such a strategy", end="February 2, 2021."))],
        ),
        m(
            "2021-02-06-second-joint-conference",
            "2021-02-06",
            None,
            "day",
            "第二次联席会召开,济南、淄博签订同城化建设战略合作协议",
            "Second joint conference; Jinan and Zibo sign the same-city agreement",
            "000",
            q("000", 31, 0, 1),
        ),
        m(
            "2021-02-06-plan-369-reception-hall",
            "2021-02-06",
            None,
            "day",
            "公布“369”行动方案,“京沪会客厅”正式启用",
            "The “369” action plan announced; the “Beijing–Shanghai reception hall” opens",
            "000",
            q("000", 59, 0, 5),
        ),
        m(
            "2021-02-19-jinan-implementation-opinions",
            "2021-02-19",
            None,
            "day",
            "《中共济南市委济南市人民政府关于贯彻落实强省会战略的实施意见》印发",
            "Jinan's implementation opinions on the strong-capital strategy published",
            "003",
            q("003", 3, 1, 2),
            [("003", q("003", 5, 0, 99, start="On February 19, 2021", end="was published"))],
        ),
    ]


def _dump(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    outputs = {
        Path(settings.DATA_DIR) / "measures.json": _dump(measures()),
        Path(settings.DATA_DIR) / "milestones.json": _dump(milestones()),
    }
    stale = [p for p, text in outputs.items() if not p.is_file() or p.read_text("utf-8") != text]
    if check:
        for path in stale:
            print(f"{path}: differs from what the script builds")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(measures())} measures, {len(milestones())} milestones")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
