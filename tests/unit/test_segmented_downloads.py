"""One product on every free connection (core/segments.py), against the mirror simulator.

The file that lands is the product (MD5 of the file on disk), a killed run resumes only the ranges it had not
written, a server that ignores Range gets one stream, a refused connection (429) loses nothing, and the
service never sees more connections at once than its cap, counting the requests that watch availability.
"""
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from plugin.core.download import download_product
from plugin.core.errors import RemoteError
from plugin.core.models import BBox, SearchQuery
from plugin.core.pipeline import PipelineOptions, run_pipeline
from plugin.core.providers.base import Credentials, DownloadRequest, Endpoints
from plugin.core.providers.geodes import GeodesProvider
from plugin.core.connections import Connections
from plugin.core.part_ranges import kept_bytes, load_ranges, ranges_path, save_ranges
from tests.simulator import md5_file

ROOT = Path(__file__).resolve().parents[2]
MB = 2 ** 20


def _product(sim):
    p = [p for p in sim.products if p.provider == "geodes"][0]
    sim.prebuild([p])
    return p


def _get(sim, p, dest, connections, **kw):
    return download_product(requests.Session(), DownloadRequest(p.download_url, {"X-API-Key": sim.config.api_key}),
                            str(dest), expected_size=p.size, expected_md5=p.md5, connections=connections, **kw)


def _ranges_asked(sim, p):
    return sum(n for (e, s), n in sim.stats.statuses.items() if e.endswith("download") and s == 206)


def test_one_product_uses_every_connection_and_lands_verified(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=8 * MB, bandwidth_bps=4 * MB, max_connections=4)
    p = _product(sim)
    result = _get(sim, p, tmp_path / "p.zip", Connections(4))
    assert md5_file(tmp_path / "p.zip") == p.md5 == result.md5
    assert sorted(os.listdir(tmp_path)) == ["p.zip"]             # no part, no range record, no lock left
    assert sim.stats.peak_open_downloads == 4                     # four ranges at once...
    assert sim.stats.bytes_served[p.id] == p.size == result.bytes_transferred   # ...each byte sent once
    assert not [s for (e, s) in sim.stats.statuses if s == 429]


def test_a_corrupt_range_is_caught_by_the_md5_of_the_whole_file(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=4 * MB, max_connections=4)
    p = _product(sim)
    sim.inject("corrupt", product_id=p.id, offsets=(100,))   # flips a byte of the first range served
    result = _get(sim, p, tmp_path / "p.zip", Connections(4))
    assert md5_file(tmp_path / "p.zip") == p.md5
    assert result.bytes_transferred == sim.stats.bytes_served[p.id] == 2 * p.size   # caught, fetched again
    assert sorted(os.listdir(tmp_path)) == ["p.zip"]


def test_without_a_free_connection_it_is_one_stream_of_ranges(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=4 * MB, max_connections=4)
    p = _product(sim)
    connections = Connections(4)
    held = [connections.acquire() for _ in range(3)]   # three other products are downloading
    _get(sim, p, tmp_path / "p.zip", connections)
    assert md5_file(tmp_path / "p.zip") == p.md5
    assert sim.stats.peak_open_downloads == 1 and connections.peak == 4
    for ticket in held:
        connections.cancel(ticket)


def test_a_waiting_request_gets_the_next_free_connection_before_any_extra():
    """The availability watch (or a product that came online) waits for at most one block of an extra segment."""
    connections = Connections(2)
    base = connections.acquire()
    assert connections.try_extra()                       # the product's second connection
    watch = connections.reserve()
    assert not watch.granted and not connections.try_extra()   # nobody jumps the queue
    assert connections.should_yield() and not connections.should_yield()   # one extra gives way per waiter
    connections.release(yielded=True)
    assert watch.granted and connections.free() == 0
    connections.cancel(watch)
    connections.cancel(base)
    assert connections.free() == 2 and connections.peak == 2


