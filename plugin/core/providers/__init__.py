"""Catalogue clients behind one protocol (base.CatalogueProvider): make_provider picks and builds one."""
from urllib.parse import urlsplit

import requests

from ..errors import InvalidInputError
from ..models import PROVIDERS
from .base import CatalogueProvider, Credentials, DownloadRequest, Endpoints  # noqa: F401  (re-exported)
from .http import AbortableAdapter
from ..i18n import tr


class ProxyExclusionSession(requests.Session):
    """A Session that bypasses its explicit proxies for excluded addresses. requests applies `no_proxy` only
    to proxies taken from the environment, never to session.proxies; QGIS' "exclude URLs" list (plugin/qgis/
    http.py) must still reach an intranet mirror directly. Entries are URL prefixes (QGIS' own rule) or host
    names. Matched here, without requests.utils.should_bypass_proxies, which rewrites os.environ (not
    thread-safe with parallel downloads)."""
    proxy_exclusions = ()

    def bypasses_proxy(self, url):
        host = (urlsplit(url).hostname or "").lower()
        return any(url.startswith(e) if "://" in e else host == e.lower() for e in self.proxy_exclusions)

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        merged = super().merge_environment_settings(url, proxies, stream, verify, cert)
        if self.proxy_exclusions and self.bypasses_proxy(url):
            merged["proxies"] = {}
        return merged


def default_session(user_agent, pool_size=16):
    """A requests.Session with our User-Agent, TLS verification on (always), and a pool large enough for
    parallel downloads, whose requests a cancel can break (http.abort_requests). QGIS proxy settings are applied on
    top by plugin/qgis/http.py."""
    session = ProxyExclusionSession()
    session.headers["User-Agent"] = user_agent
    session.verify = True
    adapter = AbortableAdapter(pool_connections=4, pool_maxsize=pool_size)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def make_provider(name, endpoints: Endpoints, credentials: Credentials, session: requests.Session = None,
                  **options) -> CatalogueProvider:
    """The client for `name` ("geodes" | "cdse"). `options` (sleep, policy, clock) are for tests."""
    if session is None:   # callers normally pass the QGIS-aware session (plugin/qgis/http.py)
        session = default_session("SentinelMirror")
    if name == "geodes":
        from .geodes import GeodesProvider
        return GeodesProvider(endpoints, credentials, session, **options)
    if name == "cdse":
        from .cdse import CdseProvider
        return CdseProvider(endpoints, credentials, session, **options)
    raise InvalidInputError(tr("Unknown catalogue {name!r}: choose one of {items}.",
                               name=name, items=', '.join(PROVIDERS)))
