"""The zip from `make zip`, unpacked into a fresh profile, loads in the real QGIS desktop under Xvfb.

A screenshot of the window with the dock open is written to
test-output/desktop/qgis-<version>/qgis-desktop-dock.png (with the JSON report next to it; one folder per QGIS
version: the matrix runs this on several). Run: make test-desktop
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from qgis.core import Qgis

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
QGIS_MINOR = f"{Qgis.QGIS_VERSION_INT // 10000}.{Qgis.QGIS_VERSION_INT // 100 % 100}"   # e.g. 3.40
OUTPUT = ROOT / "test-output" / "desktop" / f"qgis-{QGIS_MINOR}"
PLUGIN = "sentinel_mirror"
# the plugin enabled; no font download (QGIS >= 3.28 fetches fonts a style lacks: a banner offline)
PROFILE_INI = f"[PythonPlugins]\n{PLUGIN}=true\n[fonts]\ndownloadMissingFonts=false\n"

pytestmark = [
    pytest.mark.desktop,
    pytest.mark.skipif(not (shutil.which("xvfb-run") and shutil.which("qgis")),
                       reason="needs xvfb-run and the QGIS desktop (make setup)"),
]


@pytest.fixture
def scratch():
    """A throwaway folder inside .test-home (never $HOME or /tmp)."""
    (ROOT / ".test-home").mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="desktop-", dir=ROOT / ".test-home"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _make_zip():
    out = subprocess.run(["make", "--no-print-directory", "-s", "zip"], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=60).stdout
    return ROOT / out.strip().splitlines()[-1]


def _desktop_env(scratch):
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "QGIS_CUSTOM_CONFIG_PATH", "QGIS_PLUGINPATH", "DISPLAY")}
    for name in ("config", "cache", "data", "tmp"):
        (scratch / name).mkdir()
    (scratch / "run").mkdir(mode=0o700)
    env.update(XDG_CONFIG_HOME=str(scratch / "config"), XDG_CACHE_HOME=str(scratch / "cache"),
               XDG_DATA_HOME=str(scratch / "data"), XDG_RUNTIME_DIR=str(scratch / "run"),
               TMPDIR=str(scratch / "tmp"), GDAL_PAM_ENABLED="NO",
               SM_ROOT=str(ROOT))   # the drivers import tests/desktop/driver_base.py from the checkout
    return env


def _run_desktop(cmd, env, scratch, timeout=90):
    """Run QGIS under Xvfb in its own process group, so a hung QGIS and its Xvfb are both stopped."""
    log = scratch / "qgis-stderr.log"
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, log.read_text(encoding="utf-8", errors="replace")


def test_zip_installs_and_loads_in_the_qgis_desktop(scratch):
    archive = _make_zip()
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert {n.split("/")[0] for n in names} == {PLUGIN}
        assert f"{PLUGIN}/metadata.txt" in names and f"{PLUGIN}/plugin/main.py" in names
        assert f"{PLUGIN}/LICENSE" in names and f"{PLUGIN}/resources/icons/plugin.svg" in names
        unwanted = [n for n in names if n.split("/")[1] in ("tests", "Makefile", "scripts", "bench")
                    or any(part.startswith(".") or part == "__pycache__" for part in n.split("/"))]
        assert unwanted == []
        profile = scratch / "profiles" / "profiles" / "default"
        zf.extractall(profile / "python" / "plugins")
    (profile / "QGIS").mkdir(parents=True)
    (profile / "QGIS" / "QGIS3.ini").write_text(PROFILE_INI, encoding="utf-8")

    OUTPUT.mkdir(parents=True, exist_ok=True)
    png = OUTPUT / "qgis-desktop-dock.png"
    report_path = OUTPUT / "qgis-desktop-report.json"
    for old in (png, report_path):
        old.unlink(missing_ok=True)
    env = _desktop_env(scratch)
    env.update(SM_GRAB_REPORT=str(report_path), SM_GRAB_PNG=str(png),
               PYQGIS_STARTUP=str(HERE / "startup_hook.py"))
    returncode, stderr = _run_desktop(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo", "--noversioncheck",
         "--profiles-path", str(scratch / "profiles"), "--code", str(HERE / "grab_plugin.py")], env, scratch)
    print(f"desktop screenshot: {png}")
    assert report_path.exists(), f"QGIS exited {returncode} without a report:\n{stderr[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert "error" not in report, report["error"]

    assert report["action_checked"] is True
    assert report["dock_visible"] is True and report["dock_title"] == "Sentinel Mirror"
    assert report["dock_in_panels_menu"] is True
    assert report["provider"] == "Sentinel Mirror"
    one_each = {"raster submenus": 1, "raster menu actions": 1, "help menu actions": 1, "toolbars": 1,
                "docks": 1, "visible docks": 1, "providers": 1, "log handlers": 1}
    assert report["loaded"] == one_each
    assert report["after_reload"] == {**one_each, "docks": 0, "visible docks": 0}
    assert report["after_reload_and_open"] == one_each
    ours = [m for m in report["log_messages"] if m["tag"] == "Sentinel Mirror"]
    assert any("desktop test" in m["message"] for m in ours), report["log_messages"]
    assert not any("s3cr3t" in m["message"] for m in report["log_messages"])

    assert report["png_saved"] is True
    from qgis.PyQt.QtGui import QImage  # noqa: PLC0415 (QGIS only needed once the desktop ran)
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 1000 and image.height() >= 700, (image.width(), image.height())
