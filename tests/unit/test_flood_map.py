"""Flood map from simulated before/after GRD products: geocoding, the whole chain against the known flood,
each mask and the calibration shown to matter, plain refusals, cancellation."""
import datetime as dt
import os

import numpy as np
import pytest
from osgeo import gdal, ogr

import plugin.core.s1.geocode as geocode
from plugin.core.errors import Cancelled, InvalidInputError
from plugin.core.progress import CallbackProgress
from plugin.core.s1.flood import FloodParams, flood_map
from plugin.core.s1.geocode import gcp_transformer, grid_for_area
from plugin.core.s1.grd import open_grd
from tests.simulator import s1_grd
from tests.simulator.s1_grd import FloodScenario

gdal.UseExceptions()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    d = tmp_path_factory.mktemp("flood")
    sc = FloodScenario.small()
    before, after = sc.build(str(d / "zips"))
    return dict(sc=sc, before=before, after=after, dem=sc.write_dem(str(d / "dem.tif")),
                water=sc.write_water_layer(str(d / "water.gpkg")))


def run(s, out, params=None, masks=True, **kw):
    sc = s["sc"]
    extra = dict(dem=s["dem"], water_layer=s["water"]) if masks else {}
    extra.update(kw)
    return flood_map([s["before"]], [s["after"]], sc.aoi_utm(), str(out / "flood.tif"), str(out / "flood.gpkg"),
                     params or FloodParams(), area_crs=f"EPSG:{sc.scene.epsg}", **extra)


def read(result):
    ds = gdal.Open(result.raster)
    return ds.ReadAsArray(), ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize


def iou(result, sc):
    m, gt, nx, ny = read(result)
    truth = sc.flood_truth(gt, nx, ny)
    det = m == 1
    return (det & truth).sum() / (det | truth).sum()


def test_geocoding_error_on_the_gcp_grid_is_below_one_pixel(scenario):
    """The GCP transformer puts ground points back on their radar sample, between the GCPs too."""
    sc = scenario["sc"]
    product = open_grd(scenario["after"])
    grid = grid_for_area(sc.aoi_utm(), f"EPSG:{sc.scene.epsg}")
    tr, _ = gcp_transformer(product, grid)
    ex, ey = sc.scene.centre_utm
    rng = np.random.default_rng(0)
    px = rng.uniform(20, product.cols - 20, 300)
    ln = rng.uniform(20, product.rows - 20, 300)
    x, y = s1_grd.ground(sc.scene, sc.after, px, ln)
    back, ok = tr.TransformPoints(1, list(zip(ex + x, ey + y)))
    assert all(ok)
    err = np.hypot(np.array(back)[:, 0] - px, np.array(back)[:, 1] - ln)
    assert err.max() <= 1.0, err.max()
    # and before/after share one grid: the output is north-up in the area's UTM zone at 20 m
    assert grid.res == 20.0 and grid.epsg == sc.scene.epsg


def test_flood_map_matches_the_true_flood(scenario, tmp_path):
    result = run(scenario, tmp_path)
    sc = scenario["sc"]
    assert iou(result, sc) >= 0.9
    m, gt, nx, ny = read(result)
    truth_ha = sc.flood_truth(gt, nx, ny).sum() * 400 / 1e4
    assert result.flooded_ha == pytest.approx(truth_ha, rel=0.1)
    assert gdal.Open(result.raster).GetRasterBand(1).GetNoDataValue() == 255
    assert set(np.unique(m)) <= {0, 1, 255}
    # polygons: areas in hectares that add up to the raster's flooded area, none below the minimum area
    ds = ogr.Open(result.polygons)
    lyr = ds.GetLayer("flood")
    areas = [f.GetField("area_ha") for f in lyr]
    assert len(areas) == result.polygon_count >= 1
    assert sum(areas) == pytest.approx(result.flooded_ha, rel=1e-6)
    assert min(areas) >= 1.0
    assert lyr.GetSpatialRef().GetAuthorityCode(None) == str(sc.scene.epsg)
    assert "Flooded area" in result.summary()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".flood-")]     # no temp left


@pytest.mark.parametrize("skip, trap", [("water_layer", "lake"), ("dem", "hill"), ("min_area", "spots")])
def test_each_mask_removes_its_false_flood(scenario, tmp_path, skip, trap):
    """With every mask the traps stay dry; without the one that guards a trap, the map floods it."""
    sc = scenario["sc"]
    params = FloodParams(min_area_ha=0.0) if skip == "min_area" else FloodParams()
    kw = {skip: None} if skip != "min_area" else {}
    result = run(scenario, tmp_path, params, **kw)
    m, gt, nx, ny = read(result)
    inside = sc.trap(trap, gt, nx, ny)
    assert (m[inside] == 1).mean() > 0.5, f"without the {skip} mask the {trap} should look flooded"
    full = run(scenario, tmp_path / "all")
    m, gt, nx, ny = read(full)
    assert (m[sc.trap(trap, gt, nx, ny)] == 1).mean() < 0.05


