"""The scheduler's decisions, with an in-memory catalogue, a fake clock and an instant fake downloader.

What a user would notice: every tape product is staged in one pass, online ones are fetched at once, the
service is polled with one request per tick, a product stuck on tape is asked again and finally reported
while the others finish, a 429 or a "not online" answer never loses a product, and a second run skips
what is already verified.
"""
import dataclasses
import datetime as dt
import hashlib
import io
import os
import threading
import zipfile

import pytest

from plugin.core import journal as journal_mod
from plugin.core.download import DownloadResult
from plugin.core.errors import Cancelled, NotOnlineError, QuotaError, RemoteError
from plugin.core.models import Availability, Product, ProductState
from plugin.core.pipeline import PipelineOptions, run_pipeline
from plugin.core.progress import CallbackProgress


def _zip_bytes(name):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inside.txt", name * 10)
    return buf.getvalue()


class FakeClock:
    def __init__(self):
        self.t = 1_000_000.0
        self.lock = threading.Lock()

    def now(self):
        with self.lock:
            return self.t

    def sleep(self, s):
        with self.lock:
            self.t += s


class FakeCatalogue:
    """Products come online `delay` fake seconds after staging is requested (never, when stuck)."""

    def __init__(self, clock, specs, batch=50, max_connections=4):
        self.clock, self.name = clock, "geodes"
        self.max_connections, self.availability_batch, self.session = max_connections, batch, object()
        self.products, self.delay, self.body, self.requested = [], {}, {}, {}
        self.staging_calls, self.availability_calls, self.download_calls = [], [], []
        self.stuck_until_rerequest = set()
        self.faults = {}   # product id -> list of exceptions to raise on the next downloads
        for k, (online, delay) in enumerate(specs):
            body = _zip_bytes(f"p{k}")
            p = Product("geodes", f"id{k}", f"S2A_PRODUCT_{k}", "THEIA_REFLECTANCE_SENTINEL2_L2A", "S2A",
                        dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc), "31TCJ", 51, 3.0, len(body),
                        hashlib.md5(body).hexdigest(),
                        Availability.ONLINE if online else Availability.OFFLINE)
            self.products.append(p)
            self.body[p.id] = body
            self.delay[p.id] = None if online else delay

    def online(self, pid):
        if self.delay[pid] is None:
            return True
        asks = self.requested.get(pid, [])
        if not asks:
            return False
        if pid in self.stuck_until_rerequest and len(asks) < 2:
            return False
        return self.clock.now() >= asks[-1] + self.delay[pid]

    def availability(self, products):
        assert len(products) <= self.availability_batch
        self.availability_calls.append([p.id for p in products])
        return {p.id: (Availability.ONLINE if self.online(p.id) else
                       Availability.STAGING if self.requested.get(p.id) else Availability.OFFLINE)
                for p in products}

    def request_staging(self, products):
        self.staging_calls.append([p.id for p in products])
        for p in products:
            self.requested.setdefault(p.id, []).append(self.clock.now())

    def download_request(self, product):
        from plugin.core.providers.base import DownloadRequest
        return DownloadRequest(f"http://example.invalid/{product.id}", {"X-API-Key": "secret"})

    def refresh_credentials(self):
        pass

    def download(self, session, request, dest, *, expected_size, expected_md5, progress_cb, cancelled,
                 refresh_request, title, **_):
        pid = request.url.rsplit("/", 1)[1]
        self.download_calls.append(pid)
        faults = self.faults.get(pid)
        if faults:
            raise faults.pop(0)
        if not self.online(pid):
            raise NotOnlineError(f"{title} is not online yet (HTTP 202)")
        body = self.body[pid]
        progress_cb(len(body) // 2, len(body))
        with open(dest + ".part", "wb") as f:
            f.write(body)
        progress_cb(len(body), len(body))
        os.replace(dest + ".part", dest)
        return DownloadResult(dest, len(body), hashlib.md5(body).hexdigest(), len(body))


def _options(clock, cat, **kw):
    base = dict(poll_interval_s=1.0, poll_interval_max_s=30.0, restage_after_s=600.0, staging_timeout_s=3600.0,
                retry_backoff_s=1.0, default_retry_after_s=2.0, clock=clock.now, sleep=clock.sleep,
                download=cat.download)
    base.update(kw)
    return PipelineOptions(**base)


def test_stages_all_offline_at_once_and_delivers_everything(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)] * 3 + [(False, 30 + 10 * k) for k in range(5)])
    seen = []
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat), on_status=seen.append)
    assert [s.state for s in statuses] == [ProductState.DONE] * 8
    # one staging call, covering exactly the five tape products, before any poll
    assert cat.staging_calls == [[f"id{k}" for k in range(3, 8)]]
    for s, p in zip(statuses, cat.products):
        assert s.path == os.path.join(str(tmp_path), p.title + ".zip")
        assert open(s.path, "rb").read() == cat.body[p.id]
    # every poll is one request for all products still waiting
    first, *polls = cat.availability_calls
    assert len(first) == 8 and all(len(c) >= 1 for c in polls)
    assert all(set(c) <= {f"id{k}" for k in range(3, 8)} for c in polls)
    # each tape product was fetched only once it was online (no wasted "not online" GETs)
    assert sorted(cat.download_calls) == sorted(p.id for p in cat.products)
    states = {s.state for s in seen}
    assert {ProductState.STAGING, ProductState.DOWNLOADING, ProductState.DONE} <= states


