#!/usr/bin/env python3
"""`make check-live`: ask the live GEODES and CDSE what no public source settles, and write a redacted report.

Runs the probes listed at the end of shared/notes/real-services.md ("What only a live run can settle") with YOUR
account, read from the environment (a service without credentials is skipped; with none at all the whole check is):

    SENTINEL_MIRROR_GEODES_API_KEY                                GEODES probes
    SENTINEL_MIRROR_CDSE_USERNAME, SENTINEL_MIRROR_CDSE_PASSWORD  CDSE probes
    SENTINEL_MIRROR_CDSE_TOTP                                     (optional) one-time code of a two-factor account

GEODES: a GET and a `Range: bytes=0-0` GET of a product on tape (one /fastavailability reports unavailable among
ten S2 L1C search results, else one the search calls `Is online: false`); /fastavailability byte for byte for it
and for one S1 product; GET api/processing/processes/; the member list of one THEIA V4-0 zip read
from its central directory (a few ranged reads); a request with a wrong key (status, Location, body).
CDSE: a download GET of an `Online: false` product (status, first bytes only); a Range GET through the zipper
redirect; the MD5 of a small `$value` zip against the catalogue's Checksum (skipped when no product is small).

Every request has a timeout and a byte cap: no product is downloaded except that one small zip, hashed as it
streams and never written. The report (JSON + Markdown, in --out) holds statuses, headers, body shapes and
truncated bodies; never the key, the password, a token, an Authorization/X-API-Key header, a token-bearing URL
or the one-time code (a final scan refuses to write a report that still contains one). Addresses follow the
plugin's SENTINEL_MIRROR_*_URL overrides, so the script can be pointed at the simulator.

    make check-live LIVE_ARGS="--out ~/sentinel-mirror-live"     # or: .venv/bin/python scripts/check_live.py -h
    make check-live LIVE_ARGS="--recheck live-check-output/live-check-<time>.json"   # 10 min, 1 h, 1 day later:
                                       # are the same offline products online now? (availability questions only)
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plugin import about  # noqa: E402
from plugin.core.config import PluginConfig, with_env_overrides  # noqa: E402
from plugin.core.errors import AuthError  # noqa: E402
from plugin.core.live_probe import (DEFAULT_BODY_CAP, Scrubber, ZipReadError, exchange,  # noqa: E402
                                    zip_member_names)
from plugin.core.providers import default_session  # noqa: E402
from plugin.core.providers.cdse import password_grant  # noqa: E402
from plugin.core.providers.geodes import parse_description  # noqa: E402
from plugin.core.providers.http import check_credentials_transport, same_site  # noqa: E402
from plugin.core.tiles import tile_footprint  # noqa: E402

ENV_KEY, ENV_USER, ENV_PASSWORD, ENV_TOTP = ("SENTINEL_MIRROR_GEODES_API_KEY", "SENTINEL_MIRROR_CDSE_USERNAME",
                                             "SENTINEL_MIRROR_CDSE_PASSWORD", "SENTINEL_MIRROR_CDSE_TOTP")
WRONG_KEY = "sentinel-mirror-live-check-wrong-key"
SMALL_BODY = 4096                 # bytes kept of a body that should be a short message, not a product


class Check:
    """What every probe shares: session, addresses, secrets, the scrubber, and the growing report."""

    def __init__(self, args, endpoints, secrets):
        self.args, self.endpoints, self.secrets = args, endpoints, secrets
        self.session = default_session(f"{about.USER_AGENT} live-check")
        self.scrub = Scrubber(secrets.values())
        self.scrub.add_basic(secrets.get("username"), secrets.get("password"))
        self.timeout = (10.0, args.timeout)
        self.probes = []          # one entry per probe, in run order: service, probe, question, exchanges, findings
        self.found = {}

    def send(self, method, url, name, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return exchange(self.session, method, url, name=name, **kwargs)

    def probe(self, service, name, question, run):
        """Run one probe; whatever it raises is recorded as its outcome, and the next probe runs."""
        entry = {"service": service, "probe": name, "question": question, "exchanges": [], "findings": {}}
        self.probes.append(entry)
        started = time.monotonic()
        try:
            run(entry)
        except Exception as e:   # noqa: BLE001 - a probe's failure is a finding, not a crash
            entry["findings"]["error"] = f"{type(e).__name__}: {e}"
            entry["findings"]["traceback"] = traceback.format_exc(limit=4)
        entry["elapsed_s"] = round(time.monotonic() - started, 2)
        outcome = entry["findings"].get("summary") or entry["findings"].get("error") or "done"
        print(f"  {service} {name}: {self.scrub.text(outcome)}", flush=True)

    def keep(self, entry, ex, keep_body=True, raw=False):
        entry["exchanges"].append((ex, keep_body, raw))
        return ex


# --- GEODES --------------------------------------------------------------------------------------------------------
def geodes_items(check, collection, limit=5, query=None):
    base = check.endpoints.geodes
    body = {"page": 1, "limit": limit, "collections": [collection],
            "bbox": list(tile_footprint(check.args.tile).lonlat_bounds())}
    if query:
        body["query"] = query
    ex = check.send("POST", f"{base}/api/stac/search", f"search {collection}", json=body,
                    body_cap=4 * 2**20)
    data = ex.json() or {}
    items = []
    for feature in data.get("features") or []:
        for key, asset in (feature.get("assets") or {}).items():
            if "data" in (asset.get("roles") or []) and asset.get("type") != "application/xml":
                info = parse_description(asset.get("description"))
                online_line = next((line.strip() for line in str(asset.get("description", "")).splitlines()
                                    if line.strip().startswith("Is online")), None)
                items.append({"id": feature.get("id"), "identifier": feature.get("properties", {}).get("identifier"),
                              "product_type": feature.get("properties", {}).get("product:type"),
                              "asset": key.rsplit("/", 1)[-1], "href": asset.get("href"),
                              "endpoint_url": feature.get("properties", {}).get("endpoint_url"),
                              "size": info.get("size"), "online_line": online_line})
                break
    return ex, items


def geodes_searches(check, entry):
    since = {"start_datetime": {"gte": "2020-01-01T00:00:00.000Z"}}
    searches = {"s2": ("PEPS_S2_L1C", None), "s1": ("PEPS_S1_L1", {"product:type": {"eq": "GRD"}}),
                "theia": ("THEIA_REFLECTANCE_SENTINEL2_L2A", since)}
    for label, (collection, query) in searches.items():
        ex, items = geodes_items(check, collection, limit=10 if label == "s2" else 5, query=query)
        check.keep(entry, ex, keep_body=False)
        entry["findings"][f"{label}_items"] = items
        if label == "s2" and items:   # the offline probes' product: one really on tape, if availability says so
            asked = _fastavailability(check, entry, items, "fastavailability of the S2 items (no key), to pick one "
                                      "on tape", False)
            on_tape = [i for i in items if _available(asked.json(), i) is False]
            pick = (on_tape or [i for i in items if i["online_line"] == "Is online: false"] or items)[0]
            entry["findings"]["s2_pick"] = ("reported not available by /fastavailability" if on_tape else
                                            "none reported not available: the first the search calls offline")
        elif label == "theia":
            pick = next((i for i in items if "V4-0" in (i["asset"] or "")), items[0] if items else None)
        else:
            pick = items[0] if items else None
        check.found[label] = pick
    entry["findings"]["picked"] = {k: v for k, v in check.found.items() if k in searches}   # for --recheck
    entry["findings"]["summary"] = ", ".join(f"{k}: {'found ' + v['asset'] if v else 'nothing found'}"
                                            for k, v in check.found.items() if k in searches)


def _available(answer, item):
    """What a /fastavailability answer says of this item: True, False, or None when it does not mention it."""
    href = (item.get("href") or "").lower()   # S1 MD5s are upper case: compare without case
    products = answer.get("products") if isinstance(answer, dict) else None
    for product in products if isinstance(products, list) else []:
        if not isinstance(product, dict) or str(product.get("id", "")).lower() not in href:
            continue
        for f in product.get("files") or []:
            if isinstance(f, dict) and f.get("checksum") and str(f["checksum"]).lower() in href:
                return bool(f.get("available"))
    return None


def _key_for(check, item):
    """The X-API-Key header for this item's href, which must be on the GEODES site (as the plugin requires)."""
    if not same_site(item["href"] or "", check.endpoints.geodes):
        raise RuntimeError(f"the href of {item['asset']} is on another site: the key is not sent there")
    return {"X-API-Key": check.secrets["api_key"]}


