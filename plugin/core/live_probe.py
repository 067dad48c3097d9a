"""Bounded, recorded HTTP exchanges for the live check (`make check-live`) and the zip reader it uses, plus the
scrubber that keeps every secret out of what is recorded.

An exchange never reads more than its byte cap (the body is streamed and the connection closed at the cap), has
a connect/read timeout, and follows redirects itself, hop by hop, recording each one and dropping credential
headers once a redirect leaves the service's site (the rule of providers/http.py). What it records (status,
headers, a body excerpt or the JSON it parsed, its shape) goes through a Scrubber before it is written anywhere.
"""
import base64
import json
import re
import struct
import time
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urljoin, urlsplit, urlunsplit

import requests

from .providers.http import CREDENTIAL_HEADERS, REDIRECT_CODES, same_site
from .redact import MASK, SECRET_KEYS, redact

DEFAULT_TIMEOUT = (10.0, 30.0)     # connect, read (seconds)
DEFAULT_BODY_CAP = 64 * 1024       # bytes read from a body unless a probe asks for fewer or more
TEXT_EXCERPT = 4000                # characters of a non-JSON body kept in the report
# Headers whose value is a secret (or carries one) whatever it looks like: the value is never recorded.
SECRET_HEADERS = set(CREDENTIAL_HEADERS) | {"set-cookie", "x-auth-token", "x-amz-security-token"}
# Field, header and query names whose value is masked: core.redact's names, and any name ENDING in one of the
# secret words (X-Amz-Security-Token, X-Amz-Signature, client_secret), but not `token_type` or `expires_in`.
_SECRET_KEY = re.compile(r"^(?:.*(?:%s|signature|credential)|totp|otp|session[-_]?state|sig)$"
                         % "|".join(SECRET_KEYS), re.IGNORECASE)


