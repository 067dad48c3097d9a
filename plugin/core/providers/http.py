"""One way to talk JSON to a catalogue: retries with backoff, and HTTP failures mapped onto our errors.

- connection errors, timeouts and 5xx: retried with exponential backoff (honouring Retry-After), then RemoteError;
- a 5xx whose Retry-After exceeds max_retry_after_s (the service says it is down for a while): QuotaError carrying
  it at once. Retrying sooner would hammer a service that asked us not to, and sleeping that long here would
  block the caller's thread; the caller comes back when asked (the pipeline's next poll, capped; a search fails
  saying when to try again);
- 401/403: AuthError saying where to set the credentials;
- 429: QuotaError carrying Retry-After (not retried here: the caller decides when to come back);
- anything that is not the JSON the protocol promises: MalformedResponseError quoting what came back. Answers are
  streamed and read up to MAX_JSON_BYTES (an answer that never ends must not take QGIS down with it), and
  every kind of parse failure (bad JSON, bad encoding, JSON nested deep enough to exhaust the parser's
  recursion, a field of the wrong type: malformed_answer) is "the catalogue sent a malformed answer".
The sleep function is injectable so tests do not wait.
"""
import contextlib
import email.utils
import ipaddress
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import poolmanager
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..errors import AuthError, MalformedResponseError, NotFoundError, QuotaError, RemoteError, SentinelMirrorError
from ..redact import redact
from ..i18n import tr

log = logging.getLogger(__name__)
QUOTE_CHARS = 200
# A CDSE page of 1000 products with attributes and assets is a few MB; past this the answer is not a catalogue's.
MAX_JSON_BYTES = 64 * 1024 * 1024
JSON_READ_CHUNK = 16 * 1024   # decoded chunk by chunk: a compressed answer cannot inflate far past the cap


def parse_retry_after(value, default=None, now=None):
    """A Retry-After header value (delta-seconds or HTTP-date) as seconds, or `default`."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - (time.time() if now is None else now))
    except (TypeError, ValueError, OverflowError):
        return default


def retry_after_seconds(response, default=None):
    """The response's Retry-After as seconds, or `default`."""
    return parse_retry_after(response.headers.get("Retry-After") if response is not None else None, default)


def _is_ip(host):
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def same_origin(url, base):
    """Same scheme, host and port: where the GEODES API key goes, and nowhere else (a self-hosted mirror's
    neighbours under its parent domain are not the mirror)."""
    u, b = urlsplit(url), urlsplit(base)
    return (u.scheme, (u.hostname or "").lower(), u.port) == (b.scheme, (b.hostname or "").lower(), b.port)


def same_site(url, base):
    """True when `url` is on the configured service's site: we attach a login's token (Authorization) only there.

    Same scheme, host and port; or, over https only, a host under the service host's parent domain (CDSE's
    download host redirects to zipper.dataspace.copernicus.eu; geodes-portal.cnes.fr -> *.cnes.fr). The parent
    must keep two labels, and "the last two labels" is not used: for mirror.univ.ac.uk it would be every
    *.ac.uk. An IP address must match exactly."""
    u, b = urlsplit(url), urlsplit(base)
    if (u.scheme, u.hostname, u.port) == (b.scheme, b.hostname, b.port):
        return True
    uhost, bhost = (u.hostname or "").lower(), (b.hostname or "").lower()
    if _is_ip(uhost) or _is_ip(bhost) or u.scheme != "https" or b.scheme != "https":
        return False
    parent = bhost.split(".", 1)[1] if bhost.count(".") >= 2 else ""
    return bool(parent) and (uhost == parent or uhost.endswith("." + parent))


LOOPBACK_HOSTS = ("localhost",)


