"""Regenerate resources/models/tile_ndvi_time_series.model3 (search -> download -> NDVI).

    scripts/testenv.sh .venv/bin/python scripts/build_model.py
The .model3 is the shipped artefact (open it in the graphical modeler to edit it); this script documents and
reproduces how it is wired.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model_builder import MODELS, P, child, param, register_provider, run, save  # noqa: E402
from qgis.core import (QgsProcessingModelAlgorithm, QgsProcessingModelChildParameterSource,  # noqa: E402
                       QgsProcessingParameterAuthConfig, QgsProcessingParameterDateTime, QgsProcessingParameterEnum,
                       QgsProcessingParameterNumber, QgsProcessingParameterString)

OUT = MODELS / "tile_ndvi_time_series.model3"


def build():
    from plugin.processing.alg_search import LEVELS, PROVIDER_LABELS

    provider = register_provider()  # noqa: F841 (held while the model is built)
    m = QgsProcessingModelAlgorithm("Tile NDVI time series", "Models")
    m.setHelpContent({
        "ALG_DESC": ("Searches a Sentinel-2 tile over a date range, downloads every online product found (in "
                     "parallel, each verified; products on tape are listed, to order in the catalogue's portal) and computes one cloud-masked NDVI "
                     "GeoTIFF per product. The NDVI layers load dated, so the Temporal Controller plays the series."),
        "ALG_CREATOR": "Sentinel Mirror",
        "TILE": "Sentinel-2 tile id, e.g. 31TCJ (Toulouse).",
        "MAX_CLOUD": "Products cloudier than this (catalogue figure, %) are skipped.",
        "AUTHCFG": "GEODES: a Basic config with the API key as password; CDSE: Basic username/password. "
                   "Empty: the one chosen in Settings > Options > Sentinel Mirror.",
    })
    param(m, QgsProcessingParameterEnum("PROVIDER", "Catalogue", PROVIDER_LABELS, defaultValue=0), 120, 60)
    param(m, QgsProcessingParameterEnum("COLLECTION", "Product level", [label for label, _ in LEVELS],
                                        defaultValue=0), 120, 110)
    param(m, QgsProcessingParameterString("TILE", "Sentinel-2 tile", defaultValue="31TCJ"), 120, 160)
    param(m, QgsProcessingParameterDateTime("START", "Start date", type=QgsProcessingParameterDateTime.Date), 120, 210)
    param(m, QgsProcessingParameterDateTime("END", "End date (inclusive)",
                                            type=QgsProcessingParameterDateTime.Date), 120, 260)
    param(m, QgsProcessingParameterNumber("MAX_CLOUD", "Maximum cloud cover (%)",
                                          QgsProcessingParameterNumber.Double, 60.0, False, 0.0, 100.0), 120, 310)
    param(m, QgsProcessingParameterAuthConfig("AUTHCFG", "Authentication configuration", optional=True), 120, 360)

    mp = QgsProcessingModelChildParameterSource.fromModelParameter
    out = QgsProcessingModelChildParameterSource.fromChildOutput
    static = QgsProcessingModelChildParameterSource.fromStaticValue
    child(m, f"{P}:search", "search", "Search the catalogue", 420, 120,
          {"PROVIDER": mp("PROVIDER"), "COLLECTION": mp("COLLECTION"), "TILE": mp("TILE"), "START": mp("START"),
           "END": mp("END"), "MAX_CLOUD": mp("MAX_CLOUD"), "AUTHCFG": mp("AUTHCFG")},
          {"OUTPUT": ("Footprints", False)})
    child(m, f"{P}:download", "download", "Download", 420, 260,
          {"INPUT": out("search", "OUTPUT"), "AUTHCFG": mp("AUTHCFG"), "LOAD_PRODUCTS": static(True),
           "WAIT_HOURS": static(0)},
          {"OUTPUT_FOLDER": ("Products folder", False), "OUTPUT": ("Download report", False)})
    child(m, f"{P}:ndvi", "ndvi", "NDVI per product", 420, 400,
          {"INPUTS": out("download", "PRODUCTS"), "CLOUD_MASK": static(True)},
          {"OUTPUT_FOLDER": ("NDVI folder", False)})
    save(m, OUT)


if __name__ == "__main__":
    run(build)
