"""The repository's content traces back to the sources and covers what they name."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from circlemap import catalog, content_checks, datafiles, panels, quotes, settings, validate, vocab


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def records(name: str) -> list[dict[str, Any]]:
    return list(datafiles.read_yaml(Path(settings.DATA_DIR) / name))


def seed(source: str) -> str:
    return (Path(settings.SEEDS_DIR) / source).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load_catalog()


def all_quotes() -> list[tuple[str, str, str, Any]]:
    """(record id, field, source, quote as stored) of every quote in the hand-edited data."""
    out = []
    for name in ("projects.yaml", "measures.yaml", "milestones.yaml"):
        for r in records(name):
            out.append((r["id"], "quote", r["source"], r["quote"]))
            if r.get("quote_en"):
                out.append((r["id"], "quote_en", r["source"], r["quote_en"]))
            out.extend(
                (r["id"], "also_in", ref["source"], ref["quote"]) for ref in r.get("also_in", [])
            )
    return out


def test_every_quote_and_fragment_is_an_exact_substring_in_source_order() -> None:
    quotes_ = all_quotes()
    assert len(quotes_) > 140
    for rid, name, source, quote in quotes_:
        text = seed(source)
        parts = quotes.fragments(quote)
        for part in parts:
            assert part in text, (rid, name, part)
            # one fragment never crosses a paragraph (a column break is a new fragment)
            assert any(part in line for line in text.split("\n")), (rid, name, part)
        positions = [text.find(parts[0])]
        for part in parts[1:]:
            positions.append(text.index("\n" + part, positions[-1]) + 1)
        assert positions == sorted(positions), (rid, name)
        assert quotes.placement_problem(text, quote) is None, (rid, name)


def test_no_quote_stops_where_a_column_breaks_off() -> None:
    """A quote ending at a paragraph that breaks off mid-sentence must continue (fragments)."""
    text = seed("000_62d8a2b4d5d19bc4.txt")
    lines = text.split("\n")
    broken = {ln for ln in lines if ln and not ln.endswith(tuple("。;”"))}
    for rid, name, source, quote in all_quotes():
        if source != "000_62d8a2b4d5d19bc4.txt":
            continue
        last = quotes.fragments(quote)[-1]
        for line in broken:
            if line.endswith(last) and len(line) > 30:
                pytest.fail(f"{rid} {name}: {last!r} stops where the column breaks off")


@pytest.mark.parametrize(
    ("mid", "joined"),
    [
        ("agreement-s317-reroute", "共同推进S317改线"),
        ("agreement-shared-platforms", "推进两市平台载体共建共享"),
        (
            "agreement-zibo-two-cities-one-valley",
            "促进淄博“两城一谷”(淄博科学城、大学城、创新谷)等科创片区与齐鲁科创大走廊高效链接",
        ),
        ("agreement-household-policy", "加强两市户籍政策衔接和规划"),
        ("agreement-test-results", "推动电子病历、医学检验检查结果跨地区、跨机构互通互认"),
        ("agreement-greenway-waterfront", "共建沿黄生态绿道和滩区亲水设施"),
    ],
)
def test_sentences_split_by_column_breaks_are_whole(
    cat: catalog.Catalog, mid: str, joined: str
) -> None:
    row = cat.measures.loc[mid]
    assert len(row["quote_fragments"]) == 2
    assert row["quote"] == joined


def test_003_quotes_have_a_clean_simplified_form(cat: catalog.Catalog) -> None:
    m = cat.measures
    from_003 = m[m["source"] == "003_8ae7c7190ee9ed8c.txt"]
    assert len(from_003) >= 15
    for mid, row in from_003.iterrows():
        assert "(" not in row["quote_reader_zh"], mid
        assert row["quote_reader_zh"] == quotes.simplified(row["quote_reader_zh"]), mid
    assert m.loc["strong-capital-strategy", "quote_reader_zh"] == "全会明确提出实施“强省会”战略"
    assert m.loc["strong-capital-strategy", "quote_en"].endswith("Strong” strategy.")


def test_zh_titles_keep_the_source_words(cat: catalog.Catalog) -> None:
    """Every Chinese title, punctuation aside, is the quote's words in order (no changed word)."""
    drop = str.maketrans("", "", ",:;。、“”《》()·—「」 ")

    def subsequence(short: str, long: str) -> bool:
        it = iter(long)
        return all(ch in it for ch in short)

    for frame, field in ((cat.measures, "title_zh"), (cat.features, "name_zh")):
        for rid, row in frame.iterrows():
            # a feature's bracketed qualifier is ours: 滨临高铁(省会经济圈段)
            title = re.sub(r"\(.*?\)$", "", row[field]).translate(drop)
            assert subsequence(title, row["quote_reader_zh"].translate(drop)), (rid, row[field])


