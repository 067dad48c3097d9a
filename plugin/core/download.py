"""Stream one product to `<dest>.part`, resume it with HTTP Range, verify it, then rename it atomically.

A file carries the product's final name only once its size, MD5 and zip structure are checked, on the file
as it is on disk (not on the bytes received), and only one writer per product (core.product_lock) ever
opens its `.part`. What a server sends is bounded: never more than the catalogue's size, never inflated
(products are asked for with `Accept-Encoding: identity`; a compressed answer is refused), and the free
space is checked again as the file grows. Memory is bounded by one read chunk whatever the product size.
URLs and headers are never logged: they may carry tokens (CDSE `?token=`, `Authorization`, `X-API-Key`).
"""
import errno
import hashlib
import logging
import os
import re
import shutil
import time
import zipfile
from dataclasses import dataclass

import requests
import urllib3

from .errors import (AuthError, Cancelled, ChecksumError, DiskFullError, FolderError, GoneError, NotFoundError,
                     NotOnlineError, ProductBusyError, QuotaError, RemoteError)
from .part_ranges import unsegment
from .paths import folder_problem
from .product_lock import ProductLock
from .providers.http import redirect_loop_error, retry_after_seconds, send_following_redirects, tls_failure_message
from .redact import redact
from .i18n import tr

log = logging.getLogger("sentinel_mirror")

READ_CHUNK = 64 * 1024          # small reads: cancel is noticed within one chunk even on slow links
HASH_CHUNK = 1024 * 1024
DISK_MARGIN = 32 * 1024 * 1024  # keep this much free beyond the remaining bytes
MAX_RESUMES = 5                 # dropped connections resumed within one call (the pipeline retries further)
SPACE_CHECK_BYTES = 64 * 1024 * 1024   # free space is checked again each time this much more is written
UNWRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR)   # retrying will not help: FolderError
NOT_PRODUCT_TYPES = ("json", "html", "text/", "xml")
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")


@dataclass(frozen=True)
class DownloadResult:
    path: str
    size: int
    md5: str
    bytes_transferred: int   # bytes received over the network in this call (resume saves the rest)


class _Dropped(Exception):
    """The body ended early or the connection broke: resume with Range."""


class _RestartFromZero(Exception):
    """The server did not honour our Range request consistently."""


class _Oversized(Exception):
    """The server sent (or announced) more bytes than the product has."""


def _quote_body(resp, limit=300):
    """At most `limit` bytes of a streamed reply for an error message (not resp.text: the body may be a product)."""
    try:
        text = resp.raw.read(limit, decode_content=True) or b""
        text = text.decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - quoting is best effort
        text = ""
    text = " ".join(redact(text).split())
    return f": {text[:limit]}" if text else ""


def free_space_check(folder, remaining_bytes, title):
    free = shutil.disk_usage(folder).free
    needed = max(0, remaining_bytes or 0) + DISK_MARGIN
    if free < needed:
        raise DiskFullError(
            tr("Not enough free disk space in {folder} for {title}: it needs {value:.0f} MB more (including a "
               "safety margin) and {value2:.0f} MB are free. Free some space or choose another download folder, "
               "then run again: partial downloads are kept and resume.",
               folder=folder, title=title, value=needed / 1e6, value2=free / 1e6)
        )


def _hash_prefix(part, expected_size, cancelled):
    """(bytes already on disk, md5 over them). A part longer than the product is discarded."""
    try:
        size = os.path.getsize(part)
    except FileNotFoundError:
        return 0, hashlib.md5()
    if expected_size is not None and size > expected_size:
        os.remove(part)
        return 0, hashlib.md5()
    return size, file_md5(part, cancelled)


def file_md5(path, cancelled):
    """The running md5 of a file. Hashing gigabytes takes a while: a cancel is noticed between blocks."""
    md5 = hashlib.md5()
    with open(path, "rb") as f:
        while True:
            if cancelled():
                raise Cancelled(tr("Cancelled by the user."))
            block = f.read(HASH_CHUNK)
            if not block:
                break
            md5.update(block)
    return md5