def test_poll_gap_backs_off_but_stays_a_small_fraction_of_elapsed_time(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 2000)])
    start = clock.now()
    times = []
    real = cat.availability

    def timed(products):
        times.append(clock.now() - start)
        return real(products)
    cat.availability = timed
    opts = _options(clock, cat, poll_interval_s=1.0, poll_interval_max_s=600.0, poll_lag_fraction=0.05,
                    restage_after_s=10_000)
    run_pipeline(cat, cat.products, str(tmp_path), options=opts)
    gaps = [b - a for a, b in zip(times[1:], times[2:])]
    assert gaps[0] < 2.0                      # starts short
    assert gaps[-1] > 20 * gaps[0]            # backs off
    assert all(g <= max(1.0, 0.05 * t) + 0.5 for g, t in zip(gaps, times[2:]))   # ≤ 5 % of the elapsed time
    noticed = times[-1] - 2000.0              # the product came online at 2000 s
    assert 0 <= noticed <= 0.05 * 2000 + 0.5  # noticed within 5 % of the elapsed time
    assert len(times) < 120                   # far fewer than one poll a second for 33 minutes


def test_stuck_product_is_restaged_then_reported_while_others_finish(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (False, 20), (False, 5), (False, 5)])
    cat.stuck_until_rerequest.add("id2")           # the PEPS bug: comes online only when asked again
    cat.delay["id3"] = 10 ** 9                      # never comes online
    opts = _options(clock, cat, restage_after_s=100.0, staging_timeout_s=500.0)
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=opts)
    by_id = {s.product_id: s for s in statuses}
    assert [by_id[f"id{k}"].state for k in range(3)] == [ProductState.DONE] * 3
    assert by_id["id3"].state is ProductState.FAILED
    assert "Still not online after 8 min" in by_id["id3"].reason
    assert len(cat.requested["id2"]) == 2
    assert not os.path.exists(os.path.join(str(tmp_path), "S2A_PRODUCT_3.zip"))


def test_429_and_not_online_answers_never_drop_a_product(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (True, 0)])
    cat.faults["id0"] = [QuotaError("429", retry_after=7), QuotaError("429", retry_after=7)]
    cat.faults["id1"] = [NotOnlineError("202 JSON", retry_after=5), RemoteError("HTTP 500")]
    starts = {}
    real = cat.download

    def timed(*a, **k):
        pid = a[1].url.rsplit("/", 1)[1]
        starts.setdefault(pid, []).append(clock.now())
        return real(*a, **k)
    opts = _options(clock, cat, download=timed)
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=opts)
    assert [s.state for s in statuses] == [ProductState.DONE, ProductState.DONE]
    gaps = [b - a for a, b in zip(starts["id0"], starts["id0"][1:])]
    assert len(gaps) == 2 and all(g >= 7 for g in gaps)           # Retry-After honoured
    assert starts["id1"][1] - starts["id1"][0] >= 5
    assert cat.staging_calls == []   # the refused GET was the staging order: no extra request before Retry-After


