"""Two runs downloading into one folder (two QGIS windows, QGIS and qgis_process): one writer per product.

The race this guards against: a second run opens the first one's `.part`, truncates it at its own offset,
writes a little and is cancelled or killed; the first run, hashing the bytes it received, renamed a file with
a hole of zeros to its final name and journaled it verified.
"""
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from plugin.core.download import download_product
from plugin.core.errors import Cancelled, ProductBusyError
from plugin.core.models import BBox, ProductState, SearchQuery
from plugin.core.pipeline import PipelineOptions, run_pipeline
from plugin.core.product_lock import ProductLock
from plugin.core.providers.base import Credentials, DownloadRequest, Endpoints
from plugin.core.providers.geodes import GeodesProvider
from tests.simulator import md5_file

ROOT = Path(__file__).resolve().parents[2]
MB = 2 ** 20


def _product(sim):
    p = [p for p in sim.products if p.provider == "geodes"][0]
    sim.prebuild([p])
    return p


def _get(sim, p, dest, **kw):
    return download_product(requests.Session(), DownloadRequest(p.download_url, {"X-API-Key": sim.config.api_key}),
                            str(dest), expected_size=p.size, expected_md5=p.md5, **kw)


def _first_run(sim, p, dest):
    """Start run 1 in a thread; return (thread, outcome dict) once its .part holds 1 MB."""
    outcome = {}

    def run():
        try:
            outcome["result"] = _get(sim, p, dest)
        except Exception as e:  # noqa: BLE001 - the test looks at it
            outcome["error"] = e
    thread = threading.Thread(target=run)
    thread.start()
    part = Path(str(dest) + ".part")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not part.exists() or part.stat().st_size < MB):
        time.sleep(0.01)
    return thread, outcome


def _final_file_is_the_product(p, dest, outcome):
    if dest.exists():
        assert md5_file(dest) == p.md5, "a corrupt file carries the product's final name"
    assert "error" not in outcome and outcome["result"].md5 == p.md5


def test_second_run_cancelled_just_after_it_starts_writing_never_corrupts_the_product(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=4 * MB, bandwidth_bps=1 * MB)
    p = _product(sim)
    dest = tmp_path / "p.zip"
    thread, outcome = _first_run(sim, p, dest)
    # the second run's answer comes late: run 1 writes on meanwhile, so a truncate at run 2's offset leaves a hole
    sim.inject("slow_first_byte", product_id=p.id, delay_s=0.7)
    wrote = threading.Event()
    with pytest.raises((Cancelled, ProductBusyError)) as second:
        _get(sim, p, dest, cancelled=wrote.is_set, progress_cb=lambda d, t: wrote.set())
    thread.join(60)
    _final_file_is_the_product(p, dest, outcome)
    assert isinstance(second.value, ProductBusyError)
    assert "another run" in str(second.value) and "waiting" in str(second.value)


KILLED_CHILD = """
import os, signal, sys, requests
from plugin.core.download import download_product
from plugin.core.providers.base import Credentials, DownloadRequest, Endpoints
from plugin.core.providers.geodes import GeodesProvider
url, key, dest, size, md5 = sys.argv[1:6]
try:
    download_product(requests.Session(), DownloadRequest(url, {"X-API-Key": key}), dest, expected_size=int(size),
                     expected_md5=md5, progress_cb=lambda d, t: os.kill(os.getpid(), signal.SIGKILL))
except Exception as e:
    print(type(e).__name__, e)
"""


def test_second_run_killed_just_after_it_starts_writing_never_corrupts_the_product(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=4 * MB, bandwidth_bps=1 * MB)
    p = _product(sim)
    dest = tmp_path / "p.zip"
    thread, outcome = _first_run(sim, p, dest)
    sim.inject("slow_first_byte", product_id=p.id, delay_s=0.7)
    child = subprocess.run([sys.executable, "-c", KILLED_CHILD, p.download_url, sim.config.api_key, str(dest),
                            str(p.size), p.md5], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           capture_output=True, text=True, timeout=60)
    thread.join(60)
    _final_file_is_the_product(p, dest, outcome)
    assert child.returncode == 0 and "ProductBusyError" in child.stdout   # it said so instead of writing


HOLDER = """
import sys, time
from plugin.core.product_lock import ProductLock
lock = ProductLock(sys.argv[1])
assert lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_lock_left_by_a_killed_run_is_not_stale(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=1 * MB)
    p = _product(sim)
    dest = tmp_path / "p.zip"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(dest)], cwd=ROOT, stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(ProductBusyError):
            _get(sim, p, dest)
        os.kill(holder.pid, signal.SIGKILL)
    finally:
        holder.wait()
    assert Path(str(dest) + ".lock").exists()          # left on disk by kill -9...
    assert _get(sim, p, dest).md5 == p.md5 == md5_file(dest)   # ...and no obstacle: the OS dropped the lock
    assert sorted(os.listdir(tmp_path)) == ["p.zip"]


def test_lock_is_exclusive_within_one_process_and_reusable():
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        dest = os.path.join(folder, "p.zip")
        first, second = ProductLock(dest), ProductLock(dest)
        assert first.acquire() and not second.acquire()
        first.release()
        assert second.acquire()
        second.release()
        assert os.listdir(folder) == []


def test_two_pipelines_into_one_folder_one_waits_and_says_so_both_end_verified(simulator_factory, tmp_path):
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=2 * MB, bandwidth_bps=2 * MB)

    def provider():
        return GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                              requests.Session())
    products = provider().search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", sim.config.start,
                                             sim.config.end, bbox=BBox(1.40, 43.55, 1.50, 43.65)))[:1]
    assert products
    results, seen = {}, []

    def run(name):
        results[name] = run_pipeline(provider(), products, str(tmp_path), options=PipelineOptions(poll_interval_s=0.2),
                                     on_status=lambda s: seen.append((name, s.state, s.reason)))
    first = threading.Thread(target=run, args=("first",))
    first.start()
    part = tmp_path / (products[0].extra["file_name"] + ".part")   # THEIA V4-0: the zip's own name
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not part.exists():
        time.sleep(0.01)
    run("second")
    first.join(60)
    for name in ("first", "second"):
        (status,) = results[name]
        assert status.state is ProductState.DONE, status.reason
        assert md5_file(status.path) == products[0].checksum
    assert any(name == "second" and "another run" in reason for name, _, reason in seen)