def _verify(part, size, md5, expected_size, expected_md5, check_zip):
    """Return None when the part is the product, else what is wrong with it (plain words)."""
    if expected_size is not None and size != expected_size:
        return tr("size is {size} bytes, the catalogue says {expected_size}", size=size, expected_size=expected_size)
    if expected_md5 and md5.hexdigest() != expected_md5.lower():
        return tr("MD5 is {hexdigest}, the catalogue says {expected_md5}",
                  hexdigest=md5.hexdigest(), expected_md5=expected_md5.lower())
    if check_zip and not is_zip(part):
        return tr("it is not a valid zip archive")
    return None


def is_zip(path):
    """The central directory parses and lists files (cheap: it does not read the members)."""
    try:
        with zipfile.ZipFile(path) as z:
            return bool(z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def download_product(session, request, dest_path, *, expected_size=None, expected_md5=None, progress_cb=None,
                     cancelled=None, chunk_size=READ_CHUNK, refresh_request=None, timeout=(15, 60),
                     check_zip=True, sleep=time.sleep, title=None, connections=None, segmented=True):
    """Download `request` (a providers.base.DownloadRequest) to `dest_path`, verified.

    - Streams to `<dest_path>.part`; resumes an existing part with Range (hashing its prefix so the final
      MD5 covers the whole file); restarts from zero when the server ignores the range.
    - `refresh_request()`: called once after a 401/403; returns a fresh DownloadRequest (new token).
    - `progress_cb(bytes_done, bytes_total)` after each chunk; `cancelled()` checked after each chunk
      (raises Cancelled and keeps the part for a later resume).
    - `connections` (connections.Connections, the run's budget): the download holds one of its tokens while it
      talks to the server and, when `segmented`, takes the free ones too to fetch byte ranges in parallel
      (core/segments.py). Without it: one stream, no accounting.
    - Raises NotOnlineError (202, 503, an empty or JSON/HTML body: the product is not on disk yet; GoneError
      for a 410, GEODES' answer for a product on tape),
      QuotaError (429), AuthError, NotFoundError, RemoteError, ChecksumError (corrupt twice),
      DiskFullError. Retry-After is carried by the first two.
    """
    cancelled = cancelled or (lambda: False)
    title = title or os.path.basename(dest_path)
    folder = os.path.dirname(os.path.abspath(dest_path))
    lock = ProductLock(dest_path)
    try:
        held = lock.acquire()
    except OSError as e:
        raise cannot_write(title, folder, e) from e
    if not held:
        raise ProductBusyError(tr("{title} is being downloaded into {folder} by another run (another QGIS window "
                                  "or qgis_process): waiting for it to finish.",
                                  title=title, folder=folder))
    try:
        done = _already_there(dest_path, expected_size, expected_md5, check_zip, cancelled)
        if done is not None:   # another run finished it while we waited for the lock
            log.info("%s was downloaded and verified by another run meanwhile", title)
            return done
        args = (session, request, dest_path, expected_size, expected_md5, progress_cb, cancelled, chunk_size,
                refresh_request, timeout, check_zip, sleep, title, folder)
        from . import segments   # it builds on this module's helpers
        if connections is None:
            unsegment(dest_path + ".part", expected_size, expected_md5)
            return _download_locked(*args)
        with connections.hold(cancelled):
            if segmented and segments.eligible(expected_size, connections):
                return segments.download_segmented(*args, connections)
            unsegment(dest_path + ".part", expected_size, expected_md5)
            return _download_locked(*args)
    finally:
        lock.release()


def _already_there(dest_path, expected_size, expected_md5, check_zip, cancelled):
    """The final file, when it exists and is the product (size, MD5 of the file, zip), else None."""
    if expected_size is None or not os.path.isfile(dest_path) or os.path.getsize(dest_path) != expected_size:
        return None
    md5 = file_md5(dest_path, cancelled)
    if _verify(dest_path, expected_size, md5, expected_size, expected_md5, check_zip) is not None:
        return None
    return DownloadResult(dest_path, expected_size, md5.hexdigest(), 0)


def _download_locked(session, request, dest_path, expected_size, expected_md5, progress_cb, cancelled, chunk_size,
                     refresh_request, timeout, check_zip, sleep, title, folder):
    part = dest_path + ".part"
    refreshed = corrupt_retried = False
    resumes = transferred = 0
    while True:
        size, md5 = _hash_prefix(part, expected_size, cancelled)
        if size and size == expected_size:
            # A complete part (killed between the last write and the rename): asking for `bytes=size-` would
            # only get a 416 and a restart from zero. Verify it as it is.
            if _verify(part, size, md5, expected_size, expected_md5, check_zip) is None:
                os.replace(part, dest_path)
                return DownloadResult(dest_path, size, md5.hexdigest(), transferred)
            log.info("The complete partial download of %s is corrupt: downloading it again", title)
            _remove(part)
            continue
        free_space_check(folder, None if expected_size is None else expected_size - size, title)
        if cancelled():
            raise Cancelled(tr("Cancelled by the user."))
        if size:
            log.info("Resuming %s from byte %d", title, size)
        try:
            size, md5, got = _fetch(session, request, part, size, md5, expected_size, progress_cb, cancelled,
                                    chunk_size, timeout, check_zip, title)
            transferred += got
        except NotOnlineError:
            if os.path.exists(part) and os.path.getsize(part) == 0:
                _remove(part)
            raise
        except AuthError:
            if refresh_request is None or refreshed:
                raise
            log.info("Credentials refused while downloading %s: refreshing them once", title)
            request, refreshed = refresh_request(), True
            continue
        except _RestartFromZero:
            log.info("The server did not honour the resume of %s: restarting it from zero", title)
            _remove(part)
            continue
        except _Oversized as e:
            _remove(part)   # nothing larger than the product is ever kept
            raise RemoteError(tr("The server sent more data than {title} has ({e}): the download was stopped and "
                                 "will be tried again.",
                                 title=title, e=e)) from None
        except _Dropped as e:
            transferred += e.args[0] if e.args else 0
            if cancelled():   # the cancel itself may have broken the connection (pipeline: abort_requests)
                raise Cancelled(tr("Cancelled by the user.")) from None
            resumes += 1
            if resumes > MAX_RESUMES:
                raise RemoteError(tr("The connection kept breaking while downloading {title}; it will resume from "
                                     "where it stopped next time.",
                                     title=title)) from None
            log.info("Connection dropped while downloading %s: resuming (%d)", title, resumes)
            sleep(min(2.0, 0.1 * 2 ** resumes))
            continue
        # The file on disk is what gets its final name: hash it, not the stream (only one writer holds the
        # product lock, but a stray program or a disk error could still have changed it behind us).
        md5 = file_md5(part, cancelled)
        problem = _verify(part, size, md5, expected_size, expected_md5, check_zip)
        if problem is None:
            os.replace(part, dest_path)
            return DownloadResult(dest_path, size, md5.hexdigest(), transferred)
        _remove(part)
        if corrupt_retried:
            raise corrupt_twice(title, problem)
        log.warning("%s is corrupt (%s): downloading it again from zero", title, problem)
        corrupt_retried = True


def cannot_write(title, folder, error):
    """The FolderError of an OSError met writing `title` into `folder`: one sentence saying what to fix."""
    return FolderError(tr("Cannot write {title} in the download folder {folder} ({e}): choose a folder you can "
                          "write to.",
                          title=title, folder=folder, e=folder_problem(error)))


def open_part(path, mode, title, buffering=-1):
    """open() of a `.part`; a folder that cannot be written in (read-only, no permission) is a FolderError at
    once, since retrying will not help; other OSErrors (a full disk...) go to the caller as they are."""
    try:
        return open(path, mode, buffering=buffering)
    except OSError as e:
        if e.errno not in UNWRITABLE:
            raise
        raise cannot_write(title, os.path.dirname(os.path.abspath(path)), e) from e


def corrupt_twice(title, problem):
    return ChecksumError(tr("{title} was downloaded twice and is corrupt both times ({problem}). Try again later "
                            "or report it to the catalogue.",
                            title=title, problem=problem))


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _fetch(session, request, part, offset, md5, expected_size, progress_cb, cancelled, chunk_size, timeout,
           check_zip, title):
    """One HTTP GET. Returns (size, md5, bytes received) once the body ended where the product ends."""
    headers = dict(request.headers)
    headers["Accept-Encoding"] = "identity"   # a zip gains nothing from it, and a compressed body could inflate
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        # redirects followed by hand: the credentials never reach another site (providers/http.py)
        resp = send_following_redirects(session, "GET", request.url, headers=headers, stream=True, timeout=timeout)
    except requests.TooManyRedirects:
        raise redirect_loop_error(tr("the download of {title}", title=title), request.headers) from None
    except requests.exceptions.SSLError as e:   # a ConnectionError, but resuming will not fix it
        raise RemoteError(tls_failure_message(request.url, tr("the download of {title}", title=title), e)) from None
    except (requests.ConnectionError, requests.Timeout) as e:
        raise _Dropped(0) from e
    with resp:
        _check_status(resp, title)
        if offset and resp.status_code == 200:
            offset, md5 = 0, hashlib.md5()  # range ignored: this full body replaces the part
        elif resp.status_code == 206:
            m = _CONTENT_RANGE.match(resp.headers.get("Content-Range", ""))
            if not m or int(m.group(1)) != offset:
                raise _RestartFromZero()
        if offset == 0:
            _check_not_a_message(resp, title)
        encoding = resp.headers.get("Content-Encoding", "").strip().lower()
        if encoding not in ("", "identity"):   # asked for identity: never inflate what we did not ask for
            raise RemoteError(tr("The server sent {title} compressed ({encoding}) although it was asked not to: "
                                 "the download was refused and will be tried again.",
                                 title=title, encoding=encoding))
        length = resp.headers.get("Content-Length")
        length = int(length) if length and length.isdigit() else None
        if expected_size is not None and length is not None and offset + length > expected_size:
            raise _Oversized(tr("it announced {size} bytes, the catalogue says {expected_size}", size=offset + length,
                                  expected_size=expected_size))
        folder = os.path.dirname(os.path.abspath(part))
        next_space_check = offset + SPACE_CHECK_BYTES
        total = expected_size if expected_size is not None else (offset + length if length is not None else None)
        got = 0
        mode = "r+b" if offset else "wb"
        # unbuffered: a full disk shows up at the write that hit it
        with open_part(part, mode, title, buffering=0) as f:
            f.seek(offset)
            f.truncate()
            try:
                for chunk in _body(resp, chunk_size):
                    if cancelled():
                        raise Cancelled(tr("Cancelled by the user."))
                    if offset == 0 and check_zip and chunk[:1] in (b"{", b"[", b"<"):
                        text = " ".join(redact(chunk[:300].decode("utf-8", "replace")).split())
                        raise NotOnlineError(tr("{title} is not online yet (the service answered with a message "
                                                "instead of the product: {text})",
                                                title=title, text=text))
                    if expected_size is not None and offset + len(chunk) > expected_size:
                        raise _Oversized(tr("more than the {expected_size} bytes the catalogue says",
                                              expected_size=expected_size))
                    if offset + len(chunk) >= next_space_check:   # the disk may be filling from elsewhere too
                        free_space_check(folder, None if expected_size is None else expected_size - offset, title)
                        next_space_check = offset + SPACE_CHECK_BYTES
                    _write(f, chunk, offset, title)
                    md5.update(chunk)
                    offset += len(chunk)
                    got += len(chunk)
                    if progress_cb:
                        progress_cb(offset, total)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, requests.Timeout,
                    requests.exceptions.ContentDecodingError) as e:
                raise _Dropped(got) from e
        if offset == 0:
            raise NotOnlineError(tr("{title} is not online yet (the service sent an empty answer).", title=title))
        short = (length is not None and got < length) or (expected_size is not None and offset < expected_size)
        if short:
            raise _Dropped(got)
        return offset, md5, got


