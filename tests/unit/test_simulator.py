"""The mirror simulator itself: what the pipeline tests and benchmarks rely on (tape, faults, ranges, caps)."""
import datetime as dt
import hashlib
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
import requests
import urllib3

from tests.simulator import MirrorSimulator, SimConfig


def _geodes(sim, online=True):
    return next(p for p in sim.products_of("geodes") if p.online == online)


def _get(sim, p, **headers):
    return requests.get(p.download_url, headers={"X-API-Key": sim.config.api_key, **headers}, timeout=10)


def test_same_seed_same_catalogue_with_real_naming(tmp_path):
    cfg = dict(tiles=("31TCJ",), start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30), offline_fraction=0.5)
    with MirrorSimulator(SimConfig(seed=3, **cfg)) as a, MirrorSimulator(SimConfig(seed=3, **cfg)) as b:
        assert [(p.id, p.title, p.cloud_cover, p.state) for p in a.products] == \
               [(p.id, p.title, p.cloud_cover, p.state) for p in b.products]
        days = sorted({p.acquired.date() for p in a.products})
        assert all((d2 - d1).days == 5 for d1, d2 in zip(days, days[1:]))
        platforms = [next(p.platform for p in a.products if p.acquired.date() == d) for d in days]
        assert all(x != y for x, y in zip(platforms, platforms[1:]))          # S2A and S2B alternate
        from plugin.core.product_names import parse_title
        for p in a.products:
            info = parse_title(p.title)
            assert (info.kind, info.tile, info.platform) == (p.kind, "31TCJ", p.platform)


def test_download_is_the_archive_and_ranges_resume_it(simulator):
    p = _geodes(simulator)
    whole = _get(simulator, p)
    assert whole.status_code == 200 and len(whole.content) == p.size
    assert hashlib.md5(whole.content).hexdigest() == p.md5
    assert zipfile.is_zipfile(p.path)
    part = _get(simulator, p, Range="bytes=1000-")
    assert part.status_code == 206 and part.headers["Content-Range"] == f"bytes 1000-{p.size - 1}/{p.size}"
    assert whole.content[:1000] + part.content == whole.content
    assert _get(simulator, p, Range=f"bytes={p.size}-").status_code == 416


def test_body_faults(simulator):
    p = _geodes(simulator)
    simulator.inject("truncate", product_id=p.id, after_bytes=500)
    r = _get(simulator, p)
    assert r.status_code == 200 and len(r.content) == 500
    simulator.inject("corrupt", product_id=p.id)
    r = _get(simulator, p)
    assert len(r.content) == p.size and hashlib.md5(r.content).hexdigest() != p.md5
    simulator.inject("ignore_range", product_id=p.id)
    r = _get(simulator, p, Range="bytes=10-")
    assert r.status_code == 200 and len(r.content) == p.size
    simulator.inject("drop", product_id=p.id, after_bytes=1000)
    with requests.get(p.download_url, headers={"X-API-Key": simulator.config.api_key}, stream=True) as r:
        assert int(r.headers["Content-Length"]) == p.size
        got = b""
        try:
            for chunk in r.raw.stream(4096, decode_content=False):
                got += chunk
        except urllib3.exceptions.ProtocolError:   # urllib3 2.x: IncompleteRead; 1.x ends quietly, short
            pass
        assert len(got) == 1000 and got == Path(p.path).read_bytes()[:1000]
    simulator.inject("slow_first_byte", product_id=p.id, delay_s=0.3)
    t = time.monotonic()
    assert _get(simulator, p).status_code == 200 and time.monotonic() - t >= 0.3


def test_geodes_tape_get_answers_410_and_changes_nothing_until_the_portal_order(simulator_factory):
    sim = simulator_factory(offline_fraction=1.0, staging_delay_s=0.3)
    p = sim.products_of("geodes")[0]
    for _ in range(3):
        r = _get(sim, p)
        assert r.status_code == 410 and not r.content.startswith(b"PK")
    time.sleep(0.4)
    assert p.state == "offline" and sim.stats.offline_gets[p.id] == 3      # a GET is no recall
    # the user's order in the GEODES explorer, simulated by the control call
    assert requests.post(f"{sim.base_url}/_sim/order", json={"ids": [p.title]}, timeout=5).json() == {"ordered": 1}
    assert p.state == "ordered" and _get(sim, p).status_code == 410
    time.sleep(0.35)
    assert p.online and _get(sim, p).content.startswith(b"PK")


