"""Helpers shared by the scripts that regenerate the shipped Processing models (scripts/build_*model.py).

Each script describes one model's wiring; this module places its inputs and steps, registers the plugin's
provider so the steps resolve, writes the .model3 and runs the build inside a headless QGIS.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from qgis.core import (QgsApplication, QgsProcessingModelChildAlgorithm, QgsProcessingModelOutput,  # noqa: E402
                       QgsProcessingModelParameter, QgsProcessingParameterAuthConfig, QgsProcessingParameterDateTime,
                       QgsProcessingParameterEnum, QgsProcessingParameterNumber, QgsProcessingParameterString)
from qgis.PyQt.QtCore import QPointF  # noqa: E402

MODELS = ROOT / "resources" / "models"
P = "sentinelmirror"


def param(model, definition, x, y):
    model.addModelParameter(definition, QgsProcessingModelParameter(definition.name()))
    model.parameterComponent(definition.name()).setPosition(QPointF(x, y))


def child(model, alg_id, child_id, description, x, y, sources, outputs):
    c = QgsProcessingModelChildAlgorithm(alg_id)
    c.setChildId(child_id)
    c.setDescription(description)
    c.setPosition(QPointF(x, y))
    for name, source in sources.items():
        c.addParameterSources(name, [source])
    model_outputs = {}
    for name, (label, mandatory) in outputs.items():
        out = QgsProcessingModelOutput(label, label)
        out.setChildOutputName(name)
        out.setChildId(child_id)
        out.setMandatory(mandatory)
        out.setPosition(QPointF(x + 200, y + 60 + 30 * len(model_outputs)))
        model_outputs[label] = out
    c.setModelOutputs(model_outputs)
    model.addChildAlgorithm(c)
    return c


def tile_search_inputs(model):
    """The inputs of a Sentinel-2 tile search (catalogue, level, tile, dates, cloud cover, authentication), in the
    left column; the search step takes them as PROVIDER, COLLECTION, TILE, START, END, MAX_CLOUD, AUTHCFG."""
    from plugin.processing.alg_search import LEVELS, PROVIDER_LABELS
    from plugin.qgis import compat

    param(model, QgsProcessingParameterEnum("PROVIDER", "Catalogue", PROVIDER_LABELS, defaultValue=0), 120, 60)
    param(model, QgsProcessingParameterEnum("COLLECTION", "Product level", [label for label, _ in LEVELS],
                                            defaultValue=0), 120, 110)
    param(model, QgsProcessingParameterString("TILE", "Sentinel-2 tile", defaultValue="31TCJ"), 120, 160)
    param(model, QgsProcessingParameterDateTime("START", "Start date", type=compat.DATETIME_DATE), 120, 210)
    param(model, QgsProcessingParameterDateTime("END", "End date (inclusive)", type=compat.DATETIME_DATE), 120, 260)
    param(model, QgsProcessingParameterNumber("MAX_CLOUD", "Maximum cloud cover (%)", compat.NUMBER_DOUBLE, 60.0,
                                              False, 0.0, 100.0), 120, 310)
    param(model, QgsProcessingParameterAuthConfig("AUTHCFG", "Authentication configuration", optional=True),
          120, 360)


def register_provider():
    """Register the plugin's provider unless it is there; return it (hold the reference: sip drops the Python
    overrides of a provider nothing in Python refers to)."""
    from plugin.processing.provider import SentinelMirrorProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById(P)
    if provider is None:
        provider = SentinelMirrorProvider()
        registry.addProvider(provider)
    return provider


def save(model, out):
    out.parent.mkdir(parents=True, exist_ok=True)
    if not model.toFile(str(out)):
        raise SystemExit(f"could not write {out}")
    print(out)


def run(build):
    """Run build() inside a headless QGIS application."""
    app = QgsApplication([], False)
    app.initQgis()
    try:
        build()
    finally:
        app.exitQgis()
