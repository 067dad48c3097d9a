"""One product on several connections: byte ranges fetched in parallel into one preallocated `.part`.

When fewer products are downloading than the connection cap allows, the free connections would sit idle.
Here one product's missing bytes are split into ranges, each fetched by its own worker (a thread with its
own connection) and written at its offset in `<dest>.part`, a sparse file of the product's full size.

- Connections: every request that opens a connection to the service holds a token of one shared
  `connections.Connections` budget (the pipeline's cap): a product's first connection, its extra ones and the requests
  that watch availability. Extra connections are only taken when nobody waits for one, and give theirs back
  at the end of their current block as soon as somebody does (a product that came online, the watch), so the
  cap is never exceeded and new products are never held up for long.
- Work: when a product first gets extra connections, what is left is cut into pieces in file order (a few
  per worker) that the workers take from the front; a worker asks for its piece one block at a time (at most
  `block_s` seconds of transfer, and smaller towards the end so the workers finish together), and a worker
  without a piece takes over the second half of the largest part nobody has asked for yet (work stealing).
  A block is always read to its end: closing a connection mid-body would leave the server counting it for a
  while.
- Resume: `<dest>.part.ranges` (core/part_ranges.py: the product's size and MD5, the byte ranges on disk)
  says which ranges of a full-size `.part` are written; it is saved every half second and when a worker stops, and
  always before the `.part` grows to full size. A `.part` without it is a prefix (single stream), so a
  part can always be read one way or the other whatever moment a run was killed at.
- A server that answers 200 (or a Content-Range other than the one asked for) to a ranged request does not
  honour ranges: the ranges already written that start at byte 0 are kept as a prefix and the product falls
  back to one stream (download._download_locked).
- Same guarantees as one stream: the caller holds the product lock throughout; every block is bounded to
  the bytes it asked for (a longer body is refused and nothing is kept); free space is checked again as
  the file fills; the whole file on disk is checked (size, MD5, zip) before the atomic rename. The MD5 is
  of the bytes read back from the disk: a hasher thread follows the written prefix during the download, so
  that the check at the end reads only the last pieces (hashing a GiB takes seconds).
"""
import hashlib
import logging
import os
import threading
import time

import requests

from . import download as dl
from .errors import AuthError, Cancelled, QuotaError, RemoteError
from .part_ranges import add_range, load_ranges, missing_ranges, ranges_path, remove_file, save_ranges, to_prefix
from .providers.http import redirect_loop_error, send_following_redirects, tls_failure_message
from .i18n import tr

log = logging.getLogger("sentinel_mirror")

MIN_BLOCK = 1024 * 1024       # smallest request, and the smallest piece worth a connection of its own
MAX_BLOCK = 256 * 1024 * 1024
ALIGN = 64 * 1024
SAVE_EVERY_S = 0.5            # ranges written since the last save are fetched again after a kill
SPAWN_CHECK_S = 0.1           # how often a download looks for a freed connection to take
STRIPES = 4                   # pieces per worker when a product is first split: the done prefix grows all along
CLOSE_GRACE_S = 0.05          # after closing a connection mid-body: the server notices within a chunk
MAX_QUOTA_WAIT_S = 5.0
HASH_STEP = 4 * 1024 * 1024   # the hasher reads the growing prefix this much at a time
QUOTA_RECHECK_S = 0.2


# ---- the download ------------------------------------------------------------------------------------------
class _Fallback(Exception):
    """Ranges are not honoured: one stream."""


class _Range:
    __slots__ = ("pos", "end", "asked", "owner")

    def __init__(self, pos, end):
        self.pos, self.end, self.asked, self.owner = pos, end, pos, None

    def stealable(self):
        return self.end - max(self.pos, self.asked)


def eligible(expected_size, connections):
    return connections is not None and expected_size is not None and expected_size >= 2 * MIN_BLOCK


