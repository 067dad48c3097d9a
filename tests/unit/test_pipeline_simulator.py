"""The whole pipeline (GEODES client + scheduler + downloader + journal) against the mirror simulator."""
import os
import threading
import time
from pathlib import Path

import pytest
import requests

from plugin.core import download as download_mod
from plugin.core.errors import Cancelled
from plugin.core.journal import JOURNAL_NAME
from plugin.core.models import Availability, BBox, ProductState, SearchQuery
from plugin.core.pipeline import PipelineOptions, run_pipeline
from plugin.core.progress import CallbackProgress
from plugin.core.providers.base import Credentials, Endpoints
from plugin.core.providers.geodes import GeodesProvider
from plugin.core.segments import kept_bytes
from tests.simulator import md5_file

MB = 2 ** 20
FAST = dict(poll_interval_s=0.05, poll_interval_max_s=0.5, restage_after_s=30.0, staging_timeout_s=30.0,
            retry_backoff_s=0.05, default_retry_after_s=0.2)


def _provider(sim):
    return GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                          requests.Session())


def _products(sim, provider, n, offline=()):
    """The first n GEODES products, as the client's search returns them; `offline` indexes put on tape."""
    cfg = sim.config
    found = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", cfg.start, cfg.end,
                                        bbox=BBox(1.40, 43.55, 1.50, 43.65)))   # Toulouse, in 31TCJ
    found = sorted(found, key=lambda p: p.acquired)[:n]
    assert len(found) == n
    for k in offline:
        sim.set_offline(found[k].id)
    return [p.with_availability(Availability.OFFLINE) if k in offline else p for k, p in enumerate(found)]


def _check_delivered(sim, statuses, folder):
    for s in statuses:
        assert s.state is ProductState.DONE, s
        assert os.path.dirname(s.path) == str(folder)
        assert md5_file(s.path) == sim.product(s.product_id).md5


@pytest.fixture
def sim(simulator_factory):
    return simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=256 * 1024,
                             staging_delay_s=(0.3, 0.8), max_connections=4)


def test_mixed_batch_is_delivered_with_one_availability_request_per_tick(sim, tmp_path):
    provider = _provider(sim)
    products = _products(sim, provider, 6, offline=(1, 3, 5))
    sim.stats.reset()
    stats, seen = {}, []
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST),
                            on_status=seen.append, stats=stats)
    _check_delivered(sim, statuses, tmp_path)
    assert stats["poll_ticks"] >= 1 and stats["max_requests_per_tick"] == 1
    # the simulator saw the initial check plus one request per tick, never one per product
    assert sim.stats.requests["geodes.availability"] == stats["poll_ticks"] + 1
    assert all(sim.stats.staging_requests[products[k].id] == 1 for k in (1, 3, 5))
    for p in products:
        assert sim.stats.bytes_served[p.id] <= sim.product(p.id).size + 1   # (+1: the 1-byte staging GET)
    assert sorted(os.listdir(tmp_path)) == sorted([JOURNAL_NAME] + [p.title + ".zip" for p in products])
    states = [s.state for s in seen if s.product_id == products[1].id]
    assert states[:2] == [ProductState.OFFLINE, ProductState.STAGING] and states[-1] is ProductState.DONE


def test_second_run_transfers_zero_bytes(sim, tmp_path):
    provider = _provider(sim)
    products = _products(sim, provider, 4, offline=(0,))
    run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    sim.stats.reset()
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    _check_delivered(sim, statuses, tmp_path)
    assert sum(sim.stats.bytes_served.values()) == 0
    assert sim.stats.requests["geodes.download"] == 0