def test_english_follows_the_term_list(cat: catalog.Catalog) -> None:
    terms = records("terms.yaml")
    assert len(terms) >= 20
    pairs = [(r, "title_zh", "title_en") for _, r in cat.measures.iterrows()]
    pairs += [(r, "name_zh", "name_en") for _, r in cat.features.iterrows()]
    pairs += [(r, "text_zh", "text_en") for _, r in cat.milestones.iterrows()]
    wrong = []
    for row, zh, en in pairs:
        for term in terms:
            if term["zh"] in row[zh] and term["en"].lower() not in row[en].lower():
                wrong.append((row.name, term["zh"], term["en"], row[en]))
    assert wrong == []


def test_jinan_directions_are_jinan_s_own(cat: catalog.Catalog) -> None:
    m = cat.measures
    directions = m[m.index.str.startswith("direction-")]
    assert len(directions) == 12
    assert set(directions["scope"]) == {"jinan_directions"}
    assert set(directions["standing"]) == {"proposed"}
    conference = m[m["scope"] == "joint_conference_2020"]
    assert set(conference.index) == {
        "conference-2020-work-points",
        "conference-strategic-framework-agreement",
        "conference-joint-conference-system",
    }


def test_plans_are_not_shown_as_progress(cat: catalog.Catalog) -> None:
    m = cat.measures
    agreement = m[m["scope"] == "jinan_zibo_agreement"]
    assert set(agreement.drop("agreement-signed")["standing"]) == {"agreed"}
    assert set(m.loc[m["scope"] == "circle_369", "standing"]) <= {"announced", "done"}
    done = m[m["standing"] == "done"]
    assert set(done["status"]) <= {"signed", "launched", "approved"}
    for term in vocab.STATUSES.values():
        assert not term.en.startswith("Being"), term
    text = vocab.status_text("building", "agreed", "000_62d8a2b4d5d19bc4.txt", "en")
    assert text == "To build · agreed plan, as of Feb 2021"
    assert set(cat.features["standing"]) == {"agreed"}


def test_only_features_the_sources_name(cat: catalog.Catalog) -> None:
    f = cat.features
    assert "delta" not in set(f["kind"])
    greenways = f[f["kind"] == "greenway"]
    assert list(greenways.index) == ["greenway-yellow-river-jinan-zibo"]
    assert greenways.iloc[0]["cities"] == ("济南", "淄博")
    assert "同城化协议" in greenways.iloc[0]["description_zh"]


def test_every_city_a_feature_crosses_is_listed_and_only_those(cat: catalog.Catalog) -> None:
    polygons = content_checks.city_polygons(
        read(Path(settings.GEODATA_DIR) / "cities.geojson"),
        read(Path(settings.GEODATA_DIR) / "context.geojson"),
    )
    for fid, row in cat.features.iterrows():
        crossed = content_checks.crossed_cities(
            row.geometry, polygons, validate.CROSSING_TOLERANCE_M
        )
        touched = {c for c, poly in polygons.items() if poly.intersects(row.geometry)}
        assert set(crossed) <= set(row["cities"]) <= touched, fid
    # lines drawn between Jinan and Zibo no longer cut through Zouping (Binzhou)
    for fid in (
        "rail-zibo-yaoqiang-airport",
        "rail-zibo-zhangqiu-jinan",
        "road-jingshi-east-extension",
        "bus-jinan-zibo",
        "science-qilu-corridor-east-extension",
    ):
        assert set(cat.features.loc[fid, "cities"]) == {"济南", "淄博"}, fid
        inside = cat.features.loc[fid].geometry.intersection(polygons["滨州"])
        assert content_checks.metric(inside).length < 1.0, fid  # metres: not even a corner


