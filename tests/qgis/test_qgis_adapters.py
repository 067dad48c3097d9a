"""The thin QGIS adapters: settings <-> PluginConfig, authcfg -> Credentials, proxy -> Session, extent -> BBox."""
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

from plugin.about import USER_AGENT
from plugin.core.config import PluginConfig
from plugin.core.errors import InvalidInputError
from plugin.core.providers.base import Endpoints
from plugin.qgis import geo, http, settings

from .sm_support import clean_settings  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def test_settings_round_trip_keeps_ids_not_secrets(clean_settings):
    assert settings.read_settings() == PluginConfig()  # nothing stored: the dataclass defaults
    config = replace(PluginConfig(), endpoints=Endpoints(geodes="https://mirror.example.org/geodes"),
                     download_dir="/data/s2", parallel_downloads=3, poll_interval_s=7.0,
                     staging_timeout_s=1800.0, geodes_authcfg="abc1234", cdse_authcfg="def5678")
    settings.save_settings(config)
    assert settings.read_settings() == config
    stored = {k: str(clean_settings.value(k)) for k in clean_settings.allKeys() if k.startswith("sentinel_mirror/")}
    assert stored["sentinel_mirror/geodes_authcfg"] == "abc1234"
    assert not [k for k in stored if any(w in k for w in ("password", "key", "token", "secret"))]


def test_env_overrides_apply_on_load_but_are_never_saved(clean_settings):
    env = {"SENTINEL_MIRROR_GEODES_URL": "http://127.0.0.1:9/geodes/"}
    loaded = settings.load_config(environ=env)
    assert loaded.endpoints.geodes == "http://127.0.0.1:9/geodes"
    settings.save_settings(settings.read_settings())
    assert clean_settings.value("sentinel_mirror/url_geodes") == Endpoints().geodes


def test_junk_in_settings_falls_back_to_defaults(clean_settings):
    clean_settings.setValue("sentinel_mirror/parallel_downloads", "many")
    assert settings.read_settings().parallel_downloads == PluginConfig().parallel_downloads


def test_session_has_user_agent_tls_and_qgis_proxy(clean_settings):
    s = http.build_session()
    assert s.headers["User-Agent"] == USER_AGENT and s.verify is True and not s.proxies
    clean_settings.setValue("proxy/proxyEnabled", True)
    clean_settings.setValue("proxy/proxyType", "HttpProxy")
    clean_settings.setValue("proxy/proxyHost", "proxy.example.org")
    clean_settings.setValue("proxy/proxyPort", "3128")
    clean_settings.setValue("proxy/proxyUser", "me@example.org")
    clean_settings.setValue("proxy/proxyPassword", "p@ss:word")
    clean_settings.setValue("proxy/proxyExcludedUrls", ["http://localhost:8080/", "https://127.0.0.1/geodes"])
    s = http.build_session()
    assert s.proxies["https"] == "http://me%40example.org:p%40ss%3Aword@proxy.example.org:3128"
    assert s.proxies["no_proxy"] == "localhost,127.0.0.1"
    assert s.verify is True


def _osr_bounds(rect, epsg, steps=50):
    """Independent reference: GDAL/OSR transform of the densified rectangle edges."""
    from osgeo import osr

    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(epsg)
    dst.ImportFromEPSG(4326)
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    t = osr.CoordinateTransformation(src, dst)
    x0, y0, x1, y1 = rect
    pts = [(x0 + (x1 - x0) * i / steps, y) for i in range(steps + 1) for y in (y0, y1)]
    pts += [(x, y0 + (y1 - y0) * i / steps) for i in range(steps + 1) for x in (x0, x1)]
    lonlat = [t.TransformPoint(x, y)[:2] for x, y in pts]
    return (min(p[0] for p in lonlat), min(p[1] for p in lonlat), max(p[0] for p in lonlat),
            max(p[1] for p in lonlat))


def test_utm_extent_becomes_lonlat_bbox(qgis_app):
    rect = (300000, 4790200, 409800, 4900000)  # tile 31TCJ (Toulouse) in UTM 31N
    bbox = geo.extent_to_bbox(QgsRectangle(*rect), QgsCoordinateReferenceSystem("EPSG:32631"))
    ref = _osr_bounds(rect, 32631)
    assert (bbox.west, bbox.south, bbox.east, bbox.north) == pytest.approx(ref, abs=1e-4)
    assert bbox.west < 1.44 < bbox.east and bbox.south < 43.60 < bbox.north  # Toulouse is inside


