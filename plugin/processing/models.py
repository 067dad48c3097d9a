"""The models shipped in resources/models/*.model3, exposed by our provider under the group "Models".

A model loaded from a file takes its id from its display name ("Tile NDVI time series"); the small subclass
gives it a stable id (sentinelmirror:tile_ndvi_time_series) for processing.run and qgis_process, and
re-reads the file for each new instance (QGIS creates one per run).
"""
from pathlib import Path

from qgis.core import QgsProcessingModelAlgorithm

from ..about import RESOURCES_DIR

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


def shipped_models():
    return [ShippedModel(p) for p in sorted(MODELS_DIR.glob("*.model3"))]
