"""SearchTask: one catalogue search in the background.

Signals (main thread):
- resultsReady(list): list[plugin.core.models.Product], never empty.
- failed(str): plain message, e.g. wrong key, service unreachable, or "No product found ...: widen the dates".
- cancelledByUser(), messageChanged(str): see tasks/base.py.

Usage (main thread):
    provider = open_catalogue(name)   # plugin/qgis/catalogue.py: settings, credentials, proxy-aware session
    task = SearchTask(provider, query); task.resultsReady.connect(...); QgsApplication.taskManager().addTask(task)
"""
from qgis.PyQt.QtCore import pyqtSignal

from ..core.errors import NotFoundError
from ..qgis.messages import empty_result_message
from ..qgis.i18n import tr
from .base import CoreTask


def describe(query):
    where = tr("tile {tile}", tile=query.tile) if query.tile else tr("extent")
    return tr("Sentinel Mirror: search {collection} {where} {start}…{end} ({service})", collection=query.collection,
              where=where, start=query.start, end=query.end, service=query.provider.upper())


class SearchTask(CoreTask):
    resultsReady = pyqtSignal(list)

    def __init__(self, provider, query):
        super().__init__(describe(query))
        self.provider, self.query = provider, query

    def work(self, progress):
        products = self.provider.search(self.query, progress)
        if not products:
            raise NotFoundError(empty_result_message(self.query))
        return products