def test_extent_across_the_antimeridian(qgis_app):
    # UTM 60S strip that reaches past 180°E (Fiji)
    bbox = geo.extent_to_bbox(QgsRectangle(700000, 8000000, 900000, 8100000),
                              QgsCoordinateReferenceSystem("EPSG:32760"))
    assert bbox.crosses_antimeridian and bbox.west > 178 and bbox.east < -179


def test_empty_or_crs_less_extent_is_refused(qgis_app):
    with pytest.raises(InvalidInputError, match="empty"):
        geo.extent_to_bbox(QgsRectangle(), QgsCoordinateReferenceSystem("EPSG:4326"))
    with pytest.raises(InvalidInputError, match="coordinate reference system"):
        geo.extent_to_bbox(QgsRectangle(0, 0, 1, 1), QgsCoordinateReferenceSystem())


AUTH_PROBE = textwrap.dedent("""
    import json, sys
    from qgis.core import QgsApplication, QgsAuthMethodConfig
    app = QgsApplication([], False); app.initQgis()
    from plugin.qgis.auth import credentials_for
    from plugin.core.errors import AuthError
    am = QgsApplication.authManager()
    assert am.setMasterPassword("master-for-tests", True), "could not set the master password"
    def basic(name, user, password):
        c = QgsAuthMethodConfig("Basic"); c.setName(name)
        c.setConfig("username", user); c.setConfig("password", password)
        assert am.storeAuthenticationConfig(c)[0]
        return c.id()
    out = {}
    g = basic("GEODES", "apikey", "KEY-123 secret")
    c = basic("CDSE", "user@example.org", "pa ss&1")
    e = basic("empty", "apikey", "")
    out["geodes"] = credentials_for("geodes", g, environ={}).api_key
    cd = credentials_for("cdse", c, environ={})
    out["cdse"] = [cd.username, cd.password]
    out["repr_hides"] = "pa ss&1" not in repr(cd)
    out["env"] = credentials_for("geodes", "", environ={"SENTINEL_MIRROR_GEODES_API_KEY": "ENVKEY"}).api_key
    for label, args in (("missing", ("geodes", "nope123")), ("empty", ("geodes", e))):
        try:
            credentials_for(*args, environ={}); out[label] = None
        except AuthError as err:
            out[label] = str(err)
    print("RESULT" + json.dumps(out))
    app.exitQgis()
""")


def test_authcfg_resolution_in_a_real_auth_db(tmp_path):
    env = {**os.environ, "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "profile"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", AUTH_PROBE], env=env, capture_output=True, text=True, timeout=60)
    line = [x for x in run.stdout.splitlines() if x.startswith("RESULT")]
    assert run.returncode == 0 and line, run.stderr[-2000:]
    out = json.loads(line[0][len("RESULT"):])
    assert out["geodes"] == "KEY-123 secret"
    assert out["cdse"] == ["user@example.org", "pa ss&1"] and out["repr_hides"]
    assert out["env"] == "ENVKEY"
    assert "does not exist" in out["missing"] and "Settings > Options > Sentinel Mirror" in out["missing"]
    assert "empty password" in out["empty"]
    # the secrets live encrypted in the auth DB, not in the profile's settings
    ini = list((tmp_path / "profile").rglob("*.ini"))
    assert all("KEY-123" not in p.read_text(errors="ignore") for p in ini)


def test_requests_really_go_through_the_qgis_proxy(clean_settings):
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            seen.append((self.path, self.headers.get("Proxy-Authorization"), self.headers.get("User-Agent")))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        clean_settings.setValue("proxy/proxyEnabled", True)
        clean_settings.setValue("proxy/proxyType", "HttpProxy")
        clean_settings.setValue("proxy/proxyHost", "127.0.0.1")
        clean_settings.setValue("proxy/proxyPort", str(server.server_address[1]))
        clean_settings.setValue("proxy/proxyUser", "me")
        clean_settings.setValue("proxy/proxyPassword", "s3cret")
        session = http.build_session()
        assert session.get("http://catalogue.example.invalid/api/stac/search", timeout=5).text == "ok"
    finally:
        server.shutdown()
    path, auth, agent = seen[0]
    assert path == "http://catalogue.example.invalid/api/stac/search"
    assert auth == "Basic " + base64.b64encode(b"me:s3cret").decode() and agent == USER_AGENT


