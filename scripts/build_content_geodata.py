"""Build the content layers: ``geodata/projects.geojson``, ``geodata/corridors.geojson``.

Also writes the gazetteer they are drawn from, ``data/places.json`` (every
named place with its WGS-84 coordinate and provenance). Source of truth for
those three files; rerun after the base layers change::

    .venv/bin/python scripts/build_content_geodata.py            # write
    .venv/bin/python scripts/build_content_geodata.py --check    # compare, write nothing

How geometries are drawn (never invented beyond what is said in each note):

* A place known to a district or county is the *visual centre* (pole of
  inaccessibility, computed in UTM 50N metres, 100 m tolerance) of that
  county's polygon in ``geodata/counties.geojson``; a place known only to a
  city outside the circle is the visual centre of the city polygon in
  ``geodata/context.geojson``. A place known only to a circle city is put at
  the visual centre of that city's central district (Jinan: Lixia, Zibo:
  Zhangdian), and the note says so.
* One landmark has a published coordinate (Jinan Yaoqiang airport), noted in
  the gazetteer with its provenance.
* Planned lines whose route is not public are ``schematic``: straight
  segments between their named end points and named intermediate places.
* The Binzhou–Linyi railway leaves the circle: the whole line is one feature
  and its in-circle part a second, derived feature (``part_of``) cut by the
  union of the seven city polygons.
* The Yellow River greenway is the river line of ``geodata/yellow_river.geojson``
  cut, per circle city, by the city polygon widened by 2 km (so a stretch where
  the river is the border between two cities belongs to both: each bank). The
  margin absorbs the up-to-2 km gap between the approximate river line and the
  county borders drawn on the real river; 1 km still splits it into slivers.

Every property follows ``docs/DATA_MODEL.md``; quotes are copied from the seed
texts by :func:`build_content_tables.q`. Coordinates are EPSG:4326 degrees
rounded to 1e-5.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from build_content_tables import S0, q
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, Point, mapping, shape
from shapely.ops import polylabel, unary_union

from circlemap import settings, vocab

GREENWAY_BUFFER_M = 2000.0
"""How far (metres) beyond a city's polygon the river still counts as that city's.

The base river line is approximate; 2 km keeps one unbroken stretch per city."""

LABEL_TOLERANCE_M = 100.0
"""Tolerance of the visual-centre (polylabel) search, metres."""

_TO_METRIC = Transformer.from_crs(settings.STORAGE_CRS, settings.METRIC_CRS, always_xy=True)
_TO_DEGREES = Transformer.from_crs(settings.METRIC_CRS, settings.STORAGE_CRS, always_xy=True)


def _metric(geom: Any) -> Any:
    """``geom`` from EPSG:4326 degrees to UTM 50N metres."""
    return shapely.transform(
        geom, lambda xy: np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1]))
    )


def _degrees(geom: Any) -> Any:
    """``geom`` from UTM 50N metres to EPSG:4326 degrees."""
    return shapely.transform(
        geom, lambda xy: np.column_stack(_TO_DEGREES.transform(xy[:, 0], xy[:, 1]))
    )


def _round(geom: Any) -> Any:
    return shapely.set_precision(geom, 10**-settings.COORD_PRECISION)


@cache
def _layer(name: str) -> dict[str, Any]:
    return json.loads((Path(settings.GEODATA_DIR) / name).read_text(encoding="utf-8"))


def _polygon(layer: str, key: str, value: str) -> Any:
    for feature in _layer(layer)["features"]:
        if feature["properties"][key] == value:
            return shape(feature["geometry"])
    msg = f"{layer}: no feature with {key}={value!r}"
    raise KeyError(msg)


def _visual_centre(polygon: Any) -> Point:
    metric = _metric(polygon)
    if metric.geom_type == "MultiPolygon":
        metric = max(metric.geoms, key=lambda g: g.area)
    return _degrees(polylabel(metric, tolerance=LABEL_TOLERANCE_M))


# --- gazetteer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A named place: where it is and how we know."""

    id: str
    name_zh: str
    name_en: str
    point: Point
    provenance: str


