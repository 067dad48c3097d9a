"""CDSE as the recording and its documentation show it: Keycloak token (password / refresh_token grants),
OData Products search ($filter subset, $top/$skip/$count/$expand/$orderby, @odata.nextLink), download with
a bearer token and Range. No staging call exists for S2: an offline product just answers "not online"."""
import datetime as dt
import re
import secrets
from urllib.parse import quote_plus, urlencode

from werkzeug.wrappers import Response

from .catalogue import CDSE_COLLECTIONS, bbox_intersects
from .http_util import json_response, reply

TOKEN_PATH = "/auth/realms/CDSE/protocol/openid-connect/token"
_VALUE = re.compile(r"^/odata/v1/Products\((?P<id>[0-9a-fA-F-]{36})\)/\$value$")
_ASSET = re.compile(r"^/odata/v1/Assets\((?P<id>[0-9a-fA-F-]{36})\)/\$value$")
_ID = re.compile(r"^Id eq '(?P<id>[0-9a-fA-F-]{36})'$")
_ID_IN = re.compile(r"^Id in \((?P<ids>[^)]*)\)$")
_COLL = re.compile(r"^Collection/Name eq '(?P<name>[^']*)'$")
_INTERSECTS = re.compile(r"^OData\.CSC\.Intersects\(area=geography'SRID=4326;(?P<wkt>[^']*)'\)$", re.I)
# The two casts may differ: EODAG's cop_dataspace.yml sends e.g. IntegerAttribute/any(... and
# att/OData.CSC.StringAttribute/Value eq 8) for relativeOrbitNumber and orbitNumber, and CDSE serves EODAG's users.
_ATTR = re.compile(r"^Attributes/OData\.CSC\.(?P<t>String|Double|Integer)Attribute/any\(att:att/Name eq "
                   r"'(?P<name>\w+)' and att/OData\.CSC\.(?P<t2>String|Double|Integer)Attribute/Value "
                   r"(?P<op>eq|lt|le|gt|ge) (?P<value>.+)\)$")