def geodes_offline_get(check, entry):
    item = check.found.get("s2")
    if not item:
        entry["findings"]["summary"] = "skipped: no PEPS S2 product found"
        return
    key = _key_for(check, item)
    site = check.endpoints.geodes
    plain = check.keep(entry, check.send("GET", item["href"], "GET", headers=key, site=site, body_cap=SMALL_BODY))
    ranged = check.keep(entry, check.send("GET", item["href"], "GET Range: bytes=0-0", site=site,
                                          headers={**key, "Range": "bytes=0-0"}, body_cap=SMALL_BODY))
    entry["findings"].update(product=item["identifier"], search_said=item["online_line"],
                             summary=f"GET -> {_statuses(plain)}, Range GET -> {_statuses(ranged)}")


def _fastavailability(check, entry, items, name, with_key):
    body = {"availability": [{"href": i["href"], "endpointURL": i.get("endpoint_url") or ""} for i in items]}
    headers = {"X-API-Key": check.secrets["api_key"]} if with_key else {}
    return check.keep(entry, check.send("POST", f"{check.endpoints.geodes}/fastavailability", name, json=body,
                                        headers=headers, body_cap=DEFAULT_BODY_CAP), raw=True)


def geodes_availability(check, entry):
    picks = [(label, check.found.get(label)) for label in ("s2", "s1")]
    picks = [(label, item) for label, item in picks if item]
    if not picks:
        entry["findings"]["summary"] = "skipped: no product found"
        return
    for label, item in picks:
        ex = _fastavailability(check, entry, [item], f"fastavailability {label} (no key, as EODAG)", False)
        entry["findings"][f"{label}_product"] = item["identifier"]
        entry["findings"][f"{label}_status"] = ex.status
    batch = [item for _, item in picks] + ([check.found["theia"]] if check.found.get("theia") else [])
    ex = _fastavailability(check, entry, batch, f"fastavailability batch of {len(batch)} (with key)", True)
    entry["findings"]["summary"] = ", ".join(f"{label}: HTTP {entry['findings'][label + '_status']}"
                                            for label, _ in picks) + f", batch with key: HTTP {ex.status}"


