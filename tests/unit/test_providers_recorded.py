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
    assert p.availability is Availability.OFFLINE and not p.online
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
