"""The downloader against the mirror simulator: resume, verification, faults, disk full, cancel.

A file with the product's name must only ever appear complete and verified; everything in between is a
`.part` file that the next run resumes.
"""
import errno
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from plugin.core import download as download_mod
from plugin.core.download import download_product
from plugin.core.errors import (AuthError, Cancelled, ChecksumError, DiskFullError, NotOnlineError, QuotaError)
from plugin.core.providers.base import DownloadRequest
from tests.simulator import md5_file

ROOT = Path(__file__).resolve().parents[2]
MB = 2 ** 20


def _geodes(sim, n=1, offline=False):
    products = [p for p in sim.products if p.provider == "geodes"][:n]
    for p in products:
        if offline:
            sim.set_offline(p.id)
    sim.prebuild(products)
    return products


def _request(sim, p):
    return DownloadRequest(p.download_url, {"X-API-Key": sim.config.api_key})


def _get(sim, p, dest, **kw):
    kw.setdefault("expected_size", p.size)
    kw.setdefault("expected_md5", p.md5)
    return download_product(requests_session(), _request(sim, p), str(dest), **kw)


def requests_session():
    import requests
    return requests.Session()


@pytest.fixture
def small(simulator_factory):
    return simulator_factory(pad_to=1 * MB)


def test_download_lands_only_when_verified(small, tmp_path):
    p = _geodes(small)[0]
    dest = tmp_path / "product.zip"
    seen = set()
    stop = threading.Event()

    def watch():  # "no file named like a product exists before it is verified"
        while not stop.is_set():
            seen.update(os.listdir(tmp_path))
            time.sleep(0.002)
    small.config.bandwidth_bps = 4 * MB
    watcher = threading.Thread(target=watch)
    watcher.start()
    names_at_progress = []
    try:
        result = _get(small, p, dest, progress_cb=lambda d, t: names_at_progress.append(
            (d, t, dest.exists())))
    finally:
        stop.set()
        watcher.join()
    assert result.size == p.size and result.md5 == p.md5 and md5_file(dest) == p.md5
    assert os.listdir(tmp_path) == ["product.zip"]
    assert "product.zip.part" in seen
    assert not any(exists for _, _, exists in names_at_progress)
    assert names_at_progress[-1][:2] == (p.size, p.size)


def test_resume_after_dropped_connection_transfers_each_byte_once(small, tmp_path):
    p = _geodes(small)[0]
    small.inject("drop", product_id=p.id, after_bytes=300_000)
    result = _get(small, p, tmp_path / "p.zip", sleep=lambda s: None)
    assert md5_file(tmp_path / "p.zip") == p.md5
    assert small.stats.bytes_served[p.id] == p.size          # resumed with Range, not restarted
    assert result.bytes_transferred == p.size
    assert small.stats.requests["geodes.download"] == 2


def test_truncated_answer_is_resumed(small, tmp_path):
    p = _geodes(small)[0]
    small.inject("truncate", product_id=p.id, after_bytes=200_000)
    _get(small, p, tmp_path / "p.zip", sleep=lambda s: None)
    assert md5_file(tmp_path / "p.zip") == p.md5
    assert small.stats.bytes_served[p.id] == p.size


def test_resume_when_server_ignores_range_restarts_cleanly(small, tmp_path):
    p = _geodes(small)[0]
    part = tmp_path / "p.zip.part"
    part.write_bytes(Path(p.path).read_bytes()[:400_000])
    small.inject("ignore_range", product_id=p.id)
    _get(small, p, tmp_path / "p.zip")
    assert md5_file(tmp_path / "p.zip") == p.md5 and not part.exists()


def test_resume_hashes_the_existing_prefix(small, tmp_path):
    """A .part whose prefix is wrong (another file) must not pass: the MD5 covers the whole file."""
    p = _geodes(small)[0]
    part = tmp_path / "p.zip.part"
    part.write_bytes(b"\0" * 400_000)
    _get(small, p, tmp_path / "p.zip")                         # corrupt once → retried from zero
    assert md5_file(tmp_path / "p.zip") == p.md5
    assert small.stats.bytes_served[p.id] == (p.size - 400_000) + p.size


