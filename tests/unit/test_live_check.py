"""The "Test connection" verdicts (plugin/core/live_check.py) for the cases the options page tests do not cover: a
key answered by a redirect loop (GEODES' way with an outdated key), a search that finds nothing, a service that is
not a catalogue, a cancel. Against the simulator (a real HTTP server)."""
import pytest
import requests

from plugin.core.config import PluginConfig, with_env_overrides
from plugin.core.errors import Cancelled
from plugin.core.live_check import check_connection
from plugin.core.progress import CallbackProgress
from plugin.core.providers import Credentials, default_session


class _LoopOnWrongKey(requests.adapters.HTTPAdapter):
    """Answers a download request carrying a wrong key with a redirect to itself, as GEODES does (pyGeodes'
    troubleshooting: 'Exceeded 30 redirects' means an outdated or wrong key); everything else goes to the server."""

    def __init__(self, good_key):
        super().__init__()
        self.good_key, self.loops = good_key, 0

    def send(self, request, **kwargs):
        if "/api/download/" in request.url and request.headers.get("X-API-Key") != self.good_key:
            self.loops += 1
            response = requests.Response()
            response.status_code, response.url, response.request = 302, request.url, request
            response.headers["Location"] = request.url
            response.raw = None
            response._content = b""
            return response
        return super().send(request, **kwargs)


def _endpoints(sim):
    return with_env_overrides(PluginConfig(), sim.env()).endpoints


def test_a_redirect_loop_is_a_refused_key(simulator):
    session = default_session("test")
    adapter = _LoopOnWrongKey(simulator.config.api_key)
    session.mount("http://", adapter)
    verdict = check_connection("geodes", _endpoints(simulator), Credentials(api_key="old-key-42"), session)
    assert not verdict.ok and adapter.loops > 1
    assert "the API key was refused (GEODES redirected in a loop" in verdict.text
    assert "create a new key in your GEODES user settings" in verdict.text and "old-key-42" not in verdict.text


def test_a_search_that_finds_nothing_says_so(simulator):
    simulator.inject("malformed", endpoint="geodes.search", body={"type": "FeatureCollection", "features": []})
    verdict = check_connection("geodes", _endpoints(simulator), Credentials(api_key=simulator.config.api_key),
                               default_session("test"))
    assert verdict.text == "GEODES: search OK but it found no product to test the rest on."


def test_something_else_at_the_address(simulator):
    simulator.inject("non_json", endpoint="cdse.search", body="<html>Welcome to nginx</html>")
    verdict = check_connection("cdse", _endpoints(simulator), Credentials(), default_session("test"))
    assert verdict.text.startswith("CDSE: the search answer is not JSON (text/html")
    assert simulator.stats.count("token") == 0   # nothing else is tried


def test_cancel_between_steps(simulator):
    asked = []
    progress = CallbackProgress(is_cancelled=lambda: asked.append(1) or len(asked) > 1)
    with pytest.raises(Cancelled):
        check_connection("cdse", _endpoints(simulator), Credentials(username="u", password="p"),
                         default_session("test"), progress)
    assert simulator.stats.count("search") == 1 and simulator.stats.count("token") == 0
