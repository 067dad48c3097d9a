"""The scheduler's decisions, with an in-memory catalogue, a fake clock and an instant fake downloader.

What a user would notice: online products are fetched at once; products on tape are listed with what to do
(neither GEODES nor CDSE can be asked by API to bring them back) and get at most one download GET until the
availability endpoint says they are online; the watch asks with one request per tick, gently, and fetches each
product as soon as the user's portal order has brought it back; a 429 never loses a product; a second run (or
another process) skips what is verified and resumes the watch from the journal.
"""
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import threading
import time
import zipfile

import pytest

from plugin.core import journal as journal_mod
from plugin.core.download import DownloadResult
from plugin.core.errors import AuthError, Cancelled, GoneError, QuotaError, RemoteError
from plugin.core.models import Availability, Product, ProductState
from plugin.core.pipeline import PipelineOptions, pending_products, run_pipeline
from plugin.core.progress import CallbackProgress
from plugin.core.providers.geodes import offline_recall


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
    """GEODES-like: products on tape come online `delay` fake seconds after the user orders them in the portal
    (order(), at a fake time: `order_at`); a download GET of one answers 410 and changes nothing."""

    def __init__(self, clock, specs, batch=50, max_connections=4):
        self.clock, self.name = clock, "geodes"
        self.max_connections, self.availability_batch, self.session = max_connections, batch, object()
        self.offline_recall = offline_recall("https://geodes-portal.cnes.fr")
        self.products, self.delay, self.body, self.ordered = [], {}, {}, {}
        self.availability_calls, self.download_calls = [], []
        self.order_at = None   # fake seconds after the start at which the user orders every product on tape
        self.start = clock.now()
        self.faults = {}   # product id -> list of exceptions to raise on the next downloads
        for k, (online, delay) in enumerate(specs):
            body = _zip_bytes(f"p{k}")
            p = Product("geodes", f"id{k}", f"S2A_PRODUCT_{k}", "THEIA_REFLECTANCE_SENTINEL2_L2A", "S2A",
                        dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc), "31TCJ", 51, 3.0, len(body),
                        hashlib.md5(body).hexdigest(), Availability.UNKNOWN)
            self.products.append(p)
            self.body[p.id] = body
            self.delay[p.id] = None if online else delay

    def order(self, pids=None):
        for pid in pids or [p.id for p in self.products]:
            self.ordered.setdefault(pid, self.clock.now())

    def online(self, pid):
        if self.delay[pid] is None:
            return True
        if self.order_at is not None and self.clock.now() - self.start >= self.order_at:
            self.order()
        return pid in self.ordered and self.clock.now() >= self.ordered[pid] + self.delay[pid]

    def availability(self, products):
        assert len(products) <= self.availability_batch
        self.availability_calls.append([p.id for p in products])
        return {p.id: Availability.ONLINE if self.online(p.id) else Availability.OFFLINE for p in products}

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
            raise GoneError(f"{title} is not online: the service answered HTTP 410 (on tape)")
        body = self.body[pid]
        progress_cb(len(body) // 2, len(body))
        with open(dest + ".part", "wb") as f:
            f.write(body)
        progress_cb(len(body), len(body))
        os.replace(dest + ".part", dest)
        return DownloadResult(dest, len(body), hashlib.md5(body).hexdigest(), len(body))


def _options(clock, cat, **kw):
    base = dict(poll_interval_s=1.0, poll_interval_max_s=30.0, watch_s=3600.0, retry_backoff_s=1.0,
                default_retry_after_s=2.0, clock=clock.now, sleep=clock.sleep, download=cat.download)
    base.update(kw)
    return PipelineOptions(**base)


def test_online_at_once_tape_listed_with_instructions_and_no_get(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)] * 3 + [(False, 30)] * 4)
    seen, stats = [], {}
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, watch_s=0),
                            on_status=seen.append, stats=stats)
    assert [s.state for s in statuses] == [ProductState.DONE] * 3 + [ProductState.OFFLINE] * 4
    assert all(s.reason == "order in the GEODES explorer" for s in statuses[3:])   # on tape, not failed
    assert sorted(cat.download_calls) == ["id0", "id1", "id2"]     # no GET for a product the endpoint says is on tape
    assert cat.availability_calls == [[f"id{k}" for k in range(7)]]   # one batched request, no watch
    assert clock.now() - cat.start < 1.0
    assert stats["instructions"].startswith("4 products are on tape at GEODES. GEODES lets you bring them back only "
                                            "from its explorer: open it, find these products, request their "
                                            "transfer.")
    listed = open(stats["tape_list"], encoding="utf-8").read().splitlines()
    assert os.path.dirname(stats["tape_list"]) == str(tmp_path)
    assert listed[0] == stats["instructions"] and listed[3:] == [f"S2A_PRODUCT_{k}" for k in range(3, 7)]
    assert not any(s.state is ProductState.FAILED for s in seen)