def _body(resp, chunk_size):
    """The body in chunks, every byte received handed over before a broken connection is reported.

    Not resp.iter_content: it decodes, and urllib3 2.x's decoder buffers a short read and discards it when the
    next read finds the connection closed, so the resume fetched that tail again. Nothing to decode here: a
    compressed answer was refused above.
    """
    try:
        yield from resp.raw.stream(chunk_size, decode_content=False)
    except urllib3.exceptions.HTTPError as e:   # what iter_content turns into requests' errors: broken, timeout
        raise requests.ConnectionError(e) from e


def _write(f, chunk, good_size, title):
    """Write all of chunk; a full disk becomes DiskFullError. good_size: the part is cut back to it first (the
    bytes the MD5 covers); None (segments: the ranges sidecar never lists this chunk) leaves the part alone."""
    view = memoryview(chunk)
    try:
        while view:
            view = view[f.write(view):]
    except OSError as e:
        if e.errno != errno.ENOSPC:
            raise
        if good_size is not None:
            try:  # keep a clean, resumable part: only the bytes the MD5 already covers
                f.truncate(good_size)
            except OSError:
                pass
        raise DiskFullError(tr("The disk filled up while downloading {title}. Free some space and run again: the "
                               "partial download is kept and resumes.",
                               title=title)) from e


