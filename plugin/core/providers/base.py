"""The small protocol every catalogue client implements; the pipeline and the QGIS side use only this."""
from dataclasses import dataclass, field
from typing import Dict, Optional, Protocol, Sequence

import requests

from ..models import Availability, Product, SearchQuery
from ..progress import Progress


@dataclass(frozen=True)
class DownloadRequest:
    url: str
    headers: Dict[str, str] = field(default_factory=dict, repr=False)  # includes auth: kept out of repr and logs


@dataclass(frozen=True)
class Endpoints:
    """Base URLs, from settings with environment overrides (see plugin/core/config.py)."""
    geodes: str = "https://geodes-portal.cnes.fr"
    cdse: str = "https://catalogue.dataspace.copernicus.eu"
    cdse_auth: str = "https://identity.dataspace.copernicus.eu/auth/realms/CDSE/protocol/openid-connect/token"
    cdse_download: str = "https://download.dataspace.copernicus.eu"


class CatalogueProvider(Protocol):
    name: str                   # "geodes" | "cdse"
    max_connections: int        # parallel downloads the service allows (CDSE: 4)
    availability_batch: int     # products one availability request may cover (1 = no batching)
    session: requests.Session   # the one session every request goes through (proxy, UA, TLS verify)

    def search(self, query: SearchQuery, progress: Optional[Progress] = None) -> list: ...
    def availability(self, products: Sequence[Product]) -> Dict[str, Availability]: ...
    def request_staging(self, products: Sequence[Product]) -> None:
        """May raise QuotaError (`.requested`: the ids asked before it) or NotFoundError (`.missing`: the ids the
        catalogue no longer has; `.requested`: the others, asked)."""
    def download_request(self, product: Product) -> DownloadRequest: ...
    def refresh_credentials(self) -> None:
        """Called once after a 401/403 mid-download: get a fresh token (CDSE) or raise AuthError."""


@dataclass(frozen=True)
class Credentials:
    """Resolved on the main thread from a QGIS authcfg (or environment fallbacks). Never logged:
    repr hides the secrets."""
    api_key: str = field(default="", repr=False)    # GEODES X-API-Key
    username: str = ""                              # CDSE
    password: str = field(default="", repr=False)   # CDSE
