"""What a hostile or broken server sends is bounded: never more than the product on disk, never inflated.

Each fault is opt-in in the simulator (tests/simulator/hostile.py). On failure the download must stop at
once and keep nothing larger than the product; the pipeline retries and then reports it in one sentence.
"""
import os
import threading
import time

import pytest
import requests

from plugin.core import download as download_mod
from plugin.core.download import download_product
from plugin.core.errors import DiskFullError, RemoteError
from plugin.core.models import ProductState
from plugin.core.pipeline import PipelineOptions, run_pipeline
from plugin.core.progress import CallbackProgress
from plugin.core.providers.base import Credentials, DownloadRequest, Endpoints
from plugin.core.providers.geodes import GeodesProvider

MB = 2 ** 20


def _product(sim):
    p = [p for p in sim.products if p.provider == "geodes"][0]
    sim.prebuild([p])
    return p


def _bounded_get(sim, p, folder, seconds=15):
    """Download with a watchdog: (error or None, largest file size seen in the folder while it ran)."""
    stop, biggest, outcome = threading.Event(), [0], {}

    def watch():
        while not stop.is_set():
            for name in os.listdir(folder):
                try:
                    biggest[0] = max(biggest[0], os.path.getsize(os.path.join(folder, name)))
                except OSError:
                    pass
            time.sleep(0.005)
    watcher = threading.Thread(target=watch)
    watcher.start()
    deadline = time.monotonic() + seconds    # on a server that is never cut off this ends the test, failed
    try:
        download_product(requests.Session(), DownloadRequest(p.download_url, {"X-API-Key": sim.config.api_key}),
                         os.path.join(folder, "p.zip"), expected_size=p.size, expected_md5=p.md5,
                         cancelled=lambda: time.monotonic() > deadline, title=p.title)
    except Exception as e:  # noqa: BLE001 - the test looks at it
        outcome["error"] = e
    finally:
        stop.set()
        watcher.join()
    return outcome.get("error"), biggest[0]


@pytest.mark.parametrize("fault, params", [
    ("endless", {"limit_bytes": 64 * MB}),
    ("oversized", {"extra_bytes": 4 * MB}),
    ("gzip_bomb", {"inflated_bytes": 64 * MB}),
    ("deflate_bomb", {"inflated_bytes": 64 * MB}),
])
def test_a_body_beyond_the_product_is_stopped_and_nothing_larger_is_kept(simulator_factory, tmp_path, fault, params):
    sim = simulator_factory(pad_to=1 * MB)
    p = _product(sim)
    sim.inject(fault, product_id=p.id, **params)
    error, biggest = _bounded_get(sim, p, str(tmp_path))
    assert biggest <= p.size
    assert isinstance(error, RemoteError), error
    assert "Traceback" not in str(error) and p.title in str(error) and "tried again" in str(error)
    assert os.listdir(tmp_path) == []          # nothing oversized (nor a part of it) is kept
    # the next attempt, against an honest answer, delivers
    download_product(requests.Session(), DownloadRequest(p.download_url, {"X-API-Key": sim.config.api_key}),
                     str(tmp_path / "p.zip"), expected_size=p.size, expected_md5=p.md5)
    assert os.path.getsize(tmp_path / "p.zip") == p.size


def test_products_are_asked_for_uncompressed(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=1 * MB)
    p = _product(sim)
    seen = []
    session = requests.Session()
    session.hooks["response"].append(lambda r, *a, **k: seen.append(r.request.headers.get("Accept-Encoding")))
    download_product(session, DownloadRequest(p.download_url, {"X-API-Key": sim.config.api_key}),
                     str(tmp_path / "p.zip"), expected_size=p.size, expected_md5=p.md5)
    assert seen == ["identity"]


