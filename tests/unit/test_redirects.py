"""Credentials (X-API-Key, Authorization) reach the configured service only, also across HTTP redirects.

requests forwards custom headers such as X-API-Key to whatever host a redirect names, so a catalogue (or
anything in between) answering a download or an availability request with a redirect to another host would
receive the user's key. Two real local servers: 127.0.0.1 (the service) and `localhost` (another site).
"""
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from plugin.core.download import download_product
from plugin.core.providers.base import DownloadRequest
from plugin.core.providers.http import JsonHttp, same_site

KEY = "k-0123456789-secret"


def _zip_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("MTD.xml", "<x/>" * 100)
    return buf.getvalue()


BODY = _zip_bytes()


class _Server:
    """Records the headers of every request; `routes` maps a path to (status, headers, body)."""

    def __init__(self, host):
        self.seen, self.routes = [], {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                outer.seen.append((self.command, self.path, dict(self.headers)))
                status, headers, body = outer.routes.get(self.path.split("?")[0], (404, {}, b""))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def keys_seen(self):
        return [h.get("X-API-Key") for _, _, h in self.seen]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers():
    service, other = _Server("127.0.0.1"), _Server("localhost")   # two sites for same_site()
    yield service, other
    service.close()
    other.close()


def test_download_redirected_to_another_site_does_not_send_the_key(servers, tmp_path):
    service, other = servers
    service.routes["/download/p1"] = (302, {"Location": f"{other.base}/bucket/p1.zip?sig=1"}, b"")
    other.routes["/bucket/p1.zip"] = (200, {"Content-Type": "application/zip"}, BODY)
    dest = tmp_path / "p1.zip"
    result = download_product(requests.Session(), DownloadRequest(f"{service.base}/download/p1", {"X-API-Key": KEY}),
                              str(dest), expected_size=len(BODY))
    assert result.size == len(BODY) and dest.read_bytes() == BODY
    assert service.keys_seen() == [KEY]          # the service got it ...
    assert other.seen and other.keys_seen() == [None]   # ... the other site never did


def test_download_redirected_within_the_service_keeps_the_key(servers, tmp_path):
    service, _ = servers
    service.routes["/download/p1"] = (307, {"Location": "/store/p1.zip"}, b"")
    service.routes["/store/p1.zip"] = (200, {"Content-Type": "application/zip"}, BODY)
    download_product(requests.Session(), DownloadRequest(f"{service.base}/download/p1", {"X-API-Key": KEY}),
                     str(tmp_path / "p1.zip"), expected_size=len(BODY))
    assert service.keys_seen() == [KEY, KEY]


def test_catalogue_request_redirected_to_another_site_does_not_send_the_key(servers):
    service, other = servers
    service.routes["/fastavailability"] = (307, {"Location": f"{other.base}/fastavailability"}, b"")
    other.routes["/fastavailability"] = (200, {"Content-Type": "application/json"}, json.dumps({"products": []}).encode())
    http = JsonHttp(requests.Session(), "GEODES", "Set the key.", sleep=lambda s: None)
    assert http.request("POST", f"{service.base}/fastavailability", json={"availability": []},
                        headers={"X-API-Key": KEY}) == {"products": []}
    assert service.keys_seen() == [KEY] and other.keys_seen() == [None]
    assert other.seen[0][0] == "POST"   # 307 keeps the method and the body


@pytest.mark.parametrize("url, base, expected", [
    ("https://zipper.dataspace.copernicus.eu/x", "https://download.dataspace.copernicus.eu", True),
    ("https://geodes-portal.cnes.fr/api/download/x", "https://geodes-portal.cnes.fr", True),
    ("http://geodes-portal.cnes.fr/api/download/x", "https://geodes-portal.cnes.fr", False),   # no downgrade
    ("https://evil.example.org/x", "https://geodes-portal.cnes.fr", False),
    ("https://192.168.0.1/x", "https://10.0.0.1", False),
    ("https://evil.ac.uk/x", "https://mirror.univ.ac.uk", False),   # a public suffix is not a site
    ("https://data.univ.ac.uk/x", "https://mirror.univ.ac.uk", True),
    ("https://copernicus.eu.evil.org/x", "https://download.dataspace.copernicus.eu", False),   # IPs: "the last two labels" means nothing
    ("http://127.0.0.1:8001/x", "http://127.0.0.1:8000", False),
])
def test_same_site(url, base, expected):
    assert same_site(url, base) is expected


def test_credentials_are_never_sent_in_clear_text_to_a_remote_host(servers):
    # A mistyped http:// address must not put the API key or the CDSE password on the wire.
    from plugin.core.errors import AuthError
    from plugin.core.providers import Credentials, Endpoints, make_provider
    from plugin.core.models import Availability, Product
    import datetime as dt

    _, other = servers   # http://localhost:port is this computer: allowed (the mirror simulator)
    geodes = make_provider("geodes", Endpoints(geodes="http://geodes-portal.cnes.fr"), Credentials(api_key=KEY),
                           requests.Session())
    p = Product("geodes", "id1", "T", "PEPS_S2_L1C", "S2A", dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc), "31TCJ",
                8, 1.0, 10, None, Availability.OFFLINE, download_url="http://geodes-portal.cnes.fr/api/download/x")
    with pytest.raises(AuthError, match="not https"):
        geodes.availability([p])
    with pytest.raises(AuthError, match="not https"):
        geodes.download_request(p)
    cdse = make_provider("cdse", Endpoints(cdse_auth="http://identity.example.org/token"),
                         Credentials(username="u", password="pw"), requests.Session())
    with pytest.raises(AuthError, match="not https"):
        cdse.refresh_credentials()
    local = make_provider("geodes", Endpoints(geodes=other.base), Credentials(api_key=KEY), requests.Session())
    assert local.download_request(p.__class__(**{**p.__dict__, "download_url": other.base + "/x"})).headers


