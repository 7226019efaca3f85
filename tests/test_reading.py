"""Tests of circlemap.reading: every broken data file is one clear problem, never a traceback.

Each test breaks one copy of a repository file the way a hostile or careless
edit would, and checks what ``circlemap validate`` and the loader report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from circlemap import catalog, cli, errors, settings, validate


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    shutil.copytree(settings.GEODATA_DIR, tmp_path / "geodata")
    shutil.copytree(settings.DATA_DIR, tmp_path / "data")
    return tmp_path


def message_of(path: Path) -> str:
    """The validator's report of one file (it must have problems)."""
    checked = validate.check_file(path)
    assert checked.problems, path
    return str(errors.DataValidationError(validate.display_path(path), checked.problems))


def loader_message(root: Path) -> str:
    with pytest.raises(errors.DataValidationError) as caught:
        catalog.load_catalog(geodata_dir=root / "geodata", data_dir=root / "data")
    return str(caught.value)


def cli_output(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["validate", str(root)]) == 1
    return capsys.readouterr().out


# --- nesting ---------------------------------------------------------------------------------


def test_deeply_nested_json_is_a_problem_not_a_recursion_error(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    path.write_text("[" * 100_000, encoding="utf-8")
    assert "nested 100000 levels deep (expected at most 32" in message_of(path)
    assert "projects.geojson: nested 100000 levels deep" in loader_message(repo_copy)
    assert "projects.geojson: nested 100000 levels deep" in cli_output(repo_copy, capsys)


def test_brackets_inside_json_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    path = tmp_path / "projects.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "name": "[" * 100, "features": []}), "utf-8"
    )
    assert validate.check_file(path).problems == []


def test_deeply_nested_yaml_flow_is_a_problem(repo_copy: Path) -> None:
    path = repo_copy / "data" / "milestones.yaml"
    path.write_text("[" * 900 + "]" * 900, encoding="utf-8")  # libyaml alone allows 1000
    assert "milestones.yaml: nested 33 levels deep (expected at most 32" in message_of(path)
    path.write_text("[" * 100_000, encoding="utf-8")  # past libyaml's own limit
    assert "milestones.yaml: line 1: invalid YAML: exceeded maximum nesting" in message_of(path)


def test_deeply_nested_yaml_blocks_are_a_problem(repo_copy: Path) -> None:
    path = repo_copy / "data" / "milestones.yaml"
    path.write_text("".join(f"{'  ' * i}k{i}:\n" for i in range(200)) + "  " * 200 + "x\n")
    assert "nested 33 levels deep" in message_of(path)


def test_yaml_alias_bomb_is_refused(repo_copy: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)
    ]
    path = repo_copy / "data" / "milestones.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = message_of(path)
    assert "milestones.yaml: line 1: YAML anchors and aliases" in message
    assert "milestones.yaml: line 1: YAML anchors" in loader_message(repo_copy)


# --- bytes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "text"),
    [
        ("geodata/projects.geojson", ""),
        ("geodata/projects.geojson", " \n\n"),
        ("data/measures.yaml", ""),
        ("data/measures.yaml", "# only a comment\n"),
    ],
)
def test_empty_file_says_it_is_empty(repo_copy: Path, relative: str, text: str) -> None:
    path = repo_copy / relative
    path.write_text(text, encoding="utf-8")
    assert f"{path.name}: empty file (expected data)" in message_of(path)


@pytest.mark.parametrize("relative", ["geodata/projects.geojson", "data/measures.yaml"])
def test_byte_order_mark_is_rejected_with_the_fix(repo_copy: Path, relative: str) -> None:
    path = repo_copy / relative
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    message = message_of(path)
    assert f"{path.name}: line 1: starts with a UTF-8 byte-order mark (BOM)" in message
    assert "save as 'UTF-8', not 'UTF-8 with BOM'" in message


@pytest.mark.parametrize("relative", ["geodata/projects.geojson", "data/measures.yaml"])
def test_gbk_bytes_name_line_and_encoding(repo_copy: Path, relative: str) -> None:
    path = repo_copy / relative
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gbk", errors="replace"))
    line = text[: text.index("济南")].count("\n") + 1 if "济南" in text else None
    message = message_of(path)
    assert "not UTF-8 text: byte " in message
    assert "expected UTF-8, e.g. not GBK" in message
    if line is not None:
        first_cjk = next(i for i, ch in enumerate(text) if ord(ch) > 127)
        assert f"line {text[:first_cjk].count(chr(10)) + 1}:" in message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(repo_copy: Path, constant: str) -> None:
    path = repo_copy / "geodata" / "cities.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    area = data["features"][0]["properties"]["area_km2"]
    path.write_text(text.replace(f'"area_km2": {area}', f'"area_km2": {constant}', 1), "utf-8")
    assert f"{constant.lstrip('-')} is not a JSON number" in message_of(path)


