"""The staging and download scheduler: every tape product staged at once, downloads never idle.

run_pipeline() is called from a worker thread (QgsTask, Processing) and blocks until every product is
DONE or FAILED (or raises Cancelled). It:
1. skips products the journal/folder show as verified, and resumes `.part` files;
2. asks once (batched) for the availability of the rest, and for the staging of every offline one;
3. downloads online products at once on a small thread pool (min of our cap and the provider's cap),
   while the others are staged: the online downloads start before that first staging pass, one connection
   fewer until it ends. Every request to the service holds a connection of one budget of that cap
   (segments.Connections): downloads, the extra connections a product takes when fewer products than
   connections are downloading (byte ranges, core/segments.py), and the availability watch;
4. polls availability with ONE request per tick for all waiting products (per availability_batch). The
   gap between ticks starts at poll_interval_s and grows by poll_backoff up to poll_interval_max_s, but
   never beyond poll_lag_fraction x the time the run has lasted: a product that comes online is then
   noticed with a delay of at most that fraction of the makespan so far (this is what keeps the makespan
   within a few % of the lower bound) while a long run still polls rarely. A tick is also brought
   forward when a download slot frees up and nothing is queued;
5. re-requests staging of a product still not online after restage_after_s (the PEPS "stuck on tape"
   bug) and gives up on it after staging_timeout_s, reporting it while the others go on;
6. never drops a product because of a 429 or a "not online" answer: it goes back to the queue or to
   the waiting set, not before the server's Retry-After. A 429 also lowers our parallelism by one
   (restored one step per success) so a service with a lower cap than announced is not hammered.
   Retry-After is floored at MIN_RETRY_AFTER_S ("0" means now, not a tight loop) and capped at
   retry_after_max_s (an hour-long one would strand the product: we come back then and ask again).

Threads: the caller's thread coordinates (provider calls, journal, progress.set); pool threads only
download. `on_status(ProductStatus)` is called from BOTH kinds of threads (serialised by a lock): on every
state change and, throttled to status_interval_s per product, on download progress. Qt callers must
marshal it to their own thread (a queued signal). Once a product's status is final (done, failed,
cancelled) nothing more is reported for it. A cancel also breaks the requests the pool threads are waiting
on (providers/http.abort_requests): they end within a second even when a server is slow to answer, and
QGIS, which waits for them when it exits, is not held up.
"""
import concurrent.futures
import logging
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from . import journal as journal_mod
from . import paths
from .download import download_product, file_md5, is_zip
from .errors import (AuthError, Cancelled, ChecksumError, DiskFullError, FolderError, NotFoundError, NotOnlineError,
                     ProductBusyError, QuotaError, SentinelMirrorError)
from .models import Availability, ProductState, ProductStatus
from .progress import NULL_PROGRESS
from .providers.http import abort_requests, duration_text
from .redact import redact
from .segments import Connections

log = logging.getLogger("sentinel_mirror")

FINAL = (ProductState.DONE, ProductState.FAILED, ProductState.CANCELLED)
WAITING = (ProductState.OFFLINE, ProductState.STAGING)
TICK_S = 0.25                   # longest the coordinator sleeps: bounds the delay to notice a cancel
CANCEL_GRACE_S = 0.7            # how long running downloads get to stop after a cancel
POLL_FAILURES_BEFORE_GIVING_UP = 8
# ...and that long: early in a run 8 polls are a minute or two, and a short service outage must not fail
# products that have been staging for hours (the staging timeout still bounds the wait).
POLL_OUTAGE_BEFORE_GIVING_UP_S = 900.0
MIN_RETRY_AFTER_S = 1.0         # "Retry-After: 0" means now, but not a tight loop on an overloaded service
BUSY_RETRY_S = 5.0              # another run is downloading the product into this folder: look again after


