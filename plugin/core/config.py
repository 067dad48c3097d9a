"""The plugin's settings as one typed value; QGIS settings (plugin/qgis/settings.py) fill it in.

Environment overrides let headless runs, private mirrors and the simulator point the clients elsewhere.
"""
import os
from dataclasses import dataclass, replace

from .providers.base import Endpoints

ENV_URLS = {
    "geodes": "SENTINEL_MIRROR_GEODES_URL",
    "cdse": "SENTINEL_MIRROR_CDSE_URL",
    "cdse_auth": "SENTINEL_MIRROR_CDSE_AUTH_URL",
    "cdse_download": "SENTINEL_MIRROR_CDSE_DOWNLOAD_URL",
}


@dataclass(frozen=True)
class PluginConfig:
    endpoints: Endpoints = Endpoints()
    download_dir: str = ""
    parallel_downloads: int = 4        # upper bound; each provider also has its own cap
    poll_interval_s: float = 60.0      # watching products on tape: first availability request after a minute...
    poll_interval_max_s: float = 900.0  # ...backing off to one every 15 minutes
    staging_timeout_s: float = 3 * 24 * 3600.0   # stop watching after (the user orders in the portal; recalls take hours)
    geodes_authcfg: str = ""           # QGIS authcfg ids only: never secrets
    cdse_authcfg: str = ""
    geodes_max_connections: int = 3    # pyGeodes' MAX_CONCURRENT_DOWNLOADS; the server's own limit is unverified
    cdse_keep_all_baselines: bool = False  # CDSE lists some acquisitions under two processing baselines


def with_env_overrides(config, environ=None):
    environ = os.environ if environ is None else environ
    urls = {field: environ[var].rstrip("/") for field, var in ENV_URLS.items() if environ.get(var)}
    if "cdse" in urls and "cdse_download" not in urls:
        urls["cdse_download"] = urls["cdse"]  # a mirror (or the simulator) serves both
    return replace(config, endpoints=replace(config.endpoints, **urls)) if urls else config
