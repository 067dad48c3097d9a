"""The small protocol every catalogue client implements; the pipeline and the QGIS side use only this."""
from dataclasses import dataclass, field
from typing import Dict, Optional, Protocol, Sequence

import requests

from ..i18n import Message, tr, tr_noop
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


@dataclass(frozen=True)
class OfflineRecall:
    """How a product that is not online comes back, for one service. Each provider states it in its code with
    its source. Neither GEODES nor CDSE has an API call for it: the user orders the products in the service's
    web portal and the pipeline watches their availability. (A service with a documented order call would get
    a provider method, called by the pipeline where it sets products on tape.)"""
    service: str        # "GEODES"
    place: str          # where the user orders them: "explorer", "Data Workspace"
    portal_url: str     # opens that place
    action: str         # what to do there: "request {their} transfer", "order {them}"
    where: str = "on tape"

    @property
    def state(self):
        """The short state a row shows: 'order in the GEODES explorer'."""
        return tr("order in the {service} {place}", service=self.service, place=recall_text(self.place))

    def instructions(self, count):
        # whole sentences per count, each translatable (plugin/core/i18n.py); the action keeps its {them}/{their}
        action = Message(self.action, {"them": tr("it") if count == 1 else tr("them"),
                                       "their": tr("its") if count == 1 else tr("their")})
        if count == 1:
            return tr("1 product is {where} at {service}. {service} lets you bring it back only from its {place}: "
                      "open it, find this product, {action}. Sentinel Mirror will download it as soon as it is "
                      "online.", where=recall_text(self.where), service=self.service, place=recall_text(self.place),
                      action=action)
        return tr("{count} products are {where} at {service}. {service} lets you bring them back only from its "
                  "{place}: open it, find these products, {action}. Sentinel Mirror will download each one as soon "
                  "as it is online.", count=count, where=recall_text(self.where), service=self.service,
                  place=recall_text(self.place), action=action)


# the words of the OfflineRecall fields the providers give (in English), marked for translation; the actions are
# translated as templates by localize() (their {them}/{their} filled with translated pronouns)
_TEXTS = {"explorer": tr_noop("explorer"), "Data Workspace": tr_noop("Data Workspace"), "on tape": tr_noop("on tape"),
          "offline": tr_noop("offline")}
_ACTIONS = (tr_noop("request {their} transfer"), tr_noop("order {them}"))


def recall_text(value):
    """An OfflineRecall field (place, where, action) as translatable text."""
    return _TEXTS.get(value, Message(value))


class CatalogueProvider(Protocol):
    name: str                   # "geodes" | "cdse"
    max_connections: int        # parallel downloads the service allows (CDSE: 4)
    availability_batch: int     # products one availability request may cover (1 = no batching)
    session: requests.Session   # the one session every request goes through (proxy, UA, TLS verify)
    offline_recall: OfflineRecall   # how a product on tape comes back (the user, in the portal)

    def search(self, query: SearchQuery, progress: Optional[Progress] = None) -> list: ...
    def availability(self, products: Sequence[Product]) -> Dict[str, Availability]: ...
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
    totp: str = field(default="", repr=False)       # CDSE two-factor accounts: the one-time code of this login