def _county_place(pid: str, adcode: str) -> Place:
    props = next(
        f["properties"]
        for f in _layer("counties.geojson")["features"]
        if f["properties"]["adcode"] == adcode
    )
    point = _round(_visual_centre(_polygon("counties.geojson", "adcode", adcode)))
    return Place(
        pid,
        props["name_zh"],
        props["name_en"],
        point,
        f"visual centre of county {adcode} ({props['name_zh']}) in geodata/counties.geojson",
    )


def _context_city_place(pid: str, zh: str) -> Place:
    city = vocab.CITY_BY_ZH[zh]
    point = _round(_visual_centre(_polygon("context.geojson", "name_zh", zh)))
    return Place(
        pid,
        zh,
        city.en,
        point,
        f"visual centre of city {city.adcode} ({zh}) in geodata/context.geojson",
    )


@cache
def places() -> dict[str, Place]:
    """The gazetteer, keyed by place id."""
    found = [
        _county_place("lixia", "370102"),
        _county_place("changqing", "370113"),
        _county_place("zhangqiu", "370114"),
        _county_place("zhangdian", "370303"),
        _county_place("zhoucun", "370306"),
        _county_place("gaoqing", "370322"),
        _county_place("bincheng", "371602"),
        _county_place("huimin", "371621"),
        _context_city_place("linyi", "临沂"),
        Place(
            "jinan-yaoqiang-airport",
            "济南遥墙国际机场",
            "Jinan Yaoqiang International Airport",
            Point(117.21583, 36.8575),
            "airport reference point 36°51′27″N 117°12′57″E (WGS-84) as published for ZSJN/TNA; "
            "about 1 km accuracy",
        ),
    ]
    return {p.id: p for p in found}


def _pt(pid: str) -> Point:
    return places()[pid].point


def _line(*pids: str) -> LineString:
    return LineString([_pt(p) for p in pids])


def _via(*pids: str, lang: str) -> str:
    sep = "—" if lang == "zh" else " – "
    return sep.join(getattr(places()[p], f"name_{lang}") for p in pids)


# --- features --------------------------------------------------------------------------------


def _rounded(coords: Any) -> Any:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), settings.COORD_PRECISION) for c in coords[:2]]
    return [_rounded(c) for c in coords]


def _feature(geom: Any, **props: Any) -> dict[str, Any]:
    props.setdefault("source", S0)
    geometry = mapping(_round(geom))
    geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _schematic(pids: tuple[str, ...], extra_zh: str = "", extra_en: str = "") -> dict[str, str]:
    return {
        "geometry_accuracy": "schematic",
        "accuracy_note_zh": (
            f"示意走向:线路未公布,按{_via(*pids, lang='zh')}直线连接绘制。{extra_zh}"
        ),
        "accuracy_note_en": (
            f"Schematic: the route is not public; drawn as straight segments "
            f"{_via(*pids, lang='en')}. {extra_en}"
        ).strip(),
    }


def _approx(pid: str, zh: str, en: str) -> dict[str, str]:
    place = places()[pid]
    return {
        "geometry_accuracy": "approximate",
        "accuracy_note_zh": f"大致位置:{zh}标在{place.name_zh}的几何中心。",
        "accuracy_note_en": (
            f"Approximate: {en} The marker is the visual centre of {place.name_en}."
        ),
    }


JINAN_ONLY = ("来源只说在济南,未给出具体地点;", "The sources place it only in Jinan.")
ZIBO_ONLY = ("来源只说在淄博,未给出具体地点;", "The sources place it only in Zibo.")