def test_cancel_is_noticed_while_hashing_a_large_part(small, tmp_path, monkeypatch):
    """Resuming hashes the .part first (gigabytes for a real product): a cancel must not wait for the end."""
    p = _geodes(small)[0]
    part = tmp_path / "p.zip.part"
    part.write_bytes(b"\0" * 600_000)
    monkeypatch.setattr(download_mod, "HASH_CHUNK", 1024)
    checks = []

    def cancelled():   # the user cancels while the first kilobytes are hashed
        checks.append(1)
        return len(checks) > 3
    with pytest.raises(Cancelled):
        _get(small, p, tmp_path / "p.zip", expected_size=p.size, cancelled=cancelled)
    assert len(checks) == 4                                  # stopped at once, not after 586 more blocks
    assert small.stats.requests["geodes.download"] == 0 and part.stat().st_size == 600_000   # part kept


def test_complete_part_left_by_a_kill_before_the_rename_is_verified_not_downloaded_again(small, tmp_path):
    p = _geodes(small)[0]
    (tmp_path / "p.zip.part").write_bytes(Path(p.path).read_bytes())
    result = _get(small, p, tmp_path / "p.zip")
    assert md5_file(tmp_path / "p.zip") == p.md5 and result.bytes_transferred == 0
    assert small.stats.bytes_served.get(p.id, 0) == 0


def test_corrupt_body_is_detected_and_retried_once(small, tmp_path):
    p = _geodes(small)[0]
    small.inject("corrupt", product_id=p.id)
    _get(small, p, tmp_path / "p.zip")
    assert md5_file(tmp_path / "p.zip") == p.md5
    assert small.stats.bytes_served[p.id] == 2 * p.size


def test_corrupt_twice_is_reported_and_nothing_is_stored(small, tmp_path):
    p = _geodes(small)[0]
    small.inject("corrupt", product_id=p.id, count=2)
    with pytest.raises(ChecksumError, match="corrupt both times.*MD5"):
        _get(small, p, tmp_path / "p.zip")
    assert os.listdir(tmp_path) == []


def test_zip_check_without_md5(small, tmp_path):
    """No catalogue MD5: a same-size body that is not a zip is still refused."""
    p = _geodes(small)[0]
    eocd = Path(p.path).read_bytes().rfind(b"PK\x05\x06")   # the zip's end-of-central-directory record
    small.inject("corrupt", product_id=p.id, count=2, offsets=(eocd, eocd + 1))
    with pytest.raises(ChecksumError, match="not a valid zip"):
        _get(small, p, tmp_path / "p.zip", expected_md5=None)
    assert os.listdir(tmp_path) == []


def test_expired_credentials_are_refreshed_once(small, tmp_path):
    p = _geodes(small)[0]
    small.inject("401", product_id=p.id)
    calls = []

    def refresh():
        calls.append(1)
        return _request(small, p)
    _get(small, p, tmp_path / "p.zip", refresh_request=refresh)
    assert calls == [1] and md5_file(tmp_path / "p.zip") == p.md5
    small.inject("403", product_id=p.id, count=2)
    with pytest.raises(AuthError):
        _get(small, p, tmp_path / "q.zip", refresh_request=refresh)
    assert len(calls) == 2 and not (tmp_path / "q.zip").exists()


def test_429_carries_retry_after(small, tmp_path):
    p = _geodes(small)[0]
    small.inject("429", product_id=p.id, retry_after=7)
    with pytest.raises(QuotaError) as e:
        _get(small, p, tmp_path / "p.zip")
    assert e.value.retry_after == 7
    assert os.listdir(tmp_path) == []


def test_a_geodes_410_is_on_tape_not_removed_and_never_stored(simulator_factory, tmp_path):
    from plugin.core.errors import GoneError
    sim = simulator_factory(offline_fraction=0.5, staging_delay_s=60)
    p = _geodes(sim, offline=True)[0]
    with pytest.raises(GoneError) as e:
        _get(sim, p, tmp_path / "p.zip")
    assert isinstance(e.value, NotOnlineError) and "410" in str(e.value) and "on tape" in str(e.value)
    assert "no longer" not in str(e.value)
    assert os.listdir(tmp_path) == []


def test_html_answer_is_never_stored(small, tmp_path):
    p = _geodes(small)[0]
    small.inject("non_json", product_id=p.id, endpoint="download")
    with pytest.raises(NotOnlineError, match="message instead of the product"):
        _get(small, p, tmp_path / "p.zip")
    assert os.listdir(tmp_path) == []


