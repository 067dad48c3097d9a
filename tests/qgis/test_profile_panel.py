"""The time-profile panel on a real canvas: point, picked field and drawn field, chart, hover text, a click on a
date showing that date on the map, CSV/PNG export; values checked against independent numpy."""
import datetime as dt

import numpy as np
import pytest
from qgis.core import (QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsPointXY, QgsProject,
                       QgsRectangle, QgsVectorLayer)
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

from plugin.gui.profile_tool import ProfilePanel
from tests import ts_expected as ex
from tests.qgis.dock_helpers import dispose

DAYS = [dt.date(2023, 6, 1) + dt.timedelta(days=5 * i) for i in range(8)]


@pytest.fixture(scope="module")
def products(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profile_products")
    return str(folder), ex.build_series(str(folder), DAYS)


@pytest.fixture
def panel(qgis_iface, qgis_new_project, products, qtbot):
    folder, paths = products
    canvas = qgis_iface.mapCanvas()
    canvas.resize(600, 600)
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:32631"))
    gt, _ = ex.grid(paths[0])
    canvas.setExtent(QgsRectangle(gt[0], gt[3] - 1200, gt[0] + 1200, gt[3]))
    canvas.refresh()
    p = ProfilePanel(qgis_iface, folder)
    p.show()
    yield p
    p.close_tool()
    dispose(p)
    QgsProject.instance().clear()


def click(canvas, tool, x, y, button=Qt.MouseButton.LeftButton):
    px = canvas.getCoordinateTransform().transform(QgsPointXY(x, y))
    pos = QPoint(int(round(px.x())), int(round(px.y())))
    tool.canvasReleaseEvent(QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, pos, button))
    return canvas.getCoordinateTransform().toMapCoordinates(pos)