def check_credentials_transport(url, service, where):
    """Refuse (AuthError, before anything is sent) to send a secret in clear text: https only, except to this
    computer (the mirror simulator, a local tunnel). `where` says where to fix the address."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    local = host in LOOPBACK_HOSTS or (_is_ip(host) and ipaddress.ip_address(host).is_loopback)
    if parts.scheme != "https" and not local:
        raise AuthError(tr("The {service} address {scheme}://{value} is not https: your credentials are only sent "
                           "over an encrypted connection. {where}",
                           service=service, scheme=parts.scheme, value=parts.hostname or '', where=where))


def tls_failure_message(url, what, error):
    """The plain sentence for a failed TLS handshake: retrying does not help, and verification stays on."""
    cause = str(error)
    reason = tr("its certificate could not be verified") if "CERTIFICATE_VERIFY_FAILED" in cause or "certificate" \
        in cause.lower() else tr("the secure connection failed")
    return tr("The secure connection to {host} for {what} failed: {reason}. Sentinel Mirror always verifies "
              "certificates; if your network inspects HTTPS (a company proxy), install its certificate authority in "
              "the system's certificate store, or check the address in Settings → Options → Sentinel Mirror.",
              host=urlsplit(url).hostname, what=what, reason=reason)


REDIRECT_CODES = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 10
# What only the configured service may see. requests itself drops Authorization on a host change (which
# breaks CDSE's same-site redirect) but forwards custom headers such as X-API-Key to ANY host.
CREDENTIAL_HEADERS = ("authorization", "x-api-key", "proxy-authorization", "cookie")
ORIGIN_ONLY_HEADERS = ("x-api-key",)   # the GEODES key: the configured host only (same_origin), never a sibling


def send_following_redirects(session, method, url, *, headers=None, **kwargs):
    """session.request, following redirects ourselves so that our credential headers reach the site they
    were meant for only (see same_site) and are dropped, for good, once a redirect leaves it."""
    origin, headers = url, dict(headers or {})
    for _ in range(MAX_REDIRECTS + 1):
        response = session.request(method, url, headers=headers, allow_redirects=False, **kwargs)
        location = response.headers.get("Location")
        if response.status_code not in REDIRECT_CODES or not location:
            return response
        response.close()
        url = urljoin(url, location)
        kwargs.pop("params", None)   # the Location carries the whole query
        if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
            method = "GET"           # what browsers and requests do; the body is not re-sent
            kwargs.pop("json", None)
            kwargs.pop("data", None)
        if not same_origin(url, origin):
            drop = ORIGIN_ONLY_HEADERS if same_site(url, origin) else CREDENTIAL_HEADERS
            if any(k.lower() in drop for k in headers):
                headers = {k: v for k, v in headers.items() if k.lower() not in drop}
                log.info("Following a redirect to %s without our %s", urlsplit(url).hostname,
                         "API key" if drop is ORIGIN_ONLY_HEADERS else "credentials")
    raise requests.TooManyRedirects(f"More than {MAX_REDIRECTS} redirects")


def redirect_loop_error(what, headers):
    """A redirect loop. On a request carrying an API key or token it is a key problem: pyGeodes' troubleshooting
    page says "Exceeded 30 redirects" usually means the API key is outdated or wrong."""
    if any(k.lower() in CREDENTIAL_HEADERS for k in headers or {}):
        return AuthError(tr("The service redirected {what} in a loop, which usually means the API key (or login) "
                            "is outdated or wrong: create a new key in your account settings on the service's "
                            "site and set it in Settings → Options → Sentinel Mirror.",
                            what=what))
    return RemoteError(tr("The service redirected {what} in a loop: check the service address in Settings → "
                          "Options → Sentinel Mirror.",
                          what=what))


def duration_text(seconds):
    """'45 s', '8 min', '4.0 h': a wait or a timeout as a user reads it."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class _InFlight:
    """The connection each thread is using right now (from before the request is sent until its body is released),
    so that another thread can abort it: a blocked read does not look at any cancel flag."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_thread = {}

    def track(self, conn):
        with self._lock:
            self._by_thread[threading.get_ident()] = conn

    def untrack(self, conn):
        with self._lock:
            for thread in [t for t, c in self._by_thread.items() if c is conn]:
                del self._by_thread[thread]

    def abort(self, thread_ids):
        with self._lock:
            conns = [self._by_thread.get(t) for t in thread_ids]
        for conn in conns:
            sock = getattr(conn, "sock", None)
            if sock is not None:
                try:   # shutdown (not close) wakes a read blocked in another thread; the plain socket method
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)   # leaves a TLS socket's state to that thread
                except OSError:
                    pass


_IN_FLIGHT = _InFlight()


def abort_requests(thread_ids):
    """Break the connections the given threads are waiting on (for an answer or for body bytes): their requests
    fail at once with a connection error. Only sessions built with AbortableAdapter (default_session) track
    them; the connect phase itself (up to the connect timeout) cannot be broken."""
    _IN_FLIGHT.abort(thread_ids)


class _TrackedPool:
    def _get_conn(self, timeout=None):
        conn = super()._get_conn(timeout)
        _IN_FLIGHT.track(conn)
        return conn

    def _put_conn(self, conn):
        _IN_FLIGHT.untrack(conn)
        super()._put_conn(conn)


class _TrackedHTTPPool(_TrackedPool, HTTPConnectionPool):
    pass


class _TrackedHTTPSPool(_TrackedPool, HTTPSConnectionPool):
    pass


_TRACKED_POOLS = {"http": _TrackedHTTPPool, "https": _TrackedHTTPSPool}


class AbortableAdapter(HTTPAdapter):
    """An HTTPAdapter whose requests abort_requests can break: a cancelled download must not keep its thread (and
    QGIS' exit, which waits for it) until a slow server sends its first byte or the read timeout expires."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _TRACKED_POOLS

    def proxy_manager_for(self, proxy, **kwargs):
        manager = super().proxy_manager_for(proxy, **kwargs)
        if manager.pool_classes_by_scheme is poolmanager.pool_classes_by_scheme:   # not SOCKS: it has its own
            manager.pool_classes_by_scheme = _TRACKED_POOLS
        return manager


def _body_start(response, limit):
    """At most `limit` bytes of a reply's body, whether it was read already or is still streaming."""
    if getattr(response, "_content", False) is not False:   # requests already read it (not streamed)
        return (response.content or b"")[:limit]
    data = bytearray()
    try:
        for chunk in response.iter_content(min(limit, JSON_READ_CHUNK)):
            data += chunk
            if len(data) >= limit:
                break
    except Exception:  # noqa: BLE001 - quoting is best effort
        pass
    finally:
        response.close()   # the rest of an error body is never read
    return bytes(data[:limit])


def quote_body(response, limit=QUOTE_CHARS):
    """The first `limit` characters of a reply, secrets masked, for an error message."""
    text = _body_start(response, 4 * limit).decode(response.encoding or "utf-8", "replace")
    text = " ".join(text.split())
    text = text[:limit] + ("…" if len(text) > limit else "")
    return redact(text) or "(empty body)"


class _BrokeOff(RemoteError):
    """The body of an answer stopped midway (streamed: after send() returned): worth another try."""


@dataclass
class RetryPolicy:
    attempts: int = 4                 # total tries for retryable failures
    backoff_s: float = 1.0            # 1, 2, 4 … seconds
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 60.0   # a longer Retry-After on a 5xx is the caller's to wait for (QuotaError)
    timeout: tuple = (10.0, 60.0)     # connect, read


class JsonHttp:
    """JSON requests to one service. `service` names it in messages; `auth_hint` says where to fix credentials."""

    def __init__(self, session, service, auth_hint, policy=None, sleep: Callable[[float], None] = time.sleep):
        self.session = session
        self.service = service
        self.auth_hint = auth_hint
        self.policy = policy or RetryPolicy()
        self.sleep = sleep

    def request(self, method, url, *, what=tr("request"), expect=(200,), **kwargs):
        """Send, retrying what is worth retrying (an answer that broke off midway too); return the parsed JSON."""
        for attempt in range(1, self.policy.attempts + 1):
            response = self.send(method, url, what=what, expect=expect, **kwargs)
            try:
                return self.parse_json(response, what)
            except _BrokeOff:
                if attempt == self.policy.attempts:
                    raise
                self._wait(attempt, None, "the answer broke off")
        raise AssertionError("unreachable")

    def send(self, method, url, *, what=tr("request"), expect=(200,), **kwargs):
        """Send, retrying what is worth retrying; return the response with an expected status."""
        kwargs.setdefault("timeout", self.policy.timeout)
        kwargs.setdefault("stream", True)   # bodies are read by parse_json / quote_body, up to a cap
        p = self.policy
        for attempt in range(1, p.attempts + 1):
            last = attempt == p.attempts
            try:
                response = send_following_redirects(self.session, method, url, **kwargs)
            except requests.TooManyRedirects:
                raise redirect_loop_error(tr("the {service} {what}", service=self.service, what=what),
                                          kwargs.get("headers")) from None
            except requests.exceptions.SSLError as e:   # a ConnectionError, but retrying will not fix it
                raise RemoteError(tls_failure_message(url, tr("the {service} {what}", service=self.service, what=what),
                                                      e)) from None
            except (requests.ConnectionError, requests.Timeout) as e:
                if last:
                    raise RemoteError(tr("{service} could not be reached for the {what} after {attempts} attempts "
                                         "({name}): check your connection or try later.",
                                         service=self.service, what=what, attempts=p.attempts,
                                         name=type(e).__name__)) from e
                self._wait(attempt, None, f"{type(e).__name__}")
                continue
            status = response.status_code
            if status in expect:
                return response
            if status >= 500:
                wait = retry_after_seconds(response)
                if wait is not None and wait > p.max_retry_after_s:
                    raise QuotaError(tr("{service} is unavailable for the {what} (HTTP {status}) and asks to come "
                                        "back in {wait}.",
                                        service=self.service, what=what, status=status,
                                        wait=duration_text(wait)), retry_after=wait)
                if last:
                    raise RemoteError(tr("{service} failed the {what} with HTTP {status} after {attempts} "
                                         "attempts: {response}",
                                         service=self.service, what=what, status=status, attempts=p.attempts,
                                         response=quote_body(response)))
                response.close()   # streamed: give the connection back before waiting
                self._wait(attempt, wait, f"HTTP {status}")
                continue
            self.raise_for_status(response, what)
            raise MalformedResponseError(tr("{service} answered the {what} with unexpected HTTP {status}: "
                                            "{response}",
                                            service=self.service, what=what, status=status,
                                            response=quote_body(response)))
        raise AssertionError("unreachable")

    def _wait(self, attempt, retry_after, reason):
        p = self.policy
        delay = min(p.max_backoff_s, p.backoff_s * 2 ** (attempt - 1))
        if retry_after is not None:
            delay = max(delay, retry_after)
        log.info("%s: %s, retrying in %.1f s (attempt %d of %d)", self.service, reason, delay, attempt + 1,
                 p.attempts)
        self.sleep(delay)

    def raise_for_status(self, response, what=tr("request")):
        """Map a 4xx reply onto our errors (used by callers that handle the response themselves)."""
        status = response.status_code
        if status in (401, 403):
            raise AuthError(tr("{service} refused the credentials (HTTP {status}) for the {what}. {auth_hint} The "
                               "service said: {response}",
                               service=self.service, status=status, what=what, auth_hint=self.auth_hint,
                               response=quote_body(response, 120)))
        if status == 429:
            wait = retry_after_seconds(response)
            when = tr("retry in {wait:.0f} s", wait=wait) if wait is not None else tr("retry later")
            raise QuotaError(tr("{service} quota exceeded (HTTP 429) for the {what}: {when}.",
                                service=self.service, what=what, when=when), retry_after=wait)
        if status == 404:
            raise NotFoundError(tr("{service} does not know this {what} (HTTP 404): {response}",
                                   service=self.service, what=what, response=quote_body(response)))
        if 400 <= status < 500:
            raise RemoteError(tr("{service} refused the {what} (HTTP {status}): {response}",
                                 service=self.service, what=what, status=status, response=quote_body(response)))

    def parse_json(self, response, what=tr("request")):
        body = self._read_capped(response, what)
        try:
            return json.loads(body)   # bytes: UTF-8/16/32 detected as the JSON standard says
        except (ValueError, RecursionError, MemoryError) as e:
            kind = response.headers.get("Content-Type", tr("no content type"))
            log.debug("%s: unparsable answer to the %s", self.service, what, exc_info=True)
            quoted = " ".join(body[:4 * QUOTE_CHARS].decode("utf-8", "replace").split())[:QUOTE_CHARS]
            why = tr("JSON nested too deeply") if isinstance(e, RecursionError) else tr("not JSON, {kind}", kind=kind)
            raise MalformedResponseError(tr("{service} sent a malformed answer to the {what} ({why}): {value}. "
                                            "Try again later; if it persists, the service is broken or has "
                                            "changed.",
                                            service=self.service, what=what, why=why,
                                            value=redact(quoted) or '(empty body)')) from None

    def _read_capped(self, response, what):
        if getattr(response, "_content", False) is not False:
            body = response.content or b""
        else:
            data = bytearray()
            try:
                for chunk in response.iter_content(JSON_READ_CHUNK):
                    data += chunk
                    if len(data) > MAX_JSON_BYTES:
                        raise MalformedResponseError(
                            tr("{service} sent a malformed answer to the {what}: more than {value} MB, far more "
                               "than any catalogue answer, so it was cut off. Try again later; if it persists, "
                               "the service is broken.",
                               service=self.service, what=what, value=MAX_JSON_BYTES // 2**20))
            except requests.RequestException as e:
                raise _BrokeOff(tr("The {service} answer to the {what} broke off ({name}): check your connection "
                                   "or try later.",
                                   service=self.service, what=what, name=type(e).__name__)) from None
            finally:
                response.close()
            body = bytes(data)
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and len(body) < int(length) and not response.headers.get("Content-Encoding"):
                raise _BrokeOff(tr("The {service} answer to the {what} broke off ({body} of {length} bytes): "
                                   "check your connection or try later.",
                                   service=self.service, what=what, body=len(body),
                                   length=length))   # urllib3 1.x does not say
        if len(body) > MAX_JSON_BYTES:
            raise MalformedResponseError(tr("{service} sent a malformed answer to the {what}: more than {value} "
                                            "MB.",
                                            service=self.service, what=what, value=MAX_JSON_BYTES // 2**20))
        return body


@contextlib.contextmanager
def malformed_answer(service, what):
    """Turn any failure while reading a parsed answer (a field of the wrong type, a number that is not one...) into
    MalformedResponseError; our own errors pass through. The detail goes to the log at debug level."""
    try:
        yield
    except SentinelMirrorError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OverflowError) as e:
        log.debug("%s: malformed %s", service, what, exc_info=True)
        raise MalformedResponseError(tr("{service} sent a malformed answer to the {what} ({name}: {value}). Try "
                                        "again later; if it persists, the service is broken or has changed.",
                                        service=service, what=what, name=type(e).__name__,
                                        value=redact(str(e))[:QUOTE_CHARS])) from None


def require(data, path, service, what, types=None):
    """data[path[0]][path[1]]…, or MalformedResponseError quoting the data (the protocol promised it)."""
    cur = data
    for key in path:
        try:
            cur = cur[key]
        except (KeyError, IndexError, TypeError):
            raise MalformedResponseError(
                tr("{service} answered the {what} without {items}: {data}",
                   service=service, what=what, items='.'.join(map(str, path)), data=snippet(data))) from None
    if types is not None and not isinstance(cur, types):
        raise MalformedResponseError(
            tr("{service} answered the {what} with {items} of the wrong type: {data}",
               service=service, what=what, items='.'.join(map(str, path)), data=snippet(data)))
    return cur


def snippet(data, limit=QUOTE_CHARS):
    try:
        text = json.dumps(data)
    except (TypeError, ValueError, RecursionError):
        text = "(not printable)"
    return redact(text[:limit] + ("…" if len(text) > limit else ""))