def test_what_a_part_holds_whatever_moment_a_run_was_killed_at(tmp_path):
    part = str(tmp_path / "p.zip.part")
    with open(part, "wb") as f:
        f.truncate(10 * MB)
    save_ranges(part, 10 * MB, "ab" * 16, [[0, MB], [5 * MB, 6 * MB]])
    assert load_ranges(part, 10 * MB, "ab" * 16) == [[0, MB], [5 * MB, 6 * MB]]     # segmented, full size
    with open(part, "r+b") as f:                          # killed after cutting back to a prefix, before the
        f.truncate(MB)                                    # record went: the part is its prefix
    assert load_ranges(part, 10 * MB, "ab" * 16) == [[0, MB]] and not os.path.exists(ranges_path(part))
    with open(part, "r+b") as f:
        f.truncate(10 * MB)
    save_ranges(part, 10 * MB, "cd" * 16, [[0, 9 * MB]])   # the catalogue has a new version of the product
    assert load_ranges(part, 10 * MB, "ab" * 16) == [] and not os.path.exists(part)


KILLED = """
import sys, requests
from plugin.core.download import download_product
from plugin.core.providers.base import DownloadRequest
from plugin.core.connections import Connections
url, key, dest, size, md5 = sys.argv[1:]
download_product(requests.Session(), DownloadRequest(url, {"X-API-Key": key}), dest, expected_size=int(size),
                 expected_md5=md5, connections=Connections(4))
"""


