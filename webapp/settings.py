"""The app's settings, each declared once: name, default, how to read it, and help.

``create_app`` applies the defaults, then ``IAPB_<NAME>`` environment variables, then
the mapping given to it.  The README's settings table is checked against this list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One configuration value of the app."""

    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str

    @property
    def env(self) -> str:
        return f"IAPB_{self.name}"


def _origins(text: str) -> tuple[str, ...]:
    return tuple(o.strip().rstrip("/") for o in text.split(",") if o.strip())


SETTINGS: tuple[Setting, ...] = (
    Setting("INDEX_DIR", "var/index", str, "index directory (holds the `current` link)"),
    Setting(
        "CORS_ORIGINS",
        ("*",),
        _origins,
        "origins allowed to call `/api/*` from a browser, comma-separated; `*` allows any",
    ),
    Setting("CACHE_SIZE", 2048, int, "searches kept in the per-generation result cache"),
    Setting(
        "SEARCH_TIME_LIMIT",
        2.0,
        float,
        "seconds a search may run before it answers with partial results",
    ),
    Setting("API_MAX_AGE", 60, int, "`Cache-Control: max-age` of API and feed responses, seconds"),
    Setting("DEFAULT_LOCALE", "en", str, "interface language when neither `hl` nor the browser says"),
)


def load(environ: Mapping[str, str], overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then ``IAPB_*`` variables from ``environ``, then ``overrides``.

    Raises ``ValueError`` naming the variable when an environment value cannot be read.
    """
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        config[setting.name] = setting.default
        if setting.env in environ:
            try:
                config[setting.name] = setting.parse(environ[setting.env])
            except ValueError as exc:
                raise ValueError(f"{setting.env}: {exc}") from None
    for name, value in (overrides or {}).items():
        setting = next((s for s in SETTINGS if s.name == name), None)
        config[name] = setting.parse(value) if setting and isinstance(value, str) else value
    return config