def test_a_certificate_that_does_not_verify_is_said_plainly_and_not_retried(tmp_path):
    # TLS verification stays on; a self-signed (or proxy-inspected) certificate is a clear, immediate error
    import ssl
    import subprocess
    from plugin.core.errors import RemoteError

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server = _Server("127.0.0.1")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    server.httpd.socket = ctx.wrap_socket(server.httpd.socket, server_side=True)
    server.routes["/p.zip"] = (200, {"Content-Type": "application/zip"}, BODY)
    url = server.base.replace("http://", "https://")
    slept = []
    try:
        with pytest.raises(RemoteError, match="certificate could not be verified") as err:
            download_product(requests.Session(), DownloadRequest(f"{url}/p.zip", {"X-API-Key": KEY}),
                             str(tmp_path / "p.zip"), expected_size=len(BODY), sleep=slept.append)
        assert KEY not in str(err.value) and not slept   # no resume loop on a certificate error
        http = JsonHttp(requests.Session(), "GEODES", "Set the key.", sleep=slept.append)
        with pytest.raises(RemoteError, match="certificate could not be verified"):
            http.request("GET", f"{url}/api/stac")
        assert not slept
    finally:
        server.close()
    assert not (tmp_path / "p.zip").exists()


def test_a_download_request_never_shows_its_credentials_in_repr():
    # reprs end up in tracebacks, assertion messages and "Unexpected error: ..." reasons
    text = repr(DownloadRequest("https://download.example.org/p", {"Authorization": "Bearer T0K3N", "X-API-Key": KEY}))
    assert "T0K3N" not in text and KEY not in text and "download.example.org" in text


class _Hop:
    def __init__(self, status, location=None):
        self.status_code, self.headers = status, ({"Location": location} if location else {})

    def close(self):
        pass


class _ScriptedSession:
    """Answers each URL as scripted and records the headers each one was sent (https hosts, no network)."""

    def __init__(self, routes):
        self.routes, self.seen = routes, []

    def request(self, method, url, headers=None, **kwargs):
        self.seen.append((url, dict(headers or {})))
        return self.routes.get(url, _Hop(200))


def test_the_api_key_never_follows_a_redirect_to_a_sibling_host_but_a_cdse_token_does():
    from plugin.core.providers.http import send_following_redirects
    session = _ScriptedSession({
        "https://geodes-portal.cnes.fr/api/download/x": _Hop(302, "https://other.cnes.fr/x"),
        "https://download.dataspace.copernicus.eu/p": _Hop(302, "https://zipper.dataspace.copernicus.eu/p"),
    })
    send_following_redirects(session, "GET", "https://geodes-portal.cnes.fr/api/download/x",
                             headers={"X-API-Key": KEY})
    send_following_redirects(session, "GET", "https://download.dataspace.copernicus.eu/p",
                             headers={"Authorization": "Bearer T"})
    sent = {url: h for url, h in session.seen}
    assert sent["https://geodes-portal.cnes.fr/api/download/x"].get("X-API-Key") == KEY
    assert "X-API-Key" not in sent["https://other.cnes.fr/x"]           # a sibling host is not the service
    assert sent["https://zipper.dataspace.copernicus.eu/p"].get("Authorization") == "Bearer T"


def test_a_geodes_download_url_on_a_sibling_host_is_refused():
    import datetime as dt
    from plugin.core.errors import MalformedResponseError
    from plugin.core.models import Availability, Product
    from plugin.core.providers import Credentials, Endpoints, make_provider
    geodes = make_provider("geodes", Endpoints(geodes="https://geodes-portal.cnes.fr"), Credentials(api_key=KEY),
                           requests.Session())
    p = Product("geodes", "id1", "T", "PEPS_S2_L1C", "S2A", dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc),
                "31TCJ", 8, 1.0, 10, None, Availability.ONLINE, download_url="https://mirror.cnes.fr/api/download/x")
    with pytest.raises(MalformedResponseError, match="only sent to the configured GEODES address"):
        geodes.download_request(p)
