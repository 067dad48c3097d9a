"""Catalogue answers that no real service sends: every one ends in one sentence, "sent a malformed answer".

An answer that never ends is read up to a cap (checked in a child process under a memory limit: without the
cap it grew until the process was killed); JSON nested deep enough to exhaust the parser's recursion, and
fields of the wrong type, are malformed answers, never a RecursionError or a ValueError with a traceback.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from plugin.core.errors import MalformedResponseError
from plugin.core.models import SearchQuery
from plugin.core.providers.base import Credentials, Endpoints
from plugin.core.providers.cdse import CdseProvider
from plugin.core.providers.geodes import GeodesProvider
from plugin.core.providers.http import RetryPolicy

ROOT = Path(__file__).resolve().parents[2]


def _geodes(sim):
    return GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=sim.config.api_key),
                          requests.Session(), sleep=lambda s: None, policy=RetryPolicy(attempts=1))


def _cdse(sim):
    return CdseProvider(Endpoints(cdse=sim.cdse_url, cdse_auth=sim.cdse_auth_url, cdse_download=sim.cdse_url),
                        Credentials(), requests.Session(), sleep=lambda s: None, policy=RetryPolicy(attempts=1))


def _query(sim, provider):
    collection = "PEPS_S2_L1C" if provider == "geodes" else "sentinel-2-l1c"
    return SearchQuery(provider, collection, sim.config.start, sim.config.end, tile="31TCJ")


@pytest.mark.parametrize("provider", ["geodes", "cdse"])
def test_deeply_nested_json_is_a_malformed_answer(simulator, provider):
    simulator.inject("nested_json", endpoint="search")
    client = _geodes(simulator) if provider == "geodes" else _cdse(simulator)
    with pytest.raises(MalformedResponseError, match="sent a malformed answer to the search .*nested too deeply"):
        client.search(_query(simulator, provider))


@pytest.mark.parametrize("provider", ["geodes", "cdse"])
def test_a_field_of_the_wrong_type_is_a_malformed_answer(simulator, provider):
    client = _geodes(simulator) if provider == "geodes" else _cdse(simulator)
    good = requests.post(f"{simulator.geodes_url}/api/stac/search", json=client.search_body(
        _query(simulator, provider))).json() if provider == "geodes" else requests.get(
        f"{simulator.cdse_url}/odata/v1/Products", params=client.search_params(_query(simulator, provider))).json()
    if provider == "geodes":
        good["features"][0]["properties"]["eo:cloud_cover"] = "cloudy"
    else:
        good["value"][0]["Attributes"] = [{"Name": "cloudCover", "Value": {"not": "a number"}}]
    simulator.inject("malformed", endpoint="search", body=good)
    with pytest.raises(MalformedResponseError, match="sent a malformed answer to the search"):
        client.search(_query(simulator, provider))


CHILD = """
import resource, sys
import requests
from plugin.core.models import SearchQuery
from plugin.core.providers.base import Credentials, Endpoints
from plugin.core.providers.geodes import GeodesProvider
from plugin.core.providers.http import RetryPolicy
import datetime as dt
size_kb = [int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmSize:")][0]
limit = size_kb * 1024 + 768 * 2**20        # what the process needs now, and 768 MB more
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
client = GeodesProvider(Endpoints(geodes=sys.argv[1]), Credentials(), requests.Session(),
                        policy=RetryPolicy(attempts=1))
try:
    client.search(SearchQuery("geodes", "PEPS_S2_L1C", dt.date(2023, 6, 1), dt.date(2023, 7, 1), tile="31TCJ"))
except Exception as e:
    print("ERROR", type(e).__name__, e)
"""


def test_an_endless_search_answer_ends_with_a_clear_message_under_a_memory_limit(simulator):
    simulator.inject("endless_json", endpoint="search")
    child = subprocess.run([sys.executable, "-c", CHILD, simulator.geodes_url], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.startswith("ERROR MalformedResponseError GEODES sent a malformed answer to the search: more "
                                   "than 64 MB"), child.stdout
    assert "Traceback" not in child.stdout + child.stderr


@pytest.mark.parametrize("provider", ["geodes", "cdse"])
def test_a_line_break_in_a_title_cannot_forge_log_lines(simulator, provider, caplog):
    import logging
    caplog.set_level(logging.INFO)
    client = _geodes(simulator) if provider == "geodes" else _cdse(simulator)
    query = _query(simulator, provider)
    forged = "S2A_REAL\nWARNING sentinel_mirror: Your API key is k-forged\u2028and more"
    if provider == "geodes":
        answer = requests.post(f"{simulator.geodes_url}/api/stac/search", json=client.search_body(query)).json()
        answer["features"][0]["properties"]["identifier"] = forged
    else:
        answer = requests.get(f"{simulator.cdse_url}/odata/v1/Products", params=client.search_params(query)).json()
        answer["value"][0]["Name"] = forged
    simulator.inject("malformed", endpoint="search", body=answer)
    titles = [p.title for p in client.search(query)]
    assert not any(c in t for t in titles for c in "\n\r\u2028")
    logging.getLogger("sentinel_mirror").warning("%s failed", titles[0])
    assert [r.getMessage().count("\n") for r in caplog.records] == [0] * len(caplog.records)


def test_a_search_answer_that_breaks_off_midway_is_asked_again():
    import json as json_mod
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from plugin.core.providers.http import JsonHttp
    calls = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            calls.append(self.path)
            body = json_mod.dumps({"value": list(range(5000))}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body if len(calls) > 1 else body[:len(body) // 2])   # the first answer breaks off
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, *args):
            pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        http = JsonHttp(requests.Session(), "CDSE", "hint", sleep=lambda s: None)
        assert http.request("GET", f"http://127.0.0.1:{server.server_address[1]}/x")["value"][-1] == 4999
        assert len(calls) == 2
    finally:
        server.shutdown()
        server.server_close()