def test_the_watch_fetches_each_product_once_the_user_has_ordered_it(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)] * 2 + [(False, 40 + 10 * k) for k in range(5)])
    cat.order_at = 300.0
    stats = {}
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat), stats=stats)
    assert [s.state for s in statuses] == [ProductState.DONE] * 7
    for s, p in zip(statuses, cat.products):
        assert open(s.path, "rb").read() == cat.body[p.id]
    assert sorted(cat.download_calls) == sorted(p.id for p in cat.products)   # one GET each, once online
    first, *polls = cat.availability_calls
    assert len(first) == 7 and polls and all(set(c) <= {f"id{k}" for k in range(2, 7)} for c in polls)
    assert stats["max_requests_per_tick"] == 1 and stats["poll_ticks"] == len(polls)
    assert stats["on_tape"] == [] and stats["tape_list"] is None and not os.path.exists(tmp_path / "on-tape-GEODES.txt")
    assert clock.now() - cat.start < 300 + 80 + 0.03 * 400 + 2   # noticed within a few % of the wait


def test_an_unknown_product_gets_one_get_then_waits_for_the_endpoint(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (False, 20)])
    real, calls = cat.availability, []

    def first_fails(products):
        calls.append(1)
        if len(calls) == 1:
            raise RemoteError("GEODES failed the availability request with HTTP 502")
        return real(products)
    cat.availability = first_fails
    cat.order_at = 100.0
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat))
    assert [s.state for s in statuses] == [ProductState.DONE] * 2
    # one 410 (then the product is on tape), one download once the endpoint said online: nothing in between
    assert cat.download_calls.count("id1") == 2 and len(calls) > 5


def test_a_410_for_a_product_said_online_is_reported_as_withdrawn(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)])
    cat.faults["id0"] = [GoneError("HTTP 410")]
    [status] = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat))
    assert status.state is ProductState.FAILED and "withdrawn" in status.reason


def test_poll_gap_backs_off_but_stays_a_small_fraction_of_the_wait(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 2000)])
    cat.order()
    start = clock.now()
    times = []
    real = cat.availability

    def timed(products):
        times.append(clock.now() - start)
        return real(products)
    cat.availability = timed
    opts = _options(clock, cat, poll_interval_s=1.0, poll_interval_max_s=600.0, poll_lag_fraction=0.05)
    run_pipeline(cat, cat.products, str(tmp_path), options=opts)
    gaps = [b - a for a, b in zip(times[1:], times[2:])]
    assert gaps[0] < 2.0                      # starts short
    assert gaps[-1] > 20 * gaps[0]            # backs off
    assert all(g <= max(1.0, 0.05 * t) + 0.5 for g, t in zip(gaps, times[2:]))   # ≤ 5 % of the elapsed time
    noticed = times[-1] - 2000.0              # the product came online at 2000 s
    assert 0 <= noticed <= 0.05 * 2000 + 0.5  # noticed within 5 % of the elapsed time
    assert len(times) < 120                   # far fewer than one poll a second for 33 minutes


def test_default_watch_is_gentle():
    d = PipelineOptions()
    assert d.poll_interval_s == 60.0 and d.poll_interval_max_s == 900.0


def test_429_never_drops_a_product(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (True, 0)])
    cat.faults["id0"] = [QuotaError("429", retry_after=7), QuotaError("429", retry_after=7)]
    cat.faults["id1"] = [RemoteError("HTTP 500")]
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


def test_transient_errors_give_up_after_max_attempts(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (True, 0)])
    cat.faults["id0"] = [RemoteError("HTTP 500 from the service")] * 10
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, max_attempts=3))
    assert statuses[0].state is ProductState.FAILED and "HTTP 500" in statuses[0].reason
    assert "3 attempts" in statuses[0].reason
    assert statuses[1].state is ProductState.DONE


