"""Real recorded catalogue answers (tests/fixtures/recorded, see SOURCES.md) parse into the expected products."""
import datetime as dt
import json
from pathlib import Path

import pytest

from plugin.core.errors import MalformedResponseError
from plugin.core.models import Availability
from plugin.core.providers import Credentials, Endpoints, default_session, make_provider
from plugin.core.providers.geodes import parse_description

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "recorded"


def _load(name):
    path = RECORDED / name
    if not path.exists():  # CI may only have the shared copy next to the repo
        path = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "recorded" / name
    return json.loads(path.read_text())


@pytest.fixture
def geodes():
    return make_provider("geodes", Endpoints(), Credentials(api_key="k"), default_session("test"))


@pytest.fixture
def cdse():
    return make_provider("cdse", Endpoints(), Credentials(username="u", password="p"), default_session("test"))


def test_geodes_recorded_item_parses_into_the_expected_product(geodes):
    data = _load("geodes_stac_search_offline_asset.json")
    [p] = [geodes.parse_feature(f, "PEPS_S2_L1C") for f in data["features"]]
    urn = "URN:FEATURE:DATA:gdh:25416e3f-1a7f-379a-9b65-a6539b1fd95b:V1"
    assert p.provider == "geodes" and p.id == urn
    assert p.title == "S2A_MSIL1C_20250402T175741_N0511_R141_T14ULD_20250403T022035"
    assert p.collection == "PEPS_S2_L1C"
    assert p.platform == "S2A"
    assert p.acquired == dt.datetime(2025, 4, 2, 17, 57, 41, 24000, tzinfo=dt.timezone.utc)
    assert p.tile == "14ULD"
    assert p.relative_orbit == 141
    assert p.cloud_cover == pytest.approx(67.54958344531)
    assert p.size == 764210185
    assert p.checksum == "86f828c4c7e921615d1cd0476604f780"
    assert p.availability is Availability.UNKNOWN   # "Is online: false" is not trusted: search() asks the endpoint
    assert p.download_url == f"https://geodes-portal.cnes.fr/api/download/{urn}/files/86f828c4c7e921615d1cd0476604f780"
    assert p.quicklook_url.startswith(f"https://geodes-portal.cnes.fr/api/quicklook/{urn}/files/") and \
        p.quicklook_url.endswith("?scope=gdh")
    assert p.footprint["type"] == "Polygon" and len(p.footprint["coordinates"][0]) == 5
    assert p.extra["endpoint_url"].endswith("/14/U/LD/2025/04/02/" + p.title + ".zip")
    # the key goes with the download, to the GEODES site only
    req = geodes.download_request(p)
    assert req.url == p.download_url and req.headers == {"X-API-Key": "k"}


def test_geodes_description_parsing_is_tolerant_of_layout():
    text = "File size: 18684 bytes\r\n\r\nIs online: TRUE\n\nChecksum MD5: 1003AE6B1EDF05ADF7C46CB759FFEAEC"
    assert parse_description(text) == {"size": 18684, "online": True, "md5": "1003ae6b1edf05adf7c46cb759ffeaec"}
    assert parse_description("Datatype: RAWDATA") == {}
    assert parse_description(None) == {}


def test_geodes_item_without_data_asset_is_reported_with_a_quote(geodes):
    feature = _load("geodes_stac_search_offline_asset.json")["features"][0]
    feature["assets"] = {k: v for k, v in feature["assets"].items() if "overview" in v["roles"]}
    with pytest.raises(MalformedResponseError, match="without a data asset.*URN:FEATURE"):
        geodes.parse_feature(feature, "PEPS_S2_L1C")


def test_cdse_recorded_products_parse(cdse):
    data = _load("cdse_odata_search.json")
    a, b = [cdse.parse_entity(item, "sentinel-2-l1c") for item in data["value"]]
    assert a.provider == "cdse" and a.id == "05edf2bb-d103-49f1-a677-9e474138d84f"
    assert a.title == "S2A_MSIL1C_20200808T010311_N0500_R045_T54PXA_20230413T212505"
    assert a.collection == "sentinel-2-l1c"
    assert a.platform == "S2A"
    assert a.acquired == dt.datetime(2020, 8, 8, 1, 3, 11, 24000, tzinfo=dt.timezone.utc)
    assert a.tile == "54PXA" and b.tile == "55PBR"
    assert a.relative_orbit == 45
    assert a.cloud_cover == pytest.approx(95.136736479015)
    assert a.size == 224105657 and b.size == 172342246
    assert a.checksum == "923ac4992d90b57d41e7ace4d9d90757"
    assert a.availability is Availability.ONLINE
    assert a.footprint["type"] == "Polygon"
    assert a.quicklook_url == ("https://catalogue.dataspace.copernicus.eu/odata/v1/Assets("
                               "385d0a62-ec57-413b-a8b8-12c0e79848f6)/$value")
    assert a.download_url == ("https://download.dataspace.copernicus.eu/odata/v1/Products("
                              "05edf2bb-d103-49f1-a677-9e474138d84f)/$value")


def test_cdse_entity_without_id_is_reported_with_a_quote(cdse):
    item = _load("cdse_odata_search.json")["value"][0]
    del item["Id"]
    with pytest.raises(MalformedResponseError, match="without Id.*S2A_MSIL1C_20200808"):
        cdse.parse_entity(item, "sentinel-2-l1c")


