"""Copernicus Data Space Ecosystem: OData search, Keycloak (OIDC password grant) tokens, downloads.

Protocol as documented in shared/notes/apis.md (CDSE documentation pages, EODAG cop_dataspace.yml, the
recorded OData answer). Search is anonymous; downloads need a bearer token, refreshed before it expires and
again after a 401 (refresh_credentials).

Offline products: see offline_recall (ordered by the user in the Data Workspace). Two-factor accounts send a
one-time code with the login (Credentials.totp). The same acquisition can be listed under two processing
baselines: search() keeps the newest unless keep_all_baselines. Old entities may come without size or checksum
("ContentLength": 0, "Checksum": []): they are verified as complete zips only.
"""
import datetime as dt
import logging
import re
import threading
import time

from ..errors import AuthError, MalformedResponseError, OneTimeCodeNeeded
from ..models import Product
from ..progress import NULL_PROGRESS, check_cancelled
from ..redact import one_line, remember_secret
from .base import DownloadRequest, OfflineRecall
from .common import (MAX_RESULTS, add_unseen, availability_from_flag, boxes, check_query, day_start, iso_z,
                     orbit_direction, parse_time, polarisations, search_extent, too_many)
from .http import JsonHttp, check_credentials_transport, malformed_answer, quote_body, require, same_site, snippet
from ..i18n import tr

log = logging.getLogger(__name__)
SERVICE = "CDSE"
AUTH_HINT = tr("Set your Copernicus Data Space username and password in Settings → Options → Sentinel Mirror → "
               "CDSE authentication (or the SENTINEL_MIRROR_CDSE_USERNAME / SENTINEL_MIRROR_CDSE_PASSWORD "
               "environment variables); create an account on dataspace.copernicus.eu.")
FIX_URL = tr("Correct the CDSE addresses in Settings → Options → Sentinel Mirror (or the "
             "SENTINEL_MIRROR_CDSE_*_URL environment variables).")
CLIENT_ID = "cdse-public"
PAGE_SIZE = 1000         # CDSE's maximum $top
# our collection id -> (OData Collection/Name, productType attribute)
COLLECTION_FILTERS = {
    "sentinel-2-l2a": ("SENTINEL-2", "S2MSI2A"),
    "sentinel-2-l1c": ("SENTINEL-2", "S2MSI1C"),
    "sentinel-1-grd": ("SENTINEL-1", "IW_GRDH_1S"),   # OData's harmonised type for S1A/B/C IW GRD high res
}


DATA_WORKSPACE_URL = "https://dataspace.copernicus.eu/"   # the Data Workspace is opened from the portal's home page

LOGIN_CODE_NEEDED = tr("The CDSE login needs a new one-time code: this account uses two-factor login and its session "
                       "(at most 60 min after the last login) has expired. Download again and give the current code.")
WATCH_CODE_NEEDED = tr("Watch stopped: the CDSE login needs a new one-time code (two-factor account; the session "
                       "lasts 60 min). Download again and give the current code to resume watching.")
WATCH_LOGIN_REFUSED = tr("Watch stopped: CDSE refused the login. Check the username and password in Settings → "
                         "Options → Sentinel Mirror, then run the download again (a two-factor account: give the "
                         "current code) to resume watching.")


def offline_recall():
    """"It is not possible to order DAD by using OData, STAC or S3 … DAD (Offline data) can only be ordered by using
    the Data Workspace" (CDSE documentation, Quotas page; eu-cdse/documentation)."""
    return OfflineRecall(service=SERVICE, place="Data Workspace", portal_url=DATA_WORKSPACE_URL,
                         action="order {them}", where="offline")


_BASELINE = re.compile(r"^(?P<head>S2[A-D]_MSI\w{3}_\d{8}T\d{6})_N(?P<n>\d{4})_(?P<tail>R\d{3}_T\w{5})_\d{8}T\d{6}$")


def newest_baselines(products):
    """One product per acquisition: CDSE lists some under two processing baselines (clcr/pyeo #144: N0510 and
    N0509 of one datatake); the highest baseline is kept. Order otherwise unchanged."""
    best = {}
    for p in products:
        m = _BASELINE.match(p.title)
        if m:
            key = (m["head"], m["tail"])
            if key not in best or m["n"] > best[key][0]:
                best[key] = (m["n"], p.id)
    keep = {pid for _, pid in best.values()}
    return [p for p in products if not _BASELINE.match(p.title) or p.id in keep]