def test_places_from_outside_knowledge_state_provenance_and_uncertainty() -> None:
    places = {p["id"]: p for p in records("places.yaml")}
    outside = [p for p in places.values() if p["basis"] == "outside_knowledge"]
    assert {p["id"] for p in outside} >= {
        "linyi-centre",
        "jinan-yaoqiang-airport",
        "jinan-high-tech-zone",
        "changqing-university-town",
    }
    for p in outside:
        assert p["provenance"].strip(), p["id"]
        assert p["uncertainty_m"] > 0, p["id"]


def test_bridge_ends_lie_by_the_river(cat: catalog.Catalog) -> None:
    counties = {r["name_zh"]: r.geometry for _, r in cat.counties.iterrows()}
    border = counties["惠民县"].boundary.intersection(counties["高青县"].boundary)
    bridge = cat.features.loc["bridge-huimin-gaoqing"].geometry
    start, end = (shape({"type": "Point", "coordinates": c}) for c in bridge.coords)
    assert counties["惠民县"].contains(start)
    assert counties["高青县"].contains(end)
    assert bridge.intersects(border)
    assert bridge.length < 0.06


def test_measures_cover_the_sources(cat: catalog.Catalog) -> None:
    m = cat.measures
    assert len(m) >= 100
    by_scope = Counter(m["scope"])
    assert by_scope["jinan_zibo_agreement"] >= 70
    assert by_scope["jinan_directions"] == 12
    ids = set(m.index)
    assert sum(i.startswith("plan369-activity-") for i in ids) == 3
    assert sum(i.startswith("plan369-project-") for i in ids) == 6
    assert sum(i.startswith("plan369-goal-") for i in ids) == 9
    agreement = set(m.loc[m["scope"] == "jinan_zibo_agreement", "category"])
    assert {
        "transport", "digital", "industry", "agriculture", "finance", "science",
        "culture_tourism", "ecology", "education", "health", "employment", "emergency",
        "credit", "household_registration", "market_ip",
    } <= agreement  # fmt: skip
    for mid, cities in m.loc[m["scope"] == "jinan_zibo_agreement", "cities"].items():
        assert cities[:2] == ("济南", "淄博"), mid  # the parties, then places concerned
    for mid, cities in m.loc[m["scope"] == "circle_369", "cities"].items():
        assert cities == vocab.CIRCLE_CITIES, mid


def test_named_projects_are_on_the_map(cat: catalog.Catalog) -> None:
    expected = {
        "rail-zibo-yaoqiang-airport", "rail-zibo-zhangqiu-jinan", "rail-binzhou-linyi",
        "rail-binzhou-linyi-circle-section", "road-jingshi-east-extension",
        "bridge-huimin-gaoqing", "bus-jinan-zibo", "pilot-zone-zhoucun",
        "park-zhoucun-new-materials", "science-zibo-two-cities-one-valley",
        "science-qilu-corridor", "science-qilu-corridor-east-extension",
        "computing-china-computing-valley", "computing-zibo-industrial-computing-centre",
        "computing-eco-environment-cloud", "medical-health-big-data-north-centre",
        "medical-zibo-central-hospital", "court-ip-tribunal-zibo-circuit", "ftz-jinan-area",
        "energy-hydrogen-demo-jinan", "energy-hydrogen-demo-zibo",
        "agri-zibo-digital-agriculture-city", "greenway-yellow-river-jinan-zibo",
    }  # fmt: skip
    assert expected <= set(cat.features.index)


def test_every_feature_is_linked_by_a_measure(cat: catalog.Catalog) -> None:
    unlinked = [fid for fid, ids in cat.features["measure_ids"].items() if not ids]
    assert unlinked == []


def test_greenway_follows_the_river_in_jinan_and_zibo(cat: catalog.Catalog) -> None:
    river = cat.river.geometry.iloc[0].buffer(2e-5)
    greenway = cat.features.loc["greenway-yellow-river-jinan-zibo"]
    assert greenway.geometry.within(river)
    assert greenway.geometry.length > 1.0


def test_binzhou_linyi_section_is_the_part_inside_the_circle(cat: catalog.Catalog) -> None:
    full = cat.features.loc["rail-binzhou-linyi"]
    section = cat.features.loc["rail-binzhou-linyi-circle-section"]
    assert "临沂" in full["cities"]
    assert section["part_of"] == "rail-binzhou-linyi"
    assert section.geometry.within(full.geometry.buffer(2e-5))
    circle = unary_union(list(cat.cities.geometry))
    assert section.geometry.within(circle.buffer(2e-5))
    assert not full.geometry.within(circle)