def test_transient_errors_give_up_after_max_attempts(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (True, 0)])
    cat.faults["id0"] = [RemoteError("HTTP 500 from the service")] * 10
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, max_attempts=3))
    assert statuses[0].state is ProductState.FAILED and "HTTP 500" in statuses[0].reason
    assert "3 attempts" in statuses[0].reason
    assert statuses[1].state is ProductState.DONE


def test_second_run_skips_verified_and_keeps_waiting_for_staged(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (True, 0), (False, 50)])
    opts = _options(clock, cat, staging_timeout_s=20.0, restage_after_s=1000.0)
    first = run_pipeline(cat, cat.products, str(tmp_path), options=opts)
    assert [s.state for s in first] == [ProductState.DONE, ProductState.DONE, ProductState.FAILED]
    entry = journal_mod.Journal(str(tmp_path)).get("id2")
    assert entry["state"] == journal_mod.STAGING and entry["staging_requested_at"]  # a re-run keeps waiting
    cat.download_calls.clear()
    cat.staging_calls.clear()
    second = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, restage_after_s=1000.0))
    assert [s.state for s in second] == [ProductState.DONE] * 3
    assert cat.download_calls == ["id2"]      # verified products are not fetched again
    assert cat.staging_calls == []            # staged ~20 s ago: no new request before restage_after_s


def test_file_already_in_folder_without_journal_is_hashed_and_kept(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (True, 0)])
    good = tmp_path / "S2A_PRODUCT_0.zip"
    good.write_bytes(cat.body["id0"])
    bad = tmp_path / "S2A_PRODUCT_1.zip"
    bad.write_bytes(b"x" * len(cat.body["id1"]))          # same size, wrong content
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat))
    assert [s.state for s in statuses] == [ProductState.DONE] * 2
    assert cat.download_calls == ["id1"]
    assert bad.read_bytes() == cat.body["id1"]


def test_cancel_raises_and_reports_cancelled(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 100)] * 3)
    seen = []
    progress = CallbackProgress(is_cancelled=lambda: clock.now() - 1_000_000.0 > 10)
    with pytest.raises(Cancelled):
        run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat), progress=progress,
                     on_status=seen.append)
    assert {s.state for s in seen[-3:]} == {ProductState.CANCELLED}
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".zip")]


def test_parallelism_is_the_min_of_ours_and_the_providers(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)] * 8, max_connections=2)
    running, peak, lock = [0], [0], threading.Lock()
    gate = threading.Event()
    real = cat.download

    def slow(*a, **k):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        gate.wait(0.05)
        try:
            return real(*a, **k)
        finally:
            with lock:
                running[0] -= 1
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, download=slow,
                                                                                max_connections=4))
    assert all(s.state is ProductState.DONE for s in statuses)
    assert peak[0] == 2


def test_offline_product_on_a_catalogue_without_staging_is_reported_at_once(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (False, 10)])
    cat.staging_supported = False
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat))
    assert statuses[0].state is ProductState.DONE
    assert statuses[1].state is ProductState.FAILED and "offers no way to bring it back" in statuses[1].reason
    assert cat.staging_calls == [] and clock.now() - 1_000_000.0 < 1.0


def test_two_products_with_the_same_title_get_two_files(tmp_path):
    # Catalogues do list distinct products (ids) under one name; sharing a .part would corrupt both.
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (True, 0)])
    twin = cat.products[1]
    cat.products[1] = dataclasses.replace(twin, title=cat.products[0].title)
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat))
    assert [s.state for s in statuses] == [ProductState.DONE] * 2
    assert statuses[0].path != statuses[1].path
    for s, p in zip(statuses, cat.products):
        assert open(s.path, "rb").read() == cat.body[p.id]


def test_a_short_availability_outage_does_not_fail_products_being_staged(tmp_path):
    # 503s for five minutes while products are on tape: they must keep waiting, then arrive.
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 400)] * 3)
    real, start = cat.availability, clock.now()

    def flaky(products):
        if 60 <= clock.now() - start < 360:
            raise RemoteError("GEODES failed the availability request with HTTP 503 after 4 attempts")
        return real(products)
    cat.availability = flaky
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, poll_interval_s=5.0))
    assert [s.state for s in statuses] == [ProductState.DONE] * 3