def _attr(kind, name, op, value):
    return (f"Attributes/OData.CSC.{kind}Attribute/any(att:att/Name eq '{name}' and "
            f"att/OData.CSC.{kind}Attribute/Value {op} {value})")


def _polygon(w, s, e, n):
    return f"(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"


def password_grant(username, password, totp=""):
    """The token request's form of a password login (CDSE Token documentation): a two-factor account adds its
    current one-time code as `totp`."""
    form = {"client_id": CLIENT_ID, "grant_type": "password", "username": username, "password": password}
    if totp:
        form["totp"] = totp
    return form


class CdseProvider:
    name = "cdse"
    max_connections = 4          # CDSE allows 4 concurrent downloads per user
    availability_batch = 20      # Ids per OData query (keeps the URL short)

    def __init__(self, endpoints, credentials, session, *, sleep=time.sleep, policy=None, clock=time.monotonic,
                 keep_all_baselines=False, **_ignored):
        self.offline_recall = offline_recall()
        self.keep_all_baselines = keep_all_baselines
        self._totp = (credentials.totp or "").strip()
        # a code was given: a two-factor account. Its code is good for one login; once the session (the refresh
        # token, 60 min on CDSE) has expired, only the user can log in again (OneTimeCodeNeeded, nothing sent)
        self.two_factor = bool(self._totp)
        if self._totp:
            remember_secret(self._totp)   # masked by value like the password
        self.base = endpoints.cdse.rstrip("/")
        self.auth_url = endpoints.cdse_auth
        self.download_base = endpoints.cdse_download.rstrip("/")
        self.username = (credentials.username or "").strip()
        self._password = credentials.password or ""
        remember_secret(self._password, self.username)   # masked by value wherever text leaves the plugin
        self.session = session
        self.http = JsonHttp(session, SERVICE, AUTH_HINT, policy=policy, sleep=sleep)
        self.clock = clock
        self._lock = threading.Lock()
        self._handed = threading.local()   # the token download_request last gave to each thread
        self._access = self._refresh = None
        self._access_expiry = self._refresh_expiry = 0.0
        self._login_refused = None   # the service refused these credentials: not sent again (a watch's downloads)
        self._margin = 60.0

    @staticmethod
    def watch_auth_reason(error):
        """What a watch stopped by `error` (an AuthError) tells the user for each product it leaves on tape."""
        return WATCH_CODE_NEEDED if isinstance(error, OneTimeCodeNeeded) else WATCH_LOGIN_REFUSED

    # --- search ------------------------------------------------------------------------------------
    def search(self, query, progress=None):
        progress = progress or NULL_PROGRESS
        check_query(query, self.name)
        url, params = f"{self.base}/odata/v1/Products", self.search_params(query)
        products, seen = [], set()
        while url:
            check_cancelled(progress)
            data = self.http.request("GET", url, params=params, what=tr("search"))
            items = require(data, ["value"], SERVICE, "search", list)
            count = data.get("@odata.count")
            if isinstance(count, int) and count > MAX_RESULTS:
                too_many(count, SERVICE)
            with malformed_answer(SERVICE, "search"):
                new = add_unseen(products, seen, (self.parse_entity(item, query.collection) for item in items))
            if isinstance(count, int) and count:
                progress.set(min(100.0, 100.0 * len(seen) / count))
            next_url = data.get("@odata.nextLink")
            if not next_url or new == 0 or next_url == url:
                break
            url, params = next_url, None   # the next link carries every parameter
        progress.set(100.0)
        return products if self.keep_all_baselines else newest_baselines(products)

    def search_params(self, query):
        coll, ptype = COLLECTION_FILTERS[query.collection]
        clauses = [f"Collection/Name eq '{coll}'", _attr("String", "productType", "eq", f"'{ptype}'")]
        if query.tile and coll == "SENTINEL-2":   # S1 has no tileId: the tile's area (search_extent) instead
            clauses.append(_attr("String", "tileId", "eq", f"'{query.tile}'"))
        if query.max_cloud < 100 and coll == "SENTINEL-2":
            clauses.append(_attr("Double", "cloudCover", "le", f"{query.max_cloud:.2f}"))
        if query.relative_orbit is not None:
            clauses.append(_attr("Integer", "relativeOrbitNumber", "eq", str(query.relative_orbit)))
        extent = search_extent(query)
        if extent is not None:
            parts = boxes(extent)
            wkt = ("POLYGON" + _polygon(*parts[0]) if len(parts) == 1
                   else "MULTIPOLYGON(" + ",".join(_polygon(*b) for b in parts) + ")")
            clauses.append(f"OData.CSC.Intersects(area=geography'SRID=4326;{wkt}')")
        clauses.append(f"ContentDate/Start lt {iso_z(day_start(query.end + dt.timedelta(days=1)))}")
        clauses.append(f"ContentDate/End gt {iso_z(day_start(query.start))}")
        return {"$filter": " and ".join(clauses), "$orderby": "ContentDate/Start asc", "$top": str(PAGE_SIZE),
                "$count": "True", "$expand": ["Attributes", "Assets"]}

    def parse_entity(self, item, collection_id):
        what = tr("search result")
        if not isinstance(item, dict):
            raise MalformedResponseError(tr("{service} sent a search result that is not an object: {item}",
                                            service=SERVICE, item=snippet(item)))
        pid = require(item, ["Id"], SERVICE, what, str)
        name = require(item, ["Name"], SERVICE, what, str)
        start = require(item, ["ContentDate", "Start"], SERVICE, what, str)
        attrs = {a.get("Name"): a.get("Value") for a in item.get("Attributes") or [] if isinstance(a, dict)}
        md5 = next((c.get("Value") for c in item.get("Checksum") or []
                    if isinstance(c, dict) and str(c.get("Algorithm", "")).upper() == "MD5" and c.get("Value")), None)
        title = one_line(re.sub(r"\.(SAFE|zip)$", "", name))   # a line break in a name cannot forge log lines
        serial = attrs.get("platformSerialIdentifier")
        short = str(attrs.get("platformShortName") or "")
        platform = (f"S{short[-1]}{serial}" if serial and short[-1:].isdigit() else title[:3])
        quicklook = next((a.get("DownloadLink") for a in item.get("Assets") or []
                          if isinstance(a, dict) and a.get("Type") == "QUICKLOOK"), None)
        tile, cloud, orbit = attrs.get("tileId"), attrs.get("cloudCover"), attrs.get("relativeOrbitNumber")
        size = item.get("ContentLength")
        return Product(
            provider=self.name, id=pid, title=title, collection=collection_id, platform=platform,
            acquired=parse_time(start, SERVICE, what), tile=str(tile).upper().lstrip("T") if tile else None,
            relative_orbit=int(orbit) if orbit is not None else None,
            cloud_cover=float(cloud) if cloud is not None else None,
            size=int(size) if isinstance(size, (int, float)) and size > 0 else None,
            checksum=md5.lower() if md5 else None,
            availability=availability_from_flag(item.get("Online")),
            footprint=item.get("GeoFootprint"), quicklook_url=quicklook,
            download_url=self._download_url(pid),
            extra={"s3_path": item.get("S3Path"), "orbit_direction": orbit_direction(attrs.get("orbitDirection")),
                   "polarisations": polarisations(attrs.get("polarisationChannels"))})

    # --- availability ------------------------------------------------------------------
    def availability(self, products):
        """{product id: ONLINE | OFFLINE | UNKNOWN}: one OData query by Id per `availability_batch`."""
        out = {}
        products = list(products)
        for i in range(0, len(products), self.availability_batch):
            batch = products[i:i + self.availability_batch]
            ids = " or ".join(f"Id eq '{p.id}'" for p in batch)
            data = self.http.request("GET", f"{self.base}/odata/v1/Products",
                                     params={"$filter": f"({ids})", "$top": str(len(batch))},
                                     what=tr("availability request"))
            items = require(data, ["value"], SERVICE, tr("availability request"), list)
            online = {it.get("Id"): it.get("Online") for it in items if isinstance(it, dict)}
            for p in batch:
                out[p.id] = availability_from_flag(online.get(p.id))
        return out

    # --- tokens and downloads ----------------------------------------------------------------------
    def download_request(self, product):
        url = product.download_url or self._download_url(product.id)
        if not same_site(url, self.download_base) and not same_site(url, self.base):
            raise MalformedResponseError(tr("Refusing to send the CDSE token to {value}: not a CDSE address.",
                                            value=url.split('/')[2]))
        check_credentials_transport(url, SERVICE, FIX_URL)
        token = self.access_token()
        self._handed.token = token   # what this download thread uses: see refresh_credentials
        return DownloadRequest(url, {"Authorization": f"Bearer {token}"})

    def _download_url(self, product_id):
        return f"{self.download_base}/odata/v1/Products({product_id})/$value"

    def access_token(self):
        """A token valid for at least the safety margin: reuses, refreshes or logs in as needed."""
        with self._lock:
            now = self.clock()
            if self._access and now < self._access_expiry - self._margin:
                return self._access
            if not (self._refresh and now < self._refresh_expiry - self._margin and self._grant_refresh()):
                self._grant_password()
            return self._access

    def refresh_credentials(self):
        """After a 401: a fresh token (refresh grant, else a new login), or AuthError.

        Parallel downloads meet the 401 of one expired token together: the first thread refreshes it, the others
        find a token newer than the one they were refused with and reuse it (one grant, not four)."""
        with self._lock:
            handed = getattr(self._handed, "token", None)
            if handed is not None and self._access is not None and self._access != handed:
                return
            if not (self._refresh and self.clock() < self._refresh_expiry and self._grant_refresh()):
                self._grant_password()

    def _grant_password(self):
        if not self.username or not self._password:
            raise AuthError(tr("Downloading from {service} needs an account. {auth_hint}",
                               service=SERVICE, auth_hint=AUTH_HINT))
        if self.two_factor and not self._totp:
            raise OneTimeCodeNeeded(LOGIN_CODE_NEEDED)
        if self._login_refused is not None:   # parallel downloads of a watch: one refused login, not one each
            raise AuthError(self._login_refused)
        form = password_grant(self.username, self._password, self._totp)
        self._totp = ""   # a code is good for one login
        response = self._token_request(form)
        if response.status_code != 200:
            what = tr("the one-time code (or the password)") if "totp" in form else tr("the username or password")
            hint = "" if "totp" in form else tr(" If the account uses two-factor login, give its current one-time "
                                                "code (the Processing parameter, the SENTINEL_MIRROR_CDSE_TOTP "
                                                "environment variable, or the dock's prompt).")
            self._login_refused = tr("{service} refused {what} (HTTP {status_code}). {auth_hint}{hint} The service "
                                     "said: {response}",
                                     service=SERVICE, what=what, status_code=response.status_code,
                                     auth_hint=AUTH_HINT, hint=hint, response=quote_body(response, 120))
            raise AuthError(self._login_refused)
        self._store(response)

    def _grant_refresh(self):
        response = self._token_request({"grant_type": "refresh_token", "refresh_token": self._refresh})
        if response.status_code != 200:
            log.info("CDSE token refresh refused (HTTP %s): logging in again", response.status_code)
            self._refresh = None
            return False
        self._store(response)
        return True

    def _token_request(self, form):
        check_credentials_transport(self.auth_url, SERVICE, FIX_URL)   # the form carries the password
        return self.http.send("POST", self.auth_url, data={**form, "client_id": CLIENT_ID},
                              expect=(200, 400, 401), what=tr("login"))

    def _store(self, response):
        data = self.http.parse_json(response, "login")
        token = require(data, ["access_token"], SERVICE, "login", str)
        remember_secret(token)
        with malformed_answer(SERVICE, "login"):
            lifetime = float(data.get("expires_in") or 600)
        now = self.clock()
        self._access, self._access_expiry = token, now + lifetime
        self._margin = min(60.0, lifetime * 0.1)
        if data.get("refresh_token"):
            self._refresh = data["refresh_token"]
            remember_secret(str(self._refresh))
            self._refresh_expiry = now + float(data.get("refresh_expires_in") or lifetime)