def test_the_api_key_is_only_sent_to_the_geodes_site(geodes):
    from dataclasses import replace
    feature = _load("geodes_stac_search_offline_asset.json")["features"][0]
    p = geodes.parse_feature(feature, "PEPS_S2_L1C")
    other_cnes_host = replace(p, download_url=p.download_url.replace("geodes-portal", "gdh-portal-prod"))
    assert geodes.download_request(other_cnes_host).headers == {"X-API-Key": "k"}
    with pytest.raises(MalformedResponseError, match="another site"):
        geodes.download_request(replace(p, download_url="https://evil.example.org/api/download/x"))


def test_retry_after_is_read_as_seconds_or_http_date():
    import email.utils
    import time
    from types import SimpleNamespace
    from plugin.core.providers.http import retry_after_seconds
    assert retry_after_seconds(SimpleNamespace(headers={"Retry-After": "120"})) == 120
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= retry_after_seconds(SimpleNamespace(headers={"Retry-After": in_a_minute})) <= 61
    assert retry_after_seconds(SimpleNamespace(headers={}), default=5) == 5


# --- the 2026 recordings of the live GEODES (tests/fixtures/recorded/geodes-2026, from CNES/pyGeodes) -----------
GEODES_2026 = ("geodes_items_PEPS_S1_L1.json", "geodes_items_PEPS_S2_L1C.json",
               "geodes_items_THEIA_REFLECTANCE_SENTINEL2_L2A.json", "pygeodes_PEPS_S1_L1_S1C_GRD_item_offline.json")


def _recorded_items():
    for name in GEODES_2026:
        data = _load("geodes-2026/" + name)
        for feature in data["features"] if "features" in data else [data]:
            yield name, feature


def _data_asset(feature):
    return next((k, a) for k, a in feature["assets"].items() if "data" in a["roles"])


@pytest.mark.parametrize("name,feature", list(_recorded_items()), ids=lambda v: v if isinstance(v, str) else v["id"][-14:])
def test_every_recorded_geodes_item_parses_with_tile_type_size_checksum_and_availability(geodes, name, feature):
    props = feature["properties"]
    key, asset = _data_asset(feature)
    p = geodes.parse_feature(feature, feature["collection"])
    description = parse_description(asset["description"])
    href_md5 = asset["href"].rsplit("/", 1)[1]
    assert p.id == feature["id"] and p.title == props["identifier"]
    assert p.size == description["size"] > 0
    assert p.checksum == href_md5.lower() and len(p.checksum) == 32      # S1 MD5s are upper case: compared lower
    assert p.download_url == asset["href"]                                  # the href as the service wrote it
    assert p.extra["product_type"] == props["product:type"]
    # the description's "Is online" is not a storage state (every PEPS item says false, every THEIA one true)
    assert p.availability is Availability.UNKNOWN
    assert p.acquired == dt.datetime.fromisoformat(props["start_datetime"].replace("Z", "+00:00"))
    if feature["collection"] == "PEPS_S1_L1":
        assert p.tile is None and p.kind.value == "s1"
        assert props["eo:cloud_cover"] == 0.0 and p.cloud_cover is None     # radar: the 0.0 is no measurement
        assert props["product:type"] in ("GRD", "SLC")
        assert ("_GRDH_" in p.title) == (props["product:type"] == "GRD") and ("_SLC_" in p.title) == (
            props["product:type"] == "SLC")
    else:
        assert p.tile == props["grid:code"][1:] and p.tile in p.title
    if feature["collection"] == "THEIA_REFLECTANCE_SENTINEL2_L2A":   # V4-0: identifier without the version
        assert not p.title.endswith("_V4-0") and p.extra["file_name"] == p.title + "_V4-0.zip" == key


def test_recorded_online_flags_are_what_the_notes_say():
    flags = {}
    for name, feature in _recorded_items():
        flags.setdefault(feature["collection"], set()).add(parse_description(_data_asset(feature)[1]["description"])
                                                           ["online"])
    assert flags == {"PEPS_S1_L1": {False}, "PEPS_S2_L1C": {False}, "THEIA_REFLECTANCE_SENTINEL2_L2A": {True}}


def test_recorded_sentinel1_mixes_grd_and_slc_and_slc_sizes_show(geodes):
    items = [geodes.parse_feature(f, "PEPS_S1_L1") for n, f in _recorded_items() if f["collection"] == "PEPS_S1_L1"]
    grd = [p for p in items if p.extra["product_type"] == "GRD"]
    slc = [p for p in items if p.extra["product_type"] == "SLC"]
    assert len(grd) == 21 and len(slc) == 20
    assert min(p.size for p in slc) > 4e9 > 2.1e9 > max(p.size for p in grd)   # SLC ~4.8 GB, GRD ~1-2 GB


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_availability_answer_matches_an_upper_case_href_whatever_the_case(geodes, case):
    feature = next(f for n, f in _recorded_items() if f["collection"] == "PEPS_S1_L1")
    p = geodes.parse_feature(feature, "PEPS_S1_L1")
    answer = [{"id": p.id, "files": [{"checksum": case(p.checksum), "available": True}]}]
    assert geodes._availability_of(p, answer) is Availability.ONLINE


def test_pipeline_names_a_theia_v4_file_after_its_zip(geodes):
    from plugin.core.pipeline import _unique_name
    feature = next(f for n, f in _recorded_items() if f["collection"] == "THEIA_REFLECTANCE_SENTINEL2_L2A")
    p = geodes.parse_feature(feature, feature["collection"])
    assert _unique_name(p, set()) == p.title + "_V4-0.zip"
