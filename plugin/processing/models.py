"""The models shipped in resources/models/*.model3, exposed by our provider under the group "Models".

A model loaded from a file takes its id from its display name ("Tile NDVI time series"); the small subclass
gives it a stable id (sentinelmirror:tile_ndvi_time_series) for processing.run and qgis_process, and
re-reads the file for each new instance (QGIS creates one per run). The texts stored in the file (name, group,
parameter descriptions, help) are English; they are shown in QGIS's language (_translate_texts: the parameters the
model shares with the algorithms are translated by the algorithms' own strings, the others are marked below).
"""
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProcessingModelAlgorithm

from ..about import RESOURCES_DIR
from ..core.i18n import tr_noop
from ..qgis.i18n import tr, translate
from ..qgis.messages import log

MODELS_DIR = Path(RESOURCES_DIR) / "models"
# texts of resources/models/*.model3 the algorithms do not already have, for the translation (scripts/i18n.py)
_MODEL_TEXTS = (
    tr_noop("Tile NDVI time series"), tr_noop("Models"), tr_noop("Sentinel-2 tile"), tr_noop("Products folder"),
    tr_noop("Searches a Sentinel-2 tile over a date range, downloads every online product found (in parallel, each "
            "verified; products on tape are listed, to order in the catalogue's portal) and computes one "
            "cloud-masked NDVI GeoTIFF per product. The NDVI layers load dated, so the Temporal Controller plays the "
            "series."),
    tr_noop("Sentinel-2 tile id, e.g. 31TCJ (Toulouse)."),
    tr_noop("Products cloudier than this (catalogue figure, %) are skipped."),
    tr_noop("GEODES: a Basic config with the API key as password; CDSE: Basic username/password. Empty: the one "
            "chosen in Settings > Options > Sentinel Mirror."),
    tr_noop("Parcel NDVI monitoring"),
    tr_noop("Searches a Sentinel-2 tile over a date range, downloads every product found, computes one cloud-masked "
            "NDVI GeoTIFF per product, then the NDVI statistics of every parcel on every date (mean, median, std, "
            "p10, p90, valid and masked shares): a table to join to the parcels or to chart."),
    tr_noop("The fields to monitor: polygons in any CRS."),
    tr_noop("Flood map"), tr_noop("Before: from"), tr_noop("Before: to (inclusive)"), tr_noop("After: from"),
    tr_noop("After: to (inclusive)"), tr_noop("Download report before"), tr_noop("Download report after"),
    tr_noop("Products folder before"), tr_noop("Products folder after"), tr_noop("Footprints before"),
    tr_noop("Footprints after"), tr_noop("The area to map; products are searched over it."),
    tr_noop("Searches Sentinel-1 GRD products over the area in a date range before the flood and one after it, "
            "downloads them (each verified; products on tape are listed, to order in the catalogue's portal) and maps "
            "the flood by change detection between the first pass after and the last pass before it on the same "
            "relative orbit. Keep the date ranges short (one or two passes each): every product found is downloaded "
            "(about 1.7 GB each)."),
)


class ShippedModel(QgsProcessingModelAlgorithm):
    def __init__(self, path):
        super().__init__()
        self.path = str(path)
        if not self.fromFile(self.path):
            raise ValueError(tr("Cannot read the model {path}", path=self.path))
        self._translate_texts()

    def _translate_texts(self):
        """The model's English texts in QGIS's language (after each fromFile)."""
        for definition in self.parameterDefinitions():
            definition.setDescription(translate(definition.description()))
            if hasattr(definition, "options") and hasattr(definition, "setOptions"):
                definition.setOptions([translate(option) for option in definition.options()])
        self.setHelpContent({key: translate(text) if isinstance(text, str) and key != "ALG_CREATOR" else text
                             for key, text in self.helpContent().items()})

    def name(self):
        return Path(self.path).stem

    def displayName(self):  # noqa: N802
        return translate(super().displayName()) or self.name()

    def group(self):
        return translate(super().group())

    def createInstance(self):  # noqa: N802
        return ShippedModel(self.path)


def shipped_models(provider_id):
    """The shipped models. Their children are the provider's own algorithms, which the registry knows only once
    the provider is registered: until then a model cannot list its outputs (qgis_process help, modeler), so it
    is read again at that moment."""
    models = []
    for path in sorted(MODELS_DIR.glob("*.model3")):
        try:
            models.append(ShippedModel(path))
        except ValueError as e:  # a damaged file must not take the whole provider down
            log(str(e), Qgis.MessageLevel.Warning)
    registry = QgsApplication.processingRegistry()
    if registry.providerById(provider_id) is None:
        def reload(added_id):
            if added_id == provider_id:
                registry.providerAdded.disconnect(reload)
                for model in models:
                    model.fromFile(model.path)
                    model._translate_texts()
        registry.providerAdded.connect(reload)
    return models