def test_explicit_authcfg_wins_over_the_options_page_choice():
    from plugin.qgis.catalogue import authcfg_for

    config = replace(PluginConfig(), geodes_authcfg="fromopt", cdse_authcfg="cdseopt")
    assert authcfg_for("geodes", config, "") == "fromopt"
    assert authcfg_for("cdse", config, " explicit ") == "explicit"
    assert authcfg_for("geodes", PluginConfig(), "") == ""  # then the environment fallbacks apply


def test_unexpected_error_shown_to_the_user_hides_credentials():
    # urllib3 quotes a malformed proxy URL, credentials included, in its error text
    from plugin.qgis.messages import user_message
    from plugin.core.errors import RemoteError
    text = user_message(ValueError("Failed to parse: http://ana:pw-s3cret@proxy.farm.fr:3128"))
    assert "pw-s3cret" not in text and "proxy.farm.fr" in text and "ValueError" in text
    assert "k-123" not in user_message(RemoteError("GEODES said: X-API-Key: k-123 refused"))


def test_excluded_urls_bypass_the_qgis_proxy(clean_settings):
    # requests ignores no_proxy for explicit proxies: an excluded intranet mirror must still be reached directly
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    def server(tag, seen):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                seen.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", str(len(tag)))
                self.end_headers()
                self.wfile.write(tag)

            def log_message(self, *args):
                pass
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd

    via_proxy, direct = [], []
    proxy, mirror = server(b"proxy", via_proxy), server(b"mirror", direct)
    port = mirror.server_address[1]
    try:
        clean_settings.setValue("proxy/proxyEnabled", True)
        clean_settings.setValue("proxy/proxyType", "HttpProxy")
        clean_settings.setValue("proxy/proxyHost", "127.0.0.1")
        clean_settings.setValue("proxy/proxyPort", str(proxy.server_address[1]))
        clean_settings.setValue("proxy/proxyExcludedUrls", [f"http://127.0.0.1:{port}/mirror"])
        session = http.build_session()
        assert session.get(f"http://127.0.0.1:{port}/mirror/api/stac/search", timeout=5).text == "mirror"
        assert session.get("http://catalogue.example.invalid/api", timeout=5).text == "proxy"
    finally:
        proxy.shutdown()
        mirror.shutdown()
    assert direct == ["/mirror/api/stac/search"] and via_proxy == ["http://catalogue.example.invalid/api"]


def test_nonsense_in_the_settings_file_cannot_make_the_pipeline_hammer_the_catalogue():
    from plugin.qgis.catalogue import pipeline_options

    junk = replace(PluginConfig(), poll_interval_s=0.0, poll_interval_max_s=-5.0, parallel_downloads=0,
                   staging_timeout_s=0.0)
    opts = pipeline_options(junk)
    assert opts.poll_interval_s >= 1.0 and opts.poll_interval_max_s >= opts.poll_interval_s
    assert opts.max_connections >= 1 and opts.watch_s >= 60.0
    assert pipeline_options(junk, poll_interval_s=0.2).poll_interval_s == 0.2   # explicit overrides stay


def test_field_types_are_the_ones_this_qgis_expects():
    """QVariant.Type up to QGIS 3.36, QMetaType.Type from 3.38 (the only one Qt6 has): a layer built with them
    gets fields of the intended types."""
    from qgis.core import QgsField, QgsVectorLayer

    from plugin.qgis import compat

    want = {"STRING": "string", "INT": "integer", "LONG_LONG": "int8", "DOUBLE": "double", "BOOL": "boolean",
            "DATETIME": "datetime"}
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "types", "memory")
    assert layer.dataProvider().addAttributes([QgsField(name.lower(), getattr(compat, name)) for name in want])
    layer.updateFields()
    assert {f.name(): f.typeName() for f in layer.fields()} == {name.lower(): t for name, t in want.items()}