def test_a_lasting_availability_outage_is_reported(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 600)])
    real, start = cat.availability, clock.now()

    def down(products):
        if clock.now() - start > 1:
            raise RemoteError("GEODES could not be reached")
        return real(products)
    cat.availability = down
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, poll_interval_s=5.0))
    assert statuses[0].state is ProductState.FAILED and "could not be reached" in statuses[0].reason
    assert clock.now() - start < 3600   # well before the staging timeout


def test_a_hand_edited_journal_time_does_not_crash_the_run(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 30)])
    (tmp_path / journal_mod.JOURNAL_NAME).write_text(
        '{"version": 1, "products": {"id0": {"state": "staging", "staging_requested_at": "yesterday"}}}')
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat))
    assert statuses[0].state is ProductState.DONE and cat.staging_calls == [["id0"]]


def test_staging_timeout_counts_from_the_journaled_request_across_a_restart(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 10 ** 9)])          # never comes online
    opts = _options(clock, cat, staging_timeout_s=1000.0, restage_after_s=5000.0)
    journal = journal_mod.Journal(str(tmp_path))
    journal.update(cat.products[0], state=journal_mod.STAGING, staging_requested_at=clock.now() - 800.0)
    journal.flush()
    cat.requested["id0"] = [clock.now() - 800.0]
    started = clock.now()
    [status] = run_pipeline(cat, cat.products, str(tmp_path), options=opts)
    assert status.state is ProductState.FAILED
    assert clock.now() - started < 300.0        # 200 s left of the 1000 s, not a fresh 1000 s
    assert cat.staging_calls == []              # and no new staging request before restage_after_s


def _download_starts(cat, clock):
    starts, real = {}, cat.download

    def timed(*a, **k):
        starts.setdefault(a[1].url.rsplit("/", 1)[1], []).append(clock.now())
        return real(*a, **k)
    return starts, timed


def test_an_hour_long_retry_after_is_capped_and_the_product_kept(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)])
    cat.faults["id0"] = [QuotaError("429", retry_after=3 * 3600)]
    starts, timed = _download_starts(cat, clock)
    [status] = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, download=timed))
    assert status.state is ProductState.DONE
    cap = PipelineOptions().retry_after_max_s
    assert cap <= starts["id0"][1] - starts["id0"][0] <= cap + 1   # asked again after the cap, not in 3 h


def test_retry_after_zero_means_now_with_a_small_floor(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)])
    cat.faults["id0"] = [QuotaError("429", retry_after=0)]
    starts, timed = _download_starts(cat, clock)
    opts = _options(clock, cat, download=timed, default_retry_after_s=10.0)
    [status] = run_pipeline(cat, cat.products, str(tmp_path), options=opts)
    assert status.state is ProductState.DONE
    assert 1.0 <= starts["id0"][1] - starts["id0"][0] < 2.0   # not the 10 s default, not a tight loop


def test_no_status_follows_a_final_one(tmp_path, monkeypatch):
    # A worker reporting "all bytes in" just as the user cancels: its VERIFYING must not follow CANCELLED.
    import time as real_time
    import types

    from plugin.core import pipeline as pipeline_mod
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)])
    flag, armed, cancelled_seen, worker_done = (threading.Event() for _ in range(4))
    seen = []

    def stall_worker_after_its_cancel_check():   # _on_bytes reads the time between its check and its report
        if threading.current_thread().name.startswith("sentinel-mirror-download") and armed.is_set() \
                and not flag.is_set():
            flag.set()                           # the user cancels while this worker is in that gap
            cancelled_seen.wait(5)
        return real_time.monotonic()
    monkeypatch.setattr(pipeline_mod, "time", types.SimpleNamespace(monotonic=stall_worker_after_its_cancel_check,
                                                                    time=real_time.time, sleep=real_time.sleep))

    def download(session, request, dest, *, expected_size, progress_cb, **_):
        try:
            armed.set()
            progress_cb(expected_size, expected_size)
            raise Cancelled("Cancelled by the user.")
        finally:
            worker_done.set()

    def on_status(s):
        seen.append(s.state)
        if s.state is ProductState.CANCELLED:
            cancelled_seen.set()
    with pytest.raises(Cancelled):
        run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, download=download),
                     progress=CallbackProgress(is_cancelled=flag.is_set), on_status=on_status)
    assert worker_done.wait(5)
    assert ProductState.CANCELLED in seen and seen[-1] is ProductState.CANCELLED, seen
