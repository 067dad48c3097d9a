"""GEODES as the recording and EODAG/pyGeodes show it: STAC search (POST, page/limit ≤ 80, context.matched),
fastavailability, availability/{title}, download (X-API-Key, Range; 410 for a product on tape, with no side
effect: only the user's order in the explorer brings it back), quicklooks."""
import datetime as dt
import json
import re

from werkzeug.wrappers import Response

from .catalogue import bbox_intersects, geometry_bbox
from .http_util import json_response, reply

_DOWNLOAD = re.compile(r"^/api/download/(?P<urn>URN:[^/]+)/files/(?P<md5>[0-9a-fA-F]{32})$")
_QUICKLOOK = re.compile(r"^/api/quicklook/(?P<urn>URN:[^/]+)/files/(?P<md5>[0-9a-fA-F]{32})$")
_HREF = re.compile(r"/api/download/(?P<urn>URN:[^/]+)/files/(?P<md5>[0-9a-fA-F]{32})$")
_AVAIL = re.compile(r"^/availability/(?P<title>[^/]+)$")
QUERYABLES = {
    "grid:code": ("contains", "eq"),
    "eo:cloud_cover": ("lte", "gte", "eq"),
    "start_datetime": ("lte", "gte"),
    "end_datetime": ("lte", "gte"),
    "sat:relative_orbit": ("eq", "in"),
    "identifier": ("eq", "in", "contains"),
    "platform": ("eq", "in"),
    "product:type": ("eq",),
    "sat:absolute_orbit": ("eq",),
    "sat:orbit_state": ("eq",),
    "sar:polarizations": ("eq",),
    # carried by the recorded S1 items and sent by EODAG (sar:beam_ids -> swath, instruments -> instrument)
    "sar:instrument_mode": ("eq",),
    "swath": ("eq",),
    "instrument": ("eq",),
}
# Recorded PEPS_S1_L1 items (40/40 and the 2025 S1C item): sar:polarizations is ONE string "VV VH", swath is "IW" on
# a GRD and "IW1 IW2 IW3" on an SLC, instrument "SAR-C SAR", and eo:cloud_cover 0.0 although radar sees no clouds.
S1_SWATH = {"GRD": "IW", "SLC": "IW1 IW2 IW3"}
# The recorded descriptions' "Is online" line: false on every PEPS item, true on every THEIA item, whatever the
# real storage state (CS-SI/eodag #1777); the simulator writes the same so a client cannot lean on it.
DESCRIPTION_SAYS_ONLINE = {"PEPS_S2_L1C": False, "PEPS_S1_L1": False, "THEIA_REFLECTANCE_SENTINEL2_L2A": True}


def route(method, sub):
    if method == "POST" and sub == "/api/stac/search":
        return "search", search, None
    if method == "POST" and sub == "/fastavailability":
        return "availability", fast_availability, None
    m = _AVAIL.match(sub)
    if method == "GET" and m:
        return "availability", availability_one, m["title"]
    m = _DOWNLOAD.match(sub)
    if method in ("GET", "HEAD") and m:
        return "download", download, m["urn"]
    m = _QUICKLOOK.match(sub)
    if method == "GET" and m:
        return "quicklook", quicklook, m["urn"]
    return None


def _check_key(sim, request, required):
    key = request.headers.get("X-API-Key")
    if key is None and not required:
        return
    if key != sim.config.api_key:
        if sim.config.wrong_key_redirect_loop:   # pyGeodes FAQ: "Exceeded 30 redirects" = outdated or wrong key
            # 307 keeps a POST a POST (the real status and target are unverified)
            reply({"code": 307, "description": "Temporary Redirect"}, 307, {"Location": request.full_path.rstrip("?")})
        reply({"code": 401, "description": "Invalid or missing API key"}, 401)


def _bad(message):
    reply({"code": 400, "description": message}, 400)


