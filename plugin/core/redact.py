"""Mask secrets in text before it reaches a log, a message bar or an exception message. Stdlib only.

Catches the forms our catalogues use: HTTP headers (`X-API-Key: k`, `Authorization: Bearer t`), dict reprs
(`'X-API-Key': 'k'`), query strings and form bodies (`access_token=t&password=p`), JSON (`"refresh_token": "t"`),
URL credentials (`http://user:pass@proxy`).

Patterns only catch a secret next to its name. A server may echo one in prose ("the key k-123 is not valid"),
so every credential the plugin holds (API key, password, tokens) is also registered with remember_secret()
where it enters the plugin (the catalogue clients), and masked by value, in the forms it travels in (as is,
URL-encoded, form-encoded, JSON-escaped, Base64 of a Basic `user:password`).
"""
import base64
import json
import logging
import re
import threading
from collections import OrderedDict
from urllib.parse import quote, quote_plus

from .i18n import Message

MASK = "***"
SECRET_KEYS = (
    "x-api-key", "api[-_]?key", "authorization", "proxy-authorization", "password", "passwd",
    "access[-_]?token", "refresh[-_]?token", "id[-_]?token", "token", "client[-_]?secret", "secret",
)
_KEY = "|".join(SECRET_KEYS)
# key, then a separator (:, =, quotes), then the value up to a delimiter. Authorization keeps its scheme word.
_PATTERN = re.compile(
    r"""(?P<key>["']?(?:%s)["']?\s*[:=]\s*["']?)(?P<scheme>(?:Bearer|Basic|Token)\s+)?(?P<value>[^\s"'&,;}\]]+)"""
    % _KEY,
    re.IGNORECASE,
)


# user:password@ in a URL: the QGIS proxy (plugin/qgis/http.py) travels that way, and urllib3 quotes the proxy
# URL in some of its errors ("Failed to parse: http://user:pass@proxy:3128").
_URL_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)[^/\s@]+@")


MIN_SECRET_LEN = 4       # shorter values would mask ordinary words everywhere
MAX_SECRETS = 64         # tokens rotate every few minutes in a long run: the oldest are forgotten
_secrets_lock = threading.Lock()
_secrets = OrderedDict()   # value -> None, oldest first
_by_value = None           # compiled alternation of every form of every secret (None: nothing to mask)


def _forms(value):
    forms = {value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]}
    forms |= {re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), f) for f in forms}   # %2f as well as %2F
    return {f for f in forms if len(f) >= MIN_SECRET_LEN}


def remember_secret(value, *related):
    """Mask `value` by value from now on (and, for a password, the Base64 of `user:password` with each `related`
    user name). Empty or very short values are ignored."""
    if not isinstance(value, str) or len(value.strip()) < MIN_SECRET_LEN:
        return
    global _by_value
    values = [value] + [base64.b64encode(f"{user}:{value}".encode()).decode() for user in related if user]
    with _secrets_lock:
        for v in values:
            _secrets.pop(v, None)
            _secrets[v] = None
        while len(_secrets) > MAX_SECRETS:
            _secrets.popitem(last=False)
        forms = sorted({f for v in _secrets for f in _forms(v)}, key=len, reverse=True)   # longest first
        _by_value = re.compile("|".join(map(re.escape, forms))) if forms else None


def forget_secrets():
    """For tests: mask by pattern only."""
    global _by_value
    with _secrets_lock:
        _secrets.clear()
        _by_value = None


def redact(text):
    """Return `text` with every secret value replaced by ***."""
    if not text:
        return text
    if isinstance(text, Message):   # still translatable (core/i18n.py): its values are masked, not the template
        return text.with_values(lambda v: redact(str(v)) if isinstance(v, (str, BaseException)) else v)
    text = str(text)
    by_value = _by_value
    if by_value is not None:
        text = by_value.sub(MASK, text)
    text = _URL_USERINFO.sub(lambda m: f"{m.group('head')}{MASK}@", text)
    return _PATTERN.sub(lambda m: f"{m.group('key')}{m.group('scheme') or ''}{MASK}", text)


# A line break (or any control character) inside a value would let a server-provided name forge log lines.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def one_line(text):
    """`text` with control characters and line breaks shown escaped (\\n), for a value quoted in a log line."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))


class RedactingLogFilter(logging.Filter):
    """Rewrites a record before any handler formats it: string arguments on one line, then the message and the
    traceback with every secret masked. Handlers that let text leave the plugin carry it (plugin/qgis/
    logging_bridge.py: the log panel, and stderr under qgis_process)."""

    def filter(self, record):
        if isinstance(record.args, tuple):
            record.args = tuple(one_line(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