@pytest.mark.parametrize("mode,status", [("202-json", 202), ("202-empty", 202), ("200-json-error", 200),
                                         ("503-retry-after", 503)])
def test_cdse_offline_get_never_returns_a_product(simulator_factory, mode, status):
    sim = simulator_factory(cdse_offline_fraction=1.0, offline_response=mode, staging_delay_s=0.1)
    p = sim.products_of("cdse")[0]
    token = requests.post(sim.cdse_auth_url, data={"client_id": "cdse-public", "grant_type": "password",
                          "username": sim.config.cdse_user, "password": sim.config.cdse_password}).json()
    r = requests.get(p.download_url, headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=10)
    assert r.status_code == status and len(r.content) < 300 and not r.content.startswith(b"PK")
    time.sleep(0.2)
    assert p.state == "offline"
    assert sim.order() == len(sim.products_of("cdse"))   # every product ordered in the Data Workspace


def test_geodes_items_follow_the_recordings(simulator_factory):
    sim = simulator_factory(offline_fraction=0.5, collections=("THEIA_REFLECTANCE_SENTINEL2_L2A", "PEPS_S1_L1",
                                                                "PEPS_S2_L1C"))
    seen = {}
    for coll in ("THEIA_REFLECTANCE_SENTINEL2_L2A", "PEPS_S1_L1", "PEPS_S2_L1C"):
        # page and limit as strings, as EODAG sends them
        r = requests.post(f"{sim.geodes_url}/api/stac/search", json={"page": "1", "limit": "80", "collections": [coll]},
                          timeout=30)
        assert r.status_code == 200, r.text
        seen[coll] = r.json()["features"]
    for f in seen["PEPS_S2_L1C"] + seen["PEPS_S1_L1"]:
        data = next(a for a in f["assets"].values() if "data" in a["roles"])
        assert "Is online: false" in data["description"]         # whatever the real state (recorded)
    for f in seen["THEIA_REFLECTANCE_SENTINEL2_L2A"]:
        data = next(a for a in f["assets"].values() if "data" in a["roles"])
        assert "Is online: true" in data["description"]
        ident = f["properties"]["identifier"]
        assert not ident.endswith("_V4-0") and data["title"] == ident + "_V4-0.zip"
    types = {f["properties"]["product:type"] for f in seen["PEPS_S1_L1"]}
    assert types == {"GRD", "SLC"}
    for f in seen["PEPS_S1_L1"]:
        data = next(a for a in f["assets"].values() if "data" in a["roles"])
        md5 = data["href"].rsplit("/", 1)[1]
        assert md5 == md5.upper() and f"Checksum MD5: {md5}" in data["description"]
    slc = [p for p in sim.products_of("geodes", "PEPS_S1_L1") if p.product_type == "SLC"]
    grd = [p for p in sim.products_of("geodes", "PEPS_S1_L1") if p.product_type == "GRD"]
    assert slc and all(s.size > 3 * g.size for s, g in zip(slc, grd))


RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "recorded" / "geodes-2026"


def _recorded(name):
    import json
    data = json.loads((RECORDED / name).read_text())
    return data["features"] if "features" in data else [data]