def _check_status(resp, title):
    code = resp.status_code
    retry_after = retry_after_seconds(resp)
    if code in (200, 206):
        return
    if code in (401, 403):
        raise AuthError(tr("The catalogue refused the credentials for {title} (HTTP {code}).",
                           title=title, code=code))
    if code == 429:
        raise QuotaError(tr("Too many downloads at once for the service (HTTP 429) while fetching {title}.",
                            title=title),
                         retry_after)
    if code in (202, 503):
        raise NotOnlineError(tr("{title} is not online yet (HTTP {code}){resp}",
                                title=title, code=code, resp=_quote_body(resp)), retry_after)
    if code == 416:
        raise _RestartFromZero()
    if code == 410:   # GEODES' answer for a product on tape; the pipeline checks availability before saying more
        raise GoneError(tr("{title} is not online: the service answered HTTP 410 (on tape){resp}",
                           title=title, resp=_quote_body(resp)))
    if code == 404:
        raise NotFoundError(tr("{title} is no longer available from the catalogue (HTTP {code}).",
                               title=title, code=code))
    raise RemoteError(tr("The download of {title} failed with HTTP {code}{resp}",
                         title=title, code=code, resp=_quote_body(resp)))


def _check_not_a_message(resp, title):
    """An empty, JSON, HTML or text answer is the service talking, never the product."""
    ctype = resp.headers.get("Content-Type", "").lower()
    if resp.headers.get("Content-Length") == "0":
        raise NotOnlineError(tr("{title} is not online yet (the service sent an empty answer).", title=title),
                             retry_after_seconds(resp))
    if any(t in ctype for t in NOT_PRODUCT_TYPES):
        raise NotOnlineError(tr("{title} is not online yet (the service answered with a message instead of the "
                                "product{resp})",
                                title=title, resp=_quote_body(resp)), retry_after_seconds(resp))
