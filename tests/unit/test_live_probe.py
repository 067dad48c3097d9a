"""The live check's building blocks: nothing secret survives into a report, a zip's member list comes from a few
ranged reads of its central directory, and an exchange never reads more than its byte cap."""
import base64
import io
import json
import struct
import zipfile
from urllib.parse import quote, quote_plus

import pytest

from plugin.core.live_probe import Exchange, Hop, Scrubber, ZipReadError, exchange, json_shape, zip_member_names
from plugin.core.providers import default_session

KEY = "gK7-Api.Key_0123456789abcdef"
PASSWORD = "pa ss&w0rd/+="
USER = "ana.farmer@example.org"
ACCESS = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJl"
REFRESH = "eyJyZWZyZXNoIjoiMSJ9.rrr.sss"
TOTP = "492039"
SECRETS = (KEY, PASSWORD, USER, ACCESS, REFRESH, TOTP)


def _leaky_exchange():
    """Responses with the secrets everywhere a service (or a proxy, or a bug) might echo them."""
    hops = [
        Hop("GET", f"https://geodes.example/api/download/URN/files/abc?apikey={KEY}&page=1",
            {"X-API-Key": KEY, "Authorization": f"Bearer {ACCESS}", "Range": "bytes=0-0",
             "Proxy-Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()},
            status=302, reason="Found",
            headers={"Location": f"https://zipper.example/dl/1?token={ACCESS}&expires=99",
                     "Set-Cookie": f"session={REFRESH}; HttpOnly", "X-Debug": f"key {KEY} seen",
                     "WWW-Authenticate": f'Bearer error="invalid_token", token="{ACCESS}"'},
            body=f"Redirecting to https://zipper.example/dl/1?access_token={quote(ACCESS)}".encode()),
        Hop("GET", f"https://zipper.example/dl/1?token={ACCESS}&expires=99", {"Range": "bytes=0-0"}, status=401,
            reason="Unauthorized", headers={"Content-Type": "application/json"},
            body=json.dumps({"access_token": ACCESS, "refresh_token": REFRESH, "token_type": "Bearer",
                             "detail": f"The key {KEY} is not valid for user {USER}",
                             "echo": {"form": f"username={quote_plus(USER)}&password={quote_plus(PASSWORD)}"
                                              f"&totp={TOTP}&client_id=cdse-public"},
                             "nested": [{"password": PASSWORD, "totp": TOTP, "ok": True}]}).encode()),
    ]
    return Exchange("leaky", hops)


def _scrubber():
    scrub = Scrubber([KEY, PASSWORD, USER, TOTP])
    scrub.add_basic(USER, PASSWORD)
    scrub.add(ACCESS)      # tokens are learnt during the run
    scrub.add(REFRESH)
    return scrub


@pytest.mark.parametrize("raw", [False, True])
def test_no_secret_survives_a_recorded_exchange(raw):
    scrub = _scrubber()
    report = json.dumps(_leaky_exchange().record(scrub, raw=raw))
    for secret in SECRETS:
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            assert form not in report, form
    assert base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode() not in report
    assert not scrub.leaks(report)
    # what the report is for is still there
    assert '"status": 302' in report and '"status": 401' in report and "expires=99" in report
    assert "zipper.example/dl/1" in report and '"token_type": "Bearer"' in report and "bytes=0-0" in report


def test_known_values_are_what_catches_secrets_in_prose():
    """Without the values, patterns alone miss a key echoed in prose: the live check registers every secret."""
    report = json.dumps(_leaky_exchange().record(Scrubber()))
    assert KEY in report and USER in report


def test_secret_fields_are_masked_even_with_values_never_seen():
    """A token the scrubber was not told about still goes: by field name, header name and query parameter."""
    scrub = Scrubber()
    data = scrub.data({"access_token": "unknown-AT", "items": [{"id_token": "unknown-IT", "name": "S2A"}]})
    assert data == {"access_token": "***", "items": [{"id_token": "***", "name": "S2A"}]}
    assert scrub.data({"code": 401, "description": "Invalid or missing API key"}) == \
        {"code": 401, "description": "Invalid or missing API key"}   # an error body stays readable
    assert "unknown-T" not in scrub.text("see https://zipper.example/x?token=unknown-T&a=1")
    signed = scrub.text("https://s3.example/b/k.zip?X-Amz-Security-Token=STS-1&X-Amz-Signature=SIG-1&X-Amz-Expires=60")
    assert "STS-1" not in signed and "SIG-1" not in signed and "X-Amz-Expires=60" in signed
    assert scrub.data({"token_type": "Bearer", "expires_in": 600}) == {"token_type": "Bearer", "expires_in": 600}
    assert scrub.headers({"Authorization": "Bearer unknown", "X-API-Key": "k", "Accept": "*/*"}) == \
        {"Authorization": "***", "X-API-Key": "***", "Accept": "*/*"}
    assert scrub.text("Authorization: Bearer unknown-B") == "Authorization: Bearer ***"


def test_prose_keeps_its_meaning():
    scrub = Scrubber([KEY])
    assert scrub.text(f"Invalid API key {KEY}. Create a new one.") == "Invalid API key ***. Create a new one."


def test_json_shape_keeps_structure_not_data():
    shape = json_shape({"products": [{"id": "URN:X", "files": [{"checksum": "AB12", "available": False}]}]})
    assert shape == {"products": {"list": 1, "of": {"id": "str", "files": {"list": 1, "of": {
        "checksum": "str", "available": "bool"}}}}}


# --- zip member list from ranged reads ---------------------------------------------------------------------------
def _zip_bytes(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(n, (n * 50).encode())
    return buf.getvalue()


def _as_zip64(data):
    """The same archive with a ZIP64 end record and locator, and the classic record's fields set to 'see ZIP64'."""
    at = data.rfind(b"PK\x05\x06")
    _, disk, cd_disk, n_disk, n, cd_size, cd_offset, clen = struct.unpack("<4sHHHHIIH", data[at:at + 22])
    eocd64 = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, n_disk, n, cd_size, cd_offset)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, at, 1)
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, clen)
    return data[:at] + eocd64 + locator + eocd + data[at + 22:]