def geodes_processes(check, entry):
    ex = check.keep(entry, check.send("GET", f"{check.endpoints.geodes}/api/processing/processes/", "processes",
                                      headers={"X-API-Key": check.secrets["api_key"]}, body_cap=DEFAULT_BODY_CAP * 4))
    data = ex.json()
    processes = data.get("processes") if isinstance(data, dict) else data if isinstance(data, list) else None
    ids = [p.get("id") or p.get("title") for p in processes or [] if isinstance(p, dict)]
    entry["findings"].update(process_ids=ids, summary=f"HTTP {ex.status}, {len(ids)} processes listed")


def geodes_theia_members(check, entry):
    item = check.found.get("theia")
    if not item or not item.get("size"):
        entry["findings"]["summary"] = "skipped: no THEIA product with a size found"
        return
    key = _key_for(check, item)
    cap = check.args.max_zip_read_mb * 2**20
    read = {"bytes": 0}

    def read_range(start, end):
        if read["bytes"] + (end - start + 1) > cap:
            raise ZipReadError(f"more than {check.args.max_zip_read_mb} MB to read: stopped")
        ex = check.keep(entry, check.send("GET", item["href"], f"zip bytes {start}-{end}", site=check.endpoints.geodes,
                                          headers={**key, "Range": f"bytes={start}-{end}"},
                                          body_cap=end - start + 1), keep_body=False)
        read["bytes"] += len(ex.last.body)
        if ex.status != 206:
            raise ZipReadError(f"a Range request answered HTTP {ex.status}, not 206 (body closed after "
                               f"{len(ex.last.body)} bytes)")
        return ex.last.body

    names = zip_member_names(read_range, item["size"])
    mtd = [n for n in names if n.endswith("_MTD_ALL.xml")]
    entry["findings"].update(zip=item["asset"], size=item["size"], members=len(names), names=names,
                             mtd_all=mtd, bytes_read=read["bytes"],
                             summary=f"{len(names)} members read with {read['bytes']} bytes; _MTD_ALL.xml at "
                                     f"{mtd or 'nowhere'}")