def test_points_lie_in_their_cities(cat: catalog.Catalog) -> None:
    polygons = {
        row["name_zh"]: row.geometry
        for frame in (cat.cities, cat.context)
        for _, row in frame.iterrows()
    }
    for fid, row in cat.features.iterrows():
        if row.geometry.geom_type != "Point":
            continue
        assert any(polygons[c].buffer(1e-4).contains(row.geometry) for c in row["cities"]), fid


def test_line_vertices_lie_in_their_cities(cat: catalog.Catalog) -> None:
    polygons = {
        row["name_zh"]: row.geometry for f in (cat.cities, cat.context) for _, row in f.iterrows()
    }
    touched = {}
    for fid, row in cat.features.iterrows():
        if row["geometry_accuracy"] != "schematic":
            continue
        allowed = unary_union([polygons[c] for c in row["cities"]]).buffer(1e-4)
        coords = [p for part in getattr(row.geometry, "geoms", [row.geometry]) for p in part.coords]
        touched[fid] = all(
            allowed.contains(shape({"type": "Point", "coordinates": p})) for p in coords
        )
    assert touched
    assert all(touched.values()), touched


def test_accuracy_notes_in_both_languages(cat: catalog.Catalog) -> None:
    for fid, row in cat.features.iterrows():
        assert row["accuracy_note_zh"].strip(), fid
        assert row["accuracy_note_en"].strip(), fid
    counts = Counter(cat.features["geometry_accuracy"])
    assert set(counts) <= {"approximate", "schematic"}  # nothing here is surveyed


def test_milestones_timeline(cat: catalog.Catalog) -> None:
    ms = cat.milestones
    dates = [d.date().isoformat() for d in ms["date"]]
    assert dates[0] == "2013-01-01"
    assert dates[-1] == "2021-02-19"
    assert dates == sorted(dates)
    assert {
        "2020-06-08", "2020-07-02", "2020-07-09", "2020-11-30", "2021-02-02", "2021-02-06",
    } <= set(dates)  # fmt: skip
    ranges = ms[ms["end_date"].notna()]
    assert {d.date().isoformat() for d in ranges["end_date"]} == {"2020-08-07", "2020-12-02"}
    assert ms.loc["2013-one-plus-six-plan", "date_precision"] == "year"


def test_generated_files_match_their_script() -> None:
    result = subprocess.run(
        [sys.executable, str(settings.ROOT / "scripts" / "build_content_geodata.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_build_scripts_hold_no_content() -> None:
    script = (settings.ROOT / "scripts" / "build_content_geodata.py").read_text(encoding="utf-8")
    assert not re.search(r"[\u4e00-\u9fff]{2,}", script)  # no Chinese names or quotes
    assert not re.search(r"\b1[12]\d\.\d{2,}", script)  # no longitudes
    assert not (settings.ROOT / "scripts" / "build_content_tables.py").exists()


def test_generated_layers_say_they_are_generated() -> None:
    for name in ("projects.geojson", "corridors.geojson"):
        assert "do not edit" in read(Path(settings.GEODATA_DIR) / name)["generated"]


def test_cards_show_reader_forms_with_the_verbatim_text(cat: catalog.Catalog) -> None:
    zh = panels.measure_card(cat, "strong-capital-strategy", "zh")
    assert zh.quote == "全会明确提出实施“强省会”战略"
    assert zh.quote_verbatim == "全會明確提出實施“強省會”戰(zhàn)略"
    en = panels.measure_card(cat, "strong-capital-strategy", "en")
    assert en.quote.startswith("From November 30 to December 2, 2020")
    assert en.quote_is_english
    assert en.quote_verbatim == zh.quote_verbatim
    joined = panels.measure_card(cat, "agreement-s317-reroute", "zh")
    assert joined.quote == "共同推进S317改线"
    assert joined.quote_fragments == ("共", "同推进S317改线")
    assert joined.status == "推进 · 协议约定的计划，截至2021年2月"
    plain = panels.measure_card(cat, "agreement-job-fairs", "zh")
    assert plain.quote_verbatim == ""  # nothing else to show