def test_duplicate_json_key_is_rejected(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"kind":', '"kind": "rail", "kind":', 1), encoding="utf-8")
    assert "duplicate key 'kind' in one JSON object" in message_of(path)


# --- unknown members -------------------------------------------------------------------------


def test_unknown_base_layer_property_is_rejected(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "cities.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["population"] = 1
    fid = data["features"][0]["properties"]["id"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert f"feature {fid!r}: field 'population': unknown field" in message_of(path)


def test_unknown_feature_and_collection_members_are_rejected(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["crs"] = {"type": "name"}
    data["features"][0]["style"] = {"color": "red"}
    fid = data["features"][0]["properties"]["id"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    message = message_of(path)
    assert "projects.geojson: field 'crs': unknown member" in message
    assert f"feature {fid!r}: field 'style': unknown member" in message


def test_unknown_record_field_is_rejected(repo_copy: Path) -> None:
    path = repo_copy / "data" / "milestones.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("- id: ")
    end = text.index("\n", first)
    path.write_text(text[:end] + "\n  colour: red" + text[end:], encoding="utf-8")
    assert "field 'colour': unknown field" in message_of(path)


# --- size limits -----------------------------------------------------------------------------


def test_file_too_large(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = repo_copy / "geodata" / "counties.geojson"
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 100_000)
    size = path.stat().st_size
    assert f"file too large: {size:,} bytes (expected at most 100,000 bytes" in message_of(path)


def test_default_file_limit_refuses_a_huge_file(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    with path.open("wb") as out:
        out.truncate(settings.MAX_FILE_BYTES + 1)  # sparse: no need to write it all
    assert "file too large" in message_of(path)


def test_too_many_features_in_a_layer(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = repo_copy / "geodata" / "counties.geojson"
    count = len(json.loads(path.read_text(encoding="utf-8"))["features"])
    monkeypatch.setattr(settings, "MAX_LAYER_FEATURES", count - 1)
    assert f"{count} features (expected at most {count - 1} per layer" in message_of(path)


def test_too_many_vertices_in_a_layer(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shapely
    import shapely.geometry

    path = repo_copy / "geodata" / "counties.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    count = sum(
        shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"])) for f in features
    )
    monkeypatch.setattr(settings, "MAX_LAYER_VERTICES", 1_000)
    assert f"{count:,} vertices (expected at most 1,000 per layer" in message_of(path)


def test_too_many_records_in_a_table(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "MAX_TABLE_RECORDS", 3)
    assert "records (expected at most 3, settings.MAX_TABLE_RECORDS)" in message_of(
        repo_copy / "data" / "milestones.yaml"
    )


def test_build_script_reads_through_the_same_reader(
    repo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import runpy

    (repo_copy / "geodata" / "counties.geojson").write_text("[" * 100_000, encoding="utf-8")
    monkeypatch.setattr(settings, "GEODATA_DIR", repo_copy / "geodata")
    monkeypatch.setattr(settings, "DATA_DIR", repo_copy / "data")
    module = runpy.run_path(str(settings.ROOT / "scripts" / "build_content_geodata.py"))
    module["_layer"].cache_clear()
    with pytest.raises(errors.CircleMapError, match="nested 100000 levels deep"):
        module["_layer"]("counties.geojson")


def test_console_script_reports_a_hostile_file_without_a_traceback(repo_copy: Path) -> None:
    import subprocess
    import sys

    (repo_copy / "geodata" / "projects.geojson").write_text("[" * 100_000, encoding="utf-8")
    (repo_copy / "data" / "places.yaml").write_bytes(b"\xef\xbb\xbf" + b"- id: x\n")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "circlemap"), "validate", str(repo_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "projects.geojson: nested 100000 levels deep" in result.stdout
    assert "places.yaml: line 1: starts with a UTF-8 byte-order mark" in result.stdout
