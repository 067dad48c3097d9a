"""The Processing provider "sentinelmirror": the plugin's algorithms in the toolbox, the modeler and qgis_process."""
from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .. import about


class SentinelMirrorProvider(QgsProcessingProvider):

    def id(self):
        return about.PROVIDER_ID

    def name(self):
        return about.NAME

    def longName(self):  # noqa: N802 (QGIS API name)
        return f"{about.NAME} {about.VERSION}"

    def icon(self):
        return QIcon(about.ICON_PATH)

    def svgIconPath(self):  # noqa: N802
        return about.ICON_PATH

    def versionInfo(self):  # noqa: N802
        return about.VERSION

    def loadAlgorithms(self):  # noqa: N802
        from .alg_composite import CompositeAlgorithm, GapFilledSeriesAlgorithm
        from .alg_download import DownloadAlgorithm
        from .alg_flood import FloodMapAlgorithm
        from .alg_ndvi import IndexAlgorithm, NdviAlgorithm
        from .alg_parcel_statistics import ParcelStatisticsAlgorithm
        from .alg_search import SearchAlgorithm
        from .models import shipped_models

        for algorithm in (SearchAlgorithm(), DownloadAlgorithm(), IndexAlgorithm(), NdviAlgorithm(),
                          ParcelStatisticsAlgorithm(), CompositeAlgorithm(), GapFilledSeriesAlgorithm(),
                          FloodMapAlgorithm(),
                          *shipped_models(self.id())):
            self.addAlgorithm(algorithm)
