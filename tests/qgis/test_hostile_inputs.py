"""What a user can get wrong or meet, through Processing: one plain sentence saying what to fix, no traceback."""
import os
import time

import pytest
from qgis.core import QgsFeature, QgsField, QgsFields, QgsProcessingException, QgsVectorLayer

from .sm_support import JUNE, fast_polling, sim_env, sm_provider  # noqa: F401

pytestmark = pytest.mark.usefixtures("sm_provider", "fast_polling")
READ_ONLY = "/sys/kernel"   # a folder even root cannot write in (sysfs)


def run(alg, params):
    import processing

    return processing.run(f"sentinelmirror:{alg}", params)


def search_params(**kw):
    return {"PROVIDER": 0, "COLLECTION": 0, "TILE": "31TCJ", "START": JUNE["start"].isoformat(),
            "END": "2023-06-10", "MAX_CLOUD": 100, "OUTPUT": "memory:", **kw}


def _plain(error):
    text = str(error)
    assert "Traceback" not in text and "Unexpected" not in text and "File error" not in text, text
    return text


def test_a_download_folder_that_is_a_file_is_one_sentence(simulator, sim_env, tmp_path):
    sim_env(simulator)
    footprints = run("search", search_params())["OUTPUT"]
    a_file = tmp_path / "downloads"
    a_file.write_text("not a folder")
    with pytest.raises(QgsProcessingException) as err:
        run("download", {"INPUT": footprints, "OUTPUT_FOLDER": str(a_file), "OUTPUT": "memory:"})
    assert "is a file, not a folder" in _plain(err.value)


@pytest.mark.skipif(not os.path.isdir(READ_ONLY), reason="needs sysfs")
@pytest.mark.parametrize("folder", [READ_ONLY, READ_ONLY + "/sentinel-mirror"])
def test_a_folder_that_cannot_be_written_fails_at_once_in_one_sentence(simulator, sim_env, folder):
    sim_env(simulator)
    footprints = run("search", search_params())["OUTPUT"]
    before = simulator.stats.count("download")
    started = time.monotonic()
    with pytest.raises(QgsProcessingException) as err:
        run("download", {"INPUT": footprints, "OUTPUT_FOLDER": folder, "OUTPUT": "memory:"})
    assert time.monotonic() - started < 5          # not after a round of retries
    assert "Cannot write in the download folder" in _plain(err.value) and "choose a folder" in str(err.value)
    assert simulator.stats.count("download") == before


def test_an_ndvi_folder_that_is_a_file_is_one_sentence(tmp_path):
    a_file = tmp_path / "ndvi"
    a_file.write_text("not a folder")
    archive = tmp_path / "S2A_MSIL2A_20230601T105031_N0509_R051_T31TCJ_20230601T170617.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    with pytest.raises(QgsProcessingException) as err:
        run("ndvi", {"INPUTS": [str(archive)], "OUTPUT_FOLDER": str(a_file)})
    assert "NDVI folder" in _plain(err.value) and "is a file, not a folder" in str(err.value)


def test_a_bad_date_in_a_footprints_layer_is_one_sentence(simulator, sim_env, tmp_path):
    sim_env(simulator)
    good = run("search", search_params())["OUTPUT"]
    fields = QgsFields()
    for f in good.fields():
        fields.append(QgsField(f.name(), f.type()) if f.name() != "date" else QgsField("date", 10))   # text
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4326", "edited footprints", "memory")
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    feature = next(good.getFeatures())
    edited = QgsFeature(layer.fields())
    edited.setGeometry(feature.geometry())
    edited.setAttributes([feature[n] if n != "date" else "2023-13-45" for n in layer.fields().names()])
    layer.dataProvider().addFeatures([edited])
    with pytest.raises(QgsProcessingException) as err:
        run("download", {"INPUT": layer, "OUTPUT_FOLDER": str(tmp_path), "OUTPUT": "memory:"})
    text = _plain(err.value)
    assert "invalid date" in text and feature["title"] in text and "2023-13-45" in text


def test_a_zero_width_extent_is_called_empty_not_missing(simulator, sim_env):
    sim_env(simulator)
    with pytest.raises(QgsProcessingException) as err:
        run("search", search_params(TILE="", EXTENT="1.44,1.44,43.6,43.7 [EPSG:4326]"))
    assert "extent is empty" in _plain(err.value) and "not neither" not in str(err.value)


def test_the_report_lists_every_product_when_every_one_fails(simulator, sim_env, tmp_path):
    sim_env(simulator)
    footprints = run("search", search_params())["OUTPUT"]
    sim_env(simulator, SENTINEL_MIRROR_GEODES_API_KEY="not-the-key")
    report = tmp_path / "report.gpkg"
    with pytest.raises(QgsProcessingException) as err:
        run("download", {"INPUT": footprints, "OUTPUT_FOLDER": str(tmp_path / "dl"), "OUTPUT": str(report)})
    assert "No product could be downloaded" in _plain(err.value)
    layer = QgsVectorLayer(str(report), "report", "ogr")
    assert layer.isValid() and layer.featureCount() == footprints.featureCount() > 0
    assert {f["state"] for f in layer.getFeatures()} == {"failed"}
    assert all("key" in f["reason"].lower() for f in layer.getFeatures())
    del layer   # a layer alive at interpreter exit crashes QGIS 3.22 (shared/notes/harness.md)