def download_segmented(session, request, dest_path, expected_size, expected_md5, progress_cb, cancelled,
                       chunk_size, refresh_request, timeout, check_zip, sleep, title, folder, connections):
    """Called with the product lock and one connection token held. Returns download.DownloadResult."""
    part = dest_path + ".part"
    corrupt_retried = False
    transferred = 0
    while True:
        done = load_ranges(part, expected_size, expected_md5)
        job = _Job(session, request, part, expected_size, expected_md5, done, progress_cb, cancelled, chunk_size,
                   refresh_request, timeout, sleep, title, folder, connections)
        try:
            if missing_ranges(done, expected_size):
                dl.free_space_check(folder, expected_size - sum(e - s for s, e in done), title)
                job.run()
        except _Fallback:
            transferred += job.transferred
            log.info("The server does not honour byte ranges for %s: downloading it on one stream", title)
            to_prefix(part, job.done)
            result = dl._download_locked(session, job.request, dest_path, expected_size, expected_md5, progress_cb,
                                         cancelled, chunk_size, refresh_request, timeout, check_zip, sleep, title,
                                         folder)
            return dl.DownloadResult(result.path, result.size, result.md5, result.bytes_transferred + transferred)
        transferred += job.transferred
        request = job.request
        md5 = job.file_md5()   # the file on disk, not the bytes received (most of it read during the download)
        problem = dl._verify(part, os.path.getsize(part), md5, expected_size, expected_md5, check_zip)
        if problem is None:
            os.replace(part, dest_path)
            remove_file(ranges_path(part))
            connections.success()   # one connection more allowed again after a 429, like the pipeline does
            return dl.DownloadResult(dest_path, expected_size, md5.hexdigest(), transferred)
        remove_file(part)
        remove_file(ranges_path(part))
        if corrupt_retried:
            raise dl.corrupt_twice(title, problem)
        log.warning("%s is corrupt (%s): downloading it again from zero", title, problem)
        corrupt_retried = True