NAMES = ["SENTINEL2A_X_C_V4-0/", "SENTINEL2A_X_C_V4-0/SENTINEL2A_X_C_V4-0_FRE_B4.tif",
         "SENTINEL2A_X_C_V4-0/DATA/SENTINEL2A_X_C_V4-0_MTD_ALL.xml", "SENTINEL2A_X_C_V4-0/MASKS/é_CLM_R1.tif"]


@pytest.mark.parametrize("zip64", [False, True])
def test_member_names_from_the_central_directory(zip64):
    data = _as_zip64(_zip_bytes(NAMES)) if zip64 else _zip_bytes(NAMES)
    if zip64:
        assert zipfile.ZipFile(io.BytesIO(data)).namelist() == NAMES   # the crafted ZIP64 is a valid zip
    reads = []

    def read_range(start, end):
        reads.append((start, end))
        return data[start:end + 1]

    assert zip_member_names(read_range, len(data)) == NAMES
    assert len(reads) == (3 if zip64 else 2)


def test_member_names_read_only_the_end_of_a_big_zip():
    # a zip whose member is 5 MB of zeros (stored): the reader fetches the last 64 kB and the directory only
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("big.bin", b"\0" * (5 * 2**20))
        z.writestr("DATA/x_MTD_ALL.xml", b"<x/>")
    body = buf.getvalue()
    fetched = []
    names = zip_member_names(lambda s, e: fetched.append(e - s + 1) or body[s:e + 1], len(body))
    assert names == ["big.bin", "DATA/x_MTD_ALL.xml"] and sum(fetched) < 70_000


def test_not_a_zip_is_said_plainly():
    with pytest.raises(ZipReadError, match="not a zip"):
        zip_member_names(lambda s, e: b"<html>quota exceeded</html>"[s:e + 1], 27)


# --- bounded exchanges, against the simulator -------------------------------------------------------------------
def test_exchange_reads_no_more_than_its_cap(simulator):
    product = next(p for p in simulator.products_of("geodes") if p.online)
    ex = exchange(default_session("test"), "GET", product.download_url, name="capped", body_cap=1000,
                  headers={"X-API-Key": simulator.config.api_key})
    assert ex.status == 200 and len(ex.last.body) == 1000 and not ex.last.body_complete
    assert ex.last.body == open(product.path, "rb").read(1000)


def test_exchange_records_a_network_failure_instead_of_raising():
    ex = exchange(default_session("test"), "GET", "http://127.0.0.1:9/nothing", name="down", timeout=(2, 2))
    assert ex.status is None and "ConnectionError" in ex.last.error
