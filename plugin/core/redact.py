"""Mask secrets in text before it reaches a log, a message bar or an exception message. Stdlib only.

Catches the forms our catalogues use: HTTP headers (`X-API-Key: k`, `Authorization: Bearer t`), dict reprs
(`'X-API-Key': 'k'`), query strings and form bodies (`access_token=t&password=p`), JSON (`"refresh_token": "t"`),
URL credentials (`http://user:pass@proxy`).
"""
import re

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


def redact(text):
    """Return `text` with every secret value replaced by ***."""
    if not text:
        return text
    text = _URL_USERINFO.sub(lambda m: f"{m.group('head')}{MASK}@", str(text))
    return _PATTERN.sub(lambda m: f"{m.group('key')}{m.group('scheme') or ''}{MASK}", text)