def _search(sim, **body):
    r = requests.post(f"{sim.geodes_url}/api/stac/search", json={"limit": 80, **body}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()["features"]


def test_geodes_sentinel1_items_write_their_fields_as_the_recorded_ones(simulator_factory):
    """Every field a simulated S1 item shares with the recorded S1 items has the recorded JSON type, and the
    radar fields their recorded values: sar:polarizations the string "VV VH" (not a list), eo:cloud_cover 0.0,
    swath "IW" (GRD) / "IW1 IW2 IW3" (SLC), instrument "SAR-C SAR", the datalake path per product type."""
    sim = simulator_factory(collections=("PEPS_S1_L1",))
    recorded = _recorded("geodes_items_PEPS_S1_L1.json") + _recorded("pygeodes_PEPS_S1_L1_S1C_GRD_item_offline.json")
    want = {}
    for f in recorded:
        for k, v in f["properties"].items():
            want.setdefault(k, set()).add(type(v))
    items = _search(sim, collections=["PEPS_S1_L1"])
    assert {f["properties"]["product:type"] for f in items} == {"GRD", "SLC"}
    for f in items:
        props = f["properties"]
        for k, v in props.items():
            assert k in want, f"{k} is not on the recorded S1 items"
            assert type(v) in want[k], (k, v)
        kind = props["product:type"]
        assert props["sar:polarizations"] == "VV VH" and props["eo:cloud_cover"] == 0.0
        assert props["instrument"] == "SAR-C SAR" and props["sar:instrument_mode"] == "IW"
        assert props["swath"] == {"GRD": "IW", "SLC": "IW1 IW2 IW3"}[kind]
        assert props["sat:orbit_state"] in ("Ascending", "Descending")          # 20/20 recorded
        day = props["start_datetime"][:10].replace("-", "/")
        assert props["endpoint_url"] == (f"https://s3.datalake.cnes.fr/sentinel1-{kind.lower()}/{day}/"
                                         f"{props['identifier']}.zip")
    assert {f["properties"]["swath"] for f in recorded} == {"IW", "IW1 IW2 IW3"}
    assert {f["properties"]["sar:polarizations"] for f in recorded} == {"VV VH"}


def test_geodes_sentinel1_queryables_match_the_recorded_string_forms(simulator_factory):
    sim = simulator_factory(collections=("PEPS_S1_L1",))
    every = {f["id"] for f in _search(sim, collections=["PEPS_S1_L1"])}
    grd = {p.id for p in sim.products_of("geodes") if p.product_type == "GRD"}

    def ids(**query):
        return {f["id"] for f in _search(sim, collections=["PEPS_S1_L1"], query=query)}
    assert ids(**{"sar:polarizations": {"eq": "VV VH"}}) == every               # what EODAG sends
    assert ids(**{"sar:polarizations": {"eq": "VV"}}) == set()
    assert ids(swath={"eq": "IW"}) == grd and ids(swath={"eq": "IW1 IW2 IW3"}) == every - grd
    assert ids(**{"sar:instrument_mode": {"eq": "IW"}}) == every
    assert ids(instrument={"eq": "SAR-C SAR"}) == every
    assert ids(**{"eo:cloud_cover": {"lte": 10}}) == every                      # the recorded 0.0
    assert ids(**{"eo:cloud_cover": {"gte": 1}}) == set()


@pytest.mark.parametrize("collection,day", [("PEPS_S1_L1", None), ("PEPS_S2_L1C", None),
                                            ("THEIA_REFLECTANCE_SENTINEL2_L2A", "2025-07-23")])
def test_geodes_item_datetime_is_a_processing_date_after_the_acquisition(simulator_factory, collection, day):
    """Recorded: `datetime` is when the product was made (S1 hours after the slice, THEIA V4-0 on 2025-07-23 for
    2020 acquisitions), start_datetime/end_datetime the acquisition."""
    sim = simulator_factory(collections=(collection,), start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31))
    items = _search(sim, collections=[collection])
    assert items
    for f in items:
        props = f["properties"]
        p = sim.product(f["id"])
        when = {k: dt.datetime.fromisoformat(props[k].replace("Z", "+00:00"))
                for k in ("datetime", "start_datetime", "end_datetime")}
        assert abs(when["start_datetime"] - p.acquired) < dt.timedelta(milliseconds=1)
        assert when["datetime"] > when["end_datetime"]
        if day:
            assert props["datetime"][:10] == day
        if collection == "PEPS_S1_L1":
            assert dt.timedelta(hours=2) < when["datetime"] - when["end_datetime"] < dt.timedelta(hours=31)
        if collection == "PEPS_S2_L1C":   # after the processing time in the title
            made = dt.datetime.strptime(p.title[-15:], "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)
            assert when["datetime"] > made
    again = _search(sim, collections=[collection])
    assert [f["properties"]["datetime"] for f in again] == [f["properties"]["datetime"] for f in items]


def test_geodes_sentinel1_md5_case_is_mixed_as_recorded(simulator_factory):
    """Recorded: the 2020 S1A/S1B items write their MD5 in upper case, the 2025-12 S1C item in lower case (href and
    description alike); the simulator switches at S1_LOWER_MD5_FROM, and /fastavailability says it the same way."""
    from tests.simulator.catalogue import S1_LOWER_MD5_FROM
    old = _recorded("geodes_items_PEPS_S1_L1.json")
    new = _recorded("pygeodes_PEPS_S1_L1_S1C_GRD_item_offline.json")
    for f, case in [(f, str.upper) for f in old] + [(f, str.lower) for f in new]:
        data = next(a for a in f["assets"].values() if "data" in a["roles"])
        md5 = data["href"].rsplit("/", 1)[1]
        assert md5 == case(md5) and f"Checksum MD5: {md5}" in data["description"]
    sim = simulator_factory(collections=("PEPS_S1_L1",), start=S1_LOWER_MD5_FROM - dt.timedelta(days=13),
                            end=S1_LOWER_MD5_FROM + dt.timedelta(days=12))
    items = _search(sim, collections=["PEPS_S1_L1"])
    seen = set()
    for f in items:
        data = next(a for a in f["assets"].values() if "data" in a["roles"])
        md5 = data["href"].rsplit("/", 1)[1]
        p = sim.product(f["id"])
        early = p.acquired.date() < S1_LOWER_MD5_FROM
        assert md5 == (p.md5.upper() if early else p.md5) and f"Checksum MD5: {md5}" in data["description"]
        seen.add(early)
        r = requests.post(f"{sim.geodes_url}/fastavailability", timeout=30,
                          json={"availability": [{"href": data["href"], "endpointURL": ""}]})
        assert r.json()["products"][0]["files"][0]["checksum"] == md5
    assert seen == {True, False}


def test_wrong_key_redirect_loop_and_cdse_totp(simulator_factory):
    sim = simulator_factory(wrong_key_redirect_loop=True, cdse_totp="123456")
    p = _geodes(sim)
    with pytest.raises(requests.TooManyRedirects):
        requests.get(p.download_url, headers={"X-API-Key": "outdated"}, timeout=10)
    form = {"client_id": "cdse-public", "grant_type": "password", "username": sim.config.cdse_user,
            "password": sim.config.cdse_password}
    assert requests.post(sim.cdse_auth_url, data=form, timeout=10).status_code == 401
    assert requests.post(sim.cdse_auth_url, data={**form, "totp": "123456"}, timeout=10).status_code == 200


def test_maja_metadata_under_data_when_asked(simulator_factory):
    sim = simulator_factory(maja_mtd_in_data=True, collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",))
    p = sim.products[0]
    top = p.zip_name[:-4]
    with zipfile.ZipFile(p.ensure_archive()) as z:
        assert f"{top}/DATA/{top}_MTD_ALL.xml" in z.namelist()


def test_connection_cap_answers_429_with_retry_after(simulator_factory):
    sim = simulator_factory(max_connections=1, bandwidth_bps=200_000, retry_after_s=4, pad_to=100_000)
    p = _geodes(sim)
    holder = threading.Thread(target=_get, args=(sim, p))
    holder.start()
    deadline = time.monotonic() + 2
    while sim.stats.open_downloads == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    r = _get(sim, p)
    assert r.status_code == 429 and r.headers["Retry-After"] == "4"
    holder.join()
    deadline = time.monotonic() + 2     # the server releases the slot just after the last byte is written
    while sim.stats.open_downloads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sim.stats.open_downloads == 0 and sim.stats.peak_open_downloads == 1


def test_429_is_worded_per_service(simulator_factory):
    """CDSE says "Max session number 4 exceeded" (shared/notes/real-services.md) at its connection cap; the GEODES
    wording stays pyGeodes' ("request quota is empty"). The same for an injected 429."""
    sim = simulator_factory(max_connections=1, bandwidth_bps=200_000, pad_to=100_000)
    token = requests.post(sim.cdse_auth_url, timeout=10, data={
        "client_id": "cdse-public", "grant_type": "password", "username": sim.config.cdse_user,
        "password": sim.config.cdse_password}).json()["access_token"]
    cdse = next(p for p in sim.products_of("cdse") if p.online)
    get_cdse = lambda: requests.get(cdse.download_url, headers={"Authorization": f"Bearer {token}"},  # noqa: E731
                                    timeout=10)
    holder = threading.Thread(target=get_cdse)
    holder.start()
    deadline = time.monotonic() + 2
    while sim.stats.open_downloads == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    r = get_cdse()
    assert r.status_code == 429 and r.json() == {"detail": "Max session number 1 exceeded"}
    assert "Retry-After" in r.headers
    holder.join()
    sim.inject("429", endpoint="search")
    r = requests.get(f"{sim.cdse_url}/odata/v1/Products", params={"$top": 1}, timeout=10)
    assert r.status_code == 429 and r.json()["detail"] == "Max session number 1 exceeded"
    sim.inject("429", endpoint="search")
    r = requests.post(f"{sim.geodes_url}/api/stac/search", json={"limit": 1}, timeout=10)
    assert r.status_code == 429 and r.json()["description"] == "Too many requests, your request quota is empty"
    plain = simulator_factory()
    plain.inject("429", endpoint="search")
    r = requests.get(f"{plain.cdse_url}/odata/v1/Products", params={"$top": 1}, timeout=10)
    assert r.status_code == 429 and r.json() == {"detail": "Max session number 4 exceeded"}   # the real cap


def test_bandwidth_is_paced_per_connection(simulator_factory):
    sim = simulator_factory(bandwidth_bps=1_000_000, pad_to=300_000)
    p = _geodes(sim)
    p.ensure_archive()
    t = time.monotonic()
    assert len(_get(sim, p).content) == 300_000
    assert 0.25 <= time.monotonic() - t < 1.5
    assert sim.stats.bytes_served[p.id] == 300_000


def test_status_faults_and_counters(simulator):
    simulator.inject("503", endpoint="search", retry_after=7)
    r = requests.post(simulator.geodes_url + "/api/stac/search", json={"limit": 5})
    assert r.status_code == 503 and r.headers["Retry-After"] == "7"
    r = requests.post(simulator.geodes_url + "/api/stac/search", json={"limit": 5})
    assert r.status_code == 200 and r.json()["context"]["returned"] == 5
    r = requests.post(simulator.geodes_url + "/api/stac/search", json={"limit": 81})
    assert r.status_code == 400
    assert simulator.stats.requests["geodes.search"] == 3


def test_env_points_everything_at_the_simulator(simulator):
    env = simulator.env()
    assert all(v.startswith("http://127.0.0.1:") for k, v in env.items() if k.endswith("_URL"))
    assert env["SENTINEL_MIRROR_GEODES_API_KEY"] == simulator.config.api_key


def test_only_loopback_is_ever_bound():
    with pytest.raises(ValueError, match="loopback"):
        SimConfig(host="0.0.0.0")


def test_command_line_help():
    out = subprocess.run([sys.executable, "-m", "tests.simulator", "--help"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and "--offline-fraction" in out.stdout and "--bandwidth" in out.stdout


# --- Sentinel-1 ----------------------------------------------------------------------------------------
S1_PEPS_OFFSET = {"S1A": 73, "S1B": 27}     # PEPS: relative orbit = ((orbit - offset) % 175) + 1


def _inside(ring, x, y):
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def test_sentinel1_slices_follow_the_real_naming_orbits_and_repeat_cycle():
    import re
    from plugin.core.product_names import parse_title
    from plugin.core.tiles import tile_footprint
    cfg = SimConfig(seed=5, tiles=("31TCJ",), start=dt.date(2021, 11, 1), end=dt.date(2025, 12, 31),
                    collections=("PEPS_S1_L1",))
    with MirrorSimulator(cfg) as sim, MirrorSimulator(cfg) as again:
        assert [p.title for p in sim.products] == [p.title for p in again.products]          # deterministic
        s1 = [p for p in sim.products if p.product_type == "GRD"]   # PEPS_S1_L1 holds SLC too (recorded)
        assert {p.platform for p in s1} == {"S1A", "S1B", "S1C"}
        name = re.compile(r"^(S1[ABC])_IW_GRDH_1SDV_(\d{8}T\d{6})_(\d{8}T\d{6})_(\d{6})_([0-9A-F]{6})_[0-9A-F]{4}$")
        corners = tile_footprint("31TCJ").lonlat_polygon(points_per_side=1)
        for p in s1:
            m = name.match(p.title)
            assert m and m[1] == p.platform and int(m[4]) == p.absolute_orbit, p.title
            assert parse_title(p.title).acquired == p.acquired and p.stop - p.acquired == dt.timedelta(seconds=25)
            assert p.tile is None and p.cloud_cover is None and p.polarisations == ("VV", "VH")
            if p.platform in S1_PEPS_OFFSET:
                assert p.relative_orbit == (p.absolute_orbit - S1_PEPS_OFFSET[p.platform]) % 175 + 1
            ring = p.footprint["coordinates"][0]
            assert all(_inside(ring, x, y) for x, y in corners)                       # covers the whole tile
            w, s, e, n = p.bbox
            assert 2.5 < e - w < 6 and 1.5 < n - s < 3                              # a 250 km x 170 km slice
        assert not [p for p in s1 if p.platform == "S1B" and p.acquired.date() > dt.date(2021, 12, 23)]
        assert not [p for p in s1 if p.platform == "S1C" and p.acquired.year < 2025]
        for direction in ("ascending", "descending"):
            track = [p for p in s1 if p.orbit_state == direction]
            assert len({p.relative_orbit for p in track}) == 1                      # one track, all platforms
            s1a = [p for p in track if p.platform == "S1A"]
            assert all((b.acquired.date() - a.acquired.date()).days == 12 and
                       b.absolute_orbit - a.absolute_orbit == 175 for a, b in zip(s1a, s1a[1:]))
            for first, last in ((dt.date(2021, 11, 1), dt.date(2021, 12, 23)), (dt.date(2025, 4, 1), cfg.end)):
                days = sorted(p.acquired.date() for p in track if first <= p.acquired.date() <= last)
                assert {(b - a).days for a, b in zip(days, days[1:])} == {6}       # the 6-day constellation
        hours = {d: {(p.acquired.hour + 1) % 24 for p in s1 if p.orbit_state == d}  # local solar time near 1°E
                 for d in ("descending", "ascending")}
        assert hours["descending"] <= {5, 6, 7} and hours["ascending"] <= {17, 18, 19}


def test_sentinel1_download_is_a_safe_that_gdal_opens(simulator_factory, tmp_path):
    from osgeo import gdal
    sim = simulator_factory(start=dt.date(2023, 7, 1), end=dt.date(2023, 7, 31),
                            collections=("PEPS_S1_L1", "sentinel-1-grd", "sentinel-2-l2a"))
    s1 = [p for p in sim.products if p.is_s1]
    assert {p.collection for p in s1} == {"PEPS_S1_L1", "sentinel-1-grd"}
    assert len([p for p in sim.products if not p.is_s1]) == 6              # S2 unchanged beside S1
    p = next(p for p in s1 if p.provider == "geodes")
    body = _get(sim, p).content
    assert len(body) == p.size and hashlib.md5(body).hexdigest() == p.md5 and 10_000 < p.size < 200_000
    z = tmp_path / p.zip_name
    z.write_bytes(body)
    meas = sorted(n for n in zipfile.ZipFile(z).namelist() if "/measurement/" in n)
    assert [n.split("/")[-1][:14] for n in meas] == ["s1a-iw-grd-vh-", "s1a-iw-grd-vv-"]
    ds = gdal.Open(f"/vsizip/{z}/{meas[1]}")
    assert ds.GetRasterBand(1).ReadAsArray().std() > 0 and ds.GetGCPCount() > 0
    lons = [g.GCPX for g in ds.GetGCPs()]
    lats = [g.GCPY for g in ds.GetGCPs()]
    w, s, e, n = p.bbox
    assert w - 1e-6 <= min(lons) and max(lons) <= e + 1e-6 and s - 1e-6 <= min(lats) and max(lats) <= n + 1e-6
    safe = gdal.Open(f"/vsizip/{z}/{p.title}.SAFE/manifest.safe")
    assert safe.GetDriver().ShortName == "SAFE" and safe.RasterCount == 2
    assert safe.GetMetadataItem("ORBIT_NUMBER") == str(p.absolute_orbit)
    assert safe.GetMetadataItem("ORBIT_DIRECTION") == p.orbit_state.upper()



def _png_bands(body):
    """Decode a PNG (GDAL's driver) into a (bands, h, w) array."""
    from osgeo import gdal
    path = f"/vsimem/quicklook_{id(body)}.png"
    gdal.FileFromMemBuffer(path, body)
    try:
        ds = gdal.Open(path)
        assert ds.GetDriver().ShortName == "PNG"
        return ds.ReadAsArray().reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize)
    finally:
        gdal.Unlink(path)


@pytest.mark.parametrize("collection", ["THEIA_REFLECTANCE_SENTINEL2_L2A", "sentinel-2-l2a"])
def test_quicklook_is_a_natural_colour_preview_of_the_archive(simulator, tmp_path, collection):
    from osgeo import gdal
    p = next(p for p in simulator.products if p.collection == collection)
    r = requests.get(p.quicklook_url, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    rgb = _png_bands(r.content)
    assert rgb.shape == (3, 128, 128)
    assert requests.get(p.quicklook_url, timeout=10).content == r.content          # deterministic
    # the archive's own masks, seen on the quicklook's grid (nearest pixel centres)
    z = f"/vsizip/{p.ensure_archive()}"
    if collection.startswith("THEIA"):
        t = p.built_title   # V4-0: the zip's top folder carries the version, the identifier does not
        masks = [f"{z}/{t}/MASKS/{t}_{m}_R1.tif" for m in ("CLM", "MG2")]
        clm, mg2 = (gdal.Translate("", m, format="MEM", width=128, height=128).ReadAsArray() for m in masks)
        cloud, clear = (clm & 2) > 0, (clm == 0) & (mg2 & 4 == 0)                      # opaque cloud; no cloud, snow
        fre = f"{z}/{t}/{t}_FRE_B4.tif"
        nodata = gdal.Translate("", fre, format="MEM", width=128, height=128).ReadAsArray() == -10000
    else:
        scl_name = next(n for n in zipfile.ZipFile(p.path).namelist() if n.endswith("_SCL_20m.jp2"))
        scl = gdal.Translate("", f"{z}/{scl_name}", format="MEM", width=128, height=128).ReadAsArray()
        cloud, clear, nodata = scl == 9, (scl == 4) | (scl == 5), scl == 0             # high cloud; veg, soil; none
    bright = rgb.min(axis=0) > 200
    assert cloud.sum() > 50 and clear.sum() > 2000 and nodata.sum() > 50, "the scene has clouds, land, an edge"
    assert bright[cloud].mean() > 0.9      # white where the archive says cloud (SCL is 20 m: edges blur)...
    assert bright[clear].mean() < 0.01                      # ...and not where it says clear land
    assert (rgb[:, nodata] == 0).mean() > 0.95              # no data is black, as on the real quicklooks
    land = rgb[:, clear].mean(axis=1)
    assert land.max() > 40, "land is visible, not black"


def test_sentinel1_quicklook_is_grey_backscatter(simulator_factory):
    sim = simulator_factory(start=dt.date(2023, 7, 1), end=dt.date(2023, 7, 12), collections=("sentinel-1-grd",))
    p = sim.products[0]
    r = requests.get(p.quicklook_url, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    grey = _png_bands(r.content)
    assert grey.shape == (1, 80, 128)                       # the measurement's 160 x 100 aspect
    assert 60 < grey.mean() < 200 and grey.std() > 10       # speckled backscatter, neither blank nor saturated
