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

from circlemap import cli, errors, settings, validate


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the repository's data layout (``geodata/``, ``data/``)."""
    shutil.copytree(settings.GEODATA_DIR, tmp_path / "geodata")
    shutil.copytree(settings.DATA_DIR, tmp_path / "data")
    return tmp_path


def edit(path: Path, change: Callable[[Any], None]) -> None:
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
    assert out[0].startswith("OK: 8 file(s) valid")


def test_invalid_json(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.json"
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    message = only_failure(repo_copy, "measures.json")
    assert "measures.json: invalid JSON" in message
    assert "line" in message


def test_missing_field(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "projects.geojson"
    edit(path, lambda d: feature(d, "bus-jinan-zibo")["properties"].pop("status"))
    message = only_failure(repo_copy, "projects.geojson")
    assert (
        "projects.geojson: feature 'bus-jinan-zibo': field 'status': required field is missing"
        in message
    )


def test_unknown_city(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.json"
    edit(path, lambda d: row(d, "agreement-job-fairs")["cities"].append("上海"))
    message = only_failure(repo_copy, "measures.json")
    assert "feature 'agreement-job-fairs': field 'cities.2': unknown city '上海'" in message
    assert "expected one of 济南" in message


def test_duplicate_id_within_a_file(repo_copy: Path) -> None:
    path = repo_copy / "data" / "milestones.json"
    edit(path, lambda d: d.append(dict(d[0])))
    message = only_failure(repo_copy, "milestones.json")
    assert "feature '2013-one-plus-six-plan': field 'id': duplicate id" in message


def test_duplicate_id_across_layers(repo_copy: Path) -> None:
    path = repo_copy / "geodata" / "corridors.geojson"
    edit(
        path,
        lambda d: feature(d, "delta-yellow-river-mouth")["properties"].update(id="bus-jinan-zibo"),
    )
    failures = {Path(f.file).name: str(f) for f in problems(repo_copy)}
    # the renamed feature's old id is now a dangling link of the measures too
    assert set(failures) == {"corridors.geojson", "measures.json"}
    assert "links unknown feature 'delta-yellow-river-mouth'" in failures["measures.json"]
    message = failures["corridors.geojson"]
    assert "feature 'bus-jinan-zibo': field 'id': duplicate id (also in" in message
    assert "projects.geojson" in message


def test_dangling_link(repo_copy: Path) -> None:
    path = repo_copy / "data" / "measures.json"
    edit(path, lambda d: row(d, "agreement-job-fairs")["features"].append("rail-nowhere"))
    message = only_failure(repo_copy, "measures.json")
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
    path = repo_copy / "data" / "measures.json"
    edit(path, lambda d: row(d, "agreement-job-fairs").update(quote="联合举办跨区域招聘会"))
    message = only_failure(repo_copy, "measures.json")
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

    edit(repo_copy / "data" / "measures.json", break_twice)
    [failure] = problems(repo_copy)
    assert {(fid, name) for fid, name, _ in failure.problems} == {
        ("agreement-job-fairs", "status"),
        ("agreement-ip-protection", "category"),
    }


def test_cli_exits_non_zero_on_broken_data(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo_copy / "data" / "measures.json", lambda d: row(d, "agreement-job-fairs").pop("quote"))
    assert cli.main(["validate", str(repo_copy)]) == 1
    out = capsys.readouterr().out
    assert "feature 'agreement-job-fairs': field 'quote': required field is missing" in out
    assert out.strip().splitlines()[-1] == "1 problem(s) in 1 of 8 file(s)"


def test_cli_accepts_single_files(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    measures = repo_copy / "data" / "measures.json"
    assert cli.main(["validate", str(measures)]) == 0
    edit(measures, lambda d: row(d, "agreement-job-fairs")["features"].append("rail-nowhere"))
    # links of a lone measures file are checked against the repository's layers
    assert cli.main(["validate", str(measures)]) == 1
    assert "rail-nowhere" in capsys.readouterr().out


def test_cli_rejects_unknown_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.json"
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
        repo_copy / "data" / "measures.json",
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
        repo_copy / "data" / "measures.json", lambda d: row(d, "agreement-job-fairs").pop("status")
    )
    broken = command(repo_copy)
    assert broken.returncode == 1
    assert "feature 'agreement-job-fairs': field 'status'" in broken.stdout
