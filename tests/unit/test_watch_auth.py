"""A watch whose credentials the service refuses (the GEODES key revoked or changed; a CDSE two-factor login whose
session expired, so only the user's new one-time code can log in again) stops, leaves every product on tape ON
TAPE (never failed) and journaled with what to do, and the next run resumes the watch once the user has fixed
the key or given a fresh code. Against the mirror simulator (real HTTP), as the user would meet it."""
import threading
import time

import pytest
import requests

from plugin.core.errors import OneTimeCodeNeeded
from plugin.core.journal import TAPE, Journal
from plugin.core.models import BBox, ProductState, SearchQuery
from plugin.core.pipeline import PipelineOptions, pending_products, run_pipeline
from plugin.core.providers.base import Credentials, Endpoints
from plugin.core.providers.cdse import CdseProvider
from plugin.core.providers.geodes import GeodesProvider
from tests.simulator import md5_file

FAST = dict(poll_interval_s=0.05, poll_interval_max_s=0.3, retry_backoff_s=0.05, default_retry_after_s=0.2)
CODE = "314159"


def _search(provider, sim, collection, n):
    cfg = sim.config
    found = provider.search(SearchQuery(provider.name, collection, cfg.start, cfg.end,
                                        bbox=BBox(1.40, 43.55, 1.50, 43.65)))
    found = sorted(found, key=lambda p: p.acquired)[:n]
    assert len(found) == n
    return found


def _geodes(sim, key=None):
    return GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=key or sim.config.api_key),
                          requests.Session())


def _cdse(sim, totp=""):
    return CdseProvider(Endpoints(cdse=sim.cdse_url, cdse_auth=sim.cdse_auth_url, cdse_download=sim.cdse_url),
                        Credentials(username=sim.config.cdse_user, password=sim.config.cdse_password, totp=totp),
                        requests.Session())


def _journal_states(folder):
    return {pid: e.get("state") for pid, e in Journal(str(folder))._entries.items()}


def _delivered(sim, statuses):
    for s in statuses:
        assert s.state is ProductState.DONE, s
        assert md5_file(s.path) == sim.product(s.product_id).md5


def test_a_geodes_key_revoked_mid_watch_stops_the_watch_leaves_products_on_tape_and_a_new_run_resumes(
        simulator_factory, tmp_path):
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=256 * 1024,
                            staging_delay_s=0.2)
    provider = _geodes(sim)
    products = _search(provider, sim, "THEIA_REFLECTANCE_SENTINEL2_L2A", 3)
    tape = products[:2]
    for p in tape:
        sim.set_offline(p.id)
    key = sim.config.api_key
    revoked_at = {}

    def on_status(s):   # the online product is in; the user revokes the key in the portal while the watch waits
        if s.state is ProductState.DONE and not revoked_at:
            sim.set_api_key(None)
            revoked_at["availability"] = sim.stats.requests["geodes.availability"]
    seen, stats = [], {}
    started = time.monotonic()
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST, watch_s=60.0),
                            on_status=lambda s: (seen.append(s), on_status(s)), stats=stats)
    assert time.monotonic() - started < 20   # stopped, not watched for the whole minute
    assert [s.state for s in statuses] == [ProductState.OFFLINE, ProductState.OFFLINE, ProductState.DONE]
    assert not any(s.state is ProductState.FAILED for s in seen)
    for s in statuses[:2]:
        assert s.reason.startswith("Watch stopped: GEODES refused the API key. Check it in Settings → Options → "
                                   "Sentinel Mirror, then run the download again to resume watching."), s.reason
        assert key not in s.reason
    assert stats["watch_stopped"] == statuses[0].reason
    assert stats["instructions"].startswith(statuses[0].reason + " 2 products are on tape at GEODES.")
    # no hammering: the one refused availability request after the revocation, then nothing more
    assert sim.stats.requests["geodes.availability"] == revoked_at["availability"] + 1
    assert all(sim.stats.offline_gets[p.id] == 0 for p in tape)
    # resumable: journaled on tape with their records, listed in the folder
    assert sorted(p.id for p in pending_products(str(tmp_path), "geodes")) == sorted(p.id for p in tape)
    assert _journal_states(tmp_path)[products[2].id] == "verified"
    assert (tmp_path / "on-tape-GEODES.txt").exists()

    # a run while the key is still wrong (a resumed watch at QGIS start): still on tape, no GET, not failed
    sim.stats.reset()
    again = run_pipeline(_geodes(sim, key="still-wrong"), pending_products(str(tmp_path), "geodes"), str(tmp_path),
                         options=PipelineOptions(**FAST, watch_s=60.0), stats=(stats := {}))
    assert [s.state for s in again] == [ProductState.OFFLINE] * 2 and stats["watch_stopped"]
    assert sim.stats.requests["geodes.download"] == 0 and sim.stats.requests["geodes.availability"] == 1
    assert sorted(p.id for p in pending_products(str(tmp_path), "geodes")) == sorted(p.id for p in tape)

    # the user sets the key again (here the renewed one) and orders the products in the explorer
    sim.set_api_key("renewed-key")
    sim.order([p.id for p in tape])
    resumed = run_pipeline(_geodes(sim, key="renewed-key"), pending_products(str(tmp_path), "geodes"),
                           str(tmp_path), options=PipelineOptions(**FAST, watch_s=30.0), stats=(stats := {}))
    _delivered(sim, resumed)
    assert not stats["watch_stopped"] and pending_products(str(tmp_path)) == []
    assert not (tmp_path / "on-tape-GEODES.txt").exists()


