"""What the dock remembers between sessions (QgsSettings "sentinel_mirror/dock/..."): the last inputs and the
recently used tiles. Nothing secret: accounts live in the QGIS authentication database."""
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QDate, Qt

from ..core.models import PROVIDERS

PREFIX = "sentinel_mirror/dock/"
MAX_RECENT = 8


def save_inputs(ui):
    s = QgsSettings()
    s.setValue(PREFIX + "mode", "tile" if ui.tileRadio.isChecked() else "extent")
    s.setValue(PREFIX + "tile", ui.tileEdit.text().strip())
    s.setValue(PREFIX + "provider", ui.providerCombo.currentData())
    s.setValue(PREFIX + "collection", ui.collectionCombo.currentData())
    s.setValue(PREFIX + "start", ui.startDate.date().toString(Qt.DateFormat.ISODate))
    s.setValue(PREFIX + "end", ui.endDate.date().toString(Qt.DateFormat.ISODate))
    s.setValue(PREFIX + "max_cloud", ui.cloudSpin.value())
    s.setValue(PREFIX + "ndvi", ui.ndviCheck.isChecked())
    s.setValue(PREFIX + "index", ui.indexCombo.currentData())
    s.setValue(PREFIX + "encoding", ui.encodingCombo.currentData())
    s.setValue(PREFIX + "resolution", ui.resolutionCombo.currentData())
    s.setValue(PREFIX + "load", ui.loadCheck.isChecked())


def restore_inputs(ui):
    """Fill the form from the settings; returns the recent tiles. The provider is set before the collection
    (its list depends on it)."""
    s = QgsSettings()

    def flag(key, default):
        v = s.value(PREFIX + key, default)
        return v if isinstance(v, bool) else str(v).lower() in ("true", "1")

    i = ui.providerCombo.findData(s.value(PREFIX + "provider", PROVIDERS[0]))
    ui.providerCombo.setCurrentIndex(max(i, 0))
    i = ui.collectionCombo.findData(s.value(PREFIX + "collection", ""))
    if i >= 0:
        ui.collectionCombo.setCurrentIndex(i)
    ui.tileEdit.setText(s.value(PREFIX + "tile", "") or "")
    for key, edit in (("start", ui.startDate), ("end", ui.endDate)):
        d = QDate.fromString(s.value(PREFIX + key, "") or "", Qt.DateFormat.ISODate)
        if d.isValid():
            edit.setDate(d)
    try:
        ui.cloudSpin.setValue(int(float(s.value(PREFIX + "max_cloud", 30))))
    except (TypeError, ValueError):
        pass
    ui.ndviCheck.setChecked(flag("ndvi", True))
    ui.indexCombo.setCurrentIndex(max(0, ui.indexCombo.findData(s.value(PREFIX + "index", "NDVI"))))
    ui.encodingCombo.setCurrentIndex(max(0, ui.encodingCombo.findData(s.value(PREFIX + "encoding", "float32"))))
    try:   # QgsSettings may hand the number back as text
        resolution = int(s.value(PREFIX + "resolution", 10))
    except (TypeError, ValueError):
        resolution = 10
    ui.resolutionCombo.setCurrentIndex(max(0, ui.resolutionCombo.findData(resolution)))
    ui.loadCheck.setChecked(flag("load", True))
    (ui.extentRadio if s.value(PREFIX + "mode", "tile") == "extent" else ui.tileRadio).setChecked(True)
    return recent_tiles()


def recent_tiles():
    return [t for t in (QgsSettings().value(PREFIX + "recent_tiles", "") or "").split(",") if t][:MAX_RECENT]


def remember_tile(tile_id):
    """Put a tile first in the recent list; returns the new list."""
    recent = ([tile_id] + [t for t in recent_tiles() if t != tile_id])[:MAX_RECENT]
    QgsSettings().setValue(PREFIX + "recent_tiles", ",".join(recent))
    return recent