# --- search --------------------------------------------------------------------------------------------
def search(sim, request, _product, _environ):
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        _bad("Request body is not valid JSON")
    if not isinstance(body, dict):
        _bad("Request body must be a JSON object")
    page, limit = _integer(body.get("page", 1)), _integer(body.get("limit", 10))
    if not isinstance(page, int) or page < 1:
        _bad(f"page must be a positive integer, got {page!r}")
    if not isinstance(limit, int) or not 1 <= limit <= sim.config.geodes_max_limit:
        _bad(f"limit must be between 1 and {sim.config.geodes_max_limit}, got {limit!r}")
    collections = body.get("collections") or []
    items = [p for p in sim.catalogue.of("geodes") if not collections or p.collection in collections]
    items = [p for p in items if _matches_query(p, body.get("query") or {})]
    boxes = None
    if body.get("bbox") is not None:
        b = body["bbox"]
        if not (isinstance(b, list) and len(b) == 4):
            _bad("bbox must be [west, south, east, north]")
        boxes = [tuple(float(v) for v in b)]
    elif body.get("intersects") is not None:
        try:
            boxes = geometry_bbox(body["intersects"])
        except (KeyError, ValueError, TypeError, IndexError):
            _bad("intersects must be a GeoJSON Polygon or MultiPolygon")
    if boxes is not None:
        items = [p for p in items if any(bbox_intersects(b, p.bbox) for b in boxes)]
    for sort in reversed(body.get("sortBy") or [{"field": "start_datetime", "direction": "asc"}]):
        key = {"start_datetime": lambda p: p.acquired, "end_datetime": lambda p: p.acquired,
               "eo:cloud_cover": lambda p: p.cloud_cover, "identifier": lambda p: p.title}.get(sort.get("field"))
        if key is None:
            _bad(f"cannot sort by {sort.get('field')!r}")
        items.sort(key=key, reverse=sort.get("direction") == "dsc")
    per_page = min(limit, sim.config.geodes_page_cap or limit)
    first = (page - 1) * per_page
    chosen = items[max(0, first - sim.config.page_overlap if page > 1 else 0): first + per_page]
    coll = collections[0] if collections else "PEPS_S2_L1C"
    base = sim.geodes_url
    links = [{"href": f"{base}/api/stac/collections/{coll}/items?limit={per_page}&page={page}", "rel": "self",
              "type": "application/json", "title": "this search page"}]
    if page * per_page < len(items):
        links.append({"href": f"{base}/api/stac/collections/{coll}/items?limit={per_page}&page={page + 1}",
                      "rel": "next", "type": "application/json", "title": "next search page"})
    features = [_item(sim, p) for p in chosen]
    return json_response({"stac_version": "1.0.0-beta.1", "stac_extensions": [], "type": "FeatureCollection",
                          "features": features, "links": links,
                          "context": {"returned": len(features), "limit": per_page, "matched": len(items)}})