def test_point_profile_chart_hover_click_and_export(panel, products, qtbot, tmp_path):
    folder, paths = products
    truth = [ex.expected(p) for p in paths]
    masked_any = np.any([m for _, m in truth], axis=0)
    clear_any = np.any([~np.isnan(v) for v, _ in truth], axis=0)
    rows, cols = np.nonzero(masked_any & clear_any)
    r, c = int(rows[len(rows) // 3]), int(cols[len(cols) // 3])
    gt, _ = ex.grid(paths[0])
    qtbot.mouseClick(panel.ui.pointButton, Qt.MouseButton.LeftButton)
    assert panel.canvas.mapTool() is panel.tool
    with qtbot.waitSignal(panel.profileShown, timeout=30000) as got:
        where = click(panel.canvas, panel.tool, gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10)
    c, r = int((where.x() - gt[0]) // 10), int((gt[3] - where.y()) // 10)   # the pixel actually clicked
    profile = got.args[0]
    assert [p.date for p in profile] == DAYS
    for p, (value, masked) in zip(profile, truth):
        if np.isnan(value[r, c]):
            assert p.state == ("masked" if masked[r, c] else "no data")
        else:
            assert p.value == pytest.approx(value[r, c], abs=1e-6)
    if panel.chart.has_chart:
        labels = [line.get_label() for line in panel.chart.axes[0].get_lines()]
        assert "masked (clouds, shadows, edges)" in labels and "NDVI" in labels
        assert panel.chart.describe(profile[0]).startswith(DAYS[0].isoformat())
        panel.export_png(str(tmp_path / "p.png"))
        assert (tmp_path / "p.png").stat().st_size > 1000
    panel.export_csv(str(tmp_path / "p.csv"))
    assert len((tmp_path / "p.csv").read_text().splitlines()) == len(DAYS) + 1
    panel.chart.dateClicked.emit(profile[2])        # a click on the third date
    names = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
    assert any(DAYS[2].isoformat() in n for n in names), names


def test_index_choice_charts_ndwi_on_the_same_masks(panel, products, qtbot, tmp_path):
    """NDWI = (B3 - B8) / (B3 + B8) chosen in the panel: values equal independent numpy, masked dates masked."""
    folder, paths = products
    truth = [ex.expected_index(p, "NDWI") for p in paths]
    masked_any = np.any([m for _, m in truth], axis=0)
    clear_any = np.any([~np.isnan(v) for v, _ in truth], axis=0)
    rows, cols = np.nonzero(masked_any & clear_any)
    r, c = int(rows[len(rows) // 2]), int(cols[len(cols) // 2])
    gt, _ = ex.grid(paths[0])
    panel.indexCombo.setCurrentIndex(panel.indexCombo.findData("NDWI"))
    qtbot.mouseClick(panel.ui.pointButton, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.profileShown, timeout=30000) as got:
        where = click(panel.canvas, panel.tool, gt[0] + (c + 0.5) * 10, gt[3] - (r + 0.5) * 10)
    c, r = int((where.x() - gt[0]) // 10), int((gt[3] - where.y()) // 10)
    profile = got.args[0]
    assert [p.date for p in profile] == DAYS
    states = set()
    for p, (value, masked) in zip(profile, truth):
        if np.isnan(value[r, c]):
            assert p.state == ("masked" if masked[r, c] else "no data")
        else:
            assert p.value == pytest.approx(value[r, c], abs=1e-6)
        states.add(p.state)
    assert {"masked", "valid"} <= states
    if panel.chart.has_chart:
        assert "NDWI" in [line.get_label() for line in panel.chart.axes[0].get_lines()]
    panel.export_csv(str(tmp_path / "w.csv"))
    assert (tmp_path / "w.csv").read_text().splitlines()[0].startswith("date,state,ndwi,")


def test_picked_field_shows_mean_band_and_valid_share(panel, products, qtbot):
    folder, paths = products
    gt, _ = ex.grid(paths[0])
    box = (30, 40, 70, 80)
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326", "fields", "memory")
    f = QgsFeature()
    f.setGeometry(QgsGeometry.fromWkt(ex.rect_wgs84(*ex.cells(gt, *box))))
    layer.dataProvider().addFeatures([f])
    QgsProject.instance().addMapLayer(layer)
    panel.canvas.setLayers([layer])
    panel.ui.reflectanceCheck.setChecked(True)
    qtbot.mouseClick(panel.ui.pickButton, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.profileShown, timeout=30000) as got:
        click(panel.canvas, panel.tool, gt[0] + 500, gt[3] - 600)
    rows = got.args[0]
    for row, path in zip(rows, paths):
        value, masked = ex.expected(path)
        v = value[40:80, 30:70]
        assert row.pixels == v.size
        assert row.valid_fraction == pytest.approx(np.isfinite(v).mean())
        if np.isfinite(v).any():
            assert row.value == pytest.approx(np.nanmean(v), abs=1e-6)
    assert any(r.masked_fraction > 0 for r in rows)
    if panel.chart.has_chart:
        assert len(panel.chart.axes) == 2                 # NDVI and the B/G/R/NIR reflectance panel
        assert panel.chart.axes[0].collections             # the p10-p90 band


def test_drawn_field(panel, products, qtbot):
    folder, paths = products
    gt, _ = ex.grid(paths[0])
    qtbot.mouseClick(panel.ui.drawButton, Qt.MouseButton.LeftButton)
    for x, y in ((200, 200), (600, 200), (600, 600)):
        click(panel.canvas, panel.tool, gt[0] + x, gt[3] - y)
    with qtbot.waitSignal(panel.profileShown, timeout=30000) as got:
        click(panel.canvas, panel.tool, gt[0] + 200, gt[3] - 600, Qt.MouseButton.RightButton)
    rows = got.args[0]
    assert len(rows) == len(DAYS)
    assert 700 < rows[0].pixels < 900                      # a 40 x 40 px triangle: about 800 pixels


def test_no_folder_is_a_plain_message(panel, qtbot):
    panel.ui.folderEdit.setText("")
    qtbot.mouseClick(panel.ui.pointButton, Qt.MouseButton.LeftButton)
    click(panel.canvas, panel.tool, 300100, 4899900)
    assert "Choose the folder" in panel.ui.statusLabel.text()


def test_main_dock_opens_the_profile_panel_on_the_download_folder(qgis_iface, qgis_new_project, tmp_path, qtbot):
    from qgis.core import QgsSettings

    from plugin.gui.dock import SentinelMirrorDock
    from plugin.gui.profile_tool import ProfileDock

    s = QgsSettings()
    old = s.value("sentinel_mirror/download_dir")
    s.setValue("sentinel_mirror/download_dir", str(tmp_path))
    try:
        dock = SentinelMirrorDock(qgis_iface, qgis_iface.mainWindow())
        assert dock.profile_button.parent() is not None
        profile = dock.profile_button.open_panel()
        assert isinstance(profile, ProfileDock) and profile.panel.folder() == str(tmp_path)
        profile.panel.close_tool()
        dock.cleanup()
        dispose(dock)
    finally:
        if old is None:
            s.remove("sentinel_mirror/download_dir")
        else:
            s.setValue("sentinel_mirror/download_dir", old)


def test_without_matplotlib_the_values_are_listed(monkeypatch, qgis_app):
    from plugin.core.timeseries.profile import ProfileRow
    from plugin.gui import profile_chart

    monkeypatch.setattr(profile_chart, "HAVE_MATPLOTLIB", False)
    chart = profile_chart.ProfileChart()
    assert not chart.has_chart
    rows = [ProfileRow(DAYS[0], ("a",), 0.5, False, valid_fraction=1.0),
            ProfileRow(DAYS[1], ("b",), float("nan"), True, valid_fraction=0.0)]
    chart.show_rows(rows)
    assert chart.table.rowCount() == 2
    assert [chart.table.item(1, j).text() for j in range(3)] == [DAYS[1].isoformat(), "masked", ""]
    try:
        chart.save_png("x.png")
        raise AssertionError("a PNG without a chart")
    except OSError as e:
        assert "matplotlib" in str(e)
