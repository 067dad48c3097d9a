"""The whole pipeline (GEODES client + scheduler + downloader + journal) against the mirror simulator, which
answers as the evidence says (shared/notes/real-services.md): 410 for a product on tape, no recall by GET, the
user's order in the portal simulated by sim.order()."""
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
from plugin.core.pipeline import PipelineOptions, pending_products, run_pipeline
from plugin.core.progress import CallbackProgress
from plugin.core.providers.base import Credentials, Endpoints
from plugin.core.providers.geodes import GeodesProvider
from plugin.core.part_ranges import kept_bytes
from tests.simulator import md5_file

MB = 2 ** 20
FAST = dict(poll_interval_s=0.05, poll_interval_max_s=0.5, watch_s=30.0, retry_backoff_s=0.05,
            default_retry_after_s=0.2)
NO_WATCH = {**FAST, "watch_s": 0.0}


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


def _gets(sim, pid):
    return [r for r in sim.stats.log if r.endpoint == "geodes.download" and r.product_id == pid]


def test_tile_search_then_download_lists_tape_then_the_watch_brings_them_after_the_order(simulator_factory, tmp_path):
    sim = simulator_factory(collections=("PEPS_S2_L1C",), offline_fraction=0.5, pad_to=256 * 1024,
                            staging_delay_s=(0.3, 0.8), max_connections=3)
    provider = _provider(sim)
    cfg = sim.config
    found = provider.search(SearchQuery("geodes", "PEPS_S2_L1C", cfg.start, cfg.end, tile="31TCJ"))
    truth = {p.id: sim.product(p.id).online for p in found}
    assert found and any(truth.values()) and not all(truth.values())
    # the rows' states come from the availability endpoint (the description says "Is online: false" for all)
    assert all(p.availability is (Availability.ONLINE if truth[p.id] else Availability.OFFLINE) for p in found)
    tape = [p for p in found if not truth[p.id]]
    sim.stats.reset()
    stats, seen = {}, []
    statuses = run_pipeline(provider, found, str(tmp_path), options=PipelineOptions(**NO_WATCH), stats=stats,
                            on_status=seen.append)
    by_id = {s.product_id: s for s in statuses}
    _check_delivered(sim, [by_id[p.id] for p in found if truth[p.id]], tmp_path)
    for p in tape:
        assert by_id[p.id].state is ProductState.OFFLINE and by_id[p.id].reason == "order in the GEODES explorer"
        assert len(_gets(sim, p.id)) <= 1            # at most one download GET per tape product
    assert not any(s.state is ProductState.FAILED for s in seen)
    assert stats["instructions"].startswith(f"{len(tape)} products are on tape at GEODES.")
    listed = (tmp_path / "on-tape-GEODES.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(listed[3:]) == sorted(p.title for p in tape)
    # the user orders them in the explorer; a later run (here: another process would do the same) resumes the watch
    sim.order([p.id for p in tape])
    resumed = pending_products(str(tmp_path), "geodes")
    assert sorted(p.id for p in resumed) == sorted(p.id for p in tape)
    stats = {}
    statuses = run_pipeline(provider, resumed, str(tmp_path), options=PipelineOptions(**FAST), stats=stats)
    _check_delivered(sim, statuses, tmp_path)
    assert stats["max_requests_per_tick"] == 1
    assert sim.stats.requests["geodes.availability"] == stats["poll_ticks"] + 2   # first check + one per tick
    for p in found:   # nothing downloaded twice
        assert sim.stats.bytes_served[p.id] == sim.product(p.id).size
    assert not (tmp_path / "on-tape-GEODES.txt").exists() and pending_products(str(tmp_path)) == []


def test_second_run_transfers_zero_bytes(sim, tmp_path):
    provider = _provider(sim)
    products = _products(sim, provider, 4, offline=(0,))
    sim.order()
    run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    sim.stats.reset()
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    _check_delivered(sim, statuses, tmp_path)
    assert sum(sim.stats.bytes_served.values()) == 0
    assert sim.stats.requests["geodes.download"] == 0


class _CannotTell:
    """A catalogue whose availability endpoint cannot tell: the download answer decides."""

    def __init__(self, inner):
        self.inner = inner

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def availability(self, products):
        return {p.id: Availability.UNKNOWN for p in products}


def test_a_geodes_410_means_on_tape_and_is_asked_once(sim, tmp_path):
    provider = _provider(sim)
    products = _products(sim, provider, 3, offline=(0, 1))
    statuses = run_pipeline(_CannotTell(provider), products, str(tmp_path),
                            options=PipelineOptions(**{**FAST, "watch_s": 1.0, "poll_interval_max_s": 5.0}))
    assert [s.state for s in statuses] == [ProductState.OFFLINE, ProductState.OFFLINE, ProductState.DONE]
    assert all("no longer" not in s.reason and "removed" not in s.reason for s in statuses)
    assert [len(_gets(sim, p.id)) for p in products[:2]] == [1, 1]    # one GET (410), none while watching
    assert {r.status for p in products[:2] for r in _gets(sim, p.id)} == {410}


def test_a_watch_whose_availability_answer_says_nothing_probes_with_one_get_per_longest_gap(sim, tmp_path):
    """If the real availability answer had a shape we do not read (none is recorded), every product would stay
    "unknown": the watch then asks the download itself, at most once per longest poll gap (a 410 changes
    nothing), and fetches each product once the user's order has brought it back."""
    provider = _provider(sim)
    products = _products(sim, provider, 3, offline=(0, 1))
    threading.Timer(0.5, lambda: sim.order([p.id for p in products[:2]])).start()
    t0 = time.monotonic()
    statuses = run_pipeline(_CannotTell(provider), products, str(tmp_path),
                            options=PipelineOptions(**{**FAST, "watch_s": 20.0, "poll_interval_max_s": 1.0}))
    elapsed = time.monotonic() - t0
    _check_delivered(sim, statuses, tmp_path)
    for p in products[:2]:
        gets = _gets(sim, p.id)
        assert gets[0].status == 410 and gets[-1].status in (200, 206)
        assert len(gets) <= 2 + elapsed / 1.0        # the first GET, then one a second at most


@pytest.mark.parametrize("style", ["202-json", "202-empty", "200-json-error", "503-retry-after"])
def test_each_cdse_offline_answer_puts_the_product_on_the_data_workspace_list(simulator_factory, tmp_path, style):
    from plugin.core.providers.cdse import CdseProvider
    sim = simulator_factory(collections=("sentinel-2-l2a",), cdse_offline_fraction=1.0, pad_to=256 * 1024,
                            offline_response=style, retry_after_s=1)
    provider = CdseProvider(Endpoints(cdse=sim.cdse_url, cdse_auth=sim.cdse_auth_url, cdse_download=sim.cdse_url),
                            Credentials(username=sim.config.cdse_user, password=sim.config.cdse_password),
                            requests.Session())
    cfg = sim.config
    products = provider.search(SearchQuery("cdse", "sentinel-2-l2a", cfg.start, cfg.end, tile="31TCJ"))[:2]
    stats = {}
    statuses = run_pipeline(_CannotTell(provider), products, str(tmp_path), options=PipelineOptions(**NO_WATCH),
                            stats=stats)
    assert all(s.state is ProductState.OFFLINE and s.reason == "order in the CDSE Data Workspace" for s in statuses)
    assert stats["instructions"].startswith("2 products are offline at CDSE. CDSE lets you bring them back only from "
                                            "its Data Workspace")
    assert all(sim.stats.offline_gets[p.id] == 1 for p in products)


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
    names = set(os.listdir(tmp_path)) - {JOURNAL_NAME, "on-tape-GEODES.txt"}   # the tape list stays: still on tape
    assert names and all(n.endswith((".zip.part", ".zip.part.ranges")) for n in names)   # ranges: segments done
    assert {s.state for s in seen[-3:]} == {ProductState.CANCELLED}
    time.sleep(0.3)   # nothing keeps writing after the cancel
    assert set(os.listdir(tmp_path)) - {JOURNAL_NAME, "on-tape-GEODES.txt"} == names


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
from plugin.core.pipeline import PipelineOptions, pending_products, run_pipeline
from plugin.core.providers.base import Credentials, Endpoints
from plugin.core.providers.geodes import GeodesProvider
url, key, folder, start, end = sys.argv[1:6]
import datetime as dt
provider = GeodesProvider(Endpoints(geodes=url), Credentials(api_key=key), requests.Session())
found = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", dt.date.fromisoformat(start),
                                    dt.date.fromisoformat(end), bbox=BBox(1.40, 43.55, 1.50, 43.65)))