def geodes_wrong_key(check, entry):
    item = check.found.get("theia") or check.found.get("s2")
    if not item:
        entry["findings"]["summary"] = "skipped: no product found"
        return
    ex = check.keep(entry, check.send("GET", item["href"], "wrong key", site=check.endpoints.geodes, max_hops=6,
                                      headers={"X-API-Key": WRONG_KEY, "Range": "bytes=0-0"}, body_cap=SMALL_BODY))
    locations = [h.headers.get("Location") for h in ex.hops if h.headers.get("Location")]
    entry["findings"].update(locations=[check.scrub.text(x) for x in locations],
                             summary=f"{_statuses(ex)}" + (" (still redirecting after 6 hops)"
                                                           if len(ex.hops) == 6 and locations else ""))


# --- CDSE ----------------------------------------------------------------------------------------------------------
def cdse_token(check, entry):
    form = password_grant(check.secrets["username"], check.secrets["password"], check.secrets.get("totp", ""))
    ex = check.keep(entry, check.send("POST", check.endpoints.cdse_auth, "token (password grant)", data=form,
                                      max_hops=1))
    data = ex.json() or {}
    for field in ("access_token", "refresh_token", "id_token", "session_state"):
        check.scrub.add(data.get(field))   # learnt secrets: masked wherever they show up later
    check.found["token"] = data.get("access_token")
    entry["findings"]["summary"] = f"HTTP {ex.status}" + (", token received" if check.found["token"] else ", no token")


def cdse_items(check, entry, filter_, top, name):
    params = {"$filter": filter_, "$top": str(top), "$orderby": "ContentDate/Start desc"}
    ex = check.keep(entry, check.send("GET", f"{check.endpoints.cdse}/odata/v1/Products", name, params=params,
                                      body_cap=4 * 2**20), keep_body=False)
    data = ex.json() or {}
    return [{"id": v.get("Id"), "name": v.get("Name"), "online": v.get("Online"), "size": v.get("ContentLength"),
             "md5": next((c.get("Value") for c in v.get("Checksum") or [] if str(c.get("Algorithm")).upper() == "MD5"),
                         None)}
            for v in data.get("value") or [] if isinstance(v, dict)]


def _bearer(check):
    if not check.found.get("token"):
        raise RuntimeError("no CDSE token (see the token probe)")
    return {"Authorization": f"Bearer {check.found['token']}"}


def _value_url(check, item):
    return f"{check.endpoints.cdse_download}/odata/v1/Products({item['id']})/$value"


def cdse_offline_download(check, entry):
    items = cdse_items(check, entry, "Online eq false and Collection/Name eq 'SENTINEL-2'", 1, "search Online false")
    if not items:
        entry["findings"]["summary"] = "skipped: the catalogue lists no offline Sentinel-2 product"
        return
    item = items[0]
    ex = check.keep(entry, check.send("GET", _value_url(check, item), "download of an offline product",
                                      headers=_bearer(check), site=check.endpoints.cdse_download,
                                      body_cap=SMALL_BODY))
    entry["findings"].update(product=item["name"], product_id=item["id"], summary=f"download GET -> {_statuses(ex)}")


def cdse_recheck(check, entry):
    """--recheck: is the offline product of the earlier report online now (an OData query by Id, no download)?"""
    item = check.found.get("cdse_offline")
    if not item:
        entry["findings"]["summary"] = "skipped: the earlier report found no offline product"
        return
    items = cdse_items(check, entry, f"Id eq '{item['product_id']}'", 1, "Online flag by Id")
    entry["findings"].update(product=item["product"], online=items[0]["online"] if items else None,
                             summary=f"Online: {items[0]['online'] if items else 'not listed any more'}")


