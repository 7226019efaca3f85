"""Tests of circlemap.validate: broken copies of the repository data are rejected.

Each test copies ``geodata/`` and ``data/`` into ``tmp_path``, breaks one
thing, and checks that the validator names the file, the feature id and the
field.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from circlemap import cli, datafiles, errors, settings, validate


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the repository's data layout (``geodata/``, ``data/``)."""
    shutil.copytree(settings.GEODATA_DIR, tmp_path / "geodata")
    shutil.copytree(settings.DATA_DIR, tmp_path / "data")
    return tmp_path


def edit(path: Path, change: Callable[[Any], None]) -> None:
    """Change a data file in place: YAML tables or GeoJSON layers."""
    if path.suffix == ".yaml":
        data = datafiles.read_yaml(path)
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def feature(data: dict[str, Any], fid: str) -> dict[str, Any]:
    return next(f for f in data["features"] if f["properties"]["id"] == fid)


def row(data: list[dict[str, Any]], rid: str) -> dict[str, Any]:
    return next(r for r in data if r["id"] == rid)


def problems(root: Path) -> list[errors.DataValidationError]:
    return validate.validate_files(validate.expand_paths([root]))


def only_failure(root: Path, file_name: str) -> str:
    failures = problems(root)
    assert [Path(f.file).name for f in failures] == [file_name]
    return str(failures[0])


def test_repository_data_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate.validate_files(validate.repository_files().values()) == []
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("OK: 16 file(s) valid")


