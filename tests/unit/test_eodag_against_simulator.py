"""EODAG, the reference client for GEODES (pinned in requirements-dev.txt), configured only with the simulator's
address and key, gets what it gets from the real GEODES: a search (with availability from /fastavailability),
online products downloaded with the catalogue's MD5, and HTTP 410 for products on tape (CS-SI/eodag #1776).

Only EODAG's own geodes provider configuration is used (eodag/resources/providers/geodes.yml): the user
configuration overrides the search endpoint, the auth matching URL and the API key, nothing else."""
import datetime as dt
import hashlib
import logging
import os

import pytest

if os.environ.get("CI"):
    import eodag   # CI installs requirements-dev.txt: a missing EODAG is a failure there
else:
    eodag = pytest.importorskip("eodag", reason="EODAG is pinned in requirements-dev.txt: run make setup")


def _gateway(sim, tmp_path, monkeypatch):
    conf = tmp_path / "eodag.yml"
    conf.write_text(f"""
geodes:
  priority: 1
  search:
    api_endpoint: {sim.geodes_url}/api/stac/search
    discover_collections:
      fetch_url: null
  auth:
    matching_url: {sim.geodes_url}
    credentials:
      apikey: {sim.config.api_key}
""")
    monkeypatch.setenv("EODAG_EXT_COLLECTIONS_CFG_URI", "")     # no collection list from the internet
    monkeypatch.setenv("EODAG_CFG_DIR", str(tmp_path / "eodag-home"))
    logging.getLogger("eodag").setLevel(logging.WARNING)
    return eodag.EODataAccessGateway(user_conf_file_path=str(conf))


@pytest.fixture
def dag(simulator_factory, tmp_path, monkeypatch):
    sim = simulator_factory(collections=("PEPS_S2_L1C",), offline_fraction=0.5, start=dt.date(2023, 6, 1),
                            end=dt.date(2023, 6, 30))
    return _gateway(sim, tmp_path, monkeypatch), sim


@pytest.fixture
def dag_s1(simulator_factory, tmp_path, monkeypatch):
    sim = simulator_factory(collections=("PEPS_S1_L1",), start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30))
    return _gateway(sim, tmp_path, monkeypatch), sim


def test_eodag_searches_the_simulator_downloads_online_products_and_gets_410_for_tape(dag, tmp_path):
    from eodag.utils.exceptions import NotAvailableError
    gateway, sim = dag
    found = gateway.search(collection="S2_MSI_L1C", start="2023-06-01", end="2023-07-01",
                           geom=[1.3, 43.5, 1.5, 43.7], provider="geodes")
    assert len(found) == len(sim.products_of("geodes")) == 6
    assert sim.stats.requests["geodes.availability"] == 1              # EODAG asks /fastavailability, batched
    online = [p for p in found if sim.product(p.properties["uid"]).online]
    tape = [p for p in found if not sim.product(p.properties["uid"]).online]
    assert online and tape
    assert {p.properties["order:status"] for p in online} == {"succeeded"}   # EODAG's "online"
    assert {p.properties["order:status"] for p in tape} == {"orderable"}
    for p in online:
        path = gateway.download(p, output_dir=str(tmp_path / "out"), extract=False, wait=0.001, timeout=0.002)
        assert hashlib.md5(open(path, "rb").read()).hexdigest() == sim.product(p.properties["uid"]).md5
    for p in tape:
        with pytest.raises(NotAvailableError, match="410"):
            gateway.download(p, output_dir=str(tmp_path / "out"), extract=False, wait=0.001, timeout=0.002)
    assert sim.stats.statuses[("geodes.download", 410)] == len(tape)
    assert all(sim.product(p.properties["uid"]).state == "offline" for p in tape)   # the GET recalled nothing


# --- Sentinel-1 as EODAG asks for it (eodag/resources/providers/geodes.yml) ----------------------------------
S1_AREA = dict(start="2023-06-01", end="2023-07-01", geom=[1.3, 43.5, 1.5, 43.7], provider="geodes")


def _grd(sim):
    return {p.id for p in sim.products_of("geodes") if p.product_type == "GRD"}


def test_eodag_sentinel1_polarisation_filter_finds_the_items(dag_s1):
    """EODAG sends {"sar:polarizations": {"eq": "VV VH"}} (csv_list with a space) and splits the answer on spaces:
    the recorded items carry the string "VV VH" (40/40 in recorded/geodes-2026)."""
    gateway, sim = dag_s1
    everything = gateway.search(collection="S1_SAR_GRD", **S1_AREA)
    assert {p.properties["uid"] for p in everything} == _grd(sim) and len(everything) >= 4
    found = gateway.search(collection="S1_SAR_GRD", **S1_AREA, **{"sar:polarizations": ["VV", "VH"]})
    assert {p.properties["uid"] for p in found} == _grd(sim)
    assert {tuple(p.properties["sar:polarizations"]) for p in found} == {("VV", "VH")}
    assert not gateway.search(collection="S1_SAR_GRD", **S1_AREA, **{"sar:polarizations": ["HH", "HV"]})