def test_another_process_resumes_the_watch_from_the_journal(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0), (True, 0), (False, 50)])
    first = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, watch_s=20.0))
    assert [s.state for s in first] == [ProductState.DONE, ProductState.DONE, ProductState.OFFLINE]
    assert "still on tape" in first[2].reason
    entry = journal_mod.Journal(str(tmp_path)).get("id2")
    assert entry["state"] == journal_mod.TAPE and entry["tape_since"]
    # a new process knows nothing but the folder: it rebuilds the product from the journal
    [again] = pending_products(str(tmp_path), "geodes")
    assert again == cat.products[2]
    cat.download_calls.clear()
    cat.order()
    second = run_pipeline(cat, [again] + cat.products[:2], str(tmp_path), options=_options(clock, cat))
    assert [s.state for s in second] == [ProductState.DONE] * 3
    assert cat.download_calls == ["id2"]      # verified products are not fetched again
    assert pending_products(str(tmp_path)) == []


def test_the_watch_ends_with_products_still_on_tape_never_failed(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 10 ** 9)] * 2)
    started = clock.now()
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, watch_s=1000.0))
    assert [s.state for s in statuses] == [ProductState.OFFLINE] * 2
    assert 1000 <= clock.now() - started < 1100 and cat.download_calls == []
    assert len(pending_products(str(tmp_path))) == 2


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


def test_cancel_raises_reports_cancelled_and_keeps_the_watch_resumable(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 100)] * 3)
    seen = []
    progress = CallbackProgress(is_cancelled=lambda: clock.now() - 1_000_000.0 > 10)
    with pytest.raises(Cancelled):
        run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat), progress=progress,
                     on_status=seen.append)
    assert {s.state for s in seen[-3:]} == {ProductState.CANCELLED}
    assert all("Stopped watching" in s.reason for s in seen[-3:])
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".zip")]
    assert len(pending_products(str(tmp_path))) == 3


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


@pytest.mark.parametrize("watch_s", [0.0, 3600.0], ids=["no watch", "watching"])
def test_the_coordinator_sleeps_while_downloads_run(tmp_path, watch_s):
    # With no watch (the dock's download, Processing without a wait) the coordinator once computed its next wake
    # from the watch's end, already past: it spun a whole core for the whole download and starved the download
    # threads of the GIL (the dock's 292-product download crawled at 2 products/s instead of 60).
    clock = FakeClock()
    specs = [(True, 0)] * 6 + ([(False, 10_000)] if watch_s else [])   # watching: one product stays on tape
    cat = FakeCatalogue(clock, specs, max_connections=2)
    real = cat.download

    def slow(*a, **k):
        time.sleep(0.3)   # a real transfer: the worker waits on the network, the coordinator should too
        return real(*a, **k)
    # watching: an availability request falls due while both connections download (it waits for one)
    opts = dataclasses.replace(_options(clock, cat, download=slow, watch_s=watch_s, poll_interval_s=0.2),
                               clock=time.time, sleep=time.sleep)
    wall0, cpu0 = time.monotonic(), time.thread_time()   # the coordinator is this thread
    progress = CallbackProgress(is_cancelled=lambda: time.monotonic() - wall0 > 1.5)   # the watch stops at 1.5 s
    try:
        statuses = run_pipeline(cat, cat.products, str(tmp_path), options=opts, progress=progress)
    except Cancelled:
        statuses = None
    wall, cpu = time.monotonic() - wall0, time.thread_time() - cpu0
    assert statuses is None or all(s.state is ProductState.DONE for s in statuses)
    assert all(os.path.exists(tmp_path / f"S2A_PRODUCT_{k}.zip") for k in range(6))
    assert wall >= 0.85 and cpu < 0.1 * wall, f"coordinator used {cpu:.2f} s of CPU in {wall:.2f} s"


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


def test_an_availability_outage_does_not_fail_products_on_tape(tmp_path):
    # 503s for five minutes while products are on tape: they must keep waiting, then arrive.
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 400)] * 3)
    cat.order()
    real, start = cat.availability, clock.now()

    def flaky(products):
        if 60 <= clock.now() - start < 360:
            raise RemoteError("GEODES failed the availability request with HTTP 503 after 4 attempts")
        return real(products)
    cat.availability = flaky
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, poll_interval_s=5.0))
    assert [s.state for s in statuses] == [ProductState.DONE] * 3