class _Job:
    """One segmented download: its ranges, its workers, its sidecar."""

    def __init__(self, session, request, part, size, md5, done, progress_cb, cancelled, chunk_size, refresh_request,
                 timeout, sleep, title, folder, connections):
        self.session, self.request, self.part, self.size, self.md5 = session, request, part, size, md5
        self.done = [list(r) for r in done]
        self.progress_cb, self.cancelled, self.chunk_size = progress_cb, cancelled, chunk_size
        self.refresh_request, self.timeout, self.sleep = refresh_request, timeout, sleep
        self.title, self.folder, self.connections = title, folder, connections
        self.lock = threading.Condition()
        self.ranges = [_Range(s, e) for s, e in missing_ranges(self.done, size)]
        self.rate = None              # bytes/s of one connection, last measured
        self.generation = 0           # bumped when the credentials are refreshed
        self.refreshed = False
        self.stop = None              # the exception that ends the job for every worker
        self.extras = []
        self.striped = False
        self.finished = False
        self.prepared = False
        self.md5_state = hashlib.md5()    # of the part's bytes [0, self.hashed), read back from the disk
        self.hashed = 0
        self.transferred = 0
        self.written = sum(e - s for s, e in self.done)
        self.last_save = 0.0
        self.next_space_check = self.written + dl.SPACE_CHECK_BYTES

    # ---- coordination ----
    def run(self):
        """The caller's thread: first block alone (does the server honour ranges?), then as many workers as
        free connections, then whatever is left; raises what stopped the job."""
        hasher = threading.Thread(target=self._follow_prefix, name="sentinel-mirror-hash", daemon=True)
        hasher.start()
        try:
            self._worker(object(), extra=False)
        except BaseException as e:  # noqa: BLE001 - stops the extra workers too; raised below
            self._halt(e)
        finally:
            for t in list(self.extras):
                t.join()
            with self.lock:
                self.finished = True
                self.lock.notify_all()
            hasher.join()
            with self.lock:
                if self.prepared:
                    self._save()
        if self.stop is not None:
            raise self.stop
        if any(r.pos < r.end for r in self.ranges):   # cannot happen: every range ends done or the job stops
            raise RemoteError(tr("The download of {title} stopped before its end; it will resume next time.",
                                 title=self.title))

    def _follow_prefix(self):
        """Hash the part from the disk as its written prefix grows, while the rest downloads: the MD5 check
        at the end then reads only what was written last (a GiB takes seconds to hash)."""
        with self.lock:
            while not self.prepared and not self.finished and self.stop is None:
                self.lock.wait(0.2)
            if not self.prepared:
                return
        try:
            # Unbuffered: a buffered reader reads ahead past the written prefix (the sparse part's zeros) and a
            # later seek inside its buffer serves those stale zeros (Python 3.14's 128 KiB buffers did).
            with open(self.part, "rb", buffering=0) as f:
                while True:
                    with self.lock:
                        while not self.finished and self.stop is None and self._prefix() - self.hashed < HASH_STEP:
                            self.lock.wait(0.2)
                        if self.stop is not None or self.hashed >= self._prefix():
                            return
                        end = self._prefix()
                    f.seek(self.hashed)
                    while self.hashed < end:
                        if self.cancelled() or self.stop is not None:
                            return
                        block = f.read(min(dl.HASH_CHUNK, end - self.hashed))
                        if not block:
                            return
                        self.md5_state.update(block)
                        self.hashed += len(block)
        except OSError:   # no part yet, or it went: the check at the end hashes what is left
            return

    def _prefix(self):
        return self.done[0][1] if self.done and self.done[0][0] == 0 and self.prepared else 0

    def file_md5(self):
        """The MD5 of the whole part on disk: what the hasher read, then the rest."""
        md5 = self.md5_state
        with open(self.part, "rb") as f:
            f.seek(self.hashed)
            while True:
                if self.cancelled():
                    raise Cancelled(tr("Cancelled by the user."))
                block = f.read(dl.HASH_CHUNK)
                if not block:
                    return md5
                md5.update(block)

    def _spawn_extras(self):
        """Take every free connection there is work for (called by the first worker between chunks). The first
        time, what is left is cut into pieces in file order (_stripe); newcomers take pieces, else steal."""
        with self.lock:
            work = any(r.owner is None and r.pos < r.end for r in self.ranges) or \
                any(r.stealable() >= 2 * MIN_BLOCK for r in self.ranges)
        tokens = 0
        while work and self.stop is None and tokens < self.connections.cap and self.connections.try_extra():
            tokens += 1
        if not tokens:
            return
        with self.lock:
            if not self.striped:
                self._stripe(tokens + 1)
            taken = []
            for _ in range(tokens):
                me = object()
                rng = self._take(me)
                if rng is None:
                    break
                taken.append((me, rng))
        for _ in range(tokens - len(taken)):
            self.connections.release()
        for me, rng in taken:
            t = threading.Thread(target=self._extra, args=(me, rng), name="sentinel-mirror-segment", daemon=True)
            self.extras.append(t)
            t.start()

    def _extra(self, me, rng):
        self.connections.threads.add(threading.get_ident())
        yielded = False
        try:
            yielded = self._worker(me, extra=True, rng=rng)
        except BaseException as e:  # noqa: BLE001 - the first one stops the job; the caller's thread raises it
            self._halt(e)
        finally:
            self.connections.threads.discard(threading.get_ident())
            self.connections.release(yielded=yielded)
            with self.lock:
                self.lock.notify_all()   # the first worker may be waiting for the last range to end

    def _halt(self, error):
        with self.lock:
            if self.stop is None:
                self.stop = error
            self.lock.notify_all()

    def _stripe(self, workers):
        """Cut what nobody asked for yet into pieces, in file order, STRIPES per worker: the workers take
        them from the front, so the done prefix (which the hasher follows) grows from the start (locked)."""
        self.striped = True
        spans = []
        for r in self.ranges:
            start = max(r.pos, r.asked)
            if r.end - start >= MIN_BLOCK:
                spans.append((start, r.end))
                r.end = start
        total = sum(e - s for s, e in spans)
        piece = max(MIN_BLOCK, -(-total // (workers * STRIPES)))
        piece += -piece % ALIGN
        for s, e in spans:
            while s < e:
                cut = e if e - s < piece + MIN_BLOCK else s + piece
                self.ranges.append(_Range(s, cut))
                s = cut
        self.ranges = sorted((r for r in self.ranges if r.pos < r.end or r.owner is not None), key=lambda r: r.pos)

    def _take(self, me):
        """An unowned range (the first in file order), else the second half of what the range with the most
        bytes nobody asked for yet has left, at most those bytes (called locked)."""
        for r in self.ranges:
            if r.owner is None and r.pos < r.end:
                r.owner = me
                return r
        victim = max(self.ranges, key=_Range.stealable, default=None)
        if victim is None or victim.stealable() < 2 * MIN_BLOCK:
            return None
        start = max(victim.pos, victim.asked)
        mid = max(start, victim.end - (victim.end - victim.pos) // 2)
        mid -= mid % ALIGN
        if mid - start < MIN_BLOCK or victim.end - mid < MIN_BLOCK:
            return None
        r = _Range(mid, victim.end)
        victim.end = mid
        r.owner = me
        self.ranges.append(r)
        return r

    def _worker(self, me, extra, rng=None):
        """Fetch blocks until nothing is left to take. Returns True when it gave its connection to a waiter."""
        rate, last_spawn = None, 0.0
        failures, refused = 0, False
        while True:
            with self.lock:
                if self.stop is not None:
                    return False
                if rng is not None and rng.pos >= rng.end:
                    rng = None
                if rng is None:
                    rng = self._take(me)
                if rng is None:
                    if extra or not any(r.pos < r.end for r in self.ranges):
                        return False
                    if self.cancelled():
                        raise Cancelled(tr("Cancelled by the user."))
                    self.lock.wait(0.1)   # the others may hand a range back (429, yield)
                    continue
                start = rng.pos
                rate = rate or self.rate   # a newcomer: the connection speed another worker measured
                # the first block is small when connections are free to join at its first byte (they take
                # over what it did not ask for), larger for a newcomer or when no connection is free
                alone = not extra and not self.connections.free()
                block = int(rate * self.connections.block_s) if rate else (8 if extra or alone else 1) * MIN_BLOCK
                # guided: never more than half a fair share of what nobody asked for yet, so that the workers
                # end together (the last blocks are small enough for the others to take over half of them)
                unasked = sum(r.stealable() for r in self.ranges)
                workers = 1 + sum(1 for t in self.extras if t.is_alive())
                block = min(block, unasked // (2 * workers))
                stop = min(rng.end, start + max(MIN_BLOCK, min(block, MAX_BLOCK)))
                if rng.end - stop < MIN_BLOCK:
                    stop = rng.end   # no crumb left behind
                rng.asked = max(rng.asked, stop)
                generation = self.generation
            if extra and self.connections.should_yield():
                with self.lock:
                    rng.owner, rng.asked = None, rng.pos
                    self.lock.notify_all()
                return True
            if not extra and self.prepared and time.monotonic() - last_spawn >= SPAWN_CHECK_S:
                last_spawn = time.monotonic()
                self._spawn_extras()
            t0 = time.monotonic()
            try:
                got = self._fetch(rng, start, stop, spawn=not extra)
            except dl._Dropped as e:
                got = e.args[0] if e.args else 0
                failures = 0 if got else failures + 1
                if self.stop is not None:
                    return False
                if self.cancelled():
                    raise Cancelled(tr("Cancelled by the user.")) from None
                if failures > dl.MAX_RESUMES:
                    raise RemoteError(tr("The connection kept breaking while downloading {title}; it will resume "
                                         "from where it stopped next time.",
                                         title=self.title)) from None
                log.info("Connection dropped while downloading %s: resuming its range", self.title)
                self.sleep(min(2.0, 0.1 * 2 ** failures))
                continue
            except QuotaError as e:
                if not refused:
                    # Most likely our own previous block on this connection, not yet counted as closed by the
                    # server (it notices a moment after the last byte): ask once more after a pause.
                    refused = True
                    self.sleep(QUOTA_RECHECK_S)
                    continue
                if not extra and not any(t.is_alive() for t in self.extras):
                    raise   # alone: the pipeline queues the product again (the ranges on disk are kept)
                self.connections.quota_hit()
                with self.lock:
                    rng.owner = None
                    self.lock.notify_all()
                rng = None
                if extra:
                    log.info("The service refused one more connection for %s (HTTP 429)", self.title)
                    return False
                self.sleep(min(MAX_QUOTA_WAIT_S, e.retry_after or 1.0))
                continue
            except AuthError:
                with self.lock:
                    if generation == self.generation:   # nobody refreshed them since this request went out
                        if self.refreshed or self.refresh_request is None:
                            raise
                        log.info("Credentials refused while downloading %s: refreshing them once", self.title)
                        self.request, self.refreshed = self.refresh_request(), True
                        self.generation += 1
                continue
            failures, refused = 0, False
            if got:
                rate = self.rate = got / max(1e-3, time.monotonic() - t0)

    # ---- one block ----
    def _fetch(self, rng, start, stop, spawn):
        """GET bytes [start, stop) into the part. Returns the bytes received; _Dropped when it ended early."""
        headers = dict(self.request.headers)
        headers["Accept-Encoding"] = "identity"
        headers["Range"] = f"bytes={start}-{stop - 1}"
        try:
            resp = send_following_redirects(self.session, "GET", self.request.url, headers=headers, stream=True,
                                            timeout=self.timeout)
        except requests.TooManyRedirects:
            raise redirect_loop_error(tr("the download of {title}", title=self.title), self.request.headers) from None
        except requests.exceptions.SSLError as e:
            raise RemoteError(tls_failure_message(self.request.url, tr("the download of {title}", title=self.title),
                                                  e)) from None
        except (requests.ConnectionError, requests.Timeout) as e:
            raise dl._Dropped(0) from e
        complete = False
        try:
            dl._check_status(resp, self.title)
            if resp.status_code != 206:
                raise _Fallback()
            m = dl._CONTENT_RANGE.match(resp.headers.get("Content-Range", ""))
            if (not m or int(m.group(1)) != start or int(m.group(2)) != stop - 1
                    or m.group(3) not in ("*", str(self.size))):
                raise _Fallback()
            dl._check_not_a_message(resp, self.title)
            encoding = resp.headers.get("Content-Encoding", "").strip().lower()
            if encoding not in ("", "identity"):
                raise RemoteError(tr("The server sent {title} compressed ({encoding}) although it was asked not "
                                     "to: the download was refused and will be tried again.",
                                     title=self.title, encoding=encoding))
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > stop - start:
                self._oversized(tr("it announced {length} bytes for a range of {value}",
                                   length=length, value=stop - start))
            self._prepare()
            if spawn:
                self._spawn_extras()   # ranges work: every free connection joins now
            got = self._stream(resp, rng, start, stop, spawn)
            complete = got == stop - start
        finally:
            resp.close()
            if not complete:
                time.sleep(CLOSE_GRACE_S)   # closed mid-body: let the server notice before the token is reused
        return got

    def _stream(self, resp, rng, start, stop, spawn):
        pos, got, last_spawn = start, 0, time.monotonic()
        with dl.open_part(self.part, "r+b", self.title, buffering=0) as f:
            f.seek(start)
            try:
                for chunk in dl._body(resp, self.chunk_size):   # not iter_content: see download._body
                    if self.cancelled():
                        raise Cancelled(tr("Cancelled by the user."))
                    if self.stop is not None:
                        raise dl._Dropped(got)   # another worker ended the job: stop here, the run raises it
                    if start == 0 and got == 0 and chunk[:1] in (b"{", b"[", b"<"):
                        raise _Fallback()   # a message, not a product: one stream tells which (not online...)
                    if pos + len(chunk) > stop:
                        self._oversized(tr("more than the {value} bytes asked for", value=stop - start))
                    dl._write(f, chunk, None, self.title)   # full disk: the part stays, resumable
                    pos += len(chunk)
                    got += len(chunk)
                    self._wrote(rng, pos - len(chunk), pos)
                    if spawn and time.monotonic() - last_spawn >= SPAWN_CHECK_S:
                        last_spawn = time.monotonic()
                        self._spawn_extras()
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, requests.Timeout,
                    requests.exceptions.ContentDecodingError) as e:
                raise dl._Dropped(got) from e
        if got < stop - start:
            raise dl._Dropped(got)
        return got

    def _oversized(self, why):
        """Nothing larger than the product is ever kept: the part and its ranges go."""
        with self.lock:
            self.stop = self.stop or RemoteError(
                tr("The server sent more data than {title} has ({why}): the download was stopped and will be "
                   "tried again.",
                   title=self.title, why=why))
            remove_file(self.part)
            remove_file(ranges_path(self.part))
            self.prepared = False
            self.done = []
            self.lock.notify_all()
        raise self.stop

    def _prepare(self):
        """The full-size sparse part, once ranges are known to work; the sidecar is written first."""
        with self.lock:
            if self.stop is not None:
                raise dl._Dropped(0)   # the job is ending (maybe because the part was refused): no new part
            if self.prepared:
                return
            save_ranges(self.part, self.size, self.md5, self.done)
            with dl.open_part(self.part, "r+b" if os.path.exists(self.part) else "wb", self.title) as f:
                f.truncate(self.size)
            self.prepared = True
            self.last_save = time.monotonic()

    def _wrote(self, rng, a, b):
        with self.lock:
            rng.pos = b
            if b >= rng.end:
                self.lock.notify_all()
            add_range(self.done, a, b)
            self.transferred += b - a
            self.written += b - a
            done = self.written
            if time.monotonic() - self.last_save >= SAVE_EVERY_S:
                self._save()
            check = done >= self.next_space_check
            if check:
                self.next_space_check = done + dl.SPACE_CHECK_BYTES
        if check:   # the disk may be filling from elsewhere too (a sparse part reserves nothing)
            dl.free_space_check(self.folder, self.size - done, self.title)
        if self.progress_cb:
            self.progress_cb(done, self.size)

    def _save(self):
        if self.prepared:
            save_ranges(self.part, self.size, self.md5, self.done)
            self.last_save = time.monotonic()
