"""Regenerate resources/models/parcel_ndvi_monitoring.model3 (search -> download -> NDVI -> parcel statistics).

    scripts/testenv.sh .venv/bin/python scripts/build_parcel_model.py
Wired like the tile model (scripts/build_model.py), with the helpers of scripts/model_builder.py; the .model3 is
the shipped artefact.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model_builder import MODELS, P, child, param, register_provider, run, save, tile_search_inputs  # noqa: E402
from qgis.core import (QgsProcessingModelAlgorithm, QgsProcessingModelChildParameterSource,  # noqa: E402
                       QgsProcessingParameterBoolean, QgsProcessingParameterFeatureSource,
                       QgsProcessingParameterField)

OUT = MODELS / "parcel_ndvi_monitoring.model3"


def build():
    from plugin.qgis import compat

    provider = register_provider()  # noqa: F841 (held while the model is built)
    m = QgsProcessingModelAlgorithm("Parcel NDVI monitoring", "Models")
    m.setHelpContent({
        "ALG_DESC": ("Searches a Sentinel-2 tile over a date range, downloads every product found, computes one "
                     "cloud-masked NDVI GeoTIFF per product, then the NDVI statistics of every parcel on every "
                     "date (mean, median, std, p10, p90, valid and masked shares): a table to join to the parcels "
                     "or to chart."),
        "ALG_CREATOR": "Sentinel Mirror",
        "TILE": "Sentinel-2 tile id, e.g. 31TCJ (Toulouse).",
        "PARCELS": "The fields to monitor: polygons in any CRS.",
        "AUTHCFG": "GEODES: a Basic config with the API key as password; CDSE: Basic username/password. "
                   "Empty: the one chosen in Settings > Options > Sentinel Mirror.",
    })
    tile_search_inputs(m)
    param(m, QgsProcessingParameterFeatureSource("PARCELS", "Parcels (polygons)", [compat.SOURCE_POLYGONS]),
          120, 410)
    param(m, QgsProcessingParameterField("ID_FIELD", "Parcel id field (empty: feature id)",
                                         parentLayerParameterName="PARCELS", optional=True), 120, 460)
    param(m, QgsProcessingParameterBoolean("ALL_TOUCHED", "Count every pixel touched", False), 120, 510)

    mp = QgsProcessingModelChildParameterSource.fromModelParameter
    out = QgsProcessingModelChildParameterSource.fromChildOutput
    static = QgsProcessingModelChildParameterSource.fromStaticValue
    child(m, f"{P}:search", "search", "Search the catalogue", 420, 120,
          {"PROVIDER": mp("PROVIDER"), "COLLECTION": mp("COLLECTION"), "TILE": mp("TILE"), "START": mp("START"),
           "END": mp("END"), "MAX_CLOUD": mp("MAX_CLOUD"), "AUTHCFG": mp("AUTHCFG")},
          {})
    child(m, f"{P}:download", "download", "Download", 420, 260,
          {"INPUT": out("search", "OUTPUT"), "AUTHCFG": mp("AUTHCFG"), "LOAD_PRODUCTS": static(False),
           "WAIT_HOURS": static(0)},
          {"OUTPUT_FOLDER": ("Products folder", False)})
    child(m, f"{P}:ndvi", "ndvi", "NDVI per product", 420, 400,
          {"INPUTS": out("download", "PRODUCTS"), "CLOUD_MASK": static(True)},
          {"OUTPUT_FOLDER": ("NDVI folder", False)})
    child(m, f"{P}:parcel_statistics", "parcels", "Parcel statistics over time", 420, 540,
          {"PARCELS": mp("PARCELS"), "ID_FIELD": mp("ID_FIELD"), "INPUTS": out("ndvi", "OUTPUT_LAYERS"),
           "ALL_TOUCHED": mp("ALL_TOUCHED"), "CLOUD_MASK": static(True)},
          {"OUTPUT": ("Parcel statistics", True)})
    save(m, OUT)


if __name__ == "__main__":
    run(build)
