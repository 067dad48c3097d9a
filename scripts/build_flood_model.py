"""Regenerate resources/models/s1_flood_map.model3, the model "Flood map" (sentinelmirror:s1_flood_map):
search Sentinel-1 before and after -> download both -> flood map.

    scripts/testenv.sh .venv/bin/python scripts/build_flood_model.py
The .model3 is the shipped artefact; this script documents and reproduces how it is wired (helpers from
model_builder.py). Same relative orbit: the searches return every pass over the area in each date range; the
flood map step keeps the first pass after and the last pass before it on the same relative orbit.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model_builder import MODELS, P, child, param, register_provider, run, save  # noqa: E402
from qgis.core import (QgsProcessingModelAlgorithm,  # noqa: E402
                       QgsProcessingModelChildParameterSource, QgsProcessingParameterAuthConfig,
                       QgsProcessingParameterDateTime, QgsProcessingParameterEnum, QgsProcessingParameterExtent,
                       QgsProcessingParameterRasterLayer, QgsProcessingParameterVectorLayer)

OUT = MODELS / "s1_flood_map.model3"
S1_LEVEL = 2          # alg_search.LEVELS: "Sentinel-1 radar"


def build():
    from plugin.processing.alg_flood import METHODS
    from plugin.processing.alg_search import LEVELS, PROVIDER_LABELS

    assert "Sentinel-1" in LEVELS[S1_LEVEL][0]
    provider = register_provider()  # noqa: F841 (held while the model is built)
    m = QgsProcessingModelAlgorithm("Flood map", "Models")
    m.setHelpContent({
        "ALG_DESC": ("Searches Sentinel-1 GRD products over the area in a date range before the flood and one "
                     "after it, downloads them (each verified; products on tape are listed, to order in the "
                     "catalogue's portal) and maps the flood by change detection between the first pass after and "
                     "the last pass before it on the same relative orbit. Keep the date ranges short (one or two "
                     "passes each): every product found is downloaded (about 1.7 GB each)."),
        "ALG_CREATOR": "Sentinel Mirror",
        "AREA": "The area to map; products are searched over it.",
        "AUTHCFG": "GEODES: a Basic config with the API key as password; CDSE: Basic username/password. "
                   "Empty: the one chosen in Settings > Options > Sentinel Mirror.",
    })
    date = QgsProcessingParameterDateTime.Date
    param(m, QgsProcessingParameterEnum("PROVIDER", "Catalogue", PROVIDER_LABELS, defaultValue=0), 120, 60)
    param(m, QgsProcessingParameterExtent("AREA", "Area of interest"), 120, 110)
    param(m, QgsProcessingParameterDateTime("BEFORE_START", "Before: from", type=date), 120, 160)
    param(m, QgsProcessingParameterDateTime("BEFORE_END", "Before: to (inclusive)", type=date), 120, 210)
    param(m, QgsProcessingParameterDateTime("AFTER_START", "After: from", type=date), 120, 260)
    param(m, QgsProcessingParameterDateTime("AFTER_END", "After: to (inclusive)", type=date), 120, 310)
    param(m, QgsProcessingParameterEnum("METHOD", "Method", [label for _, label in METHODS], defaultValue=0),
          120, 360)
    param(m, QgsProcessingParameterVectorLayer("WATER_LAYER", "Permanent water layer (optional)", [2], optional=True),
          120, 410)
    param(m, QgsProcessingParameterRasterLayer("DEM", "Elevation (DEM, optional)", optional=True), 120, 460)
    param(m, QgsProcessingParameterAuthConfig("AUTHCFG", "Authentication configuration", optional=True), 120, 510)

    mp = QgsProcessingModelChildParameterSource.fromModelParameter
    out = QgsProcessingModelChildParameterSource.fromChildOutput
    static = QgsProcessingModelChildParameterSource.fromStaticValue
    for k, (when, y) in enumerate((("before", 80), ("after", 300))):
        child(m, f"{P}:search", f"search_{when}", f"Search Sentinel-1 {when}", 420 + 0 * k, y,
              {"PROVIDER": mp("PROVIDER"), "COLLECTION": static(S1_LEVEL), "TILE": static(""),
               "EXTENT": mp("AREA"), "START": mp(f"{when.upper()}_START"), "END": mp(f"{when.upper()}_END"),
               "MAX_CLOUD": static(100.0), "AUTHCFG": mp("AUTHCFG")},
              {"OUTPUT": (f"Footprints {when}", False)})
        child(m, f"{P}:download", f"download_{when}", f"Download {when}", 640, y + 60,
              {"INPUT": out(f"search_{when}", "OUTPUT"), "AUTHCFG": mp("AUTHCFG"), "LOAD_PRODUCTS": static(False),
               "WAIT_HOURS": static(0)},
              {"OUTPUT_FOLDER": (f"Products folder {when}", False), "OUTPUT": (f"Download report {when}", False)})
    child(m, f"{P}:flood_map", "flood_map", "Flood map", 860, 260,
          {"BEFORE": out("download_before", "PRODUCTS"), "AFTER": out("download_after", "PRODUCTS"),
           "AREA": mp("AREA"), "METHOD": mp("METHOD"), "WATER_LAYER": mp("WATER_LAYER"), "DEM": mp("DEM")},
          {"OUTPUT": ("Flood raster", True), "POLYGONS": ("Flood polygons", False)})
    save(m, OUT)


if __name__ == "__main__":
    run(build)