@dataclass(frozen=True)
class PipelineOptions:
    max_connections: int = 4            # our cap; the provider's max_connections also applies (the min)
    poll_interval_s: float = 5.0        # first and shortest gap between availability polls
    poll_interval_max_s: float = 120.0  # longest gap
    poll_backoff: float = 1.5           # the gap grows by this factor per tick...
    poll_lag_fraction: float = 0.03     # ...but never beyond this fraction of the time the run has lasted
    restage_after_s: float = 1800.0     # ask again for staging of a product still offline after this
    staging_timeout_s: float = 4 * 3600.0
    segmented: bool = True              # one product on several connections when fewer products than connections
    segment_block_s: float = 2.0        # a segment asks for this much transfer at a time: what a waiting request
                                        # may wait for, and one request's latency per block (CDSE: a redirect)
    max_attempts: int = 4               # transient failures (5xx, broken connections) per product
    retry_backoff_s: float = 5.0        # wait before retrying after a transient failure (doubles)
    default_retry_after_s: float = 10.0  # a 429 / not-online answer without Retry-After
    retry_after_max_s: float = 300.0    # a longer Retry-After is cut to this (the product is kept and asked again)
    status_interval_s: float = 0.1      # per-product progress reports at most this often
    clock: Callable[[], float] = field(default=time.time, compare=False)  # wall clock: journal times survive restarts
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    download: Callable = field(default=download_product, compare=False)  # injectable for tests


def run_pipeline(provider, products, folder, *, options=PipelineOptions(), progress=NULL_PROGRESS, on_status=None,
                 stats=None):
    """Stage and download `products` into `folder`; one final ProductStatus per product, in input order.

    `stats` (optional dict) is filled with request counts: poll_ticks, availability_requests (during
    polls), staging_requests, max_requests_per_tick.
    """
    return _Pipeline(provider, products, folder, options, progress, on_status, stats).run()


@dataclass(eq=False)
class _Item:
    product: object
    dest: str
    state: ProductState = ProductState.QUEUED
    bytes_done: int = 0
    reason: str = ""
    path: Optional[str] = None
    first_request: Optional[float] = None   # staging first asked (journal time survives restarts)
    last_request: Optional[float] = None
    deadline: Optional[float] = None
    not_before: float = 0.0
    attempts: int = 0
    last_emit: float = 0.0