def _integer(value):
    """page/limit as numbers or numeric strings (EODAG sends "page": "1"; the real service accepts it)."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _iso(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _parse_time(value):
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        _bad(f"not an ISO date-time: {value!r}")


def _matches_query(p, query):
    if not isinstance(query, dict):
        _bad("query must be an object")
    values = {"grid:code": "T" + p.tile if p.tile else None, "eo:cloud_cover": p.cloud_cover,
              "start_datetime": p.acquired, "end_datetime": p.stop or p.acquired,
              "sat:relative_orbit": p.relative_orbit, "identifier": p.title, "platform": p.platform,
              "product:type": p.product_type, "sat:absolute_orbit": p.absolute_orbit,
              "sat:orbit_state": "Descending", "instrument": "MSI", "sar:polarizations": None,
              "sar:instrument_mode": None, "swath": None}
    if p.is_s1:
        values.update(_s1_properties(p))
    for name, ops in query.items():
        if name not in QUERYABLES:
            _bad(f"unknown queryable {name!r}")
        if not isinstance(ops, dict):
            _bad(f"query.{name} must be an object of operators")
        for op, want in ops.items():
            if op not in QUERYABLES[name]:
                _bad(f"operator {op!r} is not supported for {name!r}")
            have = values[name]
            if have is None:      # a field the item does not carry (S1: no tile) never matches
                return False
            if name == "sat:orbit_state":
                have, want = have.lower(), str(want).lower()
            if name.endswith("datetime"):
                want = _parse_time(want)
            if op == "eq" and have != want:
                return False
            if op == "in" and not isinstance(want, list):
                _bad(f"operator 'in' on {name!r} needs a list")
            if op == "in" and have not in want:
                return False
            if op == "contains" and str(want) not in str(have):
                return False
            if op == "lte" and not have <= want:
                return False
            if op == "gte" and not have >= want:
                return False
    return True


def _item(sim, p):
    p.ensure_archive()
    date_path = f"{p.acquired:%Y/%m/%d}/{p.platform}"
    item = {
        "stac_version": "1.0.0-beta.2",
        "id": p.id,
        "bbox": list(p.bbox),
        "geometry": p.footprint,
        "type": "Feature",
        "collection": p.collection,
        "properties": {
            "grid:code": "T" + p.tile if p.tile else None,
            "product:type": p.product_type,
            "endpoint_url": p.endpoint_url,
            "instrument": "MSI",
            "sat:orbit_state": "Descending",
            "identifier": p.title,
            "sat:relative_orbit": p.relative_orbit,
            "sat:absolute_orbit": p.absolute_orbit,
            "platform": p.platform,
            "dataset": p.collection,
            "start_datetime": _iso(p.acquired),
            "end_datetime": _iso(p.acquired),
            "datetime": _iso(p.published),   # processing/publication date, not the acquisition (recorded)
            "processing:level": "L2A" if p.kind.value.endswith("l2a") else "L1C",
            "eo:cloud_cover": p.cloud_cover,
        },
        "links": [{"href": f"{sim.geodes_url}/api/stac/collections/{p.collection}/items/{p.id}", "rel": "self",
                   "type": "application/geo+json", "title": p.id}],
        "assets": {
            f"{date_path}/{p.title}_quicklook.png": {
                "href": p.quicklook_url.replace("?scope=gdh", "") + "?scope=gdh",
                "title": f"{date_path}/{p.title}_quicklook.png",
                "description": _description(len(p.quicklook), True, "QUICKLOOK_SD", p.quicklook_md5),
                "type": "image/png", "roles": ["overview"]},
            p.zip_name: {
                "href": p.download_url, "title": p.zip_name,
                "description": _description(p.size, DESCRIPTION_SAYS_ONLINE[p.collection], "RAWDATA",
                                            p.advertised_md5),
                "type": "application/zip", "roles": ["data"]},
        },
    }
    if p.is_s1:   # radar: no tile; orbit direction, polarisations, swath instead (and the recorded cloud 0.0)
        props = item["properties"]
        del props["grid:code"]
        props.update(_s1_properties(p))
        props.update({"processing:level": "L1", "end_datetime": _iso(p.stop)})
    return item


def _s1_properties(p):
    """The Sentinel-1 item fields a query can name, written as the recorded PEPS_S1_L1 items write them."""
    return {"instrument": "SAR-C SAR", "sat:orbit_state": p.orbit_state.capitalize(),
            "sar:polarizations": " ".join(p.polarisations), "sar:instrument_mode": "IW",
            "swath": S1_SWATH[p.product_type], "eo:cloud_cover": 0.0}


def _description(size, online, datatype, md5):
    return (f"File size: {size} bytes\n\nIs reference: false\n\nIs online: {'true' if online else 'false'}"
            f"\n\nDatatype: {datatype}\n\nChecksum MD5: {md5}")


# --- availability --------------------------------------------------------------------------------------
def fast_availability(sim, request, _product, _environ):
    _check_key(sim, request, required=False)
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
        entries = body["availability"]
        hrefs = [e["href"] for e in entries]
    except (ValueError, KeyError, TypeError):
        _bad('body must be {"availability": [{"href": ..., "endpointURL": ...}, ...]}')
    out = []
    for href in hrefs:
        m = _HREF.search(href) if isinstance(href, str) else None
        p = sim.catalogue.by_id.get(m["urn"]) if m else None
        if p is None:
            continue
        p.ensure_archive()
        out.append({"id": p.id, "files": [{"checksum": p.advertised_md5, "available": p.online}]})
    return json_response({"products": out})


def availability_one(sim, request, product, _environ):
    _check_key(sim, request, required=True)
    if product is None or product.provider != "geodes":
        reply({"code": 404, "description": "Product not found"}, 404)
    product.ensure_archive()
    return json_response({"files": [{"checksum": product.advertised_md5, "available": product.online}]})


# --- download, quicklook -------------------------------------------------------------------------------
def download(sim, request, product, environ):
    _check_key(sim, request, required=True)
    if product is None or product.provider != "geodes":
        reply({"code": 404, "description": "Product not found"}, 404)
    return sim.serve_download("geodes", request, product, environ)


def quicklook(sim, _request, product, _environ):
    if product is None:
        reply({"code": 404, "description": "Quicklook not found"}, 404)
    return Response(product.quicklook, 200, mimetype="image/png")
