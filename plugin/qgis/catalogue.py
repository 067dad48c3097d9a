"""Everything a catalogue client needs, resolved on the MAIN THREAD, in one call used by the dock and Processing:
settings snapshot (+ environment overrides), credentials from the authcfg (or the environment), and the
proxy-aware session."""
from .auth import credentials_for
from .http import build_session
from .settings import load_config


MIN_POLL_INTERVAL_S = 1.0
MIN_WATCH_S = 60.0


def authcfg_for(provider_name, config, authcfg=""):
    """An explicit authcfg wins; otherwise the one chosen for this catalogue in the options page."""
    return (authcfg or "").strip() or getattr(config, f"{provider_name}_authcfg", "")


def open_catalogue(provider_name, authcfg="", config=None, totp=""):
    from ..core.providers import make_provider  # imports requests and the clients only when used

    config = config or load_config()
    credentials = credentials_for(provider_name, authcfg_for(provider_name, config, authcfg), totp=totp)
    return make_provider(provider_name, config.endpoints, credentials, build_session(),
                         max_connections=config.geodes_max_connections,
                         keep_all_baselines=config.cdse_keep_all_baselines)


def pipeline_options(config, **overrides):
    """PipelineOptions from the settings snapshot, plus explicit overrides (None = keep the setting)."""
    from dataclasses import fields

    from ..core.pipeline import PipelineOptions

    known = {f.name for f in fields(PipelineOptions)}
    # The settings file can be hand-edited: a 0 s poll would query the catalogue 4 times a second.
    poll = max(MIN_POLL_INTERVAL_S, config.poll_interval_s)
    values = {"max_connections": max(1, config.parallel_downloads), "poll_interval_s": poll,
              "poll_interval_max_s": max(poll, config.poll_interval_max_s),
              "watch_s": max(MIN_WATCH_S, config.staging_timeout_s)}   # the setting "stop watching after"
    values.update(overrides)   # explicit overrides (tests, an algorithm parameter) are taken as given
    return PipelineOptions(**{k: v for k, v in values.items() if k in known and v is not None})
