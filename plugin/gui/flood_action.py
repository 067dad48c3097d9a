"""The dock's "Flood map" button: shown when the ticked products are Sentinel-1 of exactly two dates on one
relative orbit; maps the flood over the map's extent from the downloaded zips, in a background task, and
puts the flood raster and polygons on the map in one group."""
import logging
import os

from qgis.core import Qgis, QgsApplication, QgsProject
from qgis.PyQt.QtCore import QObject
from qgis.PyQt.QtWidgets import QPushButton

from ..core.models import ProductKind
from ..core.paths import safe_filename
from ..qgis.i18n import localize, tr

LOG = logging.getLogger("sentinel_mirror.flood")


def two_dates(products):
    """(before, after) products when they are all Sentinel-1, of two acquisition days, on one relative orbit."""
    if not products or any(p.kind is not ProductKind.S1 for p in products):
        return None
    days = sorted({p.acquired.date() for p in products})
    if len(days) != 2 or len({p.relative_orbit for p in products}) != 1:
        return None
    return ([p for p in products if p.acquired.date() == days[0]],
            [p for p in products if p.acquired.date() == days[1]])


class FloodAction(QObject):
    def __init__(self, dock):
        super().__init__(dock)
        self.dock = dock
        self.task = None
        self.button = QPushButton(tr("Flood map"), dock.ui.downloadButton.parentWidget())
        self.button.setObjectName("floodButton")
        self.button.setToolTip(tr("Map the flood between the two ticked Sentinel-1 dates over the map's extent "
                                  "(download them first). Radar change detection, no terrain correction."))
        layout = dock.ui.goLayout
        layout.insertWidget(layout.indexOf(dock.ui.downloadButton) + 1, self.button)
        self.button.clicked.connect(self.start)
        dock.model.checkedChanged.connect(self.update)
        self.update()

    def update(self):
        self.button.setVisible(two_dates(self.dock.model.checked_products()) is not None)
        self.button.setEnabled(self.task is None)

    def archives(self, products):
        from ..qgis.settings import load_config
        folder = self.dock.download_folder(load_config())
        return folder, [os.path.join(folder, safe_filename(p.title, ".zip")) for p in products]

    def start(self):
        pair = two_dates(self.dock.model.checked_products())
        if pair is None or self.task is not None:
            return
        folder, before = self.archives(pair[0])
        _, after = self.archives(pair[1])
        if not all(os.path.exists(p) for p in before + after):
            self.dock.show_error(tr("Download both dates first (Download), then click Flood map."))
            return
        canvas = self.dock.canvas
        extent, crs = canvas.extent(), canvas.mapSettings().destinationCrs()
        day = pair[1][0].acquired.strftime("%Y-%m-%d")
        stem = os.path.join(folder, f"flood_{pair[0][0].acquired:%Y%m%d}_{pair[1][0].acquired:%Y%m%d}")
        from ..tasks.flood_task import FloodTask
        task = FloodTask(before, after, (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()),
                         crs.toWkt(), stem + ".tif", stem + ".gpkg")
        task.resultsReady.connect(lambda results: self._done(results[0], day))
        task.failed.connect(self._failed)
        task.cancelledByUser.connect(self._failed)
        self.task = task
        self.update()
        self.dock.bar.pushMessage(tr("Mapping the flood over the map's extent…"), Qgis.MessageLevel.Info, 4)
        QgsApplication.taskManager().addTask(task)

    def _done(self, result, day):
        from ..qgis.flood_layers import add_flood_layers, group_name
        self.task = None
        self.update()
        add_flood_layers(result.raster, result.polygons, f"{group_name()} {day}", QgsProject.instance())
        LOG.info("%s (%s)", result.summary(), result.raster)
        self.dock.bar.pushMessage(localize(result.summary()), Qgis.MessageLevel.Success, 10)

    def _failed(self, message=None):
        self.task = None
        self.update()
        if message:
            self.dock.show_error(message)