def _online_items(check, entry):
    if "online" not in check.found:
        tile = ("Attributes/OData.CSC.StringAttribute/any(att:att/Name eq 'tileId' and "
                f"att/OData.CSC.StringAttribute/Value eq '{check.args.tile}')")
        items = cdse_items(check, entry, f"Collection/Name eq 'SENTINEL-2' and Online eq true and {tile}", 20,
                           "search online products of the tile")
        check.found["online"] = sorted((i for i in items if i["size"]), key=lambda i: i["size"])
    return check.found["online"]


def cdse_range(check, entry):
    items = _online_items(check, entry)
    if not items:
        entry["findings"]["summary"] = "skipped: no online product of the tile found"
        return
    ex = check.keep(entry, check.send("GET", _value_url(check, items[0]), "Range: bytes=0-1023",
                                      headers={**_bearer(check), "Range": "bytes=0-1023"},
                                      site=check.endpoints.cdse_download, body_cap=1024), keep_body=False)
    last = ex.last
    entry["findings"].update(product=items[0]["name"], hosts=[h.url.split("/")[2] for h in ex.hops],
                             content_range=last.headers.get("Content-Range"), bytes=len(last.body),
                             summary=f"{_statuses(ex)}, Content-Range {last.headers.get('Content-Range')}")


def cdse_md5(check, entry):
    items = _online_items(check, entry)
    cap = check.args.md5_max_mb * 2**20
    small = next((i for i in items if i["size"] and i["size"] <= cap and i["md5"]), None)
    if small is None:
        entry["findings"]["summary"] = (f"skipped: no online product of the tile with a checksum and at most "
                                        f"{check.args.md5_max_mb} MB (--md5-max-mb)")
        return
    digest, count = hashlib.md5(), {"n": 0}

    def take(chunk):
        digest.update(chunk)
        count["n"] += len(chunk)

    ex = check.keep(entry, check.send("GET", _value_url(check, small), "whole small product, hashed",
                                      headers=_bearer(check), site=check.endpoints.cdse_download,
                                      body_cap=small["size"], on_chunk=take, timeout=(10.0, 300.0)),
                    keep_body=False)
    md5 = digest.hexdigest()
    complete = ex.last.body_complete and count["n"] == small["size"]
    entry["findings"].update(product=small["name"], size=small["size"], bytes=count["n"], md5=md5,
                             catalogue_md5=small["md5"], match=complete and md5 == small["md5"].lower(),
                             summary=f"{_statuses(ex)}, {count['n']} bytes, MD5 "
                                     f"{'matches' if complete and md5 == small['md5'].lower() else 'differs from'} "
                                     f"the catalogue's")


def _statuses(ex):
    return " -> ".join(str(h.status) if h.status is not None else h.error.split(":")[0] for h in ex.hops)


GEODES_PROBES = [
    ("search", "One S2 L1C, one S1 GRD and one THEIA L2A item of the tile (the products the other probes use).",
     geodes_searches),
    ("offline GET", "1. Status, headers and body of a GET and of a Range: bytes=0-0 GET of an 'Is online: false' "
                    "product.", geodes_offline_get),
    ("fastavailability", "1-2. /fastavailability byte for byte for one S2 and one S1 product (upper-case MD5).",
     geodes_availability),
    ("processes", "3. GET api/processing/processes/: is there a restore/transfer process?", geodes_processes),
    ("THEIA zip members", "4. The member list of one THEIA V4-0 zip (where is _MTD_ALL.xml?), from ranged reads of "
                          "its central directory.", geodes_theia_members),
    ("wrong key", "5. A request with a wrong key: status, Location, body.", geodes_wrong_key),
]
RECHECK_PROBES = {
    "GEODES": [("fastavailability again", "1. /fastavailability for the same products, later (10 min, 1 h, 1 day "
                                          "after the first report).", geodes_availability)],
    "CDSE": [("offline product again", "6. Is the same offline product online now?", cdse_recheck)],
}
CDSE_PROBES = [
    ("token", "The token request (password grant; one-time code when given).", cdse_token),
    ("offline download", "6. A download of an Online: false product (status, body).", cdse_offline_download),
    ("Range", "6. Range on a $value download (through the zipper redirect).", cdse_range),
    ("MD5", "6. MD5 of a small $value zip against the catalogue's Checksum.", cdse_md5),
]