def project_features() -> list[dict[str, Any]]:
    """Transport links and sites the sources name (``geodata/projects.geojson``)."""
    feats: list[dict[str, Any]] = []
    add = feats.append

    path = ("zhangdian", "jinan-yaoqiang-airport")
    add(
        _feature(
            _line(*path),
            id="rail-zibo-yaoqiang-airport",
            name_zh="淄博至济南遥墙机场轨道交通",
            name_en="Zibo–Jinan Yaoqiang Airport rail link",
            kind="rail",
            status="planning",
            cities=["淄博", "济南"],
            **_schematic(path, "淄博端取张店区。", "The Zibo end is taken at Zhangdian District."),
            quote=q("000", 73, 0, end="遥墙机场"),
        )
    )
    path = ("zhangdian", "zhangqiu", "lixia")
    add(
        _feature(
            _line(*path),
            id="rail-zibo-zhangqiu-jinan",
            name_zh="淄博经章丘至济南轨道交通",
            name_en="Zibo–Zhangqiu–Jinan rail transit",
            kind="rail",
            status="planning",
            cities=["淄博", "济南"],
            **_schematic(
                path,
                "章丘为来源所列途经地;两端取城市中心区。",
                "Zhangqiu is the via-point the source names; the ends are the city centres.",
            ),
            quote=q("000", 73, 0, start="淄博经章丘"),
        )
    )
    path = ("bincheng", "zhangdian", "linyi")
    full = _line(*path)
    binlin = {
        "kind": "rail",
        "status": "preliminary",
        "quote": q("000", 73, 1),
        **_schematic(
            path,
            "途经淄博依据公开规划报道,非来源所述;临沂端取临沂市几何中心。",
            "The via-point Zibo follows public planning reports, not the sources; "
            "the Linyi end is the visual centre of Linyi city.",
        ),
    }
    add(
        _feature(
            full,
            id="rail-binzhou-linyi",
            name_zh="滨临高铁",
            name_en="Binzhou–Linyi high-speed railway",
            cities=["滨州", "淄博", "临沂"],
            **binlin,
        )
    )
    circle = unary_union([shape(f["geometry"]) for f in _layer("cities.geojson")["features"]])
    inside = full.intersection(circle)
    section = {**binlin}
    section["accuracy_note_zh"] += "本段为全线在省会经济圈七市范围内的部分(按城市边界裁切)。"
    section["accuracy_note_en"] += (
        " This is the part of the whole line inside the seven circle cities (cut by their borders)."
    )
    add(
        _feature(
            shapely.line_merge(inside) if inside.geom_type == "MultiLineString" else inside,
            id="rail-binzhou-linyi-circle-section",
            name_zh="滨临高铁(省会经济圈段)",
            name_en="Binzhou–Linyi high-speed railway (section in the circle)",
            cities=["滨州", "淄博"],
            part_of="rail-binzhou-linyi",
            **section,
        )
    )
    path = ("zhangqiu", "zhoucun")
    add(
        _feature(
            _line(*path),
            id="road-jingshi-east-extension",
            name_zh="经十路东延工程",
            name_en="Jingshi Road eastward extension",
            kind="road",
            status="implementing",
            cities=["济南", "淄博"],
            **_schematic(
                path,
                "来源未给出起止点:按济南东部的章丘区向东至相邻的淄博周村区示意,属推断。",
                "The source names no end points: drawn from Zhangqiu (eastern Jinan) to the "
                "adjoining Zhoucun District of Zibo, an inference.",
            ),
            quote=q("000", 73, 2),
        )
    )
    path = ("huimin", "gaoqing")
    add(
        _feature(
            _line(*path),
            id="bridge-huimin-gaoqing",
            name_zh="惠高黄河大桥",
            name_en="Huimin–Gaoqing Yellow River bridge",
            kind="bridge",
            status="planning",
            cities=["滨州", "淄博"],
            **_schematic(
                path,
                "桥位未公布;示意线在两县之间跨越黄河(惠民属滨州,高青属淄博)。",
                "The bridge site is not public; the line crosses the Yellow River between the "
                "two counties (Huimin in Binzhou, Gaoqing in Zibo).",
            ),
            quote=q("000", 73, 4, start="惠高"),
        )
    )
    path = ("lixia", "zhangdian")
    add(
        _feature(
            _line(*path),
            id="bus-jinan-zibo",
            name_zh="济淄城际公交一体化",
            name_en="Jinan–Zibo intercity bus integration",
            kind="bus",
            status="advancing",
            cities=["济南", "淄博"],
            **_schematic(
                path,
                "来源未列线路,仅示意两市中心区之间的联系。",
                "The source names no routes; the line only links the two city centres.",
            ),
            quote=q("000", 75, 1),
        )
    )

    zhoucun = _polygon("counties.geojson", "adcode", "370306")
    add(
        _feature(
            zhoucun,
            id="pilot-zone-zhoucun",
            name_zh="周村区济淄同城化先行先试区",
            name_en="Zhoucun Jinan–Zibo same-city pilot zone",
            kind="pilot_zone",
            status="supported",
            cities=["淄博"],
            geometry_accuracy="approximate",
            accuracy_note_zh="大致范围:来源以周村区整体为先行先试区,按周村区行政边界绘制。",
            accuracy_note_en="Approximate: the source names Zhoucun District as the pilot zone; "
            "drawn as the district boundary.",
            quote=q("000", 79, 0, start="支持"),
        )
    )
    add(
        _feature(
            _pt("zhoucun"),
            id="park-zhoucun-new-materials",
            name_zh="周村区新材料产业园区",
            name_en="Zhoucun new-materials industrial park",
            kind="industrial_park",
            status="advancing",
            cities=["淄博"],
            **_approx(
                "zhoucun",
                "来源只说在周村区,园区位置未给出;",
                "The source places the park only in Zhoucun District.",
            ),
            quote=q("000", 79, 1),
        )
    )
    add(
        _feature(
            _pt("zhangdian"),
            id="science-zibo-two-cities-one-valley",
            name_zh="淄博“两城一谷”(科学城、大学城、创新谷)",
            name_en="Zibo science city, university city and innovation valley",
            kind="science",
            status="advancing",
            cities=["淄博"],
            **_approx(
                "zhangdian",
                "来源未给出三个片区的位置,标在淄博中心城区;",
                "The sources do not locate the three areas; marked in Zibo's central district.",
            ),
            quote=q("000", 85, 2, start="淄博“两城一谷”", end="创新谷)"),
        )
    )
    path = ("changqing", "lixia", "zhangqiu")
    add(
        _feature(
            _line(*path),
            id="science-qilu-corridor",
            name_zh="齐鲁科创大走廊",
            name_en="Qilu science and innovation corridor",
            kind="science",
            status="implementing",
            cities=["济南"],
            **_schematic(
                path,
                "走廊在济南自西向东的走向依据公开规划描述,非来源所述。",
                "Its west–east course through Jinan follows public planning descriptions, "
                "not the sources.",
            ),
            quote=q("000", 85, 0),
        )
    )
    path = ("zhangqiu", "zhoucun", "zhangdian")
    add(
        _feature(
            _line(*path),
            id="science-qilu-corridor-east-extension",
            name_zh="齐鲁科创大走廊东延",
            name_en="Qilu science and innovation corridor, eastward extension",
            kind="science",
            status="implementing",
            cities=["济南", "淄博"],
            **_schematic(
                path,
                "自走廊东端向东连至淄博“两城一谷”(来源所述的链接对象)。",
                "From the corridor's east end to Zibo's science city, university city and "
                "innovation valley, which the source says it links.",
            ),
            quote=q("000", 85, 0),
        )
    )
    add(
        _feature(
            _pt("lixia"),
            id="computing-china-computing-valley",
            name_zh="中国算谷",
            name_en="China Computing Valley",
            kind="computing",
            status="advancing",
            cities=["济南"],
            **_approx("lixia", *JINAN_ONLY),
            quote=q("000", 87, 2),
        )
    )
    add(
        _feature(
            _pt("zhangdian"),
            id="computing-zibo-industrial-computing-centre",
            name_zh="中国产业算力中心(淄博)",
            name_en="China industrial computing-power centre (Zibo)",
            kind="computing",
            status="supported",
            cities=["淄博"],
            **_approx("zhangdian", *ZIBO_ONLY),
            quote=q("000", 87, 3),
        )
    )
    add(
        _feature(
            _pt("lixia"),
            id="computing-eco-environment-cloud",
            name_zh="国家生态环境大数据超算云中心",
            name_en="National ecological-environment big-data supercomputing cloud centre",
            kind="computing",
            status="advancing",
            cities=["济南"],
            **_approx(
                "lixia",
                "来源未给出位置;其设在济南依据公开报道(依托国家超级计算济南中心),非来源所述;",
                "The sources give no location; that it is in Jinan (with the National "
                "Supercomputing Center in Jinan) follows public reports, not the sources.",
            ),
            quote=q("000", 67, 24),
        )
    )
    add(
        _feature(
            _pt("lixia"),
            id="medical-health-big-data-north-centre",
            name_zh="国家健康医疗大数据北方中心",
            name_en="National health and medical big-data north centre",
            kind="medical",
            status="advancing",
            cities=["济南"],
            **_approx(
                "lixia",
                "来源未给出位置;其设在济南依据公开报道,非来源所述;",
                "The sources give no location; that it is in Jinan follows public reports, "
                "not the sources.",
            ),
            quote=q("000", 53, 1),
        )
    )
    add(
        _feature(
            _pt("zhangdian"),
            id="medical-zibo-central-hospital",
            name_zh="淄博市中心医院(省级区域医疗中心)",
            name_en="Zibo Central Hospital (provincial regional medical centre)",
            kind="medical",
            status="supported",
            cities=["淄博"],
            **_approx(
                "zhangdian",
                "医院位于张店区(公开地址),未取精确坐标;",
                "The hospital is in Zhangdian District (public address); no exact coordinate used.",
            ),
            quote=q("000", 53, 2),
        )
    )
    add(
        _feature(
            _pt("zhangdian"),
            id="court-ip-tribunal-zibo-circuit",
            name_zh="济南中院知识产权庭淄博巡回法庭",
            name_en="Zibo circuit court of the Jinan Intermediate Court's IP tribunal",
            kind="court",
            status="supported",
            cities=["淄博"],
            **_approx("zhangdian", *ZIBO_ONLY),
            quote=q("000", 55, 6),
        )
    )
    add(
        _feature(
            _pt("lixia"),
            id="ftz-jinan-area",
            name_zh="中国(山东)自由贸易试验区济南片区",
            name_en="China (Shandong) Pilot Free Trade Zone, Jinan Area",
            kind="free_trade_zone",
            status="supported",
            cities=["济南"],
            **_approx("lixia", "来源未给出片区范围;", "The sources give no extent of the area."),
            quote=q("000", 81, 5),
        )
    )
    for city, pid, en in (("济南", "lixia", "Jinan"), ("淄博", "zhangdian", "Zibo")):
        add(
            _feature(
                _pt(pid),
                id=f"energy-hydrogen-demo-{en.lower()}",
                name_zh=f"济淄氢能开发利用示范城市({city})",
                name_en=f"Jinan–Zibo hydrogen demonstration cities ({en})",
                kind="energy",
                status="building",
                cities=[city],
                **_approx(pid, "示范覆盖全市;", "The demonstration covers the whole city."),
                quote=q("000", 75, 4),
            )
        )
    add(
        _feature(
            _pt("zhangdian"),
            id="agri-zibo-digital-agriculture-city",
            name_zh="淄博国家数字农业农村中心城市",
            name_en="Zibo, national digital agriculture and rural centre city",
            kind="agriculture",
            status="building",
            cities=["淄博"],
            **_approx("zhangdian", "称号覆盖全市;", "The designation covers the whole city."),
            quote=q("000", 79, 3),
        )
    )
    return feats