def test_cancel_stops_within_a_second_and_keeps_only_the_part(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=4 * MB, bandwidth_bps=1 * MB)
    p = _geodes(sim)[0]
    cancel_at = []
    flag = threading.Event()
    threading.Timer(0.8, lambda: (cancel_at.append(time.monotonic()), flag.set())).start()
    with pytest.raises(Cancelled):
        _get(sim, p, tmp_path / "p.zip", cancelled=flag.is_set)
    assert time.monotonic() - cancel_at[0] < 1.0
    assert os.listdir(tmp_path) == ["p.zip.part"]
    assert 0 < (tmp_path / "p.zip.part").stat().st_size < p.size


def test_not_enough_free_space_is_refused_before_downloading(small, tmp_path, monkeypatch):
    p = _geodes(small)[0]
    real = download_mod.shutil.disk_usage
    monkeypatch.setattr(download_mod.shutil, "disk_usage",
                        lambda path: real(path)._replace(free=p.size // 2))
    with pytest.raises(DiskFullError, match="Not enough free disk space .* Free some space"):
        _get(small, p, tmp_path / "p.zip")
    assert os.listdir(tmp_path) == [] and small.stats.bytes_served[p.id] == 0


def test_disk_filling_up_mid_download_keeps_a_clean_resumable_part(small, tmp_path, monkeypatch):
    p = _geodes(small)[0]
    limit = 500_000

    class FullDisk:
        def __init__(self, f):
            self.f = f

        def write(self, data):
            room = limit - self.f.tell()
            if room <= 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.f.write(bytes(data[:room]))

        def __getattr__(self, name):
            return getattr(self.f, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()
    monkeypatch.setattr(download_mod, "open", lambda *a, **k: FullDisk(open(*a, **k)), raising=False)
    with pytest.raises(DiskFullError, match="disk filled up.*resumes"):
        _get(small, p, tmp_path / "p.zip")
    assert os.listdir(tmp_path) == ["p.zip.part"]
    part = (tmp_path / "p.zip.part").read_bytes()
    assert Path(p.path).read_bytes().startswith(part)       # a clean prefix of the product
    monkeypatch.undo()
    _get(small, p, tmp_path / "p.zip")                        # space freed: resumes and verifies
    assert md5_file(tmp_path / "p.zip") == p.md5


CHILD = """
import sys, requests
from plugin.core.download import download_product
from plugin.core.providers.base import DownloadRequest
url, key, dest, size, md5 = sys.argv[1:6]
download_product(requests.Session(), DownloadRequest(url, {"X-API-Key": key}), dest,
                 expected_size=int(size), expected_md5=md5)
"""


def test_resume_after_the_process_is_killed(simulator_factory, tmp_path):
    sim = simulator_factory(pad_to=4 * MB, bandwidth_bps=2 * MB)
    p = _geodes(sim)[0]
    dest = tmp_path / "p.zip"
    part = tmp_path / "p.zip.part"
    child = subprocess.Popen([sys.executable, "-c", CHILD, p.download_url, sim.config.api_key, str(dest),
                              str(p.size), p.md5], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (not part.exists() or part.stat().st_size < 1 * MB):
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    kept = part.stat().st_size
    assert MB <= kept < p.size and not dest.exists()
    deadline = time.monotonic() + 10       # let the server notice the dead client before counting
    while sim.stats.open_downloads and time.monotonic() < deadline:
        time.sleep(0.05)
    before = sim.stats.bytes_served[p.id]
    result = _get(sim, p, dest)
    second = sim.stats.bytes_served[p.id] - before
    assert md5_file(dest) == p.md5
    assert second == p.size - kept < p.size                  # fewer bytes than a restart from zero
    assert result.bytes_transferred == second


def test_logs_name_the_product_never_the_url_or_the_key(small, tmp_path, caplog):
    import logging
    caplog.set_level(logging.DEBUG, logger="sentinel_mirror")
    p = _geodes(small)[0]
    small.inject("401", product_id=p.id)
    small.inject("drop", product_id=p.id, after_bytes=100_000)
    small.inject("corrupt", product_id=p.id)
    _get(small, p, tmp_path / "p.zip", refresh_request=lambda: _request(small, p), sleep=lambda s: None,
         title="S2_PRODUCT")
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "sentinel_mirror")
    assert "S2_PRODUCT" in text and "resuming" in text and "refreshing" in text
    assert small.config.api_key not in text and "http" not in text and p.id not in text
