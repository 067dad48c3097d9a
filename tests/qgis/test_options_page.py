"""Settings > Options > Sentinel Mirror: shows the stored settings, writes back what the user edits (ids only)."""
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from plugin.core.config import PluginConfig
from plugin.core.providers.base import Endpoints
from plugin.qgis import settings

from .sm_support import clean_settings, sim_env, wait_for  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def test_page_round_trip(clean_settings):  # noqa: F811
    from plugin.gui.options_factory import OptionsFactory
    from plugin.gui.options_page import OptionsPage

    stored = replace(PluginConfig(), download_dir="/data/s2", parallel_downloads=2, poll_interval_s=30.0,
                     staging_timeout_s=7200.0, geodes_authcfg="geo1234", cdse_authcfg="cds5678",
                     endpoints=Endpoints(geodes="https://mirror.example.org"))
    settings.save_settings(stored)
    page = OptionsPage()
    f = page.form
    assert (f.downloadDir.filePath(), f.parallelDownloads.value(), f.geodesUrl.text()) == \
        ("/data/s2", 2, "https://mirror.example.org")
    assert f.stagingTimeout.value() == 2.0  # shown in hours
    f.parallelDownloads.setValue(6)
    f.stagingTimeout.setValue(0.5)
    f.cdseUrl.setText("")                    # emptied: back to the official service
    f.resetUrls.click()
    page.apply()
    saved = settings.read_settings()
    # ids of configurations missing from the auth DB are not kept: the selector shows "No authentication"
    assert saved == replace(stored, parallel_downloads=6, staging_timeout_s=1800.0, endpoints=Endpoints(),
                            geodes_authcfg="", cdse_authcfg="")
    assert OptionsFactory().title() == "Sentinel Mirror"


def test_new_settings_and_tape_watch_wording(clean_settings):  # noqa: F811
    from plugin.gui.options_page import OptionsPage

    settings.save_settings(replace(PluginConfig(), geodes_max_connections=5, cdse_keep_all_baselines=True))
    page = OptionsPage()
    f = page.form
    assert (f.geodesMaxConnections.value(), f.cdseKeepAllBaselines.isChecked()) == (5, True)
    assert (f.geodesMaxConnections.minimum(), f.geodesMaxConnections.maximum()) == (1, 8)
    assert "only the newest" in f.cdseKeepAllBaselines.text()
    assert f.pollLabel.text().startswith("Check ordered tape products every")
    assert "backing off to" in f.pollMaxLabel.text() and f.timeoutLabel.text() == "Stop watching after"
    f.geodesMaxConnections.setValue(2)
    f.cdseKeepAllBaselines.setChecked(False)
    page.apply()
    saved = settings.read_settings()
    assert (saved.geodes_max_connections, saved.cdse_keep_all_baselines) == (2, False)


# --- Test connection, against the simulator ---------------------------------------------------------------------
def _verdict(page, service, timeout=30.0):
    """Click the service's Test connection button; the verdict once the button is usable again."""
    button = getattr(page.form, f"{service}Test")
    label = getattr(page.form, f"{service}Verdict")
    button.click()
    assert not button.isEnabled() and "testing" in label.text()   # the dialog stays usable meanwhile
    wait_for(lambda: button.isEnabled(), timeout)
    return label.text()


@pytest.fixture
def page(clean_settings):  # noqa: F811
    from plugin.gui.options_page import OptionsPage

    return OptionsPage()


def test_good_credentials_pass_every_step(page, simulator, sim_env):
    sim_env(simulator)
    assert _verdict(page, "geodes") == "GEODES: search OK, API key accepted, availability answered (1 item, online)."
    assert _verdict(page, "cdse") == \
        "CDSE: search OK, login accepted (token received), availability answered (1 item, online)."
    assert simulator.stats.count("download") == 1   # GEODES: one keyed one-byte request, nothing downloaded
    assert sum(simulator.stats.bytes_served.values()) <= 1


def test_wrong_credentials_say_what_to_do(page, simulator, sim_env):
    sim_env(simulator, SENTINEL_MIRROR_GEODES_API_KEY="not-the-key", SENTINEL_MIRROR_CDSE_PASSWORD="wrong")
    text = _verdict(page, "geodes")
    assert text.startswith("GEODES: search OK; the API key was refused (401): create a new key in your GEODES user "
                           "settings") and "authentication configuration" in text
    text = _verdict(page, "cdse")
    assert text.startswith("CDSE: search OK; the login was refused (401): check the username")
    assert "not-the-key" not in text and "wrong" not in text