# --- report --------------------------------------------------------------------------------------------------------
def build_report(check, skipped, recheck_of=None):
    probes = []
    for p in check.probes:
        probes.append({**{k: v for k, v in p.items() if k != "exchanges"},
                       "findings": check.scrub.data(p["findings"]),
                       "exchanges": [ex.record(check.scrub, keep_body, raw) for ex, keep_body, raw in p["exchanges"]]})
    e = check.endpoints
    return {"tool": f"{about.NAME} {about.VERSION} check-live", "utc": dt.datetime.now(dt.timezone.utc).isoformat(),
            "addresses": {"geodes": e.geodes, "cdse": e.cdse, "cdse_auth": e.cdse_auth,
                          "cdse_download": e.cdse_download},
            "tile": check.args.tile, "skipped": skipped, "recheck_of": recheck_of, "probes": probes}


def markdown(report):
    lines = [f"# Live check of GEODES and CDSE — {report['utc']}", "",
             f"{report['tool']}; tile {report['tile']}. Addresses: " +
             ", ".join(f"{k} `{v}`" for k, v in report["addresses"].items()) + ".", "",
             "Redacted: keys, passwords, tokens, one-time codes and credential headers are replaced by `***`.", ""]
    if report.get("recheck_of"):
        lines += [f"Recheck of the report of {report['recheck_of']}.", ""]
    for why in report["skipped"]:
        lines += [f"- skipped: {why}"]
    for p in report["probes"]:
        f = p["findings"]
        lines += ["", f"## {p['service']}: {p['probe']}", "", p["question"], "",
                  f"**{f.get('summary') or f.get('error') or 'done'}** ({p['elapsed_s']} s)", ""]
        for ex in p["exchanges"]:
            for hop in ex["hops"]:
                if "error" in hop:
                    lines.append(f"- `{hop['request']}` → {hop['error']}")
                    continue
                headers = ", ".join(f"{k}: {v}" for k, v in hop["headers"].items())
                lines.append(f"- {ex['name']}: `{hop['request']}` → **{hop['status']} {hop['reason']}**, "
                             f"{hop['body_bytes_read']} bytes read{'' if hop['body_complete'] else ' (capped)'}; "
                             f"headers: {headers}")
                body = hop.get("body_raw") or hop.get("body_text")
                if body is None and ("body_json" in hop or "body_shape" in hop):   # compact: the JSON has it all
                    kind = "body_json" if "body_json" in hop else "body_shape"
                    body = f"{kind}: " + _clip(json.dumps(hop[kind], ensure_ascii=False), 1500)
                if body:
                    lines += ["", "  ```", *("  " + x for x in _clip(str(body), 3000).splitlines()), "  ```"]
        extra = {k: v for k, v in f.items() if k not in ("summary", "traceback")}
        if extra:
            lines += ["", "  ```json", *("  " + x for x in _clip(json.dumps(extra, indent=1), 6000).splitlines()),
                      "  ```"]
    return "\n".join(lines) + "\n"


def _clip(text, limit):
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters in the JSON report)"


def write_report(report, out_dir, scrub):
    text_json = json.dumps(report, indent=1, ensure_ascii=False)
    text_md = markdown(report)
    for text in (text_json, text_md, json.dumps(report)):   # the last line of defence: no secret we know of
        if scrub.leaks(text):
            raise RuntimeError("the report still holds a secret after redaction: not written (a bug to report)")
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    paths = out_dir / f"live-check-{stamp}.json", out_dir / f"live-check-{stamp}.md"
    paths[0].write_text(text_json, encoding="utf-8")
    paths[1].write_text(text_md, encoding="utf-8")
    return paths