products = sorted(found, key=lambda p: p.acquired)[:2]
run_pipeline(provider, products, folder, options=PipelineOptions(poll_interval_s=0.05, poll_interval_max_s=0.5,
                                                                 watch_s=600))
"""


def test_a_run_killed_mid_download_resumes_the_download_and_the_watch(simulator_factory, tmp_path):
    import signal
    import subprocess
    import sys
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=4 * MB, bandwidth_bps=2 * MB,
                            staging_delay_s=4.0)
    provider = _provider(sim)
    products = _products(sim, provider, 2, offline=(1,))
    part = tmp_path / (products[0].extra["file_name"] + ".part")   # THEIA V4-0: the zip's name, with the version
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
    assert kept >= MB and not (tmp_path / products[0].extra["file_name"]).exists()
    assert len(_gets(sim, products[1].id)) == 0   # on tape: no GET sent
    # the new process knows only the folder: the journal has the tape product's record
    assert [p.id for p in pending_products(str(tmp_path))] == [products[1].id]
    deadline = time.monotonic() + 10
    while sim.stats.open_downloads and time.monotonic() < deadline:
        time.sleep(0.05)
    before = sim.stats.bytes_served[products[0].id]
    sim.order()
    statuses = run_pipeline(provider, [products[0]] + pending_products(str(tmp_path)), str(tmp_path),
                            options=PipelineOptions(**FAST))
    _check_delivered(sim, statuses, tmp_path)
    assert sim.stats.bytes_served[products[0].id] - before == products[0].size - kept   # resumed, not restarted
    assert sim.stats.bytes_served[products[1].id] == products[1].size


def test_a_product_the_catalogue_no_longer_has_fails_at_once(sim, tmp_path):
    # GEODES answers 404 to the download: the product is gone, waiting hours for it would help nobody.
    provider = _provider(sim)
    products = _products(sim, provider, 3)
    sim.inject("404", product_id=products[0].id, count=100)
    t0 = time.monotonic()
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(**FAST))
    assert time.monotonic() - t0 < 5
    gone, *others = statuses
    assert gone.state is ProductState.FAILED and "no longer available" in gone.reason
    _check_delivered(sim, others, tmp_path)
    assert sim.stats.statuses[("geodes.download", 404)] == 1


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


def test_a_503_for_a_product_geodes_calls_online_is_retried_not_listed_on_tape(sim, tmp_path):
    """GEODES answers a product on tape with 410; a 503 is the service in trouble (maintenance, overload): a
    product the availability endpoint calls online is tried again, never put on the list to order."""
    provider = _provider(sim)
    [p] = _products(sim, provider, 1)
    sim.inject("503", product_id=p.id, endpoint="download", count=2, retry_after=1)
    stats = {}
    statuses = run_pipeline(provider, [p], str(tmp_path), options=PipelineOptions(**NO_WATCH), stats=stats)
    _check_delivered(sim, statuses, tmp_path)
    assert stats["instructions"] == "" and stats["on_tape"] == []
    assert [r.status for r in _gets(sim, p.id)][:2] == [503, 503]


def test_a_quota_that_stays_empty_ends_the_run_with_what_to_do(sim, tmp_path):
    """429 on every download (an empty quota, not too many connections): the run gives up after
    quota_give_up_s without any download accepted and says to try later; nothing is lost."""
    provider = _provider(sim)
    products = _products(sim, provider, 2)
    sim.inject("429", endpoint="download", count=10_000, retry_after=1)
    t0 = time.monotonic()
    statuses = run_pipeline(provider, products, str(tmp_path),
                            options=PipelineOptions(**{**NO_WATCH, "quota_give_up_s": 3.0}))
    assert time.monotonic() - t0 < 20
    assert [s.state for s in statuses] == [ProductState.FAILED] * 2
    assert all(s.reason == "GEODES refused every download for 3 s (HTTP 429: too many requests or an empty "
               "quota): try again later; what was downloaded is kept." for s in statuses), statuses[0].reason
    assert sum(len(_gets(sim, p.id)) for p in products) <= 12   # asked again after Retry-After, not in a loop
