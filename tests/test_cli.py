"""Tests of circlemap.cli: the export command (validate's are in test_validate.py)."""

from __future__ import annotations

import geopandas as gpd
import pytest

from circlemap import cli, settings
from circlemap.catalog import Catalog
from tests.export.support import (
    export_catalog,
    pdf_text,
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return export_catalog()


@pytest.fixture
def cli_catalog(monkeypatch, catalog):
    monkeypatch.setattr(cli, "_load_catalog", lambda: catalog)
    return catalog


def test_cli_writes_the_file(cli_catalog, tmp_path, capsys):
    out = tmp_path / "out.geojson"
    code = cli.main(
        ["export", "--city", "淄博", "--kind", "rail,road", "--lang", "en",
         "--format", "geojson", "-o", str(out)]
    )  # fmt: skip
    assert code == 0
    frame = gpd.read_file(out)
    assert set(frame["id"]) == {"rail-zibo-airport", "road-jingshi-east"}
    assert str(out) in capsys.readouterr().out


def test_cli_infers_the_format_and_accepts_english_city_names(cli_catalog, tmp_path):
    out = tmp_path / "measures.csv"
    assert cli.main(["export", "--city", "Jinan", "--city", "zibo", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_default_name_is_the_suggested_one(cli_catalog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["export", "--kind", "rail", "--format", "csv", "--date", "2026-11-22"]) == 0
    assert (tmp_path / "circle-map_circle_rail_zh_2026-11-22.csv").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--city", "上海"], "unknown city '上海'"),
        (["--format", "docx"], "unknown format 'docx'"),
        (["--kind", "rocket"], "unknown kind 'rocket'"),
        (["--lang", "fr"], "unknown language 'fr'"),
        (["--date", "22/11/2026"], "bad --date"),
        (["-o", "/no/such/folder/out.pdf"], "folder '/no/such/folder' does not exist"),
        (["--basemap", "mars"], "unknown basemap 'mars' for --basemap (expected one of none, osm"),
        (["--view", "timeline"], "unknown view 'timeline' (expected one of overview, transport"),
    ],
)
def test_cli_bad_arguments_exit_non_zero_with_a_message(
    cli_catalog, tmp_path, capsys, argv, message
):
    argv = ["export", *argv]
    if "-o" not in argv:
        argv += ["-o", str(tmp_path / "out.pdf")] if "--format" not in argv else []
    code = cli.main(argv)
    assert code != 0
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "out.pdf").exists()


def test_cli_refuses_a_directory_as_output(cli_catalog, tmp_path, capsys):
    assert cli.main(["export", "--format", "csv", "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_cli_basemap_without_its_key_still_writes_the_map(
    cli_catalog, tmp_path, monkeypatch, caplog
):
    monkeypatch.delenv(settings.TIANDITU_KEY_ENV, raising=False)
    out = tmp_path / "map.pdf"
    assert cli.main(["export", "--basemap", "tianditu", "--lang", "en", "-o", str(out)]) == 0
    assert "Tianditu) unavailable: needs a key" in pdf_text(out.read_bytes(), tmp_path)
    assert "needs a key" in caplog.text


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("png", "x.pdf"), ("pdf", "x.PNG"), ("csv", "x.geojson"), ("svg", "map.html")],
)
def test_cli_refuses_a_format_its_file_name_contradicts(cli_catalog, tmp_path, capsys, fmt, name):
    out = tmp_path / name
    assert cli.main(["export", "--format", fmt, "-o", str(out)]) == 2
    assert not out.exists()  # never PNG bytes in a .pdf
    err = capsys.readouterr().err
    assert f"--format {fmt}" in err
    assert name in err


def test_cli_format_and_a_matching_or_free_name_agree(cli_catalog, tmp_path):
    assert cli.main(["export", "--format", "csv", "-o", str(tmp_path / "a.CSV")]) == 0
    assert cli.main(["export", "--format", "geojson", "-o", str(tmp_path / "a.json")]) == 0
    assert cli.main(["export", "--format", "csv", "-o", str(tmp_path / "measures")]) == 0
    assert (tmp_path / "a.json").read_bytes().startswith(b"{")
    assert cli.main(["export", "-o", str(tmp_path / "b.geojson")]) == 0  # format from the name
    assert (tmp_path / "b.geojson").read_bytes().startswith(b"{")
