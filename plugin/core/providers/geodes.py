"""CNES GEODES (the former PEPS and Theia collections): STAC search, availability, downloads.

Protocol as documented in shared/notes/apis.md (EODAG geodes.yml + GeodesSearch, pyGeodes, the recorded
search): POST {base}/api/stac/search, 80 items a page at most; size, MD5 and the online flag are free text
in the data asset's description; X-API-Key for availability and downloads.

Products on tape (Tier 3): see OFFLINE_RECALL. The search description's "Is online" line is not a storage state
(CS-SI/eodag #1777; recorded PEPS items all say false, THEIA ones true): search() asks /fastavailability.
"""
import logging
import re
import time
from urllib.parse import urlsplit

from ..errors import AuthError, MalformedResponseError, NotFoundError, QuotaError, RemoteError
from ..models import Availability, Product, ProductKind
from ..progress import NULL_PROGRESS, check_cancelled
from ..redact import one_line, remember_secret
from .base import DownloadRequest, OfflineRecall
from .common import (MAX_RESULTS, add_unseen, availability_from_flag, boxes, check_query, day_end, day_start, iso_z,
                     orbit_direction, parse_time, platform_name, polarisations, search_extent, too_many)
from .http import JsonHttp, check_credentials_transport, malformed_answer, require, same_origin, snippet
from ..i18n import tr

log = logging.getLogger(__name__)
SERVICE = "GEODES"
FIX_URL = tr("Correct the GEODES address in Settings → Options → Sentinel Mirror (or SENTINEL_MIRROR_GEODES_URL).")
AUTH_HINT = tr("Set your GEODES API key in Settings → Options → Sentinel Mirror → GEODES authentication (or the "
               "SENTINEL_MIRROR_GEODES_API_KEY environment variable); create the key in your user settings on "
               "geodes-portal.cnes.fr.")
WATCH_KEY_REFUSED = tr("Watch stopped: GEODES refused the API key. Check it in Settings → Options → Sentinel Mirror, "
                       "then run the download again to resume watching.")
PAGE_LIMIT = 80          # the GEODES API documentation caps pages at 80
# pyGeodes sends its downloads to gdh-portal-prod for hrefs not on geodes-portal (shared/notes/apis.md)
OFFICIAL_ALIASES = {"geodes-portal.cnes.fr": ("gdh-portal-prod.cnes.fr",)}
_DESCRIPTION_KEYS = {"File size": "size", "Is online": "online", "Checksum MD5": "md5"}
S1_COLLECTION = "PEPS_S1_L1"
S1_DEFAULT_TYPE = "GRD"   # PEPS_S1_L1 mixes GRD and SLC (recorded); SLC only when asked for
MAX_CONNECTIONS = 3       # pyGeodes' MAX_CONCURRENT_DOWNLOADS; the server's own limit is unverified


def offline_recall(portal_url):
    """GEODES has no API to order a product on tape: CS-SI/eodag PR #2154 ("Order mechanism is not available in the
    current provider API"), no order call in CNES/pyGeodes; a download GET answers 410 (CS-SI/eodag #1776). Users
    request the transfer in the GEODES web portal's explorer (alexisInSAR/EZ-InSAR GEODESapi.py)."""
    return OfflineRecall(service=SERVICE, place="explorer", portal_url=portal_url, action="request {their} transfer")


def parse_description(text):
    """{'size': int, 'online': bool, 'md5': str} from a data asset description such as
    'File size: 764210185 bytes\\n\\nIs reference: false\\n\\nIs online: false\\n\\n...Checksum MD5: 86f8…'."""
    out = {}
    for line in str(text or "").splitlines():
        key, sep, value = line.strip("\r\t ").partition(":")
        name = _DESCRIPTION_KEYS.get(key.strip())
        if not sep or name is None:
            continue
        value = value.strip()
        if name == "size":
            digits = re.sub(r"\s*bytes?$", "", value)
            if digits.isdigit():
                out["size"] = int(digits)
        elif name == "online":
            if value.lower() in ("true", "false"):
                out["online"] = value.lower() == "true"
        elif re.fullmatch(r"[0-9a-fA-F]{32}", value):
            out["md5"] = value.lower()
    return out


