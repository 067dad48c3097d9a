"""Regenerate resources/models/tile_ndvi_time_series.model3 (search -> download -> NDVI).

    scripts/testenv.sh .venv/bin/python scripts/build_model.py
The .model3 is the shipped artefact (open it in the graphical modeler to edit it); this script documents and
reproduces how it is wired.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model_builder import MODELS, P, child, param, register_provider, run, save, tile_search_inputs  # noqa: E402
from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingModelChildParameterSource  # noqa: E402

OUT = MODELS / "tile_ndvi_time_series.model3"


def build():
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
    tile_search_inputs(m)

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
