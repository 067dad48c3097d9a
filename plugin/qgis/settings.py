"""QgsSettings group "sentinel_mirror" <-> PluginConfig. The defaults live in PluginConfig only.

Only authcfg ids are stored, never secrets. Environment overrides (SENTINEL_MIRROR_*_URL) are applied when
reading for use (`load_config`) but never written back, so a headless run cannot change the user's settings.
"""
from dataclasses import fields, replace

from qgis.core import QgsSettings

from ..core.config import PluginConfig, with_env_overrides
from ..core.providers.base import Endpoints

GROUP = "sentinel_mirror"
_ENDPOINT_KEYS = {f.name: f"url_{f.name}" for f in fields(Endpoints)}
_PLAIN_KEYS = ("download_dir", "parallel_downloads", "poll_interval_s", "poll_interval_max_s",
               "staging_timeout_s", "geodes_authcfg", "cdse_authcfg", "geodes_max_connections", "cdse_keep_all_baselines")


def _typed(raw, default):
    """QgsSettings hands back strings from the ini file; convert to the default's type, falling back on junk."""
    if raw is None or raw == "":
        return default
    try:
        if isinstance(default, bool):
            return str(raw).lower() in ("1", "true", "yes")
        return type(default)(raw)
    except (TypeError, ValueError):
        return default


def read_settings(settings=None):
    """The stored configuration (no environment overrides): what the options page edits."""
    s = settings or QgsSettings()
    defaults = PluginConfig()
    s.beginGroup(GROUP)
    try:
        endpoints = Endpoints(**{
            name: _typed(s.value(key), getattr(defaults.endpoints, name)).rstrip("/")
            for name, key in _ENDPOINT_KEYS.items()
        })
        plain = {name: _typed(s.value(name), getattr(defaults, name)) for name in _PLAIN_KEYS}
    finally:
        s.endGroup()
    return replace(defaults, endpoints=endpoints, **plain)


def load_config(settings=None, environ=None):
    """The configuration to run with: stored settings plus environment overrides. Main thread only."""
    return with_env_overrides(read_settings(settings), environ)


def save_settings(config, settings=None):
    s = settings or QgsSettings()
    s.beginGroup(GROUP)
    try:
        for name, key in _ENDPOINT_KEYS.items():
            s.setValue(key, getattr(config.endpoints, name))
        for name in _PLAIN_KEYS:
            s.setValue(name, getattr(config, name))
    finally:
        s.endGroup()
