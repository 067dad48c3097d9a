"""The Processing algorithms and the shipped model, run with processing.run against the mirror simulator."""
import hashlib
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException, QgsProject, QgsRasterLayer, QgsVectorLayer

from .sm_support import JUNE, MAJA, expected, fast_polling, maja_reference, sim_env, sm_provider  # noqa: F401

pytestmark = pytest.mark.usefixtures("sm_provider", "fast_polling")


def run(alg, params):
    import processing

    return processing.run(f"sentinelmirror:{alg}", params)


def search_params(**kw):
    return {"PROVIDER": 0, "COLLECTION": 0, "TILE": "31TCJ", "START": JUNE["start"].isoformat(),
            "END": JUNE["end"].isoformat(), "MAX_CLOUD": 100, "OUTPUT": "memory:", **kw}


def md5(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def test_search_tile_gives_one_feature_per_product_with_attributes(simulator, sim_env):
    sim_env(simulator)
    layer = run("search", search_params(MAX_CLOUD=60))["OUTPUT"]
    want = expected(simulator, max_cloud=60)
    assert want and layer.featureCount() == len(want)
    by_id = {f["id"]: f for f in layer.getFeatures()}
    assert set(by_id) == {p.id for p in want}
    for p in want:
        f = by_id[p.id]
        assert (f["title"], f["provider"], f["collection"], f["tile"]) == (p.title, "geodes", MAJA, "31TCJ")
        assert f["cloud"] == pytest.approx(p.cloud_cover) and f["cloud"] <= 60
        assert f["size"] == p.size and f["md5"] == p.md5
        assert f["online"] == (p.availability.value == "online")
        assert f["date"].toPyDateTime().date() == p.acquired.date()
        assert f["orbit"] == p.relative_orbit and f["download_url"] and not f.geometry().isEmpty()
    assert layer.crs().authid() == "EPSG:4326"


def test_search_by_extent_in_a_projected_crs(simulator, sim_env):
    sim_env(simulator)
    extent = "360000,380000,4820000,4840000 [EPSG:32631]"  # a field near Toulouse, in UTM 31N
    layer = run("search", search_params(TILE="", EXTENT=extent, PROVIDER=1, COLLECTION=0))["OUTPUT"]
    want = expected(simulator, provider="cdse", collection="sentinel-2-l2a")
    assert want and {f["id"] for f in layer.getFeatures()} == {p.id for p in want}


def test_download_then_ndvi(simulator_factory, sim_env, tmp_path):
    sim = sim_env(simulator_factory(offline_fraction=0.5, end=JUNE["end"]))
    footprints = run("search", search_params(MAX_CLOUD=100, END="2023-06-15"))["OUTPUT"]
    want = expected(sim, end=JUNE["start"].replace(day=15))
    assert any(p.availability.value != "online" for p in want), "the test needs products on tape"
    tape = [p for p in want if p.availability.value != "online"]
    params = {"INPUT": footprints, "OUTPUT_FOLDER": str(tmp_path / "dl"), "OUTPUT": "memory:", "LOAD_PRODUCTS": False}
    # wait 0 h (the default): the online products come at once, the tape ones are listed with what to do
    res = run("download", params)
    assert (res["DOWNLOADED"], res["ON_TAPE"], res["FAILED"]) == (len(want) - len(tape), len(tape), 0)
    report = {f["id"]: f for f in res["OUTPUT"].getFeatures()}
    for p in tape:
        assert report[p.id]["state"] == "order in the GEODES explorer"
        assert "on tape at GEODES" in report[p.id]["reason"] and "request their transfer" in report[p.id]["reason"]
        assert sim.stats.offline_gets[p.id] == 0   # no GET for a product the availability endpoint says is on tape
    listed = (tmp_path / "dl" / "on-tape-GEODES.txt").read_text(encoding="utf-8")
    assert all(p.title in listed for p in tape)
    # the user orders them in the explorer; run again, waiting for them this time
    sim.order()
    res = run("download", {**params, "WAIT_HOURS": 0.05})
    assert res["DOWNLOADED"] == len(want) and res["FAILED"] == 0 and res["ON_TAPE"] == 0
    report = {f["id"]: f for f in res["OUTPUT"].getFeatures()}
    for p in want:
        assert report[p.id]["state"] == "done"
        assert md5(report[p.id]["path"]) == p.md5  # verified archive, byte for byte
        assert sim.stats.bytes_served[p.id] == p.size   # nothing downloaded twice
    assert sorted(Path(x).name for x in res["PRODUCTS"]) == sorted(p.zip_name for p in want)
    assert not list((tmp_path / "dl").glob("*.part"))

    masked = run("ndvi", {"INPUTS": res["PRODUCTS"], "OUTPUT_FOLDER": str(tmp_path / "ndvi")})
    unmasked = run("ndvi", {"FOLDER": str(tmp_path / "dl"), "CLOUD_MASK": False,
                            "OUTPUT_FOLDER": str(tmp_path / "ndvi_raw")})
    assert masked["COMPUTED"] == unmasked["COMPUTED"] == len(want)
    zip_of = {Path(z).stem: z for z in res["PRODUCTS"]}
    clouds_seen = 0
    for tif in masked["OUTPUT_LAYERS"]:
        raw_tif = tmp_path / "ndvi_raw" / Path(tif).name
        ref, band_nodata, cloud = maja_reference(zip_of[Path(tif).name[:-len("_NDVI.tif")]])
        for path, mask in ((tif, band_nodata | cloud), (raw_tif, band_nodata)):
            ds = gdal.Open(str(path))
            band = ds.GetRasterBand(1)
            got, nodata = band.ReadAsArray().astype(np.float64), band.GetNoDataValue()
            assert (got == nodata).sum() >= mask.sum()  # every masked pixel is nodata...
            assert np.all(got[mask] == nodata)
            valid = got != nodata
            np.testing.assert_allclose(got[valid], ref[valid], atol=1e-6)  # ...and values are the formula
        clouds_seen += int((cloud & ~band_nodata).sum())
        assert not np.all(gdal.Open(str(raw_tif)).ReadAsArray()[cloud & ~band_nodata] == nodata)
    assert clouds_seen > 0, "the simulator products should have some cloudy pixels"


def test_waiting_with_a_revoked_key_stops_at_once_and_leaves_the_products_on_tape(simulator_factory, sim_env,
                                                                                  tmp_path):
    import time
    sim = sim_env(simulator_factory(offline_fraction=0.5, end=JUNE["end"]))
    footprints = run("search", search_params(MAX_CLOUD=100, END="2023-06-15"))["OUTPUT"]
    want = expected(sim, end=JUNE["start"].replace(day=15))
    tape = [p for p in want if p.availability.value != "online"]
    assert tape and len(tape) < len(want)
    params = {"INPUT": footprints, "OUTPUT_FOLDER": str(tmp_path / "dl"), "OUTPUT": "memory:", "LOAD_PRODUCTS": False}
    run("download", params)
    sim.set_api_key("renewed-in-the-portal")   # the key in the settings is no longer the account's
    sim.stats.reset()
    started = time.monotonic()
    res = run("download", {**params, "WAIT_HOURS": 1.0})
    assert time.monotonic() - started < 30   # not an hour of refused requests
    assert (res["DOWNLOADED"], res["ON_TAPE"], res["FAILED"]) == (len(want) - len(tape), len(tape), 0)
    report = {f["id"]: f for f in res["OUTPUT"].getFeatures()}
    for p in tape:
        reason = report[p.id]["reason"]
        assert report[p.id]["state"] == "order in the GEODES explorer"
        assert reason.startswith("Watch stopped: GEODES refused the API key. Check it in Settings → Options → "
                                 "Sentinel Mirror, then run the download again to resume watching. ")
        assert reason.count("Watch stopped") == 1 and "request their transfer" in reason
    assert sim.stats.requests["geodes.download"] == 0 and sim.stats.requests["geodes.availability"] == 1


def test_cdse_download_and_ndvi_with_credentials_from_the_environment(simulator, sim_env, tmp_path):
    sim_env(simulator)
    footprints = run("search", search_params(PROVIDER=1, END="2023-06-10"))["OUTPUT"]
    want = expected(simulator, provider="cdse", collection="sentinel-2-l2a", end=JUNE["start"].replace(day=10))
    assert footprints.featureCount() == len(want) == 2
    res = run("download", {"INPUT": footprints, "OUTPUT_FOLDER": str(tmp_path / "dl"), "OUTPUT": "memory:",
                           "LOAD_PRODUCTS": False})
    assert sorted(md5(p) for p in res["PRODUCTS"]) == sorted(p.md5 for p in want)
    assert simulator.stats.requests["cdse.token"] >= 1  # the OIDC password grant with the env credentials
    ndvi = run("ndvi", {"INPUTS": res["PRODUCTS"], "OUTPUT_FOLDER": str(tmp_path / "ndvi")})
    assert ndvi["COMPUTED"] == 2 and ndvi["FAILED"] == 0


def test_shipped_model_runs_search_download_ndvi(simulator_factory, sim_env, tmp_path):
    sim = sim_env(simulator_factory(offline_fraction=0.5))
    res = run("tile_ndvi_time_series", {
        "PROVIDER": 0, "COLLECTION": 0, "TILE": "T31TCJ", "START": "2023-06-01", "END": "2023-06-20",
        "MAX_CLOUD": 100, "search:Footprints": str(tmp_path / "fp.gpkg"),
        "download:Products folder": str(tmp_path / "dl"), "download:Download report": str(tmp_path / "rep.gpkg"),
        "ndvi:NDVI folder": str(tmp_path / "ndvi")})
    want = expected(sim, end=JUNE["start"].replace(day=20))
    online = [p for p in want if p.online]   # the model does not wait for products on tape
    assert online and len(online) < len(want)
    tifs = sorted(p.name for p in (tmp_path / "ndvi").glob("*_NDVI.tif"))
    assert tifs == sorted(f"{p.built_title}_NDVI.tif" for p in online)
    assert (tmp_path / "dl" / "on-tape-GEODES.txt").exists()
    assert QgsVectorLayer(res["search:Footprints"]).featureCount() == len(want)


def test_layers_load_styled_grouped_and_dated(simulator, sim_env, tmp_path):
    import processing
    from qgis.core import QgsProcessingFeatureSourceDefinition

    sim_env(simulator)
    project = QgsProject.instance()
    project.clear()
    try:
        processing.runAndLoadResults("sentinelmirror:search", search_params(END="2023-06-15", OUTPUT="TEMPORARY_OUTPUT"))
        footprints = next(l for l in project.mapLayers().values() if isinstance(l, QgsVectorLayer))
        assert footprints.name() == "Footprints T31TCJ 2023-06-01…2023-06-15 (GEODES)"
        assert footprints.renderer().type() == "categorizedSymbol" and footprints.renderer().classAttribute() == "online"
        assert footprints.temporalProperties().isActive()
        assert footprints.featureCount() == 3
        # the user ticks "Selected features only": two of the three products
        footprints.selectByIds(sorted(footprints.allFeatureIds())[:2])
        dl = processing.runAndLoadResults("sentinelmirror:download", {
            "INPUT": QgsProcessingFeatureSourceDefinition(footprints.id(), True),
            "OUTPUT_FOLDER": str(tmp_path / "dl"), "OUTPUT": "TEMPORARY_OUTPUT"})
        assert dl["DOWNLOADED"] == 2 and len(list((tmp_path / "dl").glob("*.zip"))) == 2
        report = project.mapLayersByName("Download report")[0]
        assert report.renderer().classAttribute() == "state" and report.featureCount() == 2
        processing.runAndLoadResults("sentinelmirror:ndvi", {"INPUTS": dl["PRODUCTS"],
                                                             "OUTPUT_FOLDER": str(tmp_path / "ndvi")})
        rasters = [l for l in project.mapLayers().values() if isinstance(l, QgsRasterLayer)]
        ndvi = [l for l in rasters if l.name().startswith("NDVI")]
        colour = [l for l in rasters if l.name().startswith("Natural colour")]
        assert len(ndvi) == len(colour) == 2
        for layer in colour:
            assert layer.bandCount() == 3 and layer.source().endswith("_RGB.vrt")
        tile_group = project.layerTreeRoot().findGroup("Sentinel-2 T31TCJ")
        days = [g.name() for g in tile_group.children()]
        assert days == sorted(days) and len(days) == 2
        for layer in ndvi:
            assert layer.renderer().type() == "singlebandpseudocolor"
            props = layer.temporalProperties()
            rng = props.fixedTemporalRange()
            day = rng.begin().toUTC().date().toString("yyyy-MM-dd")
            assert props.isActive() and layer.name() == f"NDVI T31TCJ {day}"
            assert rng.end().toMSecsSinceEpoch() - rng.begin().toMSecsSinceEpoch() == 86400 * 1000
            group = project.layerTreeRoot().findLayer(layer.id()).parent()
            assert group.name() == day and group.parent() is tile_group
            names = [child.name() for child in group.children()]
            assert names == [f"NDVI T31TCJ {day}", f"Natural colour T31TCJ {day}"]  # NDVI on top
    finally:
        project.clear()


@pytest.mark.parametrize("case", ["wrong key", "unreachable", "empty"])
def test_errors_are_plain_messages(case, simulator, sim_env, tmp_path):
    sim_env(simulator)
    if case == "unreachable":
        sim_env(simulator, SENTINEL_MIRROR_GEODES_URL="http://127.0.0.1:9/geodes")
        params, alg = search_params(), "search"
    elif case == "empty":
        params, alg = search_params(START="2023-06-02", END="2023-06-03"), "search"
    else:
        footprints = run("search", search_params(END="2023-06-10"))["OUTPUT"]
        sim_env(simulator, SENTINEL_MIRROR_GEODES_API_KEY="not-the-key")
        params, alg = {"INPUT": footprints, "OUTPUT_FOLDER": str(tmp_path), "OUTPUT": "memory:"}, "download"
    with pytest.raises(QgsProcessingException) as err:
        run(alg, params)
    text = str(err.value)
    assert "Traceback" not in text and "Unexpected" not in text
    if case == "wrong key":
        assert "key" in text.lower() and "Options" in text
        assert not list(tmp_path.glob("*.zip"))
    elif case == "unreachable":
        assert "127.0.0.1:9" in text or "reach" in text.lower() or "connect" in text.lower()
    else:
        assert "No product found" in text and "widen the dates" in text


def test_bad_input_is_refused_before_any_request(simulator, sim_env):
    sim_env(simulator)
    before = simulator.stats.total()
    for params, needle in ((search_params(TILE="31TZZ"), "tile"), (search_params(TILE=""), "either a tile"),
                           (search_params(START="2023-07-01", END="2023-06-01"), "before the start")):
        with pytest.raises(QgsProcessingException, match=needle):
            run("search", params)
    assert simulator.stats.total() == before


def test_search_sentinel1_gives_grd_by_default_and_slc_on_request_with_their_sizes(simulator_factory, sim_env):
    import datetime as dt
    sim = sim_env(simulator_factory(start=dt.date(2023, 7, 1), end=dt.date(2023, 7, 20),
                                    collections=("PEPS_S1_L1",)))
    params = search_params(COLLECTION=2, START="2023-07-01", END="2023-07-20")
    grd = run("search", params)["OUTPUT"]                       # a model saved before the parameter: GRD
    slc = run("search", {**params, "S1_TYPE": 1})["OUTPUT"]
    both = run("search", {**params, "S1_TYPE": 2})["OUTPUT"]
    by_type = {p.id: p.product_type for p in sim.products_of("geodes")}
    assert grd.featureCount() and {by_type[f["id"]] for f in grd.getFeatures()} == {"GRD"}
    assert slc.featureCount() and {by_type[f["id"]] for f in slc.getFeatures()} == {"SLC"}
    assert both.featureCount() == grd.featureCount() + slc.featureCount()
    assert min(f["size"] for f in slc.getFeatures()) > 3 * max(f["size"] for f in grd.getFeatures())
