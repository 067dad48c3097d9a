"""Fixtures for every test inside QGIS."""
import pytest
from qgis.core import QgsLayerTreeModel, QgsProject
from qgis.gui import QgsLayerTreeView


@pytest.fixture(scope="session", autouse=True)
def layer_tree_view(qgis_iface):
    """The desktop's layer tree view on the project's layer tree: QGIS 3.44's Processing hands
    iface.layerTreeView() to C++ when it loads results (processing.runAndLoadResults), and pytest-qgis's
    interface only answers a MagicMock there."""
    view = QgsLayerTreeView()
    model = QgsLayerTreeModel(QgsProject.instance().layerTreeRoot())
    view.setModel(model)
    qgis_iface.layerTreeView = lambda: view
    yield view
    view.setModel(None)