class GeodesProvider:
    name = "geodes"
    availability_batch = 50      # hrefs per POST /fastavailability

    def __init__(self, endpoints, credentials, session, *, sleep=time.sleep, policy=None,
                 max_connections=MAX_CONNECTIONS, **_ignored):
        self.base = endpoints.geodes.rstrip("/")
        self.api_key = (credentials.api_key or "").strip()
        remember_secret(self.api_key)   # masked by value wherever text leaves the plugin (core.redact)
        self.session = session
        self.http = JsonHttp(session, SERVICE, AUTH_HINT, policy=policy, sleep=sleep)
        self.max_connections = max(1, int(max_connections or MAX_CONNECTIONS))
        self.offline_recall = offline_recall(self.base)

    @staticmethod
    def watch_auth_reason(_error):
        """What a watch stopped by an AuthError (key revoked or changed) tells the user for each product on tape."""
        return WATCH_KEY_REFUSED

    # --- search ------------------------------------------------------------------------------------
    def search(self, query, progress=None):
        progress = progress or NULL_PROGRESS
        check_query(query, self.name)
        body = self.search_body(query)
        products, seen, page = [], set(), 1
        while True:
            check_cancelled(progress)
            data = self.http.request("POST", f"{self.base}/api/stac/search", json={**body, "page": page},
                                     what=tr("search"))
            features = require(data, ["features"], SERVICE, "search", list)
            context = data.get("context")
            matched = context.get("matched") if isinstance(context, dict) else None
            if isinstance(matched, int) and matched > MAX_RESULTS:
                too_many(matched, SERVICE)
            with malformed_answer(SERVICE, "search"):
                new = add_unseen(products, seen, (self.parse_feature(f, query.collection) for f in features))
            if isinstance(matched, int) and matched:
                progress.set(min(100.0, 100.0 * len(seen) / matched))
            has_next = any(isinstance(link, dict) and link.get("rel") == "next" for link in data.get("links") or [])
            more = has_next or (isinstance(matched, int) and len(seen) < matched)
            if not more or new == 0:   # a page with nothing new: the end, whatever the links say
                break
            if len(seen) >= MAX_RESULTS:   # a service that keeps saying "next" cannot keep us paging forever
                too_many(len(seen), SERVICE)
            page += 1
        products = self._with_availability(products, progress)
        progress.set(100.0)
        return products

    def _with_availability(self, products, progress):
        """The search's "Is online" line is not trusted: the availability endpoint says, batched. If it cannot be
        asked, the rows say "unknown" and a download finds out (one GET)."""
        try:
            check_cancelled(progress)
            known = self.availability(products)
        except (MalformedResponseError, AuthError, QuotaError, NotFoundError, RemoteError) as e:
            log.warning("GEODES availability after the search failed (%s): online state unknown", e)
            return products
        return [p.with_availability(known.get(p.id, Availability.UNKNOWN)) for p in products]

    def search_body(self, query):
        q = {
            "start_datetime": {"lte": iso_z(day_end(query.end))},
            "end_datetime": {"gte": iso_z(day_start(query.start))},
        }
        if query.tile and query.kind is not ProductKind.S1:   # S1 items carry no grid:code: the tile's area
            q["grid:code"] = {"contains": "T" + query.tile}
        if query.max_cloud < 100 and query.kind is not ProductKind.S1:   # radar has no cloud cover
            q["eo:cloud_cover"] = {"lte": query.max_cloud}
        if query.relative_orbit is not None:
            q["sat:relative_orbit"] = {"eq": query.relative_orbit}
        if query.collection == S1_COLLECTION and (query.product_type or S1_DEFAULT_TYPE) != "any":
            q["product:type"] = {"eq": query.product_type or S1_DEFAULT_TYPE}
        body = {"page": 1, "limit": PAGE_LIMIT, "collections": [query.collection], "query": q,
                "sortBy": [{"field": "start_datetime", "direction": "asc"}]}
        extent = search_extent(query)
        if extent is not None:
            parts = boxes(extent)
            if len(parts) == 1:
                body["bbox"] = list(parts[0])
            else:   # across the antimeridian: two boxes, as a MultiPolygon
                body["intersects"] = {"type": "MultiPolygon", "coordinates": [
                    [[[w, s], [e, s], [e, n], [w, n], [w, s]]] for w, s, e, n in parts]}
        return body

    def parse_feature(self, feature, collection_id):
        """One STAC item -> Product (MalformedResponseError naming what is missing)."""
        what = tr("search result")
        if not isinstance(feature, dict):
            raise MalformedResponseError(tr("{service} sent a search result that is not an object: {feature}",
                                            service=SERVICE, feature=snippet(feature)))
        pid = require(feature, ["id"], SERVICE, what, str)
        props = require(feature, ["properties"], SERVICE, what, dict)
        assets = require(feature, ["assets"], SERVICE, what, dict)
        data_asset = quicklook = None
        for key, asset in assets.items():
            roles = (asset.get("roles") or []) if isinstance(asset, dict) else []
            if "data" in roles and asset.get("type") != "application/xml" and data_asset is None:
                data_asset = (key, asset)
            elif "overview" in roles and quicklook is None:
                quicklook = asset.get("href")
        if data_asset is None or not data_asset[1].get("href"):
            raise MalformedResponseError(tr("{service} sent product {pid} ({get}) without a data asset to "
                                            "download: {assets}",
                                            service=SERVICE, pid=pid, get=props.get('identifier', 'no name'),
                                            assets=snippet(assets)))
        key, asset = data_asset
        info = parse_description(asset.get("description"))
        # THEIA V4-0: `identifier` has no version suffix, the zip has it (recorded); the title is the identifier
        # (what the explorer finds), the file keeps the zip's name (extra["file_name"])
        title = props.get("identifier") or asset.get("title") or key
        title = one_line(re.sub(r"\.(zip|SAFE)$", "", str(title).rsplit("/", 1)[-1]))   # no forged log lines
        when = props.get("start_datetime") or props.get("datetime")
        if not when:
            raise MalformedResponseError(tr("{service} sent product {pid} ({title}) without a date: {props}",
                                            service=SERVICE, pid=pid, title=title, props=snippet(props)))
        grid = props.get("grid:code")
        tile = re.sub(r"^(MGRS-|T)", "", str(grid)).upper() if grid else None
        coll = feature.get("collection") or collection_id
        # radar sees no clouds: the real S1 items' "eo:cloud_cover": 0.0 (recorded 40/40) is no measurement
        cloud = None if coll == S1_COLLECTION else props.get("eo:cloud_cover")
        orbit = props.get("sat:relative_orbit")
        return Product(
            provider=self.name, id=pid, title=title, collection=coll,
            platform=platform_name(props.get("platform")), acquired=parse_time(when, SERVICE, what), tile=tile,
            relative_orbit=int(orbit) if orbit is not None else None,
            cloud_cover=float(cloud) if cloud is not None else None,
            size=info.get("size"), checksum=info.get("md5"),
            availability=Availability.UNKNOWN,   # not the description's "Is online": see search()
            footprint=feature.get("geometry"), quicklook_url=quicklook, download_url=asset["href"],
            extra={"endpoint_url": props.get("endpoint_url"), "file_name": str(key).rsplit("/", 1)[-1],
                   "orbit_direction": orbit_direction(props.get("sat:orbit_state")),
                   "polarisations": polarisations(props.get("sar:polarizations")),
                   "product_type": props.get("product:type")})

    # --- availability ------------------------------------------------------------------------------
    def availability(self, products):
        """{product id: ONLINE | OFFLINE | UNKNOWN}, one POST /fastavailability per `availability_batch`.

        GEODES reports only available or not: a product being staged reads OFFLINE until it is on disk."""
        out = {}
        products = list(products)
        for i in range(0, len(products), self.availability_batch):
            batch = products[i:i + self.availability_batch]
            body = {"availability": [{"href": p.download_url, "endpointURL": p.extra.get("endpoint_url") or ""}
                                     for p in batch]}
            data = self.http.request("POST", f"{self.base}/fastavailability", json=body, headers=self._key(),
                                     what=tr("availability request"))
            entries = require(data, ["products"], SERVICE, tr("availability request"), list)
            for p in batch:
                out[p.id] = self._availability_of(p, entries)
            if entries and all(out[p.id] is Availability.UNKNOWN for p in batch):
                # No real answer is recorded (real-services.md): if its shape is not the one read here, say so
                # (the watch then asks the downloads themselves, pipeline._poll) rather than stay silent.
                log.warning("GEODES answered the availability request with %d entries, none of which names one of "
                            "the %d products asked for (its id and checksum in the download link): they are "
                            "treated as unknown", len(entries), len(batch))
        return out

    @staticmethod
    def _availability_of(product, entries):
        link = (product.download_url or "").lower()   # Sentinel-1 MD5s are upper case: compare without case
        for entry in entries:
            if not isinstance(entry, dict) or not entry.get("id") or str(entry["id"]).lower() not in link:
                continue
            for f in entry.get("files") or []:
                if isinstance(f, dict) and f.get("checksum") and str(f["checksum"]).lower() in link:
                    return availability_from_flag(bool(f.get("available")))
        return Availability.UNKNOWN

    # --- downloads ---------------------------------------------------------------------------------
    def download_request(self, product):
        url = product.download_url
        if not url:
            raise MalformedResponseError(tr("{service} gave no download URL for {title}.",
                                            service=SERVICE, title=product.title))
        if not self.api_key:
            raise AuthError(tr("Downloading from {service} needs an API key. {auth_hint}",
                               service=SERVICE, auth_hint=AUTH_HINT))
        if not self._key_may_go_to(url):
            raise MalformedResponseError(
                tr("{service} gave a download URL on another site ({value}); the API key is only sent to the "
                   "configured GEODES address.",
                   service=SERVICE, value=url.split('/')[2] if '//' in url else url))
        return DownloadRequest(url, self._key())

    def _key_may_go_to(self, url):
        """The configured address only (scheme, host, port), not every host under its domain: a self-hosted
        mirror's neighbours are not the mirror. CNES's own production alias is the one exception, and only
        when the official address is the configured one."""
        if same_origin(url, self.base):
            return True
        u, b = urlsplit(url), urlsplit(self.base)
        return (u.scheme == b.scheme == "https" and u.port == b.port
                and (u.hostname or "").lower() in OFFICIAL_ALIASES.get((b.hostname or "").lower(), ()))

    def refresh_credentials(self):
        raise AuthError(tr("{service} refused the API key. {auth_hint}", service=SERVICE, auth_hint=AUTH_HINT))

    def _key(self):
        if not self.api_key:
            return {}
        check_credentials_transport(self.base, SERVICE, FIX_URL)
        return {"X-API-Key": self.api_key}