def test_a_refused_key_stops_the_watch_keeps_products_on_tape_and_a_later_run_resumes(tmp_path):
    # The key is revoked 100 s into the watch: the products on tape are not the service's refusal's fault.
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)] + [(False, 50)] * 3, batch=2)
    real, start = cat.availability, clock.now()
    refused = []

    def revoked(products):
        if clock.now() - start >= 100:
            refused.append(clock.now())
            raise AuthError("GEODES refused the credentials (HTTP 401) for the availability request. X-API-Key: k-1")
        return real(products)
    cat.availability = revoked
    seen, stats = [], {}
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, watch_s=3600.0),
                            on_status=seen.append, stats=stats)
    assert [s.state for s in statuses] == [ProductState.DONE] + [ProductState.OFFLINE] * 3
    assert not any(s.state is ProductState.FAILED for s in seen)
    # (the fake has no watch_auth_reason: the pipeline's own wording; the real clients' is in test_watch_auth.py)
    stopped = ("Watch stopped: GEODES refused the credentials. Check them in Settings → Options → Sentinel Mirror, "
               "then run the download again to resume watching.")
    assert all(s.reason == stopped for s in statuses[1:]) and stats["watch_stopped"] == stopped
    assert any(s.state is ProductState.OFFLINE and s.reason == stopped for s in seen)   # said as it happens
    assert len(refused) == 1 and clock.now() - start < 200   # stopped at once: no hammering, no hour-long wait
    assert stats["instructions"].startswith(stopped + " 3 products are on tape at GEODES.")
    assert sorted(p.id for p in pending_products(str(tmp_path), "geodes")) == ["id1", "id2", "id3"]
    assert "k-1" not in open(os.path.join(str(tmp_path), journal_mod.JOURNAL_NAME), encoding="utf-8").read()
    # the key fixed, the products ordered: a new run resumes the watch and fetches them
    cat.availability = real
    cat.order()
    again = run_pipeline(cat, pending_products(str(tmp_path), "geodes"), str(tmp_path),
                         options=_options(clock, cat), stats=(stats := {}))
    assert [s.state for s in again] == [ProductState.DONE] * 3 and not stats["watch_stopped"]
    assert pending_products(str(tmp_path)) == []


def test_a_product_the_watch_brought_back_refused_for_the_credentials_goes_back_on_tape(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 10), (False, 10 ** 9)])
    cat.order()
    cat.faults["id0"] = [AuthError("The catalogue refused the credentials for S2A_PRODUCT_0 (HTTP 401).")]
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, watch_s=3600.0))
    assert [s.state for s in statuses] == [ProductState.OFFLINE] * 2
    assert all(s.reason.startswith("Watch stopped: GEODES refused the credentials.") for s in statuses)
    assert cat.download_calls == ["id0"] and clock.now() - cat.start < 100
    assert sorted(p.id for p in pending_products(str(tmp_path), "geodes")) == ["id0", "id1"]


def test_an_online_product_refused_for_the_credentials_still_fails(tmp_path):
    # not watched: the run's own download was refused, said as a failure (as before)
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)])
    cat.faults["id0"] = [AuthError("GEODES refused the API key.")]
    [status] = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat, watch_s=0))
    assert status.state is ProductState.FAILED and status.reason == "GEODES refused the API key."


def test_a_hand_edited_journal_does_not_crash_the_run(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(False, 30)])
    cat.order()
    (tmp_path / journal_mod.JOURNAL_NAME).write_text(json.dumps({"version": 1, "products": {
        "id0": {"state": "tape", "tape_since": "yesterday"}, "idX": {"state": "tape", "record": {"id": 1}}}}))
    assert pending_products(str(tmp_path)) == []        # a damaged record is skipped
    statuses = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat))
    assert statuses[0].state is ProductState.DONE


def test_a_product_without_checksum_says_so_when_done(tmp_path):
    clock = FakeClock()
    cat = FakeCatalogue(clock, [(True, 0)])
    cat.products[0] = dataclasses.replace(cat.products[0], checksum=None, size=None)
    [status] = run_pipeline(cat, cat.products, str(tmp_path), options=_options(clock, cat))
    assert status.state is ProductState.DONE and "no checksum" in status.reason and "zip" in status.reason


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
