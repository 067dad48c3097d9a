"""The flood map in the real QGIS desktop (Xvfb, the zip from `make zip`): sentinelmirror:flood_map on the
simulator's before/after GRD zips, its layers grouped over a radar backdrop, and a screenshot in
test-output/desktop/flood.png (the README's docs/screenshots/flood.png). Run: make test-desktop
"""
import json
import zipfile

import numpy as np
from osgeo import gdal

from plugin.core.s1.geocode import geocode_date, grid_for_area
from plugin.core.s1.grd import open_grd
from tests.desktop.test_desktop_zip import (HERE, OUTPUT, PLUGIN, _desktop_env, _make_zip, _run_desktop,  # noqa: F401
                                            pytestmark, scratch)
from tests.simulator.s1_grd import FloodScenario


def backdrop(sc, before, folder):
    """The before image as the user would see it: VV sigma0 in dB on the flood map's grid."""
    grid = grid_for_area(sc.aoi_utm(), f"EPSG:{sc.scene.epsg}")
    s0 = geocode_date([open_grd(before)], "VV", grid, str(folder), "backdrop")
    ds = gdal.Open(s0)
    out = gdal.GetDriverByName("GTiff").CreateCopy(str(folder / "backdrop_db.tif"), ds)
    a = ds.ReadAsArray()
    out.GetRasterBand(1).WriteArray((10 * np.log10(np.maximum(a, 1e-5))).astype(np.float32))
    out = None
    return str(folder / "backdrop_db.tif")


def test_flood_map_in_the_desktop(scratch):  # noqa: F811
    sc = FloodScenario.small()
    before, after = sc.build(str(scratch / "zips"))
    archive = _make_zip()
    profile = scratch / "profiles" / "profiles" / "default"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(profile / "python" / "plugins")
    (profile / "QGIS").mkdir(parents=True)
    (profile / "QGIS" / "QGIS3.ini").write_text(f"[PythonPlugins]\n{PLUGIN}=true\n", encoding="utf-8")
    x0, y0, x1, y1 = sc.aoi_utm()
    crs = f"EPSG:{sc.scene.epsg}"
    params = {"crs": crs, "extent": [x0, y0, x1, y1], "backdrop": backdrop(sc, before, scratch),
              "alg": {"BEFORE": [before], "AFTER": [after], "AREA": f"{x0},{x1},{y0},{y1} [{crs}]", "METHOD": 0,
                      "DEM": sc.write_dem(str(scratch / "dem.tif")),
                      "WATER_LAYER": sc.write_water_layer(str(scratch / "water.gpkg")),
                      "OUTPUT": str(scratch / "flood.tif"), "POLYGONS": str(scratch / "flood.gpkg")}}
    OUTPUT.mkdir(parents=True, exist_ok=True)
    report_path, png = OUTPUT / "flood-report.json", OUTPUT / "flood.png"
    for old in (report_path, png):
        old.unlink(missing_ok=True)
    env = _desktop_env(scratch)
    env.update(SM_FLOOD_PARAMS=json.dumps(params), SM_FLOOD_PNG=str(png), SM_FLOOD_REPORT=str(report_path),
               PYQGIS_STARTUP=str(HERE / "startup_hook.py"))
    returncode, stderr = _run_desktop(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--nologo", "--noversioncheck",
         "--profiles-path", str(scratch / "profiles"), "--code", str(HERE / "drive_flood.py")],
        env, scratch, timeout=300)
    assert report_path.exists(), f"QGIS exited {returncode} without a report:\n{stderr[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert "error" not in report, report["error"]
    assert "Flood map 2016-06-03" in report["groups"] and report["areas"] >= 1
    assert report["flooded_ha"] > 1000 and report["screenshot"] is True
    from qgis.PyQt.QtGui import QImage  # noqa: PLC0415
    assert QImage(str(png)).width() >= 1000