def test_invalid_yaml(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8")
    message = only_failure(repo_copy, "measures.yaml")
    assert "measures.yaml: line " in message
    assert "invalid YAML" in message


def test_invalid_json(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    failures = {Path(f.file).name: str(f) for f in problems(repo_copy)}
    # the measures' links to the unreadable layer's features dangle too
    assert set(failures) == {"projects.geojson", "measures.yaml"}
    message = failures["projects.geojson"]
    assert "projects.geojson: invalid JSON" in message
    assert "line" in message


def test_duplicate_key_is_rejected_with_its_line(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "- id: agreement-job-fairs\n"
    path.write_text(text.replace(marker, marker + "  status: building\n"), encoding="utf-8")
    line = text[: text.index(marker)].count("\n") + 2
    message = only_failure(repo_copy, "measures.yaml")
    assert (
        f"measures.yaml: line {line + 6}: duplicate key 'status' (first at line {line}" in message
    )


def test_missing_field(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    edit(path, lambda d: feature(d, "bus-jinan-zibo")["properties"].pop("status"))
    message = only_failure(repo_copy, "projects.geojson")
    assert (
        "projects.geojson: feature 'bus-jinan-zibo': field 'status': required field is missing"
        in message
    )


def test_unknown_city(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    edit(path, lambda d: row(d, "agreement-job-fairs")["cities"].append("上海"))
    message = only_failure(repo_copy, "measures.yaml")
    assert "feature 'agreement-job-fairs': field 'cities.2': unknown city '上海'" in message
    assert "expected one of 济南" in message


def test_duplicate_id_within_a_file(repo_copy: Path) -> None:
    path = repo_copy / "data" / "milestones.yaml"
    edit(path, lambda d: d.append(dict(d[0])))
    message = only_failure(repo_copy, "milestones.yaml")
    assert "feature '2013-one-plus-six-plan': field 'id': duplicate id" in message


def test_duplicate_id_across_layers(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "corridors.geojson"
    edit(
        path,
        lambda d: feature(d, "greenway-yellow-river-jinan-zibo")["properties"].update(
            id="bus-jinan-zibo"
        ),
    )
    failures = {Path(f.file).name: str(f) for f in problems(repo_copy)}
    # the renamed feature's old id is now a dangling link of the measures too
    assert set(failures) == {"corridors.geojson", "measures.yaml"}
    assert "links unknown feature 'greenway-yellow-river-jinan-zibo'" in failures["measures.yaml"]
    message = failures["corridors.geojson"]
    assert "feature 'bus-jinan-zibo': field 'id': duplicate id (also in" in message
    assert "projects.geojson" in message


def test_dangling_link(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    edit(
        path,
        lambda d: row(d, "agreement-job-fairs").setdefault("features", []).append("rail-nowhere"),
    )
    message = only_failure(repo_copy, "measures.yaml")
    assert (
        "feature 'agreement-job-fairs': field 'features': links unknown feature 'rail-nowhere'"
        in message
    )


def test_dangling_part_of(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    edit(
        path,
        lambda d: feature(d, "rail-binzhou-linyi-circle-section")["properties"].update(
            part_of="rail-x"
        ),
    )
    message = only_failure(repo_copy, "projects.geojson")
    assert "field 'part_of': links unknown feature 'rail-x'" in message


def test_self_intersecting_polygon(repo_copy: Path) -> None:
    bow_tie = [[[117.8, 36.8], [117.9, 36.9], [117.9, 36.8], [117.8, 36.9], [117.8, 36.8]]]
    path = repo_copy / "geodata" / "projects.geojson"
    edit(
        path,
        lambda d: feature(d, "pilot-zone-zhoucun").update(
            geometry={"type": "Polygon", "coordinates": bow_tie}
        ),
    )
    message = only_failure(repo_copy, "projects.geojson")
    assert (
        "feature 'pilot-zone-zhoucun': field 'geometry': invalid Polygon: Self-intersection"
        in message
    )


def test_swapped_lon_lat(repo_copy: Path) -> None:
    def swap(data: dict[str, Any]) -> None:
        geometry = feature(data, "medical-zibo-central-hospital")["geometry"]
        lon, lat = geometry["coordinates"]
        geometry["coordinates"] = [lat, lon]

    edit(repo_copy / "geodata" / "projects.geojson", swap)
    message = only_failure(repo_copy, "projects.geojson")
    assert "feature 'medical-zibo-central-hospital': field 'geometry': coordinate" in message
    assert "looks like swapped lon/lat" in message


def test_web_mercator_metres(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    edit(
        path,
        lambda d: feature(d, "ftz-jinan-area")["geometry"].update(
            coordinates=[13042000.0, 4387000.0]
        ),
    )
    message = only_failure(repo_copy, "projects.geojson")
    assert "feature 'ftz-jinan-area': field 'geometry'" in message
    assert "not degrees" in message


def test_context_layers_may_leave_shandong_but_not_the_context_box(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "places.geojson"
    # Cangzhou (Hebei) lies north of the region of the content layers, inside the context box
    assert validate.validate_files([path]) == []
    edit(path, lambda d: feature(d, "place-130900")["geometry"].update(coordinates=[125.0, 36.0]))
    message = only_failure(repo_copy, "places.geojson")
    assert "feature 'place-130900': field 'geometry': coordinate [125.0, 36.0]" in message
    assert "lon 112.5..123.0, lat 33.5..40.5" in message


def test_unknown_place_rank(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "places.geojson"
    edit(path, lambda d: feature(d, "place-130900")["properties"].update(rank="village"))
    message = only_failure(repo_copy, "places.geojson")
    assert "feature 'place-130900': field 'rank'" in message


def test_script_in_a_name(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    edit(
        path,
        lambda d: feature(d, "bus-jinan-zibo")["properties"].update(
            name_en="<script>alert(1)</script>"
        ),
    )
    message = only_failure(repo_copy, "projects.geojson")
    assert "feature 'bus-jinan-zibo': field 'name_en': markup is not allowed" in message


def test_quote_not_in_source(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    edit(path, lambda d: row(d, "agreement-job-fairs").update(quote="联合举办跨区域招聘会"))
    message = only_failure(repo_copy, "measures.yaml")
    assert "feature 'agreement-job-fairs': field 'quote':" in message
    assert "not a verbatim substring of 000_62d8a2b4d5d19bc4.txt" in message


def test_wrong_geometry_type(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    edit(
        path,
        lambda d: feature(d, "ftz-jinan-area").update(
            geometry={"type": "MultiPoint", "coordinates": [[117.0, 36.6]]}
        ),
    )
    message = only_failure(repo_copy, "projects.geojson")
    assert "field 'geometry': geometry type 'MultiPoint' not allowed" in message


def test_every_problem_of_a_file_is_reported(repo_copy: Path) -> None:
    def break_twice(data: list[dict[str, Any]]) -> None:
        row(data, "agreement-job-fairs")["status"] = "finished"
        row(data, "agreement-ip-protection")["category"] = "law"

    edit(repo_copy / "data" / "measures.yaml", break_twice)
    [failure] = problems(repo_copy)
    assert {(fid, name) for fid, name, _ in failure.problems} == {
        ("agreement-job-fairs", "status"),
        ("agreement-ip-protection", "category"),
    }


def test_cli_exits_non_zero_on_broken_data(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo_copy / "data" / "measures.yaml", lambda d: row(d, "agreement-job-fairs").pop("quote"))
    assert cli.main(["validate", str(repo_copy)]) == 1
    out = capsys.readouterr().out
    assert "feature 'agreement-job-fairs': field 'quote': required field is missing" in out
    assert out.strip().splitlines()[-1] == "1 problem(s) in 1 of 16 file(s)"


def test_cli_accepts_single_files(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    measures = repo_copy / "data" / "measures.yaml"
    assert cli.main(["validate", str(measures)]) == 0
    edit(
        measures,
        lambda d: row(d, "agreement-job-fairs").setdefault("features", []).append("rail-nowhere"),
    )
    # links of a lone measures file are checked against the repository's layers
    assert cli.main(["validate", str(measures)]) == 1
    assert "rail-nowhere" in capsys.readouterr().out


def test_cli_rejects_unknown_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.yaml"
    notes.write_text("[]", encoding="utf-8")
    assert cli.main(["validate", str(notes)]) == 1
    assert "unknown data file name" in capsys.readouterr().out


def test_add_arguments_parses_paths() -> None:
    parser = argparse.ArgumentParser()
    cli.add_validate_arguments(parser)
    assert parser.parse_args([]).paths == []
    assert parser.parse_args(["a.json", "b"]).paths == ["a.json", "b"]


def test_missing_seeds_dir_skips_quote_check(
    repo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(
        repo_copy / "data" / "measures.yaml",
        lambda d: row(d, "agreement-job-fairs").update(quote="x"),
    )
    assert problems(repo_copy)
    monkeypatch.setattr(settings, "SEEDS_DIR", tmp_path / "no-seeds")
    assert problems(repo_copy) == []


def test_command_line_exit_codes(repo_copy: Path) -> None:
    def command(*paths: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "circlemap", "validate", *map(str, paths)],
            cwd=settings.ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    assert command(repo_copy).returncode == 0
    edit(
        repo_copy / "data" / "measures.yaml", lambda d: row(d, "agreement-job-fairs").pop("status")
    )
    broken = command(repo_copy)
    assert broken.returncode == 1
    assert "feature 'agreement-job-fairs': field 'status'" in broken.stdout


# --- content checks across files ------------------------------------------------------------


def test_geometry_crossing_a_city_missing_from_cities(repo_copy: Path) -> None:
    # the Jinan-Zibo bus drawn straight between the two city centres cuts through Zouping
    def straight(data: dict[str, Any]) -> None:
        geometry = feature(data, "bus-jinan-zibo")["geometry"]
        geometry["coordinates"] = [geometry["coordinates"][0], geometry["coordinates"][-1]]

    edit(repo_copy / "geodata" / "projects.geojson", straight)
    message = only_failure(repo_copy, "projects.geojson")
    assert (
        "projects.geojson: feature 'bus-jinan-zibo': field 'cities': the geometry crosses "
        "滨州 (Binzhou), missing from 'cities'" in message
    )


def test_measure_and_feature_disagree_on_cities(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    edit(path, lambda d: row(d, "agreement-huimin-gaoqing-bridge").update(cities=["济南", "淄博"]))
    message = only_failure(repo_copy, "measures.yaml")
    assert (
        "measures.yaml: feature 'agreement-huimin-gaoqing-bridge': field 'cities': feature "
        "'bridge-huimin-gaoqing' lies in 滨州, missing from the measure's cities" in message
    )


def test_quote_fragments_out_of_order(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    edit(path, lambda d: row(d, "agreement-s317-reroute").update(quote=["同推进S317改线", "共"]))
    message = only_failure(repo_copy, "measures.yaml")
    assert "measures.yaml: feature 'agreement-s317-reroute': field 'quote': fragment 2" in message
    assert "expected verbatim fragments in source order" in message


def test_quote_fragment_not_in_source(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    edit(path, lambda d: row(d, "agreement-s317-reroute").update(quote=["共", "同推进S318改线"]))
    message = only_failure(repo_copy, "measures.yaml")
    assert "fragment 2 '同推进S318改线' is not a verbatim substring of the source" in message


def test_english_quote_must_be_verbatim(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    edit(path, lambda d: row(d, "strong-capital-strategy").update(quote_en="Jinan is strong."))
    message = only_failure(repo_copy, "measures.yaml")
    assert "feature 'strong-capital-strategy': field 'quote_en'" in message


def test_generated_layer_behind_its_yaml(repo_copy: Path) -> None:
    path = repo_copy / "data" / "projects.yaml"
    edit(path, lambda d: row(d, "bus-jinan-zibo").update(name_en="Jinan–Zibo buses"))
    message = only_failure(repo_copy, "projects.geojson")
    assert (
        "feature 'bus-jinan-zibo': field 'name_en': differs from data/projects.yaml (name_en): "
        "run scripts/build_content_geodata.py" in message
    )


def test_place_outside_its_county(repo_copy: Path) -> None:
    path = repo_copy / "data" / "places.yaml"
    edit(path, lambda d: row(d, "zhoucun-south").update(lon=117.6))
    message = only_failure(repo_copy, "places.yaml")
    assert (
        "places.yaml: feature 'zhoucun-south': field 'lon': [117.6, 36.705] lies outside" in message
    )


def test_project_record_names_an_unknown_place(repo_copy: Path) -> None:
    path = repo_copy / "data" / "projects.yaml"
    edit(path, lambda d: row(d, "bus-jinan-zibo")["geometry"].update(line=["lixia", "nowhere"]))
    message = only_failure(repo_copy, "projects.yaml")
    assert "feature 'bus-jinan-zibo': field 'geometry': unknown place 'nowhere'" in message


def test_unknown_source_names_the_sources_file(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.yaml"
    edit(path, lambda d: row(d, "agreement-job-fairs").update(source="999_fixture.txt"))
    message = only_failure(repo_copy, "measures.yaml")
    assert "field 'source': unknown source '999_fixture.txt'" in message
    assert "data/sources.yaml" in message


@pytest.mark.parametrize(
    ("mid", "quote", "expected"),
    [
        ("agreement-s317-reroute", "同推进S317改线", "starts mid-sentence at line 75"),
        ("agreement-shared-platforms", "推进两市平台", "stops where line 79 breaks off"),
        (
            "agreement-greenway-waterfront",
            ["修复工程,共建", "联通沿黄生态绿道和湿地公园"],
            "fragment 2 '联通沿黄生态绿道和湿地公园' is not found after fragment 1",
        ),
        (
            "agreement-household-policy",
            ["加强两市户籍", "检查结果跨地区、跨机构互通互认"],
            "fragments 1 and 2 do not meet at a column break of the source",
        ),
    ],
)
def test_quote_cut_at_a_column_break(
    repo_copy: Path, mid: str, quote: str | list[str], expected: str
) -> None:
    edit(repo_copy / "data" / "measures.yaml", lambda d: row(d, mid).update(quote=quote))
    message = only_failure(repo_copy, "measures.yaml")
    assert f"feature '{mid}': field 'quote':" in message
    assert expected in message


# --- the validator never says OK when it did not check ---------------------------------------


def test_missing_source_texts_fail_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(settings, "SEEDS_DIR", tmp_path / "no-seeds")
    assert cli.main(["validate"]) == 1
    captured = capsys.readouterr()
    assert "OK" not in captured.out
    assert "the source texts are missing" in captured.err
    assert str(tmp_path / "no-seeds") in captured.err
    assert "--skip-quotes" in captured.err


def test_skip_quotes_is_said_in_the_ok_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(settings, "SEEDS_DIR", tmp_path / "no-seeds")
    assert cli.main(["validate", "--skip-quotes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ")
    assert "file(s) valid" in out
    assert "quotes NOT checked" in out


def test_skip_quotes_really_skips_and_the_default_really_checks(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        repo_copy / "data" / "measures.yaml",
        lambda d: row(d, "agreement-job-fairs").update(quote="x"),
    )
    assert cli.main(["validate", str(repo_copy)]) == 1
    assert "agreement-job-fairs" in capsys.readouterr().out
    assert cli.main(["validate", "--skip-quotes", str(repo_copy)]) == 0
    assert "quotes NOT checked" in capsys.readouterr().out


def test_ok_line_says_what_the_quotes_were_checked_against(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["validate"]) == 0
    assert f"quotes checked against {settings.SEEDS_DIR}" in capsys.readouterr().out


def _gcj(lon: float, lat: float) -> list[float]:
    from circlemap import crs

    x, y = crs.wgs84_to_gcj02(lon, lat)
    return [round(float(x), 5), round(float(y), 5)]


def _shift_coordinates(coords: Any) -> Any:
    if coords and isinstance(coords[0], int | float):
        return _gcj(coords[0], coords[1])
    return [_shift_coordinates(c) for c in coords]


@pytest.mark.parametrize("layer", ["corridors.geojson", "projects.geojson"])
def test_gcj02_shifted_layer_is_rejected(repo_copy: Path, layer: str) -> None:
    def shift(data: dict[str, Any]) -> None:
        for f in data["features"]:
            f["geometry"]["coordinates"] = _shift_coordinates(f["geometry"]["coordinates"])

    edit(repo_copy / "geodata" / layer, shift)
    failures = {Path(f.file).name: str(f) for f in problems(repo_copy)}
    assert f"{layer}: field 'geometry': coordinates look GCJ-02-shifted" in failures[layer]


def test_gcj02_shifted_places_are_rejected(repo_copy: Path) -> None:
    def shift(data: list[dict[str, Any]]) -> None:
        for place in data:
            place["lon"], place["lat"] = _gcj(place["lon"], place["lat"])

    edit(repo_copy / "data" / "places.yaml", shift)
    failures = {Path(f.file).name: str(f) for f in problems(repo_copy)}
    assert "places.yaml: field 'lon': coordinates look GCJ-02-shifted" in failures["places.yaml"]


def test_a_non_gcj_offset_is_not_called_gcj(repo_copy: Path) -> None:
    # the same ~500 m but due south: a mistake of another kind, not a GCJ-02 copy
    def shift(data: dict[str, Any]) -> None:
        def move(coords: Any) -> Any:
            if coords and isinstance(coords[0], int | float):
                return [coords[0], round(coords[1] - 0.0045, 5)]
            return [move(c) for c in coords]

        for f in data["features"]:
            f["geometry"]["coordinates"] = move(f["geometry"]["coordinates"])

    edit(repo_copy / "geodata" / "corridors.geojson", shift)
    assert "GCJ-02" not in " ".join(str(f) for f in problems(repo_copy))


def test_point_outside_the_cities_it_names(repo_copy: Path) -> None:
    moved = {}

    def move(data: dict[str, Any]) -> None:
        point = next(
            f
            for f in data["features"]
            if f["geometry"]["type"] == "Point" and f["properties"]["cities"] == ["淄博"]
        )
        point["geometry"]["coordinates"] = [116.35, 36.45]  # in Liaocheng
        moved["id"] = point["properties"]["id"]

    edit(repo_copy / "geodata" / "projects.geojson", move)
    failures = {Path(f.file).name: str(f) for f in problems(repo_copy)}
    assert (
        f"feature {moved['id']!r}: field 'geometry': point [116.35, 36.45] lies outside the "
        "cities it names (淄博 (Zibo))" in failures["projects.geojson"]
    )
