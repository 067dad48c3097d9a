"""The requests.Session every catalogue call and download goes through, following the QGIS network settings.

Settings > Options > Network writes the proxy under "proxy/..." in QgsSettings; we map it the way QGIS'
own QgsNetworkAccessManager reads it. TLS verification stays on whatever the proxy. Build on the main thread
(reads settings and the auth DB) and hand the session to the task.
"""
from urllib.parse import quote, urlsplit

from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsSettings

from ..about import USER_AGENT
from ..core.redact import remember_secret

# QNetworkProxy type names as QGIS stores them -> URL scheme understood by requests
_SCHEMES = {"HttpProxy": "http", "HttpCachingProxy": "http", "Socks5Proxy": "socks5h"}


def _proxy_credentials(settings):
    authcfg = settings.value("proxy/authcfg", "") or ""
    if authcfg:
        config = QgsAuthMethodConfig()
        if QgsApplication.authManager().loadAuthenticationConfig(authcfg, config, True):
            return config.config("username"), config.config("password")
    return settings.value("proxy/proxyUser", "") or "", settings.value("proxy/proxyPassword", "") or ""


def proxies_from_settings(settings=None):
    """{'http': url, 'https': url, 'no_proxy': ...} from QGIS proxy settings, or {} when no explicit proxy.
    'DefaultProxy' means the system proxy: requests already reads it from the environment."""
    s = settings or QgsSettings()
    if str(s.value("proxy/proxyEnabled", False)).lower() not in ("true", "1"):
        return {}
    scheme = _SCHEMES.get(s.value("proxy/proxyType", "") or "")
    host = (s.value("proxy/proxyHost", "") or "").strip()
    if not scheme or not host:
        return {}
    port = str(s.value("proxy/proxyPort", "") or "").strip()
    user, password = _proxy_credentials(s)
    remember_secret(password, user)   # masked by value in every log and message (core.redact)
    auth = f"{quote(user, safe='')}:{quote(password, safe='')}@" if user else ""
    url = f"{scheme}://{auth}{host}{':' + port if port else ''}"
    proxies = {"http": url, "https": url}
    # QGIS stores URL prefixes ("http://intranet.example.org/wms"); requests wants hosts
    hosts = [urlsplit(e).hostname or e for e in _excluded_prefixes(s)]
    if hosts:
        proxies["no_proxy"] = ",".join(dict.fromkeys(hosts))
    return proxies


def _excluded_prefixes(settings=None):
    """QGIS' proxy exclusions (a list, or "|"-joined) as it applies them: a request whose URL starts with one goes
    direct."""
    s = settings or QgsSettings()
    excluded = s.value("proxy/proxyExcludedUrls", "") or ""
    if isinstance(excluded, str):
        excluded = excluded.split("|")
    return tuple(e.strip() for e in excluded if e and e.strip())


def build_session(settings=None):
    """A fresh requests.Session: core's default (User-Agent SentinelMirror/<version>, TLS verified, a
    connection pool sized for parallel downloads) plus the QGIS proxy."""
    from ..core.providers import default_session  # imports requests only when a session is built

    session = default_session(USER_AGENT)
    proxies = proxies_from_settings(settings)
    if proxies:
        no_proxy = proxies.pop("no_proxy", None)
        session.proxies.update(proxies)
        if no_proxy:   # kept for information: requests ignores it for explicit proxies, hence the next line
            session.proxies["no_proxy"] = no_proxy
        session.proxy_exclusions = _excluded_prefixes(settings)
    return session