_DATE = re.compile(r"^ContentDate/(?P<which>Start|End) (?P<op>eq|lt|le|gt|ge) (?P<value>\S+)$")
_NAME = re.compile(r"^Name eq '(?P<name>[^']*)'$")
_CONTAINS = re.compile(r"^contains\(Name,\s*'(?P<text>[^']*)'\)$")
_ONLINE = re.compile(r"^Online eq (?P<v>true|false)$", re.I)
_RING = re.compile(r"\(\(\s*([-+0-9.eE ,]+?)\s*\)")
_OPS = {"eq": lambda a, b: a == b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
        "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b}


def route(method, sub, request):
    if method == "POST" and sub == TOKEN_PATH:
        return "token", token, None
    if method == "GET" and sub == "/odata/v1/Products":
        return ("availability" if _ids_only(request.args.get("$filter", "")) else "search"), search, None
    m = _VALUE.match(sub)
    if method in ("GET", "HEAD") and m:
        return "download", download, m["id"].lower()
    m = _ASSET.match(sub)
    if method == "GET" and m:
        return "quicklook", quicklook, m["id"].lower()
    return None


# --- token ---------------------------------------------------------------------------------------------
def token(sim, request, _product, _environ):
    form = request.form
    grant = form.get("grant_type")
    if form.get("client_id") != "cdse-public":
        reply({"error": "invalid_client", "error_description": "Invalid client or Invalid client credentials"}, 401)
    now = sim.clock()
    with sim.lock:
        if grant == "password":
            if form.get("username") != sim.config.cdse_user or form.get("password") != sim.config.cdse_password:
                reply({"error": "invalid_grant", "error_description": "Invalid user credentials"}, 401)
            if sim.config.cdse_totp is not None and form.get("totp") != sim.config.cdse_totp:
                # two-factor accounts send totp=<code> (CDSE Token documentation); the real error text is unverified
                reply({"error": "invalid_grant", "error_description": "Invalid user credentials: one-time code "
                       "(totp) missing or wrong"}, 401)
        elif grant == "refresh_token":
            expiry = sim.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if expiry is None or expiry < now:
                reply({"error": "invalid_grant", "error_description": "Token is not active"}, 400)
        else:
            reply({"error": "unsupported_grant_type", "error_description": f"Unsupported grant_type {grant!r}"},
                  400)
        sim.stats.grants[grant] += 1
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        sim.tokens[access] = now + sim.config.token_lifetime_s
        sim.refresh_tokens[refresh] = now + sim.config.refresh_lifetime_s
    return json_response({"access_token": access, "expires_in": int(sim.config.token_lifetime_s) or 1,
                          "refresh_expires_in": int(sim.config.refresh_lifetime_s), "refresh_token": refresh,
                          "token_type": "Bearer", "not-before-policy": 0, "scope": "AUDIENCE_PUBLIC openid email"})


def _check_bearer(sim, request):
    auth = request.headers.get("Authorization", "")
    tok = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
    with sim.lock:
        expiry = sim.tokens.get(tok) if tok else None
        ok = expiry is not None and expiry > sim.clock()
    if not ok:
        reply({"detail": "Expired signature!" if expiry is not None else "Not authenticated"}, 401)


# --- OData search --------------------------------------------------------------------------------------
def _split_top(expr, word):
    parts, depth, quoted, start, i = [], 0, False, 0, 0
    low = expr.lower()
    while i < len(expr):
        c = expr[i]
        if c == "'":
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
        elif not quoted and depth == 0 and low.startswith(word, i):
            parts.append(expr[start:i])
            i += len(word)
            start = i
            continue
        i += 1
    parts.append(expr[start:])
    return [_strip_parens(p.strip()) for p in parts]


def _strip_parens(e):
    while e.startswith("(") and e.endswith(")"):
        depth = 0
        for i, c in enumerate(e):
            depth += c == "("
            depth -= c == ")"
            if depth == 0 and i < len(e) - 1:
                return e
        e = e[1:-1].strip()
    return e


def _ids_only(expr):
    if not expr:
        return False
    return all(_ID.match(c) or _ID_IN.match(c) for a in _split_top(expr, " and ") for c in _split_top(a, " or "))


def _bad(message):
    reply({"detail": {"message": message, "request_id": "sim"}}, 400)


def _attr_values(p):
    if p.is_s1:   # the OData attribute names of Sentinel-1 products (no tileId, no cloudCover)
        return {"productType": CDSE_COLLECTIONS[p.collection], "relativeOrbitNumber": p.relative_orbit,
                "orbitNumber": p.absolute_orbit, "orbitDirection": p.orbit_state.upper(),
                "polarisationChannels": "&".join(p.polarisations), "operationalMode": "IW", "swathIdentifier": "IW",
                "platformSerialIdentifier": p.platform[-1], "platformShortName": "SENTINEL-1",
                "instrumentShortName": "SAR", "processingLevel": "LEVEL1", "productClass": "S",
                "timeliness": "Fast-24h", "datatakeID": int(p.title.split("_")[7], 16)}
    return {"productType": CDSE_COLLECTIONS[p.collection], "tileId": p.tile, "cloudCover": p.cloud_cover,
            "relativeOrbitNumber": p.relative_orbit, "orbitNumber": p.absolute_orbit,
            "platformSerialIdentifier": p.platform[-1], "platformShortName": "SENTINEL-2",
            "instrumentShortName": "MSI", "processingLevel": CDSE_COLLECTIONS[p.collection]}


def _attr_matches(have, op, want):
    """`have op want`, a number compared as a number whichever side it is written on ('8' eq 8: mixed casts)."""
    if have is None:
        return False
    if isinstance(have, (int, float)) != isinstance(want, (int, float)):
        try:
            have, want = float(have), float(want)
        except ValueError:
            return False
    return _OPS[op](have, want)


def _time(value):
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        _bad(f"Invalid date-time literal {value!r}")


def _clause(c):
    """A predicate for one filter clause (or an 'or' of them)."""
    alts = _split_top(c, " or ")
    if len(alts) > 1:
        preds = [_clause(a) for a in alts]
        return lambda p: any(f(p) for f in preds)
    if _split_top(c, " and ")[0] != c:
        preds = [_clause(a) for a in _split_top(c, " and ")]
        return lambda p: all(f(p) for f in preds)
    m = _ID.match(c)
    if m:
        return lambda p, v=m["id"].lower(): p.id == v
    m = _ID_IN.match(c)
    if m:
        ids = {s.strip().strip("'").lower() for s in m["ids"].split(",")}
        return lambda p: p.id in ids
    m = _COLL.match(c)
    if m:
        return lambda p, v=m["name"]: v == ("SENTINEL-1" if p.is_s1 else "SENTINEL-2")
    m = _INTERSECTS.match(c)
    if m:
        boxes = []
        for ring in _RING.findall(m["wkt"]):
            pts = [tuple(float(v) for v in pt.split()) for pt in ring.split(",")]
            xs, ys = [q[0] for q in pts], [q[1] for q in pts]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
        if not boxes:
            _bad(f"Invalid geography literal: {m['wkt'][:80]!r}")
        return lambda p: any(bbox_intersects(b, p.bbox) for b in boxes)
    m = _ATTR.match(c)
    if m:
        name, op, raw = m["name"], m["op"], m["value"].strip()
        quoted = len(raw) >= 2 and raw.startswith("'") and raw.endswith("'")
        kind = m["t"] if m["t"] == m["t2"] else ("String" if quoted else "Number")   # mixed casts: the literal says
        if kind == "String":
            if not quoted:
                _bad(f"String attribute value must be quoted: {raw!r}")
            want = raw[1:-1]
        else:
            try:
                want = int(raw) if kind == "Integer" or (kind == "Number" and re.fullmatch(r"[-+]?\d+", raw)) \
                    else float(raw)
            except ValueError:
                _bad(f"Invalid {m['t2']} literal {raw!r}")
        return lambda p: _attr_matches(_attr_values(p).get(name), op, want)
    m = _DATE.match(c)
    if m:
        want, op, end = _time(m["value"]), m["op"], m["which"] == "End"
        return lambda p: _OPS[op]((p.stop or p.acquired) if end else p.acquired, want)
    m = _NAME.match(c)
    if m:
        return lambda p, v=m["name"]: p.cdse_name == v or p.title == v
    m = _CONTAINS.match(c)
    if m:
        return lambda p, v=m["text"]: v in p.cdse_name
    m = _ONLINE.match(c)
    if m:
        return lambda p, v=m["v"].lower() == "true": p.online == v
    _bad(f"Unsupported $filter clause: {c[:200]!r}")


def search(sim, request, _product, _environ):
    args = request.args
    expr = args.get("$filter", "")
    preds = [_clause(c) for c in _split_top(expr, " and ")] if expr else []
    try:
        top = int(args.get("$top", 20))
        skip = int(args.get("$skip", 0))
    except ValueError:
        _bad("$top and $skip must be integers")
    if not 0 <= top <= sim.config.cdse_max_top:
        _bad(f"$top must be between 0 and {sim.config.cdse_max_top}")
    if skip > sim.config.cdse_max_skip:
        reply({"detail": f"The $skip value must be smaller or equal to {sim.config.cdse_max_skip}"}, 422)
    items = [p for p in sim.catalogue.of("cdse") if all(f(p) for f in preds)]
    order = args.get("$orderby", "ContentDate/Start asc")
    field, _, direction = order.partition(" ")
    if field not in ("ContentDate/Start", "ContentDate/End", "Name"):
        _bad(f"Unsupported $orderby {order!r}")
    items.sort(key=(lambda p: p.title) if field == "Name" else (lambda p: p.acquired),
               reverse=direction.strip().lower() == "desc")
    served = min(top, sim.config.cdse_page_cap or top)
    chosen = items[max(0, skip - sim.config.page_overlap if skip else 0): skip + served]
    expand = {e.strip() for v in args.getlist("$expand") for e in v.split(",")}
    out = {"@odata.context": "$metadata#Products(Attributes())" if "Attributes" in expand else "$metadata#Products",
           "value": [_entity(p, "Attributes" in expand, "Assets" in expand) for p in chosen]}
    if args.get("$count", "").lower() == "true":
        out["@odata.count"] = len(items)
    if skip + served < len(items) and served > 0:
        params = [(k, v) for k, v in args.items(multi=True) if k != "$skip"] + [("$skip", str(skip + served))]
        out["@odata.nextLink"] = f"{sim.cdse_url}/odata/v1/Products?" + urlencode(params, quote_via=quote_plus)
    return json_response(out)


def _iso(t):
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _entity(p, with_attributes, with_assets=False):
    p.ensure_archive()
    ring = p.footprint["coordinates"][0]
    wkt = "POLYGON ((" + ", ".join(f"{x} {y}" for x, y in ring) + "))"
    e = {"@odata.mediaContentType": "application/octet-stream", "Id": p.id, "Name": p.cdse_name,
         "ContentType": "application/octet-stream", "ContentLength": 0 if p.no_checksum else p.size,
         "OriginDate": _iso(p.acquired + dt.timedelta(hours=3)),
         "PublicationDate": _iso(p.acquired + dt.timedelta(hours=4)),
         "ModificationDate": _iso(p.acquired + dt.timedelta(hours=4)),
         "Online": p.online, "EvictionDate": "9999-12-31T23:59:59.999999Z" if p.online else "",
         "S3Path": (f"/eodata/Sentinel-1/SAR/IW_GRDH_1S/{p.acquired:%Y/%m/%d}/{p.cdse_name}" if p.is_s1 else
                    f"/eodata/Sentinel-2/MSI/{'L2A' if p.collection == 'sentinel-2-l2a' else 'L1C'}/"
                    f"{p.acquired:%Y/%m/%d}/{p.cdse_name}"),
         "Checksum": [] if p.no_checksum else [{"Value": p.md5, "Algorithm": "MD5",
                                                "ChecksumDate": _iso(p.acquired + dt.timedelta(hours=4))}],
         "ContentDate": {"Start": _iso(p.acquired), "End": _iso(p.stop or p.acquired)},
         "Footprint": f"geography'SRID=4326;{wkt}'", "GeoFootprint": p.footprint}
    if with_attributes:
        attrs = _attr_values(p)
        types = {"cloudCover": "Double", "relativeOrbitNumber": "Integer", "orbitNumber": "Integer",
                 "datatakeID": "Integer"}
        e["Attributes"] = [{"@odata.type": f"#OData.CSC.{types.get(k, 'String')}Attribute", "Name": k, "Value": v,
                            "ValueType": types.get(k, "String")} for k, v in attrs.items()]
        e["Attributes"] += [{"@odata.type": "#OData.CSC.DateTimeOffsetAttribute", "Name": n, "Value": _iso(p.acquired),
                             "ValueType": "DateTimeOffset"} for n in ("beginningDateTime", "endingDateTime")]
        e["Attributes"][-1]["Value"] = _iso(p.stop or p.acquired)
    if with_assets:
        e["Assets"] = [{"Type": "QUICKLOOK", "Id": p.id, "DownloadLink": p.quicklook_url, "S3Path": e["S3Path"]}]
    return e


# --- download ------------------------------------------------------------------------------------------
def download(sim, request, product, environ):
    _check_bearer(sim, request)
    if product is None or product.provider != "cdse":
        reply({"detail": "Product not found"}, 404)
    return sim.serve_download("cdse", request, product, environ)


def quicklook(sim, _request, product, _environ):
    if product is None:
        reply({"detail": "Asset not found"}, 404)
    return Response(product.quicklook, 200, mimetype="image/png")
