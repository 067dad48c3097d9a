"""The models shipped in resources/models/*.model3, exposed by our provider under the group "Models".

A model loaded from a file takes its id from its display name ("Tile NDVI time series"); the small subclass
gives it a stable id (sentinelmirror:tile_ndvi_time_series) for processing.run and qgis_process, and
re-reads the file for each new instance (QGIS creates one per run).
"""
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProcessingModelAlgorithm

from ..about import RESOURCES_DIR
from ..qgis.messages import log

MODELS_DIR = Path(RESOURCES_DIR) / "models"


class ShippedModel(QgsProcessingModelAlgorithm):
    def __init__(self, path):
        super().__init__()
        self.path = str(path)
        if not self.fromFile(self.path):
            raise ValueError(f"Cannot read the model {self.path}")

    def name(self):
        return Path(self.path).stem

    def displayName(self):  # noqa: N802
        return super().displayName() or self.name()

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
        registry.providerAdded.connect(reload)
    return models
