"""The dock in the real QGIS desktop (Xvfb, the zip from `make zip` in a fresh profile) against the simulator:
a search and a download with products on tape, and three screenshots in test-output/desktop/qgis-<version>/:
dock-1-results.png (results + footprints), dock-2-downloading.png (rows in several states),
dock-3-ndvi.png (the NDVI layers on the map). Run: make test-desktop
"""
import datetime as dt
import json
import zipfile

import pytest

from tests.desktop.test_desktop_zip import (HERE, OUTPUT, PLUGIN, PROFILE_INI, _desktop_env,  # noqa: F401
                                            _make_zip, _run_desktop, pytestmark, scratch)
from tests.simulator import MirrorSimulator, SimConfig

SHOTS = ("dock-1-results.png", "dock-2-downloading.png", "dock-3-ndvi.png")


@pytest.fixture
def desktop_simulator(scratch):  # noqa: F811 (H1's fixture, reused)
    config = SimConfig(seed=11, tiles=("31TCJ",), start=dt.date(2023, 6, 1), end=dt.date(2023, 7, 31),
                       collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), offline_fraction=0.5,
                       staging_delay_s=(3.0, 8.0), bandwidth_bps=400_000, pad_to=2 * 2**20,
                       work_dir=str(scratch / "sim"))
    with MirrorSimulator(config) as sim:
        yield sim


def test_dock_search_download_and_ndvi_in_the_desktop(scratch, desktop_simulator):  # noqa: F811
    archive = _make_zip()
    profile = scratch / "profiles" / "profiles" / "default"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(profile / "python" / "plugins")
    (profile / "QGIS").mkdir(parents=True)
    (profile / "QGIS" / "QGIS3.ini").write_text(PROFILE_INI, encoding="utf-8")

    OUTPUT.mkdir(parents=True, exist_ok=True)
    report_path = OUTPUT / "dock-report.json"
    for old in [report_path] + [OUTPUT / name for name in SHOTS]:
        old.unlink(missing_ok=True)
    env = _desktop_env(scratch)
    env.update(desktop_simulator.env())
    env.update(SM_DOCK_OUT=str(OUTPUT), SM_DOCK_REPORT=str(report_path),
               SM_DOCK_DOWNLOADS=str(scratch / "downloads"), PYQGIS_STARTUP=str(HERE / "startup_hook.py"))
    returncode, stderr = _run_desktop(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo", "--noversioncheck",
         "--profiles-path", str(scratch / "profiles"), "--code", str(HERE / "drive_dock.py")],
        env, scratch, timeout=420)
    print(f"desktop screenshots: {OUTPUT}")
    assert report_path.exists(), f"QGIS exited {returncode} without a report:\n{stderr[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert "error" not in report, report["error"]

    assert report["results"] > 6
    assert report["outcome"] == "done"
    # the online products are done; those on tape are listed ("offline": to order in the GEODES explorer), none failed
    finals = list(report["final_states"].values())
    assert set(finals) == {"done", "offline"}, report["final_states"]
    # mid-download: rows in several states at once, one of them downloading
    assert "downloading" in report["mid_download_states"] and len(report["mid_download_states"]) >= 2, report
    done = finals.count("done")
    assert report["group"] is True and report["ndvi_layers"] == done and report["colour_layers"] == done
    assert any("Open folder" in t or "downloaded" in t for t in report["message_bar"]), report["message_bar"]
    assert any("on tape at GEODES" in t for t in report["message_bar"]), report["message_bar"]

    from qgis.PyQt.QtGui import QImage  # noqa: PLC0415 (QGIS only needed once the desktop ran)
    for name in SHOTS:
        assert report["screenshots"][name] is True
        image = QImage(str(OUTPUT / name))
        assert not image.isNull() and image.width() >= 1000, name
    assert desktop_simulator.stats.requests["geodes.search"] >= 1
