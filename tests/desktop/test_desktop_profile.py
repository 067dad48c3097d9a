"""The time-profile panel in the real QGIS desktop (Xvfb, the zip from `make zip`): the profile of a field over a
season of simulator products with a few cloudy dates, picked on the map. Screenshots in test-output/desktop/:
profile-field.png (window: map with the field and the clicked date's natural-colour view, the chart) and
profile-chart.png (the chart's PNG export). Run: make test-desktop
"""
import datetime as dt
import json
import zipfile

from tests import ts_expected as ex
from tests.desktop.test_desktop_zip import (HERE, OUTPUT, PLUGIN, _desktop_env, _make_zip, _run_desktop,  # noqa: F401
                                            pytestmark, scratch)

DAYS = [dt.date(2023, 3, 5) + dt.timedelta(days=10 * i) for i in range(18)]
PX = 600


def test_field_profile_in_the_desktop(scratch):  # noqa: F811
    archive = _make_zip()
    profile = scratch / "profiles" / "profiles" / "default"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(profile / "python" / "plugins")
    (profile / "QGIS").mkdir(parents=True)
    (profile / "QGIS" / "QGIS3.ini").write_text(f"[PythonPlugins]\n{PLUGIN}=true\n", encoding="utf-8")
    products = scratch / "products"
    paths = ex.build_series(str(products), DAYS, size=PX)
    gt, _ = ex.grid(paths[0])
    # a field of 60 x 45 pixels (27 ha) in the middle of the scene, where some dates are cloudy
    x0, y1 = gt[0] + 2400 + 3, gt[3] - 2600 - 3
    x1, y0 = x0 + 600 - 6, y1 - 450 + 6
    field = f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"
    view = f"{gt[0] + 1200},{gt[3] - 4600},{gt[0] + 4800},{gt[3] - 1000}"

    OUTPUT.mkdir(parents=True, exist_ok=True)
    report_path = OUTPUT / "profile-report.json"
    for old in (report_path, OUTPUT / "profile-field.png", OUTPUT / "profile-chart.png"):
        old.unlink(missing_ok=True)
    env = _desktop_env(scratch)
    env.update(SM_PROFILE_OUT=str(OUTPUT), SM_PROFILE_REPORT=str(report_path), SM_PROFILE_PRODUCTS=str(products),
               SM_PROFILE_FIELD=field, SM_PROFILE_VIEW=view, PYQGIS_STARTUP=str(HERE / "startup_hook.py"))
    returncode, stderr = _run_desktop(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo", "--noversioncheck",
         "--profiles-path", str(scratch / "profiles"), "--code", str(HERE / "drive_profile.py")],
        env, scratch, timeout=300)
    print(f"desktop screenshots: {OUTPUT}")
    assert report_path.exists(), f"QGIS exited {returncode} without a report:\n{stderr[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert "error" not in report, report["error"]
    assert report["dates"] == len(DAYS)
    # the same masked dates as independent numpy over the field's pixels
    want = []
    for p in paths:
        value, masked = ex.expected(p)
        v = value[260:305, 240:300]
        want.append("valid" if v.size and (~(v != v)).any() else ("masked" if masked[260:305, 240:300].any()
                                                                 else "no data"))
    assert report["states"] == want
    assert "valid" in report["states"] and any(f > 0 for f in report["masked_fractions"])
    assert report["hover_valid"].startswith(DAYS[0].isoformat()) or "NDVI" in report["hover_valid"]
    assert any("Natural colour" in name for name in report["layers"]), report["layers"]
    assert report["screenshot"] is True
    from qgis.PyQt.QtGui import QImage  # noqa: PLC0415
    image = QImage(str(OUTPUT / "profile-field.png"))
    assert not image.isNull() and image.width() >= 1000