class _CannotTell:
    """A catalogue whose availability endpoint cannot tell: every decision comes from the download answer."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def availability(self, products):
        return {p.id: Availability.UNKNOWN for p in products}


@pytest.mark.parametrize("style", ["202-json", "202-empty", "200-json-error", "503-retry-after"])
def test_each_offline_answer_waits_and_then_delivers(simulator_factory, tmp_path, style):
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=256 * 1024,
                            staging_delay_s=0.6, offline_response=style, retry_after_s=1)
    provider = _provider(sim)
    products = _products(sim, provider, 3, offline=(0, 1))
    products = [p.with_availability(Availability.ONLINE) for p in products]  # a stale search result
    seen = []
    statuses = run_pipeline(_CannotTell(provider), products, str(tmp_path), options=PipelineOptions(**FAST),
                            on_status=seen.append)
    _check_delivered(sim, statuses, tmp_path)
    for p in products[:2]:
        gets = [r for r in sim.stats.log if r.endpoint == "geodes.download" and r.product_id == p.id]
        assert len(gets) >= 2 and gets[-1].status == 200   # answered "not online" first, then the product
        if style == "503-retry-after":   # Retry-After: 1 honoured between attempts
            assert all(b.t - a.t >= 0.95 for a, b in zip(gets, gets[1:]))
        assert any(s.state is ProductState.STAGING and s.product_id == p.id for s in seen)


def test_429_over_the_connection_cap_never_drops_a_product(simulator_factory, tmp_path):
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=512 * 1024,
                            max_connections=1, bandwidth_bps=4 * MB, retry_after_s=1)
    provider = _provider(sim)
    products = _products(sim, provider, 4)
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    _check_delivered(sim, statuses, tmp_path)
    assert sim.stats.statuses[("geodes.download", 429)] >= 1
    # after a 429 the pipeline backs off to what the service accepts instead of hammering it
    assert sim.stats.statuses[("geodes.download", 429)] <= 6


def test_stuck_product_is_restaged_or_reported_while_the_others_finish(simulator_factory, tmp_path):
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=256 * 1024,
                            staging_delay_s=0.3, stuck_rerequest_after_s=0.5)
    provider = _provider(sim)
    products = _products(sim, provider, 4, offline=(0, 1))
    sim.set_offline(products[0].id, stuck=True)   # unsticks when asked again (the PEPS bug)
    sim.set_offline(products[1].id, stuck=True)
    sim.catalogue.find(products[1].id).staging_delay_s = 3600   # ...but this one never comes back
    opts = PipelineOptions(**{**FAST, "restage_after_s": 0.8, "staging_timeout_s": 3.0})
    t0 = time.monotonic()
    statuses = run_pipeline(provider, products, str(tmp_path), options=opts)
    assert time.monotonic() - t0 < 6
    by_id = {s.product_id: s for s in statuses}
    failed = by_id.pop(products[1].id)
    assert failed.state is ProductState.FAILED and "Still not online after 3 s" in failed.reason
    _check_delivered(sim, by_id.values(), tmp_path)
    assert sim.stats.staging_requests[products[0].id] >= 2
    assert not (tmp_path / (products[1].title + ".zip")).exists()


def test_cancel_stops_within_a_second_leaving_only_part_files(simulator_factory, tmp_path):
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=4 * MB,
                            bandwidth_bps=1 * MB)
    provider = _provider(sim)
    products = _products(sim, provider, 3, offline=(2,))
    flag, when = threading.Event(), []
    threading.Timer(1.0, lambda: (when.append(time.monotonic()), flag.set())).start()
    seen = []
    with pytest.raises(Cancelled):
        run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST),
                     progress=CallbackProgress(is_cancelled=flag.is_set), on_status=seen.append)
    assert time.monotonic() - when[0] < 1.0
    names = set(os.listdir(tmp_path)) - {JOURNAL_NAME}
    assert names and all(n.endswith((".zip.part", ".zip.part.ranges")) for n in names)   # ranges: segments done
    assert {s.state for s in seen[-3:]} == {ProductState.CANCELLED}
    time.sleep(0.3)   # nothing keeps writing after the cancel
    assert set(os.listdir(tmp_path)) - {JOURNAL_NAME} == names


def test_disk_full_is_a_clear_failure_and_nothing_truncated_is_stored(sim, tmp_path, monkeypatch):
    provider = _provider(sim)
    products = _products(sim, provider, 2)
    real = download_mod.shutil.disk_usage
    monkeypatch.setattr(download_mod.shutil, "disk_usage", lambda p: real(p)._replace(free=10 * MB))
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    assert all(s.state is ProductState.FAILED and "Not enough free disk space" in s.reason for s in statuses)
    assert set(os.listdir(tmp_path)) <= {JOURNAL_NAME}
    monkeypatch.undo()
    _check_delivered(sim, run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST)),
                     tmp_path)


def test_expired_token_mid_batch_is_refreshed_without_failing_the_batch(simulator_factory, tmp_path):
    from plugin.core.providers.cdse import CdseProvider
    sim = simulator_factory(collections=("sentinel-2-l2a",), pad_to=256 * 1024, bandwidth_bps=2 * MB)
    provider = CdseProvider(Endpoints(cdse=sim.cdse_url, cdse_auth=sim.cdse_auth_url, cdse_download=sim.cdse_url),
                            Credentials(username=sim.config.cdse_user, password=sim.config.cdse_password),
                            requests.Session())
    cfg = sim.config
    products = sorted(provider.search(SearchQuery("cdse", "sentinel-2-l2a", cfg.start, cfg.end,
                                                  bbox=BBox(1.40, 43.55, 1.50, 43.65))), key=lambda p: p.acquired)[:6]
    expired = []

    def on_status(s):   # the token expires as soon as the first product is in: the others are mid-flight
        if s.state is ProductState.DONE and not expired:
            expired.append(s.product_id)
            sim.inject("expire_token")
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**{**FAST, "max_connections": 2}),
                            on_status=on_status)
    _check_delivered(sim, statuses, tmp_path)
    assert expired and sim.stats.statuses[("cdse.download", 401)] >= 1
    assert sim.stats.requests["cdse.token"] >= 2


KILLED_RUN = """
import sys, requests
from plugin.core.models import BBox, SearchQuery
from plugin.core.pipeline import PipelineOptions, run_pipeline
from plugin.core.providers.base import Credentials, Endpoints
from plugin.core.providers.geodes import GeodesProvider
url, key, folder, start, end = sys.argv[1:6]
import datetime as dt
provider = GeodesProvider(Endpoints(geodes=url), Credentials(api_key=key), requests.Session())
found = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", dt.date.fromisoformat(start),
                                    dt.date.fromisoformat(end), bbox=BBox(1.40, 43.55, 1.50, 43.65)))
