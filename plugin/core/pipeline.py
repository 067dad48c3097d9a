"""The download scheduler: online products at once and in parallel; products on tape listed and watched.

run_pipeline() is called from a worker thread (QgsTask, Processing) and blocks until every product is done,
failed or on tape and no longer watched (or raises Cancelled). It:
1. skips products the journal/folder show as verified, and resumes `.part` files;
2. asks once (batched) for the availability of the rest (the availability endpoint, never the search's
   description); online products (and those whose state is unknown) download at once on a small thread pool
   (min of our cap and the provider's cap), verified. Every request to the service holds a connection of one
   budget of that cap (connections.Connections): the downloads, the extra connections a product takes when
   fewer products than connections are downloading (byte ranges, core/segments.py), and the watch's
   availability requests;
3. sets the others ON TAPE (ProductState.OFFLINE, reason e.g. "order in the GEODES explorer"): neither GEODES nor
   CDSE can be asked by API to bring a product back (provider.offline_recall says how the user does it, with
   its source). They are journaled with their catalogue record, so a later process can resume watching them
   (pending_products), and their names and the instructions are written to a text file in the folder
   (TAPE_LIST_NAME). No GET is sent to "start a recall"; a product gets at most one download GET until the
   availability endpoint says it is online (a 410, or a "not online" answer for a product the endpoint does not
   call online, sends it back to the tape list; one it calls online is retried as a passing failure), or, when
   the endpoint's answer says nothing of it, one GET per poll_interval_max_s of watching;
4. WATCHES for `watch_s` (0: not at all, the run ends once the online products are in): ONE availability
   request per tick for all products on tape (per availability_batch). The gap between ticks starts at
   poll_interval_s and grows by poll_backoff up to poll_interval_max_s, but never beyond poll_lag_fraction x the
   time the products have been on tape (a product that comes online is then noticed with a delay of at most that
   fraction of the wait so far, while a long watch still polls rarely). A product is downloaded the moment it is
   reported online. A product still on tape when the watch ends stays ON TAPE (never failed) and journaled;
   a watch whose credentials the service refuses (AuthError: the GEODES key revoked or changed, a CDSE two-factor
   login whose session expired and whose one-time code only the user can give) STOPS at once (no more requests,
   no login hammered): every product on tape (and one the watch found online whose download was refused) stays ON
   TAPE, journaled, with a reason saying what to do (provider.watch_auth_reason), and stats["watch_stopped"] says
   it; the next run or the next start of QGIS resumes the watch. The same at the start of a run that resumes a
   watch: products the journal lists as on tape are not failed because the availability request was refused;
5. never drops a product because of a passing 429: it goes back to the queue, not before the server's
   Retry-After (floored at MIN_RETRY_AFTER_S, capped at retry_after_max_s), and our parallelism drops by one
   (restored one step per success) so a service with a lower cap than announced is not hammered. Only when the
   service has accepted no download for quota_give_up_s, refusing them all with 429 (an empty quota), does the
   run fail the products it still asks for, saying to try later.

Threads: the caller's thread coordinates (provider calls, journal, progress.set); pool threads only
download. `on_status(ProductStatus)` is called from BOTH kinds of threads (serialised by a lock): on every
state change and, throttled to status_interval_s per product, on download progress. Qt callers must
marshal it to their own thread (a queued signal). Once a product's status is final (done, failed,
cancelled) nothing more is reported for it. A cancel also breaks the requests the pool threads are waiting
on (providers/http.abort_requests). A cancel keeps products on tape journaled: the watch can be resumed.
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
from .connections import Connections
from .download import download_product, file_md5, is_zip
from .errors import (AuthError, Cancelled, ChecksumError, DiskFullError, FolderError, GoneError, InvalidInputError,
                     NotFoundError, NotOnlineError, ProductBusyError, QuotaError, SentinelMirrorError)
from .models import Availability, ProductState, ProductStatus, product_from_dict
from .progress import NULL_PROGRESS
from .providers.http import abort_requests, duration_text
from .i18n import join, tr
from .redact import redact

log = logging.getLogger("sentinel_mirror")

FINAL = (ProductState.DONE, ProductState.FAILED, ProductState.CANCELLED)
ON_TAPE = ProductState.OFFLINE
TICK_S = 0.25                   # longest the coordinator sleeps: bounds the delay to notice a cancel
CANCEL_GRACE_S = 0.7            # how long running downloads get to stop after a cancel
MIN_RETRY_AFTER_S = 1.0         # "Retry-After: 0" means now, but not a tight loop on an overloaded service
BUSY_RETRY_S = 5.0              # another run is downloading the product into this folder: look again after
TAPE_LIST_NAME = "on-tape-{service}.txt"


@dataclass(frozen=True)
class PipelineOptions:
    max_connections: int = 4            # our cap; the provider's max_connections also applies (the min)
    poll_interval_s: float = 60.0       # first and shortest gap between availability requests while watching
    poll_interval_max_s: float = 900.0  # longest gap
    poll_backoff: float = 1.5           # the gap grows by this factor per tick...
    poll_lag_fraction: float = 0.03     # ...but never beyond this fraction of the time the products have waited
    watch_s: float = 0.0                # how long to watch products on tape (0: list them and end)
    segmented: bool = True              # one product on several connections when fewer products than connections
    segment_block_s: float = 2.0        # a segment asks for this much transfer at a time: what a waiting request
                                        # may wait for, and one request's latency per block (CDSE: a redirect)
    max_attempts: int = 4               # transient failures (5xx, broken connections) per product
    retry_backoff_s: float = 5.0        # wait before retrying after a transient failure (doubles)
    default_retry_after_s: float = 10.0  # a 429 without Retry-After
    quota_give_up_s: float = 1800.0     # no download accepted for this long, only 429s: the run gives up on them
    retry_after_max_s: float = 300.0    # a longer Retry-After is cut to this (the product is kept and asked again)
    status_interval_s: float = 0.1      # per-product progress reports at most this often
    clock: Callable[[], float] = field(default=time.time, compare=False)  # wall clock: journal times survive restarts
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    download: Callable = field(default=download_product, compare=False)  # injectable for tests


def run_pipeline(provider, products, folder, *, options=PipelineOptions(), progress=NULL_PROGRESS, on_status=None,
                 stats=None):
    """Download `products` into `folder`, watching those on tape; one ProductStatus per product, in input order.

    `stats` (optional dict) is filled with: poll_ticks, availability_requests (while watching), next_check (clock time
    of the next availability request),
    max_requests_per_tick, on_tape (titles still on tape at the end), instructions (what the user must do for
    them, or ""; it starts with the reason when the watch stopped), tape_list (the text file naming them, or None),
    watch_stopped (why the service's refusal of the credentials stopped the watch, or "").
    """
    return _Pipeline(provider, products, folder, options, progress, on_status, stats).run()


def pending_products(folder, provider_name=None):
    """The products a run left on tape in `folder` (journaled with their catalogue record): what a later process
    resumes watching. Damaged records are skipped (logged)."""
    out = []
    for record in journal_mod.Journal(folder).pending(provider_name):
        try:
            out.append(product_from_dict(record))
        except InvalidInputError as e:
            log.warning("%s: %s", folder, e)
    return out


@dataclass(eq=False)
class _Item:
    product: object
    dest: str
    state: ProductState = ProductState.QUEUED
    bytes_done: int = 0
    reason: str = ""
    note: str = ""                          # said even when DONE (no checksum was available)
    path: Optional[str] = None
    tape_since: Optional[float] = None      # first seen on tape (journal time survives restarts)
    probed_at: float = 0.0                  # when last put on tape (see _poll: an answer that says nothing of it)
    not_before: float = 0.0
    attempts: int = 0
    last_emit: float = 0.0


class _Pipeline:
    def __init__(self, provider, products, folder, options, progress, on_status, stats):
        self.provider, self.folder, self.opt = provider, folder, options
        self.progress, self.on_status = progress, on_status
        self.stats = stats if stats is not None else {}
        self.stats.update(poll_ticks=0, availability_requests=0, max_requests_per_tick=0, on_tape=[],
                          instructions="", tape_list=None, next_check=None, watch_stopped="")
        provider_cap = getattr(provider, "max_connections", None) or options.max_connections
        self.cap = max(1, min(options.max_connections, provider_cap))
        self.limit = self.cap
        # every connection to the service holds one of these: downloads (their extra segments too) and the watch
        self.connections = Connections(self.cap, options.segment_block_s)
        self.watch_ticket = None
        self.batch = max(1, getattr(provider, "availability_batch", 1) or 1)
        self.recall = provider.offline_recall
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
        self.quota_since = None   # when the service started refusing every download with 429 (None: it is not)
        self.listed = None     # the tape list last written (titles)
        self.watch_stopped = None   # why the watch stopped (the service refused the credentials): no more polls
        self.auth_error = None      # an AuthError the first availability request met

    # ---- driver ------------------------------------------------------------------------------------
    def run(self):
        paths.writable_folder(self.folder)   # FolderError, one sentence, before anything is asked of the service
        self.journal = journal_mod.Journal(self.folder)
        self.start = self.opt.clock()
        self.watch_end = self.start + max(0.0, self.opt.watch_s)
        self.interval = self.opt.poll_interval_s
        self.last_poll = self.start
        self.next_poll = self.start + self.opt.poll_interval_s
        self.stats["next_check"] = self.next_poll   # clock time of the next availability request (watch list)
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
        self._end_watch()
        self.progress.set(100.0)
        return [self._status(i) for i in self.items]

    def _loop(self):
        while True:
            self._check_cancel()
            self._drain(0)
            now = self.opt.clock()
            self._start_downloads(now)
            if not self._poll_due(now):
                self._watch_done()   # nothing to watch any more: a connection asked for is given back
            elif self._watch_connection():
                try:
                    self._poll(now)
                finally:
                    self._watch_done()
                self._start_downloads(self.opt.clock())
            self.journal.flush()   # after the downloads started: never on their critical path
            self._write_tape_list()
            self._report_progress()
            busy = self.active or any(i.state is ProductState.QUEUED for i in self.items)
            waiting = any(i.state is ON_TAPE for i in self.items)
            if not busy and (not waiting or now >= self.watch_end or self.watch_stopped):
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
                why = (tr("Stopped watching: it is still on tape (the next run resumes the watch).")
                       if item.state is ON_TAPE else tr("Cancelled by the user."))
                self._set(item, ProductState.CANCELLED, reason=why)
        self._write_tape_list(cancelled=True)
        raise Cancelled(tr("Cancelled by the user."))

    def _next_wake(self, now):
        # Only times still ahead: a past one (no watch: watch_s 0; a poll waiting for its connection, whose grant
        # is an event) would make the loop spin and starve the download threads of the GIL.
        times = [now + TICK_S]
        if now < self.watch_end and not self.watch_stopped and any(i.state is ON_TAPE for i in self.items):
            times.append(self.watch_end)
            if self.watch_ticket is None:
                times.append(self.next_poll)
        if self.active < self.limit:
            times += [i.not_before for i in self.items if i.state is ProductState.QUEUED]
        return min(times)

    # ---- start of a run: journal, folder, first availability ----------------------------------------
    def _skip_verified(self):
        for item in self.items:
            self._check_cancel()
            p = item.product
            entry = self.journal.get(p.id) or {}
            trusted = (self.journal.verified_path(p.id) == item.dest and _same_md5(entry.get("md5"), p.checksum)
                       and os.path.exists(item.dest) and (p.size is None or _size_is(item.dest, p.size)))
            if not trusted and os.path.exists(item.dest) and p.size is not None and _size_is(item.dest, p.size):
                trusted = _file_matches(item.dest, p.checksum, self.progress.cancelled)  # hashed once, then journaled
                if trusted:
                    self.journal.update(p, state=journal_mod.VERIFIED, file=os.path.basename(item.dest))
            if trusted:
                item.path, item.bytes_done = item.dest, p.size or os.path.getsize(item.dest)
                self._set(item, ProductState.DONE)

    def _initial_states(self):
        todo = [i for i in self.items if i.state not in FINAL]
        known = self._availability(todo)
        now = self.opt.clock()
        for item in todo:
            avail = known.get(item.product.id, Availability.UNKNOWN)   # never the search's description
            if self.auth_error is not None and avail is Availability.UNKNOWN and self._was_on_tape(item):
                self._to_tape(item, now)   # a watch resumed with refused credentials: no GET, still on tape
            elif avail is Availability.ONLINE or avail is Availability.UNKNOWN:
                self._set(item, ProductState.QUEUED)   # UNKNOWN: one download GET finds out
            else:
                self._to_tape(item, now)
        if self.auth_error is not None and any(i.state is ON_TAPE for i in todo):
            self._stop_watch(self.auth_error)

    def _availability(self, items):
        known = {}
        for chunk in _chunks(items, self.batch):
            try:
                known.update(self.provider.availability([i.product for i in chunk]))
            except Cancelled:
                raise
            except AuthError as e:   # the rest would be refused the same way
                log.warning("Availability check refused (%s): downloading will tell", e)
                self.auth_error = e
                break
            except Exception as e:  # noqa: BLE001 - unknown: one download GET will tell
                log.warning("Availability check failed (%s): downloading will tell", e)
        return known

    def _to_tape(self, item, now, reason=None):
        entry = self.journal.get(item.product.id) or {}
        since = entry.get("tape_since")
        if not isinstance(since, (int, float)) or isinstance(since, bool):
            since = now   # the journal is a file anyone can edit: a bad time is no time
        item.tape_since = since
        item.probed_at = now
        item.bytes_done = 0
        self.journal.update(item.product, state=journal_mod.TAPE, tape_since=since, record=item.product.to_dict())
        self._set(item, ON_TAPE, reason=reason or self.recall.state)

    # ---- the watch -----------------------------------------------------------------------------------
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
        if now >= self.watch_end or self.watch_stopped or not any(i.state is ON_TAPE for i in self.items):
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
        waiting = [i for i in self.items if i.state is ON_TAPE]
        requests_this_tick = 0
        for chunk in _chunks(waiting, self.batch):
            try:
                answer = self.provider.availability([i.product for i in chunk])
                requests_this_tick += 1
            except Cancelled:
                raise
            except QuotaError as e:
                self.next_poll = max(self.next_poll, now + self._retry_wait(e.retry_after))
                break
            except AuthError as e:   # the key or login went bad: watching cannot go on without the user
                self._stop_watch(e)
                return
            except Exception as e:  # noqa: BLE001 - an outage: keep watching, ask again next tick
                log.warning("Availability request failed while watching (%s): asking again later", e)
                continue
            for item in chunk:
                state = answer.get(item.product.id, Availability.UNKNOWN)
                if state is Availability.ONLINE:
                    self._set(item, ProductState.QUEUED, reason="")
                elif state is Availability.UNKNOWN and now - item.probed_at >= self.opt.poll_interval_max_s:
                    # An answer that says nothing of it (a shape we do not read): one GET tells, at most once per
                    # longest poll gap (a GET of a product on tape changes nothing: a 410, back to the watch).
                    self._set(item, ProductState.QUEUED, reason="")
        self.stats["poll_ticks"] += 1
        self.stats["availability_requests"] += requests_this_tick
        self.stats["max_requests_per_tick"] = max(self.stats["max_requests_per_tick"], requests_this_tick)
        self.last_poll = now
        self.interval = min(self.interval * self.opt.poll_backoff, self.opt.poll_interval_max_s)
        since = min((i.tape_since for i in waiting if i.tape_since is not None), default=self.start)
        gap = max(self.opt.poll_interval_s, min(self.interval, self.opt.poll_lag_fraction * (now - since)))
        self.next_poll = max(self.next_poll, now + gap)
        self.stats["next_check"] = self.next_poll

    def _was_on_tape(self, item):
        """On tape in this run or journaled as on tape by an earlier one (a watch resumed)."""
        return item.tape_since is not None or (self.journal.get(item.product.id) or {}).get("state") == \
            journal_mod.TAPE

    def _stop_watch(self, error):
        """The service refused the credentials while watching: stop watching (nothing more is asked of it), keep
        every product on tape journaled with what to do; the next run or the next QGIS start resumes the watch."""
        if self.watch_stopped is None:
            reason = getattr(self.provider, "watch_auth_reason", None)
            reason = reason(error) if reason is not None else tr(
                "Watch stopped: {service} refused the credentials. Check them in Settings → Options → Sentinel "
                "Mirror, then run the download again to resume watching.", service=self.recall.service)
            self.watch_stopped = redact(reason)
            self.stats["watch_stopped"] = self.watch_stopped
            log.warning("%s (%s)", self.watch_stopped, error)
        now = self.opt.clock()
        for item in self.items:
            if item.state is ProductState.QUEUED and self._was_on_tape(item):
                self._to_tape(item, now, reason=self.watch_stopped)   # reported online, but it would be refused too
            elif item.state is ON_TAPE:
                self._set(item, ON_TAPE, reason=self.watch_stopped)
                self._emit(item)   # same state, new reason: said to the dock and the watch list
        self._watch_done()

    def _write_tape_list(self, cancelled=False):
        """The names of the products on tape and what to do, in a text file in the folder (rewritten when the list
        changes, removed when it empties)."""
        titles = sorted(i.product.title for i in self.items
                        if i.state is ON_TAPE or (cancelled and i.tape_since is not None and i.state not in
                                                  (ProductState.DONE, ProductState.FAILED)))
        if titles == self.listed:
            return
        self.listed = titles
        path = paths.inside(self.folder, TAPE_LIST_NAME.format(service=self.recall.service))
        try:
            if not titles:
                if os.path.exists(path):
                    os.remove(path)
                self.stats["tape_list"] = None
                return
            tmp = path + ".part"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(f"{self.recall.instructions(len(titles))}\n{self.recall.portal_url}\n\n")
                f.write("".join(t + "\n" for t in titles))
            os.replace(tmp, path)
            self.stats["tape_list"] = path
        except OSError as e:   # the list is a convenience: the run goes on
            log.warning("Could not write the list of products on tape %s (%s)", path, e)

    def _end_watch(self):
        on_tape = [i for i in self.items if i.state is ON_TAPE]
        self.stats["on_tape"] = [i.product.title for i in on_tape]
        self.stats["instructions"] = self.recall.instructions(len(on_tape)) if on_tape else ""
        if on_tape and self.watch_stopped:
            self.stats["instructions"] = join(" ", [self.watch_stopped, self.stats["instructions"]])
            for item in on_tape:
                item.reason = self.watch_stopped
            log.info("%s Product names: %s", self.stats["instructions"], self.stats["tape_list"] or "")
        elif on_tape:
            watched = (tr(" Watched for {duration}: still on tape; run the download again to resume watching.",
                          duration=duration_text(self.opt.watch_s)) if self.opt.watch_s > 0 else "")
            for item in on_tape:
                item.reason = tr("{state}.{watched}", state=self.recall.state, watched=watched) if watched else \
                    self.recall.state
            log.info("%s Product names: %s", self.stats["instructions"], self.stats["tape_list"] or "")

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
            error = Cancelled(tr("Cancelled by the user."))   # a request broken by the cancel is no failure
        if error is None:
            item.path, item.bytes_done, item.reason = result.path, result.size, ""
            if not p.checksum:
                item.note = tr("{service} gave no checksum for this product: it was checked as a complete zip "
                               "archive only.", service=self.recall.service)
            self.journal.update(p, state=journal_mod.VERIFIED, file=os.path.basename(result.path), record=None)
            self.limit = min(self.cap, self.limit + 1)
            self.quota_since = None
            self._set(item, ProductState.DONE)
        elif isinstance(error, Cancelled):
            self._set(item, ProductState.CANCELLED, reason=tr("Cancelled by the user."))
        elif isinstance(error, QuotaError):
            # Back in the queue after Retry-After, one connection fewer for now; but a quota that stays empty
            # (no download accepted for quota_give_up_s) ends the run with what to do, not an endless loop.
            self.limit = max(1, self.active)
            self.quota_since = now if self.quota_since is None else self.quota_since
            if now - self.quota_since >= self.opt.quota_give_up_s:
                self._fail(item, tr("{service} refused every download for {duration} (HTTP 429: too many requests "
                                    "or an empty quota): try again later; what was downloaded is kept.",
                                    service=self.recall.service, duration=duration_text(self.opt.quota_give_up_s)))
            else:
                item.not_before = now + self._retry_wait(error.retry_after)
                self._set(item, ProductState.QUEUED, reason=str(error))
        elif isinstance(error, GoneError) and self._says_online(item):
            self._fail(item, tr("{title}: the service answered HTTP 410 (Gone) although it reports the product "
                                "online: it may have been withdrawn or replaced; search again.", title=p.title))
        elif isinstance(error, NotOnlineError) and not isinstance(error, GoneError) and self._says_online(item):
            # "Not online yet" (a 503, a 202, a message instead of the zip) for a product the service calls online:
            # a passing refusal (maintenance, overload), not a tape; the tape list would send the user to order it.
            self._retry(item, now, error, error.retry_after)
        elif isinstance(error, AuthError) and self._was_on_tape(item):
            # A product the watch brought back, refused for the credentials (the key revoked since, a two-factor
            # login expired): not its fault; on tape again, journaled, and the watch stops until the user acts.
            self._to_tape(item, now)
            self._stop_watch(error)
        elif isinstance(error, NotOnlineError):
            # On tape after all (a 410 on GEODES): no further GET until the availability endpoint says online.
            self._to_tape(item, now)
        elif isinstance(error, ProductBusyError):
            # Another run writes it: wait for it (not counted as a failure); the next try finds it verified.
            if item.reason != str(error):
                log.info("%s", error)
            item.not_before = now + BUSY_RETRY_S
            self._set(item, ProductState.QUEUED, reason=str(error))
        elif isinstance(error, (AuthError, ChecksumError, DiskFullError, FolderError, NotFoundError)):
            self._fail(item, str(error))
        elif isinstance(error, (SentinelMirrorError, OSError)):
            self._retry(item, now, error)
        else:
            log.error("Unexpected error while downloading %s", p.title, exc_info=error)
            self._fail(item, tr("Unexpected error: {error!r}", error=error))

    def _says_online(self, item):
        """After a not-online answer: does the availability endpoint call the product online?"""
        return self._availability([item]).get(item.product.id) is Availability.ONLINE

    def _retry(self, item, now, error, retry_after=None):
        """A transient failure: queued again after a growing pause (at least Retry-After), until max_attempts."""
        item.attempts += 1
        if item.attempts >= self.opt.max_attempts:
            self._fail(item, tr("Gave up after {attempts} attempts: {error}", attempts=item.attempts, error=error))
            return
        wait = self.opt.retry_backoff_s * 2 ** (item.attempts - 1)
        item.not_before = now + max(wait, self._retry_wait(retry_after, default=0.0))
        self._set(item, ProductState.QUEUED, reason=tr("Will retry: {error}", error=error))

    def _retry_wait(self, retry_after, default=None):
        """How long to honour a Retry-After (None: the server did not say)."""
        if retry_after is None:
            return self.opt.default_retry_after_s if default is None else default
        return min(max(retry_after, MIN_RETRY_AFTER_S), self.opt.retry_after_max_s)

    def _fail(self, item, reason):
        self.journal.update(item.product, state=journal_mod.FAILED, reason=reason, record=None)
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
        reason = item.note if item.state is ProductState.DONE else item.reason
        return ProductStatus(item.product.id, item.state, item.bytes_done, item.product.size, reason,
                             item.path if item.state is ProductState.DONE else None)

    def _report_progress(self):
        """Done and on-tape products count as finished: the bar says how much of what can come now has come."""
        sizes = [i.product.size for i in self.items]
        by_bytes = all(s for s in sizes)
        total = sum(sizes) if by_bytes else len(self.items)
        done = 0.0
        for item in self.items:
            weight = item.product.size if by_bytes else 1
            if item.state in FINAL or item.state is ON_TAPE:
                done += weight
            elif item.product.size:
                done += weight * min(1.0, item.bytes_done / item.product.size)
        self.progress.set(100.0 * done / total if total else 100.0)


def _unique_name(product, taken):
    """The zip's own name (GEODES data asset, e.g. THEIA's `…_C_V4-0.zip`) or `<title>.zip`; `<name>_<id>.zip` when
    another product of the batch already has that name (catalogues do list distinct products under one name): two
    downloads must never share a `.part` or a final file."""
    stem = str(product.extra.get("file_name") or "")
    stem = stem[:-4] if stem.lower().endswith(".zip") else product.title
    name = paths.safe_filename(stem, ".zip")
    if name.lower() in taken:   # lower(): the folder may be on a case-insensitive file system
        name = paths.safe_filename(f"{paths.safe_filename(stem)[:150]}_{paths.safe_filename(product.id)[:48]}",
                                   ".zip")
    taken.add(name.lower())
    return name


def _chunks(seq, n):
    return [seq[k:k + n] for k in range(0, len(seq), n)]


def _same_md5(a, b):
    return (a or "").lower() == (b or "").lower()


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