def test_skipping_calibration_breaks_the_map(scenario, tmp_path, monkeypatch):
    """The two products carry different calibration LUTs: raw DN^2 compared across them is no flood map."""
    real = geocode.sigma0_multilooked

    class Unit:
        def block(self, lines, pixels):
            return np.ones((len(lines), len(pixels)), np.float32)
    monkeypatch.setattr(geocode, "sigma0_multilooked",
                        lambda dn, line0, pixel0, looks, lut, noise=None: real(dn, line0, pixel0, looks, Unit()))
    assert iou(run(scenario, tmp_path), scenario["sc"]) < 0.9


def test_difference_method_on_vv_boxcar_filter_bilinear_geocoding(scenario, tmp_path):
    params = FloodParams(method="difference", speckle_filter="boxcar", window=5, resampling="bilinear")
    result = run(scenario, tmp_path, params)
    assert iou(result, scenario["sc"]) >= 0.85
    assert gdal.Open(result.raster).GetMetadataItem("POLARISATION") == "VV"


def test_area_in_lon_lat_and_plain_refusals(scenario, tmp_path):
    with pytest.raises(InvalidInputError, match="not later"):
        flood_map([scenario["after"]], [scenario["before"]], (2.77, 48.83, 2.83, 48.87), str(tmp_path / "f.tif"))
    with pytest.raises(InvalidInputError, match="covers the area"):
        flood_map([scenario["before"]], [scenario["after"]], (10.0, 40.0, 10.1, 40.1), str(tmp_path / "f.tif"))
    with pytest.raises(InvalidInputError, match="odd number"):
        flood_map([scenario["before"]], [scenario["after"]], (2.77, 48.83, 2.83, 48.87), str(tmp_path / "f.tif"),
                  params=FloodParams(window=4))
    result = flood_map([scenario["before"]], [scenario["after"]], (2.77, 48.83, 2.83, 48.87),
                       str(tmp_path / "ll.tif"))
    assert result.grid.epsg == 32631 and result.polygons is None and result.flooded_ha > 0
    assert not os.path.exists(tmp_path / "f.tif")


def test_cancel_leaves_nothing(scenario, tmp_path):
    calls = []
    progress = CallbackProgress(on_set=calls.append, is_cancelled=lambda: len(calls) > 3)
    with pytest.raises(Cancelled):
        run(scenario, tmp_path, progress=progress)
    assert os.listdir(tmp_path) == []


def test_catalogue_simulator_serves_flood_scenario_products(tmp_path):
    """SimConfig.s1_flood_date: the simulator's S1 archives are flood GRDs, flooded from that date on."""
    from tests.simulator import MirrorSimulator, SimConfig
    cfg = SimConfig(collections=("PEPS_S1_L1",), start=dt.date(2023, 5, 1), end=dt.date(2023, 5, 31),
                    s1_flood_date=dt.date(2023, 5, 20), work_dir=str(tmp_path / "sim"))
    with MirrorSimulator(cfg) as sim:
        desc = sorted((p for p in sim.products if p.orbit_state == "descending" and p.product_type != "SLC"),
                      key=lambda p: p.acquired)   # PEPS_S1_L1 lists SLC too (recorded): the flood scenario is GRD
        before = [p for p in desc if p.acquired.date() < cfg.s1_flood_date][-1]
        after = next(p for p in desc if p.acquired.date() >= cfg.s1_flood_date
                     and p.relative_orbit == before.relative_orbit)
        paths = [p.ensure_archive() for p in (before, after)]
        scene = s1_grd.catalogue_scene(before)
    sc = FloodScenario(scene, None, None)
    result = flood_map([paths[0]], [paths[1]], sc.aoi_utm(), str(tmp_path / "f.tif"), area_crs=f"EPSG:{scene.epsg}",
                       dem=sc.write_dem(str(tmp_path / "dem.tif")),
                       water_layer=sc.write_water_layer(str(tmp_path / "water.gpkg")))
    assert iou(result, sc) >= 0.9


@pytest.mark.parametrize("w, holes", [(5, True), (5, False), (11, True)])
def test_speckle_filters_equal_a_naive_window_computation(w, holes):
    from plugin.core.s1.flood import speckle_filter
    rng = np.random.default_rng(3)
    a = rng.gamma(4.4, 0.05 / 4.4, (23, 31)).astype(np.float32)
    if holes:
        a[5, 7] = a[0, 0] = np.nan
    box = speckle_filter(a, "boxcar", w, 4.4)
    lee = speckle_filter(a, "lee", w, 4.4)
    cu2 = 1 / 4.4
    h = w // 2
    for r in range(a.shape[0]):
        for c in range(a.shape[1]):
            win = a[max(r - h, 0):r + h + 1, max(c - h, 0):c + h + 1].astype(np.float64)
            m = np.nanmean(win)
            assert box[r, c] == pytest.approx(m, rel=1e-5)
            var = np.nanmean(win ** 2) - m * m
            k = max((var - m * m * cu2) / (1 + cu2), 0) / var
            x = m if np.isnan(a[r, c]) else a[r, c]
            assert lee[r, c] == pytest.approx(m + k * (x - m), rel=1e-4)


