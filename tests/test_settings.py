"""Settings: each declared once in webapp/settings.py, documented in docs/using.md, and
read as defaults, then ``IAPB_*`` environment variables, then the factory's mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp import create_app
from webapp.settings import SETTINGS, load

README = Path(__file__).resolve().parent.parent / "docs" / "using.md"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_each_setting_is_documented_in_the_readme_settings_table(setting):
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if "|" in line]
    row = next((r for r in rows if f"`{setting.name}`" in r), None)
    assert row is not None, f"docs/using.md has no settings table row for `{setting.name}`"
    assert f"`{setting.env}`" in row


def test_setting_names_are_unique_and_upper_case():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    assert all(name.isupper() for name in names)


def test_environment_overrides_defaults():
    config = load(
        {
            "IAPB_API_MAX_AGE": "300",
            "IAPB_CORS_ORIGINS": "https://a.example/, http://b.example:8080",
        }
    )
    assert config["API_MAX_AGE"] == 300
    assert config["CORS_ORIGINS"] == ("https://a.example", "http://b.example:8080")


def test_mapping_overrides_environment():
    config = load({"IAPB_API_MAX_AGE": "300"}, {"API_MAX_AGE": 5, "CACHE_SIZE": "7"})
    assert config["API_MAX_AGE"] == 5
    assert config["CACHE_SIZE"] == 7  # strings in the mapping are read like env values


def test_variables_outside_the_iapb_prefix_are_ignored():
    assert load({"API_MAX_AGE": "1", "iapb_api_max_age": "1"})["API_MAX_AGE"] == 60


def test_create_app_reads_the_environment_then_the_mapping(monkeypatch, tmp_path):
    monkeypatch.setenv("IAPB_INDEX_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("IAPB_DEFAULT_LOCALE", "be")
    app = create_app({"INDEX_DIR": str(tmp_path / "from-mapping")})
    assert app.config["INDEX_DIR"] == str(tmp_path / "from-mapping")
    assert app.config["DEFAULT_LOCALE"] == "be"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("IAPB_CACHE_SIZE", "many"),
        ("IAPB_CACHE_SIZE", "0"),
        ("IAPB_API_MAX_AGE", "-1"),
        ("IAPB_API_MAX_AGE", "1.5"),
        ("IAPB_SEARCH_TIME_LIMIT", "soon"),
        ("IAPB_SEARCH_TIME_LIMIT", "0"),
        ("IAPB_SEARCH_TIME_LIMIT", "nan"),
        ("IAPB_DEFAULT_LOCALE", "de"),
        ("IAPB_CORS_ORIGINS", "example.org"),
        ("IAPB_CORS_ORIGINS", "https://a.example/path"),
        ("IAPB_CORS_ORIGINS", " , "),
    ],
)
def test_a_malformed_environment_value_is_a_value_error_naming_the_variable(variable, value):
    with pytest.raises(ValueError, match=variable):
        load({variable: value})


def test_create_app_refuses_a_malformed_environment_value(monkeypatch):
    monkeypatch.setenv("IAPB_API_MAX_AGE", "an hour")
    with pytest.raises(ValueError, match="IAPB_API_MAX_AGE"):
        create_app()