class _Pipeline:
    def __init__(self, provider, products, folder, options, progress, on_status, stats):
        self.provider, self.folder, self.opt = provider, folder, options
        self.progress, self.on_status = progress, on_status
        self.stats = stats if stats is not None else {}
        self.stats.update(poll_ticks=0, availability_requests=0, staging_requests=0, max_requests_per_tick=0)
        provider_cap = getattr(provider, "max_connections", None) or options.max_connections
        self.cap = max(1, min(options.max_connections, provider_cap))
        self.limit = self.cap
        # every connection to the service holds one of these: downloads (their extra segments too) and the watch
        self.connections = Connections(self.cap, options.segment_block_s)
        self.watch_ticket = None
        self.batch = max(1, getattr(provider, "availability_batch", 1) or 1)
        self.items = []
        seen, names = set(), set()
        for p in products:
            if p.id in seen:
                continue
            seen.add(p.id)
            self.items.append(_Item(p, paths.inside(folder, _unique_name(p, names))))
        self.events = queue.Queue()
        self.cancel = threading.Event()
        self.emit_lock = threading.Lock()
        self.active = 0
        self.workers = set()   # idents of the pool threads downloading now: a cancel breaks their requests
        self.slot_freed = False
        self.poll_failures, self.poll_failing_since = 0, None

    # ---- driver ------------------------------------------------------------------------------------
    def run(self):
        paths.writable_folder(self.folder)   # FolderError, one sentence, before anything is asked of the service
        self.journal = journal_mod.Journal(self.folder)
        self.start = self.opt.clock()
        self.interval = self.opt.poll_interval_s
        self.last_poll = self.start
        self.next_poll = self.start + self.opt.poll_interval_s
        self.pool = concurrent.futures.ThreadPoolExecutor(self.cap, thread_name_prefix="sentinel-mirror-download")
        try:
            self._skip_verified()
            self._initial_states()
            self._loop()
        finally:
            self.cancel.set()  # running downloads stop at their next chunk (only on error/cancel paths)...
            abort_requests(self._threads())   # ...or at once when they wait on a slow server
            self._watch_done()
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.journal.flush()
        self.progress.set(100.0)
        return [self._status(i) for i in self.items]

    def _loop(self):
        while True:
            self._check_cancel()
            self._drain(0)
            now = self.opt.clock()
            self._expire(now)
            self._start_downloads(now)
            if not self._poll_due(now):
                self._watch_done()   # nothing to watch any more: a connection asked for is given back
            elif self._watch_connection():
                try:
                    self._poll(now)
                    self._restage(now)
                finally:
                    self._watch_done()
                self._start_downloads(self.opt.clock())
            self.journal.flush()   # after the downloads started: never on their critical path
            self._report_progress()
            if all(i.state in FINAL for i in self.items) and not self.active:
                return
            wait = min(max(0.0, self._next_wake(now) - self.opt.clock()), TICK_S)
            if self.active:
                self._drain(wait)
            elif wait > 0:
                self.opt.sleep(wait)

    def _check_cancel(self):
        if not self.progress.cancelled():
            return
        self.cancel.set()
        deadline = time.monotonic() + CANCEL_GRACE_S
        while self.active and time.monotonic() < deadline:
            abort_requests(self._threads())   # every round: a worker may have opened a request since
            self._drain(min(0.1, max(0.0, deadline - time.monotonic())))
        for item in self.items:
            if item.state not in FINAL:
                self._set(item, ProductState.CANCELLED, reason="Cancelled by the user.")
        raise Cancelled("Cancelled by the user.")

    def _next_wake(self, now):
        times = [now + TICK_S]
        if any(i.state in WAITING for i in self.items):
            times.append(self.next_poll)
        if self.active < self.limit:
            times += [i.not_before for i in self.items if i.state is ProductState.QUEUED]
        times += [i.deadline for i in self.items if i.state in WAITING and i.deadline]
        return min(times)

    # ---- start of a run: journal, folder, first availability, one staging pass -----------------------
    def _skip_verified(self):
        for item in self.items:
            self._check_cancel()
            p = item.product
            entry = self.journal.get(p.id) or {}
            trusted = (self.journal.verified_path(p.id) == item.dest and entry.get("md5") == p.checksum
                       and _size_is(item.dest, p.size))
            if not trusted and os.path.exists(item.dest) and p.size is not None and _size_is(item.dest, p.size):
                trusted = _file_matches(item.dest, p.checksum, self.progress.cancelled)  # hashed once, then journaled
                if trusted:
                    self.journal.update(p, state=journal_mod.VERIFIED, file=os.path.basename(item.dest))
            if trusted:
                item.path, item.bytes_done = item.dest, p.size or 0
                self._set(item, ProductState.DONE)

    def _initial_states(self):
        todo = [i for i in self.items if i.state not in FINAL]
        known = {}
        for chunk in _chunks(todo, self.batch):
            try:
                known.update(self.provider.availability([i.product for i in chunk]))
            except Cancelled:
                raise
            except Exception as e:  # noqa: BLE001 - fall back on what the search said
                log.warning("Availability check failed (%s); using the search results", e)
        now = self.opt.clock()
        to_stage = []
        for item in todo:
            avail = known.get(item.product.id, item.product.availability)
            requested = (self.journal.get(item.product.id) or {}).get("staging_requested_at")
            if not isinstance(requested, (int, float)) or isinstance(requested, bool):
                requested = None   # the journal is a file anyone can edit: a bad time is no time
            if avail is Availability.ONLINE or avail is Availability.UNKNOWN:
                self._set(item, ProductState.QUEUED)   # UNKNOWN: the download itself tells (not online → waits)
                continue
            if not getattr(self.provider, "staging_supported", True):
                self._fail(item, f"{item.product.title} is offline and {self.provider.name.upper()} offers no way "
                                 "to bring it back online: try again later or use another catalogue.")
                continue
            item.deadline = now + self.opt.staging_timeout_s
            if avail is Availability.STAGING or (requested and now - requested < self.opt.restage_after_s):
                item.first_request = item.last_request = requested or now
                item.deadline = item.first_request + self.opt.staging_timeout_s   # a restart does not reset it
                self._set(item, ProductState.STAGING)
            else:
                self._set(item, ProductState.OFFLINE)
                to_stage.append(item)
        self._first_staging_pass(to_stage)

    def _first_staging_pass(self, items):
        """Online products start downloading first: on GEODES the pass is one GET per product, and 50 of them
        at a real round-trip time would idle every connection for seconds. The staging requests go out on a
        connection held back from the downloads meanwhile, so that they do not trip the service's cap."""
        if items and self.cap > 1:
            self.limit = self.cap - 1
            self._start_downloads(self.opt.clock())
        if items:
            with self.connections.hold(self.progress.cancelled):
                self._request_staging(items, self.opt.clock())
        self.limit = self.cap

    # ---- staging and polling ---------------------------------------------------------------------------
    def _request_staging(self, items, now):
        for chunk in _chunks(items, getattr(self.provider, "staging_batch", self.batch)):
            if self.cancel.is_set() or self.progress.cancelled():
                return  # the coordinator loop reports the cancel
            try:
                self.provider.request_staging([i.product for i in chunk])
                self.stats["staging_requests"] += 1
            except Cancelled:
                raise
            except Exception as e:  # noqa: BLE001 - the others are asked again at the next poll
                done = set(getattr(e, "requested", None) or ())   # a 429 mid-pass: those went through
                gone = set(getattr(e, "missing", None) or ())     # a 404: waiting would last until the timeout
                log.warning("Staging request failed for %d product(s): %s", len(chunk) - len(done), e)
                for item in chunk:
                    if item.product.id in gone:
                        self._fail(item, "The catalogue no longer has this product (it answered HTTP 404 to the "
                                         "staging request): it may have been withdrawn or replaced; search again.")
                    elif item.product.id not in done:
                        item.reason = f"Staging request failed, will ask again: {e}"
                        if item.state is ProductState.STAGING:
                            item.last_request = now   # a restage that did not go through: retry later
                chunk = [i for i in chunk if i.product.id in done]
            for item in chunk:
                item.first_request = item.first_request or now
                item.last_request = now
                item.reason = ""
                self.journal.update(item.product, state=journal_mod.STAGING, staging_requested_at=now)
                self._set(item, ProductState.STAGING)

    def _watch_connection(self):
        """True when the watch holds a connection of the budget now; else it stays queued for one (the extra
        segments give theirs back at the end of their block) and the coordinator goes on meanwhile."""
        if self.watch_ticket is None:
            self.watch_ticket = self.connections.reserve(on_grant=lambda: self.events.put(None))   # wakes the loop
        return self.watch_ticket.granted

    def _watch_done(self):
        if self.watch_ticket is not None:
            self.connections.cancel(self.watch_ticket)
            self.watch_ticket = None

    def _threads(self):
        return set(self.workers) | set(self.connections.threads)

    def _poll_due(self, now):
        if not any(i.state in WAITING for i in self.items):
            return False
        if now >= self.next_poll or self.watch_ticket is not None:   # due, or already waiting for a connection
            return True
        # A slot just freed and nothing is queued: look now rather than leave the slot idle.
        early = (self.slot_freed and self.active < self.limit
                 and not any(i.state is ProductState.QUEUED for i in self.items)
                 and now - self.last_poll >= self.opt.poll_interval_s)
        self.slot_freed = False
        return early

    def _poll(self, now):
        waiting = [i for i in self.items if i.state in WAITING]
        requests_this_tick, errors = 0, []
        for chunk in _chunks(waiting, self.batch):
            try:
                answer = self.provider.availability([i.product for i in chunk])
                requests_this_tick += 1
            except Cancelled:
                raise
            except QuotaError as e:
                errors.append(e)
                self.next_poll = max(self.next_poll, now + self._retry_wait(e.retry_after))
                break
            except Exception as e:  # noqa: BLE001 - keep waiting, ask again next tick
                errors.append(e)
                continue
            for item in chunk:
                self._apply_availability(item, answer.get(item.product.id), now)
        self.stats["poll_ticks"] += 1
        self.stats["availability_requests"] += requests_this_tick
        self.stats["max_requests_per_tick"] = max(self.stats["max_requests_per_tick"], requests_this_tick)
        self._after_poll_errors(errors, waiting, now)
        never_asked = [i for i in self.items if i.state is ProductState.OFFLINE and i.first_request is None]
        self._request_staging(never_asked, now)
        self.last_poll = now
        self.interval = min(self.interval * self.opt.poll_backoff, self.opt.poll_interval_max_s)
        gap = max(self.opt.poll_interval_s, min(self.interval, self.opt.poll_lag_fraction * (now - self.start)))
        self.next_poll = max(self.next_poll, now + gap)

    def _apply_availability(self, item, avail, now):
        if item.state not in WAITING:
            return
        if avail is Availability.ONLINE or (avail is Availability.UNKNOWN and now >= item.not_before):
            self._set(item, ProductState.QUEUED)

    def _after_poll_errors(self, errors, waiting, now):
        if not errors:
            self.poll_failures, self.poll_failing_since = 0, None
            return
        self.poll_failures += 1
        self.poll_failing_since = self.poll_failing_since or now
        log.warning("Availability poll failed (%d in a row): %s", self.poll_failures, errors[-1])
        outage = (self.poll_failures >= POLL_FAILURES_BEFORE_GIVING_UP
                  and now - self.poll_failing_since >= POLL_OUTAGE_BEFORE_GIVING_UP_S)
        if outage or isinstance(errors[-1], AuthError):
            for item in waiting:
                if item.state in WAITING:
                    self._set(item, ProductState.FAILED,
                              reason=f"Could not check whether it is online: {errors[-1]}")

    def _restage(self, now):
        due = [i for i in self.items if i.state in WAITING and i.last_request is not None
               and now - i.last_request >= self.opt.restage_after_s]
        if due:
            log.info("Asking again for staging of %d product(s) still offline", len(due))
            self._request_staging(due, now)

    def _expire(self, now):
        for item in self.items:
            if item.state in WAITING and item.deadline is not None and now >= item.deadline:
                why = f" Last answer: {item.reason}" if item.reason else ""
                self._set(item, ProductState.FAILED,
                          reason=f"Still not online after {duration_text(self.opt.staging_timeout_s)} of staging: "
                                 f"the archive may be unavailable; try again later.{why}")

    # ---- downloads ---------------------------------------------------------------------------------------
    def _start_downloads(self, now):
        ready = [i for i in self.items if i.state is ProductState.QUEUED and i.not_before <= now]
        ready.sort(key=lambda i: i.not_before)
        for item in ready:
            if self.active >= self.limit:
                break
            self.active += 1
            self._set(item, ProductState.DOWNLOADING)
            self.pool.submit(self._work, item)

    def _work(self, item):
        """Pool thread: one download attempt; the outcome goes back to the coordinator."""
        p = item.product
        self.workers.add(threading.get_ident())
        try:
            def refresh():
                self.provider.refresh_credentials()
                return self.provider.download_request(p)
            result = self.opt.download(
                self.provider.session, self.provider.download_request(p), item.dest,
                expected_size=p.size, expected_md5=p.checksum, progress_cb=lambda d, t: self._on_bytes(item, d, t),
                cancelled=self.cancel.is_set, refresh_request=refresh, title=p.title, connections=self.connections,
                segmented=self.opt.segmented)
            self.events.put((item, result, None))
        except BaseException as e:  # noqa: BLE001 - every outcome is reported to the coordinator
            self.events.put((item, None, e))
        finally:
            self.workers.discard(threading.get_ident())

    def _on_bytes(self, item, done, total):
        if self.cancel.is_set():
            return   # the coordinator has reported it cancelled: no late progress after that
        item.bytes_done = done
        now = time.monotonic()
        if total is not None and done >= total:
            self._set(item, ProductState.VERIFYING)
        elif item.state is ProductState.VERIFYING:  # corrupt: downloading again from zero
            self._set(item, ProductState.DOWNLOADING)
        elif now - item.last_emit >= self.opt.status_interval_s:
            item.last_emit = now
            self._emit(item)

    def _drain(self, timeout):
        try:
            event = self.events.get(timeout=timeout) if timeout > 0 else self.events.get_nowait()
        except queue.Empty:
            return
        while True:
            if event is not None:   # None: the watch was granted its connection (see _watch_connection)
                self._finish(*event)
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return

    def _finish(self, item, result, error):
        self.active -= 1
        self.slot_freed = True
        now = self.opt.clock()
        p = item.product
        if error is not None and self.cancel.is_set():
            error = Cancelled("Cancelled by the user.")   # a request broken by the cancel is no failure
        if error is None:
            item.path, item.bytes_done, item.reason = result.path, result.size, ""
            self.journal.update(p, state=journal_mod.VERIFIED, file=os.path.basename(result.path))
            self.limit = min(self.cap, self.limit + 1)
            self._set(item, ProductState.DONE)
        elif isinstance(error, Cancelled):
            self._set(item, ProductState.CANCELLED, reason="Cancelled by the user.")
        elif isinstance(error, QuotaError):
            # Never dropped: back in the queue after Retry-After, one connection fewer for now.
            self.limit = max(1, self.active)
            item.not_before = now + self._retry_wait(error.retry_after)
            self._set(item, ProductState.QUEUED, reason=str(error))
        elif isinstance(error, NotOnlineError):
            # Never dropped: the product waits for staging like the others (the GET may have triggered it).
            item.not_before = now + max(self._retry_wait(error.retry_after, 0.0), self.opt.poll_interval_s)
            item.deadline = item.deadline or now + self.opt.staging_timeout_s
            item.reason = str(error)
            item.bytes_done = 0
            # On PEPS/GEODES-style services that GET was itself the staging order; a service that needs an
            # explicit order gets one after restage_after_s. Asking at once would ignore Retry-After.
            item.first_request = item.first_request or now
            item.last_request = item.last_request or now
            self._set(item, ProductState.STAGING, reason=str(error))
            self.next_poll = min(self.next_poll, max(item.not_before, self.last_poll + self.opt.poll_interval_s))
        elif isinstance(error, ProductBusyError):
            # Another run writes it: wait for it (not counted as a failure); the next try finds it verified.
            if item.reason != str(error):
                log.info("%s", error)
            item.not_before = now + BUSY_RETRY_S
            self._set(item, ProductState.QUEUED, reason=str(error))
        elif isinstance(error, (AuthError, ChecksumError, DiskFullError, FolderError, NotFoundError)):
            self._fail(item, str(error))
        elif isinstance(error, (SentinelMirrorError, OSError)):
            item.attempts += 1
            if item.attempts >= self.opt.max_attempts:
                self._fail(item, f"Gave up after {item.attempts} attempts: {error}")
            else:
                item.not_before = now + self.opt.retry_backoff_s * 2 ** (item.attempts - 1)
                self._set(item, ProductState.QUEUED, reason=f"Will retry: {error}")
        else:
            log.error("Unexpected error while downloading %s", p.title, exc_info=error)
            self._fail(item, f"Unexpected error: {error!r}")

    def _retry_wait(self, retry_after, default=None):
        """How long to honour a Retry-After (None: the server did not say)."""
        if retry_after is None:
            return self.opt.default_retry_after_s if default is None else default
        return min(max(retry_after, MIN_RETRY_AFTER_S), self.opt.retry_after_max_s)

    def _fail(self, item, reason):
        self.journal.update(item.product, state=journal_mod.FAILED, reason=reason)
        self._set(item, ProductState.FAILED, reason=reason)

    # ---- reporting ---------------------------------------------------------------------------------------
    def _set(self, item, state, reason=None):
        with self.emit_lock:   # the check and the change as one step: a worker's late report loses to a cancel
            if item.state in FINAL:
                return
            if reason is not None:
                item.reason = redact(reason)   # reasons reach the dock, the report, the journal and qgis_process
            if state is item.state and state is not ProductState.DOWNLOADING:
                return
            item.state = state
            if state is ProductState.FAILED:
                log.warning("%s failed: %s", item.product.title, item.reason)
            self._emit_locked(item)

    def _emit(self, item):
        with self.emit_lock:
            if item.state not in FINAL:
                self._emit_locked(item)

    def _emit_locked(self, item):
        if self.on_status is not None:
            self.on_status(self._status(item))

    def _status(self, item):
        reason = item.reason if item.state is not ProductState.DONE else ""
        return ProductStatus(item.product.id, item.state, item.bytes_done, item.product.size, reason,
                             item.path if item.state is ProductState.DONE else None)

    def _report_progress(self):
        sizes = [i.product.size for i in self.items]
        by_bytes = all(s for s in sizes)
        total = sum(sizes) if by_bytes else len(self.items)
        done = 0.0
        for item in self.items:
            weight = item.product.size if by_bytes else 1
            if item.state in FINAL:
                done += weight
            elif item.product.size:
                done += weight * min(1.0, item.bytes_done / item.product.size)
        self.progress.set(100.0 * done / total if total else 100.0)


def _unique_name(product, taken):
    """`<title>.zip`, or `<title>_<id>.zip` when another product of the batch already has that title (catalogues
    do list distinct products under one name): two downloads must never share a `.part` or a final file."""
    name = paths.safe_filename(product.title, ".zip")
    if name.lower() in taken:   # lower(): the folder may be on a case-insensitive file system
        name = paths.safe_filename(f"{paths.safe_filename(product.title)[:150]}_{paths.safe_filename(product.id)[:48]}",
                                   ".zip")
    taken.add(name.lower())
    return name


def _chunks(seq, n):
    return [seq[k:k + n] for k in range(0, len(seq), n)]


def _size_is(path, size):
    try:
        return size is not None and os.path.getsize(path) == size
    except OSError:
        return False


def _file_matches(path, md5, cancelled):
    """A product file we did not journal: trusted only if its MD5 (when known) and zip structure check out."""
    if md5 and file_md5(path, cancelled).hexdigest() != md5.lower():
        return False
    return is_zip(path)