def test_eodag_sentinel1_beam_ids_cloud_cover_and_instrument_filters(dag_s1):
    """sar:beam_ids goes out as `swath eq` (GRD items say "IW", SLC "IW1 IW2 IW3", as recorded); the recorded S1
    items carry eo:cloud_cover 0.0, so a cloud filter keeps them all."""
    gateway, sim = dag_s1
    grd = gateway.search(collection="S1_SAR_GRD", **S1_AREA, **{"sar:beam_ids": ["IW"]})
    assert {p.properties["uid"] for p in grd} == _grd(sim)
    assert {tuple(p.properties["sar:beam_ids"]) for p in grd} == {("IW",)}
    slc = gateway.search(collection="S1_SAR_SLC", **S1_AREA, **{"sar:beam_ids": ["IW1", "IW2", "IW3"]})
    assert slc and {p.properties["product:type"] for p in slc} == {"SLC"}
    assert not gateway.search(collection="S1_SAR_GRD", **S1_AREA, **{"sar:beam_ids": ["IW1", "IW2", "IW3"]})
    cloudy = gateway.search(collection="S1_SAR_GRD", **S1_AREA, **{"eo:cloud_cover": 10})
    assert {p.properties["uid"] for p in cloudy} == _grd(sim)
    radar = gateway.search(collection="S1_SAR_GRD", **S1_AREA, **{"instruments": ["SAR-C", "SAR"]})
    assert {p.properties["uid"] for p in radar} == _grd(sim)


def test_eodag_published_is_a_processing_date_after_the_acquisition(dag_s1):
    """EODAG maps published <- properties.datetime: a processing date, hours after the slice (recorded)."""
    gateway, _ = dag_s1
    for p in gateway.search(collection="S1_SAR_GRD", **S1_AREA):
        start = dt.datetime.fromisoformat(p.properties["start_datetime"].replace("Z", "+00:00"))
        end = dt.datetime.fromisoformat(p.properties["end_datetime"].replace("Z", "+00:00"))
        published = dt.datetime.fromisoformat(p.properties["published"].replace("Z", "+00:00"))
        assert end - start == dt.timedelta(seconds=25)
        assert dt.timedelta(hours=1) < published - end < dt.timedelta(hours=36)


# --- CDSE as EODAG asks it (eodag/resources/providers/cop_dataspace.yml) ---------------------------------------
EODAG_RELATIVE_ORBIT = ("Attributes/OData.CSC.IntegerAttribute/any(att:att/Name eq 'relativeOrbitNumber' and "
                        "att/OData.CSC.StringAttribute/Value eq {})")   # cop_dataspace.yml, casts mixed as sent


def test_eodag_cdse_relative_orbit_filter_with_mixed_casts(simulator_factory, tmp_path, monkeypatch):
    """EODAG's cop_dataspace sends relativeOrbitNumber (and orbitNumber) as IntegerAttribute/any(... and
    att/OData.CSC.StringAttribute/Value eq N): the simulator used to answer 400 to it."""
    import requests
    from eodag.plugins.authentication import openid_connect
    sim = simulator_factory(collections=("sentinel-1-grd",), start=dt.date(2023, 6, 1), end=dt.date(2023, 6, 30))
    orbit = sim.products_of("cdse")[0].relative_orbit
    want = {p.id for p in sim.products_of("cdse") if p.relative_orbit == orbit}
    assert 0 < len(want) < len(sim.products_of("cdse"))
    r = requests.get(f"{sim.cdse_url}/odata/v1/Products", timeout=30, params={
        "$filter": "Collection/Name eq 'SENTINEL-1' and " + EODAG_RELATIVE_ORBIT.format(orbit), "$top": 100})
    assert r.status_code == 200, r.text
    assert {e["Id"] for e in r.json()["value"]} == want
    # and EODAG itself (its Keycloak plugin reads the OIDC discovery document when built: given here, no network)
    monkeypatch.setattr(openid_connect.OIDCRefreshTokenBase, "_get_oidc_endpoints", lambda self: {
        "jwks_uri": f"{sim.cdse_url}/jwks", "token_endpoint": sim.cdse_auth_url,
        "authorization_endpoint": sim.cdse_auth_url, "id_token_signing_alg_values_supported": ["RS256"]})
    conf = tmp_path / "eodag.yml"
    conf.write_text(f"""
cop_dataspace:
  priority: 1
  search:
    api_endpoint: {sim.cdse_url}/odata/v1/Products
  auth:
    matching_url: {sim.cdse_url}
""")
    monkeypatch.setenv("EODAG_EXT_COLLECTIONS_CFG_URI", "")
    monkeypatch.setenv("EODAG_CFG_DIR", str(tmp_path / "eodag-home"))
    gateway = eodag.EODataAccessGateway(user_conf_file_path=str(conf))
    before = sim.stats.statuses[("cdse.search", 200)]
    # product:type as the simulator's entities write it (EODAG's S1_SAR_GRD default is 'GRD': see DEPARTURES.md)
    found = gateway.search(collection="S1_SAR_GRD", start="2023-06-01", end="2023-07-01", geom=[1.3, 43.5, 1.5, 43.7],
                           provider="cop_dataspace", **{"product:type": "IW_GRDH_1S", "sat:relative_orbit": orbit})
    assert sim.stats.statuses[("cdse.search", 200)] > before
    assert {p.properties["id"] for p in found} and {p.properties["sat:relative_orbit"] for p in found} == {orbit}
    assert {p.properties["uid"] for p in found} == want