GREENWAY_NOTE_ZH = (
    "大致位置:沿黄河中心线(底图黄河图层,本身为大致位置)绘制;绿道实际沿堤布设,具体线位未公布。"
    "按城市边界外扩2公里裁切,黄河为界的河段两市各计一岸。"
)
GREENWAY_NOTE_EN = (
    "Approximate: drawn along the Yellow River centre line of the base layer (itself "
    "approximate); the greenway runs along the embankments and its exact course is not "
    "public. Cut by the city border widened by 2 km, so a stretch where the river is the "
    "border counts for both cities (one bank each)."
)
GREEN_LUNG_ZH = (
    "联通沿黄生态绿道、滩区亲水设施和湿地公园,打造省会经济圈“生态绿肺”。"
    "来源未点名具体湿地公园或亲水设施,故未单独标注。"
)
GREEN_LUNG_EN = (
    "The greenway, floodplain waterfront facilities and wetland parks joined into the "
    "circle's “ecological green lung”. The sources name no particular wetland park or "
    "waterfront site, so none is marked separately."
)


def corridor_features() -> list[dict[str, Any]]:
    """Green corridors along the Yellow River (``geodata/corridors.geojson``)."""
    river_feature = _layer("yellow_river.geojson")["features"][0]
    river = _metric(shape(river_feature["geometry"]))
    feats = []
    for zh in river_feature["properties"]["cities"]:
        city = vocab.CITY_BY_ZH[zh]
        polygon = _metric(_polygon("cities.geojson", "name_zh", zh)).buffer(GREENWAY_BUFFER_M)
        piece = river.intersection(polygon)
        if piece.is_empty:
            continue
        if piece.geom_type == "MultiLineString":
            piece = shapely.line_merge(piece)
        piece = _degrees(piece)
        if piece.geom_type not in ("LineString", "MultiLineString"):
            lines = [g for g in getattr(piece, "geoms", []) if g.geom_type == "LineString"]
            piece = MultiLineString(lines)
        feats.append(
            _feature(
                piece,
                id=f"greenway-yellow-river-{city.en.lower().replace(chr(39), '')}",
                name_zh=f"沿黄生态绿道({zh}段)",
                name_en=f"Yellow River ecological greenway ({city.en})",
                kind="greenway",
                status="building",
                cities=[zh],
                geometry_accuracy="approximate",
                accuracy_note_zh=GREENWAY_NOTE_ZH,
                accuracy_note_en=GREENWAY_NOTE_EN,
                quote=q("000", 51, 1, 2),
                description_zh=GREEN_LUNG_ZH,
                description_en=GREEN_LUNG_EN,
            )
        )
    mouth = Point(river_feature["geometry"]["coordinates"][-1])
    feats.append(
        _feature(
            mouth,
            id="delta-yellow-river-mouth",
            name_zh="黄河三角洲(入海口)",
            name_en="Yellow River Delta (river mouth)",
            kind="delta",
            status="implementing",
            cities=["东营"],
            geometry_accuracy="approximate",
            accuracy_note_zh="大致位置:标在底图黄河图层的入海端点(东营);三角洲范围未绘出。",
            accuracy_note_en=(
                "Approximate: marked at the seaward end of the base-layer Yellow River "
                "(Dongying); the delta's extent is not drawn."
            ),
            quote=q("000", 43, 0),
            description_zh="来源未点名黄河三角洲;此点表示黄河流域生态保护与修复在省会经济圈的入海端。",
            description_en="The sources do not name the delta; this marks the seaward end, in the "
            "circle, of the Yellow River basin protection and restoration works.",
        )
    )
    return feats


def _collection(features: list[dict[str, Any]]) -> str:
    fc = {"type": "FeatureCollection", "features": features}
    return json.dumps(fc, ensure_ascii=False, indent=1) + "\n"


def _gazetteer() -> str:
    rows = [
        {
            "id": p.id,
            "name_zh": p.name_zh,
            "name_en": p.name_en,
            "lon": round(p.point.x, settings.COORD_PRECISION),
            "lat": round(p.point.y, settings.COORD_PRECISION),
            "crs": settings.STORAGE_CRS,
            "provenance": p.provenance,
        }
        for p in places().values()
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    outputs = {
        Path(settings.DATA_DIR) / "places.json": _gazetteer(),
        Path(settings.GEODATA_DIR) / "projects.geojson": _collection(project_features()),
        Path(settings.GEODATA_DIR) / "corridors.geojson": _collection(corridor_features()),
    }
    stale = [p for p, text in outputs.items() if not p.is_file() or p.read_text("utf-8") != text]
    if check:
        for path in stale:
            print(f"{path}: differs from what the script builds")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