def test_a_geodes_key_revoked_between_the_check_and_the_download_puts_the_product_back_on_tape(
        simulator_factory, tmp_path):
    """The availability request saw it online; the download GET is refused (401): not the product's fault."""
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=256 * 1024,
                            staging_delay_s=0.2)
    provider = _geodes(sim)
    products = _search(provider, sim, "THEIA_REFLECTANCE_SENTINEL2_L2A", 2)
    for p in products:
        sim.set_offline(p.id)

    class RevokesOnceOnline:   # the key is revoked just after the endpoint said "online"
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def availability(self, batch):
            answer = self.inner.availability(batch)
            if any(a.value == "online" for a in answer.values()):
                sim.set_api_key(None)
            return answer
    threading.Timer(0.3, sim.order).start()
    stats = {}
    statuses = run_pipeline(RevokesOnceOnline(provider), products, str(tmp_path),
                            options=PipelineOptions(**FAST, watch_s=30.0), stats=stats)
    assert [s.state for s in statuses] == [ProductState.OFFLINE] * 2, statuses
    assert all(s.reason.startswith("Watch stopped: GEODES refused the API key.") for s in statuses)
    assert sim.stats.statuses[("geodes.download", 401)] >= 1
    assert set(_journal_states(tmp_path).values()) == {TAPE}
    assert len(pending_products(str(tmp_path), "geodes")) == 2


def test_a_cdse_two_factor_watch_whose_session_expired_stops_asking_for_a_code_and_a_run_with_a_code_resumes(
        simulator_factory, tmp_path):
    sim = simulator_factory(collections=("sentinel-2-l2a",), pad_to=256 * 1024, staging_delay_s=0.2,
                            cdse_totp=CODE, token_lifetime_s=1, refresh_lifetime_s=2)
    provider = _cdse(sim, totp=CODE)
    products = _search(provider, sim, "sentinel-2-l2a", 3)
    tape = products[:2]
    for p in tape:
        sim.set_offline(p.id)
    # the user orders them in the Data Workspace once the 2 s session (the refresh token) has expired
    threading.Timer(3.0, lambda: sim.order([p.id for p in tape])).start()
    seen, stats = [], {}
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST, watch_s=60.0),
                            on_status=seen.append, stats=stats)
    assert [s.state for s in statuses] == [ProductState.OFFLINE, ProductState.OFFLINE, ProductState.DONE]
    assert not any(s.state is ProductState.FAILED for s in seen)
    for s in statuses[:2]:
        assert s.reason == ("Watch stopped: the CDSE login needs a new one-time code (two-factor account; the "
                            "session lasts 60 min). Download again and give the current code to resume watching.")
    assert stats["watch_stopped"] == statuses[0].reason
    # one login with the code; then the refresh refused (expired), and no login without a code is even tried
    assert sim.stats.grants["password"] == 1
    assert sim.stats.statuses.get(("cdse.token", 401), 0) == 0
    assert sorted(p.id for p in pending_products(str(tmp_path), "cdse")) == sorted(p.id for p in tape)
    with pytest.raises(OneTimeCodeNeeded):
        provider.access_token()

    # a new run with the current code resumes the watch and fetches them (they are online now)
    resumed = run_pipeline(_cdse(sim, totp=CODE), pending_products(str(tmp_path), "cdse"), str(tmp_path),
                           options=PipelineOptions(**FAST, watch_s=30.0), stats=(stats := {}))
    _delivered(sim, resumed)
    assert not stats["watch_stopped"] and pending_products(str(tmp_path)) == []


def test_a_cdse_two_factor_watch_downloads_while_the_session_lasts(simulator_factory, tmp_path):
    """Before the refresh token expires nothing changes: the expired access token is refreshed, no code needed."""
    sim = simulator_factory(collections=("sentinel-2-l2a",), pad_to=256 * 1024, staging_delay_s=0.2,
                            cdse_totp=CODE, token_lifetime_s=1, refresh_lifetime_s=60)
    provider = _cdse(sim, totp=CODE)
    products = _search(provider, sim, "sentinel-2-l2a", 2)
    sim.set_offline(products[0].id)
    threading.Timer(1.5, lambda: sim.order([products[0].id])).start()
    stats = {}
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST, watch_s=30.0),
                            stats=stats)
    _delivered(sim, statuses)
    assert not stats["watch_stopped"]
    assert sim.stats.grants["password"] == 1 and sim.stats.grants["refresh_token"] >= 1


def test_a_cdse_password_changed_mid_watch_costs_one_refused_login_and_leaves_the_products_on_tape(
        simulator_factory, tmp_path):
    sim = simulator_factory(collections=("sentinel-2-l2a",), pad_to=256 * 1024, staging_delay_s=0.2,
                            token_lifetime_s=1, refresh_lifetime_s=2)
    provider = _cdse(sim)
    products = _search(provider, sim, "sentinel-2-l2a", 4)
    for p in products[:3]:
        sim.set_offline(p.id)

    def changed_and_ordered():   # the user changed the password on the portal, then ordered the three products
        sim.config.cdse_password = "a new password"
        sim.order([p.id for p in products[:3]])
    threading.Timer(3.0, changed_and_ordered).start()
    stats = {}
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST, watch_s=60.0),
                            stats=stats)
    assert [s.state for s in statuses] == [ProductState.OFFLINE] * 3 + [ProductState.DONE]
    assert all(s.reason.startswith("Watch stopped: CDSE refused the login. Check the username and password")
               for s in statuses[:3])
    assert sim.stats.statuses[("cdse.token", 401)] == 1   # the three downloads did not each try the password
    assert sum(sim.stats.offline_gets.values()) == 0
    assert len(pending_products(str(tmp_path), "cdse")) == 3