def load_recheck(path):
    """(the earlier report's time, the products it probed) from an earlier report."""
    report = json.loads(path.read_text(encoding="utf-8"))
    found = {}
    for p in report.get("probes", []):
        f = p.get("findings", {})
        if (p.get("service"), p.get("probe")) == ("GEODES", "search"):
            found.update({k: v for k, v in (f.get("picked") or {}).items() if v})
        if (p.get("service"), p.get("probe")) == ("CDSE", "offline download") and f.get("product_id"):
            found["cdse_offline"] = {"product": f.get("product"), "product_id": f["product_id"]}
    return report.get("utc"), found


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog=f"Credentials come from the environment only: {ENV_KEY} (GEODES); {ENV_USER}, "
                                       f"{ENV_PASSWORD} and, for a two-factor account, {ENV_TOTP} (CDSE). A "
                                       "service without them is skipped. Addresses: the SENTINEL_MIRROR_*_URL "
                                       "variables, as for the plugin.")
    p.add_argument("--out", default=str(ROOT / "live-check-output"), help="folder for the report (JSON + Markdown)")
    p.add_argument("--tile", default="31TCJ", help="Sentinel-2 tile whose products are probed (default 31TCJ)")
    p.add_argument("--services", default="geodes,cdse", help="geodes, cdse or both (default)")
    p.add_argument("--timeout", default=60.0, type=float, help="read timeout of one request, seconds")
    p.add_argument("--md5-max-mb", default=100, type=int, help="largest CDSE product hashed whole (default 100 MB)")
    p.add_argument("--max-zip-read-mb", default=16, type=int, help="most bytes read to list the THEIA zip")
    p.add_argument("--recheck", metavar="REPORT.json",
                   help="only ask again, for the products of an earlier report, whether they are online (run it "
                        "10 min, 1 h and 1 day after the first)")
    return p.parse_args(argv)


def main(argv=None, environ=None):
    args = parse_args(argv)
    environ = os.environ if environ is None else environ
    endpoints = with_env_overrides(PluginConfig(), environ).endpoints
    wanted = {s.strip().lower() for s in args.services.split(",") if s.strip()}
    secrets = {"api_key": environ.get(ENV_KEY, "").strip(), "username": environ.get(ENV_USER, "").strip(),
               "password": environ.get(ENV_PASSWORD, ""), "totp": environ.get(ENV_TOTP, "").strip()}
    skipped, plan = [], []
    if "geodes" in wanted:
        if secrets["api_key"]:
            plan.append(("GEODES", GEODES_PROBES, [endpoints.geodes]))
        else:
            skipped.append(f"GEODES: no API key ({ENV_KEY} is not set)")
    if "cdse" in wanted:
        if secrets["username"] and secrets["password"]:
            plan.append(("CDSE", CDSE_PROBES, [endpoints.cdse_auth, endpoints.cdse_download]))
        else:
            skipped.append(f"CDSE: no account ({ENV_USER} / {ENV_PASSWORD} are not set)")
    if not plan:
        print("check-live skipped: no credentials. It needs an account: set " + ENV_KEY + " (GEODES) and/or " +
              f"{ENV_USER} + {ENV_PASSWORD} (CDSE; {ENV_TOTP} for a two-factor account). Nothing was sent.")
        return 0
    check = Check(args, endpoints, secrets)
    recheck_of = None
    if args.recheck:
        recheck_of, check.found = load_recheck(Path(args.recheck).expanduser())
        plan = [(service, RECHECK_PROBES[service], urls) for service, _, urls in plan]
    for service, probes, credential_urls in plan:
        try:
            for url in credential_urls:
                check_credentials_transport(url, service, "Use https addresses (SENTINEL_MIRROR_*_URL).")
        except AuthError as e:
            skipped.append(f"{service}: {e}")
            continue
        print(f"{service}:", flush=True)
        for name, question, run in probes:
            check.probe(service, name, question, lambda entry, run=run: run(check, entry))
    for why in skipped:
        print(f"skipped {why}")
    paths = write_report(build_report(check, skipped, recheck_of), Path(args.out).expanduser(), check.scrub)
    print(f"report (redacted): {paths[0]}\n                   {paths[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