products = sorted(found, key=lambda p: p.acquired)[:2]
run_pipeline(provider, products, folder, options=PipelineOptions(poll_interval_s=0.05, poll_interval_max_s=0.5))
"""


def test_a_run_killed_mid_download_resumes_and_keeps_waiting_for_staging(simulator_factory, tmp_path):
    import signal
    import subprocess
    import sys
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=4 * MB, bandwidth_bps=2 * MB,
                            staging_delay_s=4.0)
    provider = _provider(sim)
    products = _products(sim, provider, 2, offline=(1,))
    part = tmp_path / (products[0].title + ".zip.part")
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, sim.geodes_url, sim.config.api_key, str(tmp_path),
                              str(sim.config.start), str(sim.config.end)], cwd=root,
                             env={**os.environ, "PYTHONPATH": str(root)})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and kept_bytes(str(part)) < MB:
            time.sleep(0.02)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    kept = kept_bytes(str(part))   # the ranges its sidecar lists (segmented), or its size (one stream)
    assert kept >= MB and not (tmp_path / (products[0].title + ".zip")).exists()
    assert sim.stats.staging_requests[products[1].id] == 1
    deadline = time.monotonic() + 10
    while sim.stats.open_downloads and time.monotonic() < deadline:
        time.sleep(0.05)
    before = sim.stats.bytes_served[products[0].id]
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    _check_delivered(sim, statuses, tmp_path)
    assert sim.stats.bytes_served[products[0].id] - before == products[0].size - kept   # resumed, not restarted
    assert sim.stats.staging_requests[products[1].id] == 1   # still being staged: not asked again


def test_a_product_the_catalogue_no_longer_has_fails_at_once(sim, tmp_path):
    # GEODES answers 404 to the staging GET: the product is gone, waiting hours for it would help nobody.
    provider = _provider(sim)
    products = _products(sim, provider, 3, offline=(0, 1))
    sim.inject("404", product_id=products[0].id, count=100)
    t0 = time.monotonic()
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    assert time.monotonic() - t0 < 5     # not the 30 s staging timeout
    gone, *others = statuses
    assert gone.state is ProductState.FAILED and "no longer has this product" in gone.reason
    _check_delivered(sim, others, tmp_path)
    assert sim.stats.statuses[("geodes.download", 404)] == 1   # asked once, not at every poll


def test_cancel_ends_every_download_thread_even_while_the_server_is_slow_to_answer(sim, tmp_path):
    # QGIS waits for these threads when it exits: a cancel must not leave them waiting for a first byte.
    from plugin.core.providers import default_session
    provider = GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                              default_session("test"))
    products = _products(sim, provider, 3)
    sim.inject("slow_first_byte", count=10, delay_s=20)
    flag, when = threading.Event(), []

    def cancel_once_all_wait():
        deadline = time.monotonic() + 10
        while sim.stats.open_downloads < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        when.append(time.monotonic())
        flag.set()
    threading.Thread(target=cancel_once_all_wait, daemon=True).start()
    with pytest.raises(Cancelled):
        run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST),
                     progress=CallbackProgress(is_cancelled=flag.is_set))
    workers = [t for t in threading.enumerate() if t.name.startswith("sentinel-mirror-download")]
    for t in workers:
        t.join(max(0.0, when[0] + 2.0 - time.monotonic()))
    assert not [t for t in workers if t.is_alive()]
    assert time.monotonic() - when[0] < 2.0
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".zip")]


def test_online_downloads_start_while_the_staging_requests_go_out(sim, tmp_path):
    # One GEODES staging GET per tape product: at a real round-trip time, 50 of them take seconds that the
    # online downloads must not wait for. The GETs take a held-back connection: no 429 from the cap of 4.
    provider = GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                              requests.Session())
    products = _products(sim, provider, 8, offline=range(6))
    for p in products[:6]:
        sim.inject("timeout", product_id=p.id, endpoint="geodes.download", delay_s=0.1)   # a slow staging GET
    sim.stats.reset()
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    _check_delivered(sim, statuses, tmp_path)
    first_get = {}
    for r in sim.stats.log:
        if r.endpoint == "geodes.download":
            first_get.setdefault(r.product_id, r.t)
    last_staging = max(first_get[p.id] for p in products[:6])
    first_online = min(first_get[p.id] for p in products[6:])
    assert first_online < last_staging - 0.3
    assert sim.stats.statuses[("geodes.download", 429)] == 0


def test_cancel_during_a_slow_staging_pass_stops_within_a_second(sim, tmp_path):
    provider = _provider(sim)
    products = _products(sim, provider, 8, offline=range(6))
    for p in products[:6]:
        sim.inject("timeout", product_id=p.id, endpoint="geodes.download", delay_s=0.4)   # a slow staging GET
    flag, when = threading.Event(), []
    threading.Timer(0.5, lambda: (when.append(time.monotonic()), flag.set())).start()
    with pytest.raises(Cancelled):
        run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST),
                     progress=CallbackProgress(is_cancelled=flag.is_set))
    assert time.monotonic() - when[0] < 1.0   # not after the 2.4 s the six GETs take
    assert sum(sim.stats.staging_requests.values()) < 6