def test_free_space_is_checked_again_as_the_download_grows(simulator_factory, tmp_path, monkeypatch):
    sim = simulator_factory(pad_to=2 * MB)
    p = _product(sim)
    real = download_mod.shutil.disk_usage
    calls = []

    def shrinking(path):   # another program fills the disk while we download
        calls.append(path)
        usage = real(path)
        return usage if len(calls) == 1 else usage._replace(free=download_mod.DISK_MARGIN // 2)
    monkeypatch.setattr(download_mod.shutil, "disk_usage", shrinking)
    monkeypatch.setattr(download_mod, "SPACE_CHECK_BYTES", 256 * 1024)
    with pytest.raises(DiskFullError, match="Not enough free disk space"):
        download_product(requests.Session(), DownloadRequest(p.download_url, {"X-API-Key": sim.config.api_key}),
                         str(tmp_path / "p.zip"), expected_size=p.size, expected_md5=p.md5)
    part = tmp_path / "p.zip.part"
    assert 0 < part.stat().st_size < 1 * MB      # stopped early, a clean part kept for the resume
    with open(p.path, "rb") as f:
        assert f.read(part.stat().st_size) == part.read_bytes()


def test_the_pipeline_retries_an_endless_body_then_reports_it_in_one_sentence(simulator_factory, tmp_path):
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=256 * 1024)
    provider = GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                              requests.Session())
    from plugin.core.models import BBox, SearchQuery
    (product,) = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", sim.config.start,
                                             sim.config.end, bbox=BBox(1.40, 43.55, 1.50, 43.65)))[:1]
    sim.inject("endless", product_id=product.id, count=10, limit_bytes=16 * MB)
    deadline = time.monotonic() + 30
    options = PipelineOptions(retry_backoff_s=0.05, max_attempts=3)
    (status,) = run_pipeline(provider, [product], str(tmp_path), options=options,   # a watchdog for a client
                             progress=CallbackProgress(is_cancelled=lambda: time.monotonic() > deadline))  # w/o bound
    assert status.state is ProductState.FAILED
    assert "more data than" in status.reason and "\n" not in status.reason
    assert [n for n in os.listdir(tmp_path) if not n.startswith(".sentinel-mirror-journal")] == []


def test_a_folder_that_turns_read_only_fails_at_once_not_after_retries(simulator_factory, tmp_path, monkeypatch):
    import errno
    sim = simulator_factory(collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), pad_to=256 * 1024)
    provider = GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                              requests.Session())
    from plugin.core.models import BBox, SearchQuery
    products = provider.search(SearchQuery("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", sim.config.start,
                                           sim.config.end, bbox=BBox(1.40, 43.55, 1.50, 43.65)))[:2]

    def read_only(path, *args, **kwargs):   # the folder was remounted read-only after the run started
        if str(path).endswith(".part"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return open(path, *args, **kwargs)
    monkeypatch.setattr(download_mod, "open", read_only, raising=False)
    started = time.monotonic()
    statuses = run_pipeline(provider, products, str(tmp_path), options=PipelineOptions())   # default backoff 5 s
    assert time.monotonic() - started < 4
    for status in statuses:
        assert status.state is ProductState.FAILED
        assert "read-only disk" in status.reason and "choose a folder you can write to" in status.reason


MEASURE_CHILD = """
import os, resource, sys, requests
from plugin.core.download import download_product
from plugin.core.providers.base import DownloadRequest
url, key, dest, size, md5 = sys.argv[1:6]
session = requests.Session()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    download_product(session, DownloadRequest(url, {"X-API-Key": key}), dest, expected_size=int(size),
                     expected_md5=md5, cancelled=lambda: os.path.exists(dest + ".part")
                     and os.path.getsize(dest + ".part") > 4 * int(size))   # a watchdog for a client without bound
except Exception as e:
    print(type(e).__name__)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


def test_a_compression_bomb_keeps_memory_near_normal(simulator_factory, tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    sim = simulator_factory(pad_to=1 * MB)
    p = _product(sim)
    sim.inject("gzip_bomb", product_id=p.id, inflated_bytes=512 * MB)
    child = subprocess.run([sys.executable, "-c", MEASURE_CHILD, p.download_url, sim.config.api_key,
                            str(tmp_path / "p.zip"), str(p.size), p.md5], cwd=root, capture_output=True, text=True,
                           timeout=120, env={**os.environ, "PYTHONPATH": str(root)})
    outcome, grew_mb = child.stdout.split()
    assert outcome == "RemoteError" and int(grew_mb) < 32, child.stdout   # +205 MB when the bomb was inflated