def test_a_killed_download_resumes_only_the_missing_ranges(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=12 * MB, bandwidth_bps=2 * MB, max_connections=4)
    p = _product(sim)
    dest, part = tmp_path / "p.zip", tmp_path / "p.zip.part"
    child = subprocess.Popen([sys.executable, "-c", KILLED, p.download_url, sim.config.api_key, str(dest),
                              str(p.size), p.md5], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and kept_bytes(str(part)) < 4 * MB:
            time.sleep(0.02)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    with open(ranges_path(str(part))) as f:
        done = json.load(f)["done"]
    kept = sum(e - s for s, e in done)
    assert len(done) > 1 and 4 * MB <= kept < p.size             # several ranges, not a prefix
    assert part.stat().st_size == p.size and not dest.exists()    # the full-size part, never the final name
    deadline = time.monotonic() + 10                               # the server notices the dead client
    while sim.stats.open_downloads and time.monotonic() < deadline:
        time.sleep(0.05)
    before = sim.stats.bytes_served[p.id]
    result = _get(sim, p, dest, Connections(4))
    second = sim.stats.bytes_served[p.id] - before
    assert md5_file(dest) == p.md5
    assert second == p.size - kept == result.bytes_transferred    # only the missing ranges crossed the network
    assert sorted(os.listdir(tmp_path)) == ["p.zip"]


def test_a_segmented_part_resumes_on_one_stream_from_its_prefix(simulator_factory, tmp_path):
    """Segments turned off (or the product no longer eligible): the ranges written from byte 0 are kept."""
    sim = simulator_factory(pad_to=4 * MB, max_connections=4)
    p = _product(sim)
    part = tmp_path / "p.zip.part"
    with open(sim.product(p.id).path, "rb") as src, open(part, "wb") as f:
        f.truncate(p.size)
        f.write(src.read(MB))
        src.seek(3 * MB)
        f.seek(3 * MB)
        f.write(src.read(MB // 2))
    with open(ranges_path(str(part)), "w") as f:
        json.dump({"size": p.size, "md5": p.md5, "done": [[0, MB], [3 * MB, 3 * MB + MB // 2]]}, f)
    result = _get(sim, p, tmp_path / "p.zip", None)
    assert md5_file(tmp_path / "p.zip") == p.md5
    assert result.bytes_transferred == sim.stats.bytes_served[p.id] == p.size - MB


def test_a_server_that_ignores_range_gets_one_stream(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=4 * MB, bandwidth_bps=4 * MB, max_connections=4)
    p = _product(sim)
    sim.inject("ignore_range", product_id=p.id, count=100)
    _get(sim, p, tmp_path / "p.zip", Connections(4))
    assert md5_file(tmp_path / "p.zip") == p.md5
    assert sim.stats.peak_open_downloads <= 2    # the 200 answer to the ranged request is closed: one stream
    assert sim.stats.requests["geodes.download"] == 2
    assert sim.stats.bytes_served[p.id] < p.size + MB   # the first full answer was not read to its end
    assert sorted(os.listdir(tmp_path)) == ["p.zip"]


def test_a_refused_segment_is_taken_over_and_the_product_is_whole(simulator_factory, tmp_path):
    """The service allows two connections where we believed four: the 429s cost a segment, not the product."""
    sim = simulator_factory(pad_to=8 * MB, bandwidth_bps=4 * MB, max_connections=2)
    p = _product(sim)
    connections = Connections(4)
    lowered, quota_hit = [], connections.quota_hit

    def noted_quota_hit():
        quota_hit()
        lowered.append(connections.capacity)
    connections.quota_hit = noted_quota_hit
    result = _get(sim, p, tmp_path / "p.zip", connections)
    assert md5_file(tmp_path / "p.zip") == p.md5
    # the connections too many are refused, each asked once more (a lagging count looks the same), then given
    # up: a few 429s, never a stream of them
    assert 1 <= sim.stats.statuses[("geodes.download", 429)] <= 8
    assert sim.stats.bytes_served[p.id] == p.size == result.bytes_transferred
    # it asked for fewer connections after the refusals (the verified product gives one back at the end: how
    # many it holds then depends on when the refusals came)
    assert lowered and min(lowered) <= 3


@pytest.mark.parametrize("fault, params", [("oversized", {"extra_bytes": 2 * MB}),
                                           ("endless", {"limit_bytes": 32 * MB})])
def test_an_oversized_answer_to_a_segmented_download_keeps_nothing(simulator_factory, tmp_path, fault, params):
    sim = simulator_factory(pad_to=4 * MB, max_connections=4)
    p = _product(sim)
    sim.inject(fault, product_id=p.id, count=100, **params)
    with pytest.raises(RemoteError):
        _get(sim, p, tmp_path / "p.zip", Connections(4))
    assert os.listdir(tmp_path) == []


def test_the_cap_holds_with_segments_and_the_availability_watch(simulator_factory, tmp_path):
    """One big online product on every connection while two tape products are watched: the simulator never
    sees more than 4 connections at once (downloads and availability requests) and refuses none."""
    start = dt.date(2023, 6, 1)
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), start=start, end=start + dt.timedelta(20),
                            pad_to=12 * MB, bandwidth_bps=4 * MB, max_connections=4, staging_delay_s=(1.0, 2.0))
    provider = GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                              requests.Session(), max_connections=4)
    products = sorted(provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", sim.config.start,
                                                  sim.config.end, bbox=BBox(1.40, 43.55, 1.50, 43.65))),
                      key=lambda p: p.acquired)[:3]
    sim.prebuild([sim.product(p.id) for p in products])
    sim.set_online(products[0].id)
    for p in products[1:]:
        sim.set_offline(p.id)
    sim.stats.reset()
    sim.order([p.id for p in products[1:]])   # the user's order in the portal: online 1-2 s later
    statuses = run_pipeline(provider, products, str(tmp_path),
                            options=PipelineOptions(poll_interval_s=0.05, poll_interval_max_s=0.2, watch_s=30.0,
                                                    segment_block_s=0.25))
    assert [s.state.value for s in statuses] == ["done"] * 3
    for p, s in zip(products, statuses):
        assert md5_file(s.path) == sim.product(p.id).md5
    assert sim.stats.count("availability") >= 3          # it kept watching while the big one downloaded
    assert sim.stats.peak_open_downloads >= 3            # the big one took the free connections
    assert sim.stats.peak_connections <= 4
    assert not [s for (e, s) in sim.stats.statuses if s == 429]


def test_the_pipeline_delivers_a_product_whose_segments_were_refused(simulator_factory, tmp_path):
    """Through the pipeline: the service takes two connections where the provider says four."""
    start = dt.date(2023, 6, 1)
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), start=start, end=start + dt.timedelta(6),
                            pad_to=8 * MB, bandwidth_bps=4 * MB, max_connections=2)
    provider = GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                              requests.Session(), max_connections=4)
    products = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", sim.config.start,
                                           sim.config.end, bbox=BBox(1.40, 43.55, 1.50, 43.65)))[:1]
    sim.prebuild([sim.product(p.id) for p in products])
    sim.set_online(products[0].id)
    [status] = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions(max_connections=4))
    assert status.state.value == "done" and md5_file(status.path) == sim.product(products[0].id).md5
    assert sim.stats.statuses[("geodes.download", 429)] >= 1
    assert sim.stats.bytes_served[products[0].id] == products[0].size     # nothing fetched twice
