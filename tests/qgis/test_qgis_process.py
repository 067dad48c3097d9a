"""qgis_process (Debian 3.22: qgis_process.bin, the wrapper is broken) runs our algorithm from the installed plugin."""
import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from qgis.core import QgsVectorLayer

from .sm_support import expected

ROOT = Path(__file__).resolve().parents[2]
QGIS_PROCESS = shutil.which("qgis_process.bin")


@pytest.fixture
def installed_plugin(tmp_path):
    """A plugin folder holding `sentinel_mirror` -> this checkout, and a fresh profile with the plugin enabled."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "sentinel_mirror").symlink_to(ROOT, target_is_directory=True)
    env = {**os.environ, "QGIS_PLUGINPATH": str(plugins), "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "profile"),
           "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([QGIS_PROCESS, "plugins", "enable", "sentinel_mirror"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    return env


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin comes with the QGIS desktop package")
def test_qgis_process_runs_search(installed_plugin, simulator, tmp_path):
    env = {**installed_plugin, **simulator.env()}
    out = tmp_path / "footprints.gpkg"
    run = subprocess.run([QGIS_PROCESS, "--json", "run", "sentinelmirror:search", "--", "PROVIDER=0",
                          "COLLECTION=0", "TILE=31TCJ", "START=2023-06-01", "END=2023-06-30", "MAX_CLOUD=50",
                          f"OUTPUT={out}"], env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    result = json.loads(run.stdout[run.stdout.index("{"):])
    assert result["results"]["OUTPUT"] == str(out)
    layer = QgsVectorLayer(str(out), "fp", "ogr")
    assert layer.featureCount() == len(expected(simulator, max_cloud=50)) > 0


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin comes with the QGIS desktop package")
def test_qgis_process_error_is_a_plain_message(installed_plugin, simulator, tmp_path):
    env = {**installed_plugin, **simulator.env()}
    run = subprocess.run([QGIS_PROCESS, "run", "sentinelmirror:search", "--", "TILE=31TCJ", "START=2023-06-02",
                          "END=2023-06-03", f"OUTPUT={tmp_path / 'x.gpkg'}"], env=env, capture_output=True,
                         text=True, timeout=180)
    assert run.returncode != 0
    assert "No product found" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin comes with the QGIS desktop package")
def test_qgis_process_runs_the_shipped_model(installed_plugin, simulator, tmp_path):
    env = {**installed_plugin, **simulator.env()}
    run = subprocess.run([QGIS_PROCESS, "--json", "run", "sentinelmirror:tile_ndvi_time_series", "--",
                          "TILE=31TCJ", "START=2023-06-01", "END=2023-06-12", "MAX_CLOUD=100",
                          f"search:Footprints={tmp_path / 'fp.gpkg'}", f"download:Products folder={tmp_path / 'dl'}",
                          f"download:Download report={tmp_path / 'report.gpkg'}",
                          f"ndvi:NDVI folder={tmp_path / 'ndvi'}"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    want = expected(simulator, end=dt.date(2023, 6, 12))
    assert sorted(p.name for p in (tmp_path / "ndvi").glob("*_NDVI.tif")) == sorted(f"{p.built_title}_NDVI.tif"
                                                                                     for p in want)


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process.bin comes with the QGIS desktop package")
def test_qgis_process_never_prints_a_key_the_server_echoes(installed_plugin, simulator, tmp_path):
    from urllib.parse import quote
    env = {**installed_plugin, **simulator.env()}
    footprints, report = tmp_path / "fp.gpkg", tmp_path / "report.gpkg"
    search = subprocess.run([QGIS_PROCESS, "run", "sentinelmirror:search", "--", "TILE=31TCJ", "START=2023-06-01",
                             "END=2023-06-06", f"OUTPUT={footprints}"], env=env, capture_output=True, text=True,
                            timeout=180)
    assert search.returncode == 0, search.stdout[-2000:] + search.stderr[-2000:]
    simulator.inject("echo_secret", endpoint="download", count=100)   # every download: HTTP 500 quoting the key
    run = subprocess.run([QGIS_PROCESS, "run", "sentinelmirror:download", "--", f"INPUT={footprints}",
                          f"OUTPUT_FOLDER={tmp_path / 'dl'}", f"OUTPUT={report}", "LOAD_PRODUCTS=false"],
                         env=env, capture_output=True, text=True, timeout=300)
    printed = run.stdout + run.stderr
    assert "HTTP 500" in printed and "Traceback" not in printed
    journal = (tmp_path / "dl" / ".sentinel-mirror-journal.json").read_text()
    reasons = " ".join(str(f["reason"]) for f in QgsVectorLayer(str(report), "r", "ogr").getFeatures())
    for text in (printed, journal, reasons):
        key = simulator.config.api_key
        assert key not in text and quote(key, safe="") not in text