class Scrubber:
    """Removes secrets from anything a report records: known values (the key, the password, tokens learnt during
    the run, a one-time code) in any of the encodings they travel in, values of secret-named fields in JSON, query
    strings and headers, and whatever core.redact recognises (header lines, forms, URL userinfo)."""

    def __init__(self, secrets=()):
        self._values = set()
        for s in secrets:
            self.add(s)

    def add(self, secret):
        """Remember a secret value (and its URL-encoded and JSON-escaped forms) to mask wherever it appears."""
        if not secret or len(str(secret)) < 3:   # a 1-2 character "secret" would mask half the report
            return
        s = str(secret)
        self._values.update({s, quote(s, safe=""), quote_plus(s), json.dumps(s)[1:-1]})

    def add_basic(self, username, password):
        """The Basic-auth form of an account (base64 of user:password), as a proxy or a server may echo it."""
        if username and password:
            self.add(base64.b64encode(f"{username}:{password}".encode()).decode())

    def leaks(self, text):
        """True when `text` still holds a secret value this scrubber knows (in any of its encodings)."""
        return any(secret in text for secret in self._values)

    def text(self, value):
        if value is None:
            return None
        text = str(value)
        for secret in sorted(self._values, key=len, reverse=True):   # longest first: an encoding contains others
            text = text.replace(secret, MASK)
        return redact(_scrub_urls(text))

    def headers(self, headers):
        return {k: (MASK if k.lower() in SECRET_HEADERS else self.text(v)) for k, v in dict(headers or {}).items()}

    def data(self, value):
        """A JSON-like value with secret-named fields masked and every string scrubbed."""
        if isinstance(value, dict):
            return {self.text(k): (MASK if isinstance(k, str) and _SECRET_KEY.match(k) and v not in (None, "")
                                   else self.data(v)) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


_URL = re.compile(r"https?://[^\s\"'<>]+")


def _scrub_urls(text):
    """Mask the values of secret-named query parameters in every URL of the text (token-bearing redirects)."""
    def one(match):
        url = match.group(0)
        parts = urlsplit(url)
        if not parts.query:
            return url
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if not any(_SECRET_KEY.match(k) for k, _ in pairs):
            return url
        query = urlencode([(k, MASK if _SECRET_KEY.match(k) else v) for k, v in pairs], safe="*")
        return urlunsplit(parts._replace(query=query))
    return _URL.sub(one, text)


def json_shape(value, depth=0):
    """The structure of a JSON value without its data: {"products": [{"id": "str", ...}], ...} (lists show their
    length and the shape of their first element)."""
    if depth > 8:
        return "…"
    if isinstance(value, dict):
        return {k: json_shape(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return {"list": len(value), "of": json_shape(value[0], depth + 1)} if value else {"list": 0}
    return {bool: "bool", int: "int", float: "float", str: "str", type(None): "null"}.get(type(value), "?")


@dataclass
class Hop:
    method: str
    url: str
    request_headers: dict
    status: Optional[int] = None
    reason: str = ""
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    body_complete: bool = True       # False: the body was longer than the cap (or the read was cut short)
    elapsed_s: float = 0.0
    error: str = ""                  # a network failure instead of an answer


@dataclass
class Exchange:
    """One request and the redirects it led to (followed up to `max_hops`), each hop as it came back."""
    name: str
    hops: list

    @property
    def last(self):
        return self.hops[-1]

    @property
    def status(self):
        return self.last.status

    def json(self):
        try:
            return json.loads(self.last.body.decode("utf-8")) if self.last.body_complete else None
        except (UnicodeDecodeError, ValueError):
            return None

    def record(self, scrub, keep_body=True, raw=False):
        """The exchange as report data, scrubbed. `keep_body`: False keeps only the body's size and shape; `raw`:
        also the body as it came, character for character (scrubbed all the same)."""
        out = {"name": self.name, "hops": []}
        for hop in self.hops:
            h = {"request": f"{hop.method} {scrub.text(hop.url)}",
                 "request_headers": scrub.headers({k: v for k, v in hop.request_headers.items()
                                                   if k.lower() != "user-agent"})}
            if hop.error:
                h["error"] = scrub.text(hop.error)
            else:
                h.update(status=hop.status, reason=hop.reason, headers=scrub.headers(hop.headers),
                         body_bytes_read=len(hop.body), body_complete=hop.body_complete,
                         elapsed_s=round(hop.elapsed_s, 3))
                h.update(describe_body(hop, scrub, keep_body))
                if raw and hop.body:
                    h["body_raw"] = scrub.text(hop.body.decode("utf-8", "replace"))
            out["hops"].append(h)
        return out


def describe_body(hop, scrub, keep_body=True):
    """Report fields for a body: the parsed JSON (scrubbed) and its shape, or a text excerpt, or the first bytes."""
    body = hop.body
    if not body:
        return {"body": ""}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and hop.body_complete:
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        else:
            out = {"body_shape": json_shape(scrub.data(data))}
            if keep_body:
                out["body_json"] = scrub.data(data)
            return out
    if text is not None:
        excerpt = text[:TEXT_EXCERPT]
        return {"body_text": scrub.text(excerpt) + ("…" if len(text) > TEXT_EXCERPT or not hop.body_complete else "")}
    return {"body_first_bytes_hex": body[:32].hex(), "body_binary": True}


def exchange(session, method, url, *, name, headers=None, site=None, max_hops=5, body_cap=DEFAULT_BODY_CAP,
             timeout=DEFAULT_TIMEOUT, on_chunk=None, **kwargs):
    """Send one request, following up to `max_hops - 1` redirects; read at most `body_cap` bytes of each body.
    Credential headers go only to `site` (default: the first URL's site). Network failures are recorded, not
    raised. `on_chunk(bytes)`: the final body is handed over chunk by chunk instead of being kept (hashing)."""
    site = site or url
    headers = dict(headers or {})
    hops = []
    for _ in range(max_hops):
        hop = Hop(method, url, dict(headers))
        hops.append(hop)
        started = time.monotonic()
        try:
            response = session.request(method, url, headers=headers, allow_redirects=False, stream=True,
                                       timeout=timeout, **kwargs)
        except requests.RequestException as e:
            hop.error, hop.elapsed_s = f"{type(e).__name__}: {e}", time.monotonic() - started
            break
        try:
            hop.status, hop.reason, hop.headers = response.status_code, response.reason or "", dict(response.headers)
            redirect = hop.status in REDIRECT_CODES and hop.headers.get("Location")
            hop.body, hop.body_complete = read_capped(response, body_cap, None if redirect else on_chunk)
        except requests.RequestException as e:
            hop.error = f"{type(e).__name__} while reading the body: {e}"
        finally:
            response.close()
            hop.elapsed_s = time.monotonic() - started
        location = hop.headers.get("Location")
        if hop.status not in REDIRECT_CODES or not location:
            break
        url = urljoin(url, location)
        kwargs.pop("params", None)
        if hop.status == 303 or (hop.status in (301, 302) and method == "POST"):
            method = "GET"
            kwargs.pop("json", None)
            kwargs.pop("data", None)
        if not same_site(url, site):
            headers = {k: v for k, v in headers.items() if k.lower() not in CREDENTIAL_HEADERS}
    return Exchange(name, hops)


def read_capped(response, cap, on_chunk=None):
    """(at most `cap` bytes of the body, True if that was the whole body); with `on_chunk`, the bytes go to it
    and b"" is returned."""
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=min(64 * 1024, max(1, cap + 1))):
        keep = chunk[:max(0, cap - size)]
        size += len(chunk)
        if on_chunk is not None:
            on_chunk(keep)
        else:
            chunks.append(keep)
        if size > cap:
            return b"".join(chunks), False
    return b"".join(chunks), True


# --- zip central directory over ranged reads --------------------------------------------------------------------
_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_LOCATOR64 = b"PK\x06\x07"
_CENTRAL = b"PK\x01\x02"
EOCD_SEARCH = 22 + 65535            # the end record plus the longest comment a zip may carry
MAX_CENTRAL_DIRECTORY = 16 * 2**20  # a product's member list is a few kB; more means something else is wrong


class ZipReadError(Exception):
    pass


def zip_member_names(read_range, size):
    """The member names of a zip of `size` bytes, from its central directory only: read_range(start, end) returns
    bytes [start, end] (inclusive) of the remote file. About three small ranged reads, never the whole file."""
    tail_start = max(0, size - EOCD_SEARCH)
    tail = read_range(tail_start, size - 1)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise ZipReadError("no end-of-central-directory record in the last 64 kB: not a zip, or a truncated one")
    _, _, _, _, count, cd_size, cd_offset, _ = struct.unpack("<4sHHHHIIH", tail[at:at + 22])
    if 0xFFFFFFFF in (cd_size, cd_offset) or count == 0xFFFF:   # ZIP64: the locator sits just before the record
        loc = at - 20
        if loc < 0 or tail[loc:loc + 4] != _LOCATOR64:
            raise ZipReadError("a ZIP64 archive without its ZIP64 locator")
        (eocd64_offset,) = struct.unpack("<Q", tail[loc + 8:loc + 16])
        rec = read_range(eocd64_offset, eocd64_offset + 55)
        if rec[:4] != _EOCD64:
            raise ZipReadError("the ZIP64 end record is not where its locator says")
        count, cd_size, cd_offset = struct.unpack("<QQQ", rec[32:56])
    if cd_size > MAX_CENTRAL_DIRECTORY:
        raise ZipReadError(f"a central directory of {cd_size} bytes: not read")
    if cd_offset + cd_size > size:
        raise ZipReadError("the central directory lies beyond the end of the file")
    directory = read_range(cd_offset, cd_offset + cd_size - 1) if cd_size else b""
    names, pos = [], 0
    while pos + 46 <= len(directory) and directory[pos:pos + 4] == _CENTRAL:
        flags = struct.unpack("<H", directory[pos + 8:pos + 10])[0]
        name_len, extra_len, comment_len = struct.unpack("<HHH", directory[pos + 28:pos + 34])
        raw = directory[pos + 46:pos + 46 + name_len]
        names.append(raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace"))
        pos += 46 + name_len + extra_len + comment_len
    if len(names) != count:
        raise ZipReadError(f"the central directory lists {len(names)} members, its end record says {count}")
    return names
