"""Tests of circlemap.settings: where the app's data is found, installed or not."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from circlemap import datafiles, settings


def test_data_root_is_the_checkout_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.ROOT_ENV, raising=False)
    root = settings.data_root()
    assert (root / "app.py").is_file()
    assert (root / "geodata" / "cities.geojson").is_file()
    assert settings.GEODATA_DIR == settings.ROOT / "geodata"


def test_circlemap_root_points_the_package_at_other_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(settings.ROOT_ENV, str(tmp_path))
    assert settings.data_root() == tmp_path.resolve()


def test_the_console_script_is_installed_and_runs_the_cli() -> None:
    scripts = [
        ep for ep in metadata.entry_points(group="console_scripts") if ep.name == "circlemap"
    ]
    assert [ep.value for ep in scripts] == ["circlemap.cli:main"], "run: pip install -e ."
    command = Path(sys.executable).parent / "circlemap"
    result = subprocess.run(
        [command, "validate"], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: 16 file(s) valid")


def test_an_installed_command_reads_the_data_under_circlemap_root(tmp_path: Path) -> None:
    root = tmp_path / "site"
    for folder in ("geodata", "data"):
        shutil.copytree(settings.ROOT / folder, root / folder)
    measures = root / "data" / "measures.yaml"
    rows = datafiles.read_yaml(measures)
    rows[0]["category"] = "no-such-category"
    measures.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    result = subprocess.run(
        [Path(sys.executable).parent / "circlemap", "validate"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            settings.ROOT_ENV: str(root),
            settings.SEEDS_ENV: str(settings.SEEDS_DIR),  # not beside the copy: name them
        },
    )
    assert result.returncode == 1
    assert "measures.yaml" in result.stdout
    assert f"feature {rows[0]['id']!r}: field 'category'" in result.stdout