def test_missing_key_is_reported_not_sent(page, simulator, sim_env, monkeypatch):
    sim_env(simulator)
    monkeypatch.delenv("SENTINEL_MIRROR_GEODES_API_KEY")
    assert "no API key chosen" in _verdict(page, "geodes")
    assert simulator.stats.count("download") == 0


def test_unreachable_host(page, monkeypatch):
    import socket

    with socket.socket() as s:       # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("SENTINEL_MIRROR_GEODES_URL", f"http://127.0.0.1:{port}/geodes")
    text = _verdict(page, "geodes")
    assert text.startswith("GEODES: not reachable: the search failed (ConnectionError)") and "address" in text


def test_service_error(page, simulator, sim_env):
    sim_env(simulator)
    simulator.inject("503", endpoint="geodes.search")
    assert _verdict(page, "geodes") == ("GEODES: the search failed with a service error (HTTP 503): the service has "
                                        "trouble; test again later.")


def test_closing_the_page_cancels_a_test_at_once(page, simulator, sim_env):
    import time

    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    from plugin.gui import options_page

    sim_env(simulator)
    simulator.inject("timeout", endpoint="geodes.search", delay_s=20)   # the search hangs
    page.form.geodesTest.click()
    task = page.tests["geodes"]
    wait_for(lambda: task.status() == task.TaskStatus.Running)
    time.sleep(0.3)                       # the request is in flight
    started = time.monotonic()
    page.deleteLater()                    # what the Options dialog does when it closes
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)   # processEvents() leaves those
    wait_for(lambda: task not in QgsApplication.taskManager().tasks() or task.status() in
             (task.TaskStatus.Complete, task.TaskStatus.Terminated), timeout=10)
    assert time.monotonic() - started < 5   # not the 20 s of the hung request, nor the 20 s read timeout
    wait_for(lambda: not options_page._ENDING_TESTS, timeout=5)


AUTHCFG_PROBE = textwrap.dedent("""
    import json, sys
    from qgis.core import QgsApplication, QgsAuthMethodConfig
    from qgis.PyQt.QtCore import QCoreApplication
    app = QgsApplication([], True); app.initQgis()
    am = QgsApplication.authManager()
    assert am.setMasterPassword("master-for-tests", True)
    config = QgsAuthMethodConfig("Basic"); config.setName("GEODES key")
    config.setConfig("username", "apikey"); config.setConfig("password", sys.argv[1])
    assert am.storeAuthenticationConfig(config)[0]
    from plugin.gui.options_page import OptionsPage
    from tests.qgis.sm_support import wait_for
    page = OptionsPage()
    page.form.geodesAuth.setConfigId(config.id())      # chosen on the page, not yet applied
    page.form.geodesTest.click()
    wait_for(page.form.geodesTest.isEnabled, 30)
    print("VERDICT" + json.dumps(page.form.geodesVerdict.text()))
    app.exitQgis()
""")


@pytest.mark.parametrize("key, verdict", [
    ("good", "GEODES: search OK, API key accepted, availability answered (1 item, online)."),
    ("wrong-key-in-the-auth-db", "GEODES: search OK; the API key was refused (401)"),
])
def test_the_key_chosen_on_the_page_is_the_one_tested(simulator, tmp_path, key, verdict):
    """The authcfg picked in the selector (not the environment, not the saved settings) is resolved and used."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTINEL_MIRROR_")}
    env.update({k: v for k, v in simulator.env().items() if k.endswith("_URL")},   # no key in the environment
               QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    secret = simulator.config.api_key if key == "good" else key
    run = subprocess.run([sys.executable, "-c", AUTHCFG_PROBE, secret], env=env, capture_output=True, text=True,
                         timeout=120, cwd=str(ROOT))
    line = [x for x in run.stdout.splitlines() if x.startswith("VERDICT")]
    assert run.returncode == 0 and line, run.stdout[-2000:] + run.stderr[-2000:]
    text = json.loads(line[0][len("VERDICT"):])
    assert text.startswith(verdict) and secret not in text