def test_an_extracted_safe_folder_reads_like_its_zip(scenario, tmp_path):
    import zipfile
    with zipfile.ZipFile(scenario["before"]) as zf:
        zf.extractall(tmp_path)
    safe = next(tmp_path.glob("*.SAFE"))
    for path in (safe, tmp_path):
        product = open_grd(str(path))
        zipped = open_grd(scenario["before"])
        assert (product.cols, product.rows, product.relative_orbit) == (zipped.cols, zipped.rows, zipped.relative_orbit)
        a = gdal.Open(product.band("VV").measurement).ReadAsArray(0, 0, 50, 50)
        assert (a == gdal.Open(zipped.band("VV").measurement).ReadAsArray(0, 0, 50, 50)).all()


def test_pairing_keeps_one_relative_orbit_first_pass_after_last_before():
    from types import SimpleNamespace as P
    from plugin.core.s1.flood import _check_orbits, pair_passes

    def p(orbit, day, n=0):
        return P(relative_orbit=orbit, start=dt.datetime(2023, 6, day, 6, 0, n, tzinfo=dt.timezone.utc), path=f"{orbit}-{day}-{n}")
    before = [p(37, 1), p(37, 1, 25), p(110, 5), p(37, 13), p(110, 17)]
    after = [p(110, 29), p(37, 25), p(37, 25, 25), p(8, 20)]
    b, a = pair_passes(before, after)
    assert [x.path for x in b] == ["37-13-0"] and [x.path for x in a] == ["37-25-0", "37-25-25"]
    with pytest.raises(InvalidInputError, match="share a relative orbit"):
        pair_passes([p(37, 1), p(110, 5)], [p(8, 20), p(9, 21)])
    with pytest.raises(InvalidInputError, match="different relative orbits"):
        _check_orbits([p(37, 1)], [p(110, 20)])


def test_consecutive_slices_of_one_pass_make_one_date(scenario, tmp_path):
    """The after pass cut into two slices (as ESA cuts a datatake): both are calibrated and warped onto the
    grid, the seam leaves no gap, and the map is the same flood."""
    import math
    from dataclasses import replace
    sc = scenario["sc"]
    h = math.radians(sc.after.heading)
    rows = sc.after.rows // 2
    slices = []
    for k, (title, sign) in enumerate((
            ("S1A_IW_GRDH_1SDV_20160603T054941_20160603T055006_011554_01198F_1A1A", -1),
            ("S1A_IW_GRDH_1SDV_20160603T055006_20160603T055031_011554_01198F_2B2B", 1))):
        along = sign * rows * sc.after.spacing / 2
        acq = replace(sc.after, title=title, rows=rows,
                      shift_m=(sc.after.shift_m[0] + along * math.sin(h), sc.after.shift_m[1] + along * math.cos(h)))
        slices.append(s1_grd.build_grd_zip(sc.scene, acq, str(tmp_path / f"{title}.zip"), seed=k, pols=("vh",)))
    result = flood_map([scenario["before"]], slices, sc.aoi_utm(), str(tmp_path / "f.tif"),
                       area_crs=f"EPSG:{sc.scene.epsg}", dem=scenario["dem"], water_layer=scenario["water"])
    m, _, _, _ = read(result)
    assert iou(result, sc) >= 0.9
    whole, _, _, _ = read(run(scenario, tmp_path / "whole"))
    # the seam adds no line of no data: the two maps have the same no data, give or take speckle at the
    # permanent-water edges (a seam line would be ~500 pixels)
    assert abs(int((m == 255).sum()) - int((whole == 255).sum())) < 50


@pytest.mark.parametrize("resampling", ["nearest", "bilinear"])
def test_geocoded_image_lies_on_the_ground_truth_within_a_pixel(scenario, tmp_path, resampling):
    """End to end: the river and lake of the geocoded 'before' image sit where the scene has them; shifting the
    image by one pixel in any direction fits the truth worse."""
    from plugin.core.s1.geocode import geocode_date
    sc = scenario["sc"]
    grid = grid_for_area(sc.aoi_utm(), f"EPSG:{sc.scene.epsg}")
    path = geocode_date([open_grd(scenario["before"])], "VV", grid, str(tmp_path), "before",
                        resampling=resampling)
    db = 10 * np.log10(np.maximum(gdal.Open(path).ReadAsArray(), 1e-5))
    from plugin.core.s1.flood import speckle_filter
    dark = 10 * np.log10(np.maximum(speckle_filter(10 ** (db / 10), "boxcar", 3, 1), 1e-5)) < -15
    x, y = sc._grid_xy(grid.geotransform, grid.nx, grid.ny)
    truth = sc.scene.river(x, y)

    def fit(dx, dy):
        shifted = np.roll(np.roll(dark, dy, axis=0), dx, axis=1)[5:-5, 5:-5]
        t = truth[5:-5, 5:-5]
        return (shifted & t).sum() / (shifted | t).sum()
    scores = {(dx, dy): fit(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    assert max(scores, key=scores.get) == (0, 0), scores
    assert scores[(0, 0)] > 0.6
