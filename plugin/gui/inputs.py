"""Input checks done at the field, before anything is sent: the tile validator and its completion list."""
import math
import re

from qgis.PyQt.QtCore import QStringListModel, Qt, pyqtSignal
from qgis.PyQt.QtGui import QValidator
from qgis.PyQt.QtWidgets import QCompleter

from ..core import tiles as core_tiles
from ..core.errors import InvalidInputError
from ..core.i18n import tr_noop
from ..core.models import BBox
from ..qgis.i18n import tr

# What can still become a tile id while typing: T? zone (2 digits), latitude band, two square letters.
_PARTIAL = re.compile(r"^T?(\d{0,2}|\d{2}[C-HJ-NP-X]|\d{2}[C-HJ-NP-X][A-HJ-NP-Z]{1,2})$")
FORM_HINT = tr_noop("Tile ids are a UTM zone (01-60), a latitude band letter (C-X, no I/O) and two letters "
                    "(no I/O), e.g. 31TCJ; a leading T is accepted.")


def check_tile(text):
    """The normalised tile id ('31TCJ') or InvalidInputError saying what is wrong (form, then grid)."""
    return core_tiles.validate_tile(text)


class TileValidator(QValidator):
    """Refuses keystrokes that cannot lead to a tile id, and says why (refused(reason)); a complete id is
    Acceptable only when it exists in the Sentinel-2 grid (31TZZ has the right form but no such tile)."""
    refused = pyqtSignal(str)

    def validate(self, text, pos):
        cleaned = text.strip().upper()
        if cleaned == "":
            return QValidator.State.Intermediate, cleaned, min(pos, len(cleaned))
        if not _PARTIAL.match(cleaned):
            self.refused.emit(tr("{text!r} cannot become a tile id. {hint}", text=text.strip(), hint=FORM_HINT))
            return QValidator.State.Invalid, text, pos
        try:
            check_tile(cleaned)
        except InvalidInputError:
            return QValidator.State.Intermediate, cleaned, min(pos, len(cleaned))
        return QValidator.State.Acceptable, cleaned, min(pos, len(cleaned))

    def fixup(self, text):
        return text.strip().upper()


def nearby_tiles(lon, lat, limit=40):
    """Tiles around a point, nearest first: those containing it, then those within about 2 degrees."""
    try:
        here = list(core_tiles.tiles_at(lon, lat))
    except Exception:  # noqa: BLE001 (no tile there, e.g. the poles: just no suggestions)
        here = []
    around = []
    try:
        box = BBox(max(-180.0, lon - 2), max(-80.0, lat - 1.5), min(180.0, lon + 2), min(84.0, lat + 1.5))
        around = list(core_tiles.tiles_in_bbox(box))
    except Exception:  # noqa: BLE001
        around = []

    def distance(tile_id):
        try:
            pts = core_tiles.tile_footprint(tile_id).lonlat_polygon()   # a closed ring of (lon, lat)
            cx = sum(p[0] for p in pts) / len(pts)
            cy = sum(p[1] for p in pts) / len(pts)
            return math.hypot((cx - lon) * math.cos(math.radians(lat)), cy - lat)
        except Exception:  # noqa: BLE001
            return 1e9

    ordered = here + sorted((t for t in around if t not in here), key=distance)
    return list(dict.fromkeys(ordered))[:limit]


class TileCompleter(QCompleter):
    """Suggestions: recently used tiles first, then the tiles around the map centre."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._model = QStringListModel(self)
        self.setModel(self._model)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.recent = []
        self.nearby = []

    def update_list(self, recent=None, nearby=None):
        if recent is not None:
            self.recent = list(recent)
        if nearby is not None:
            self.nearby = list(nearby)
        self._model.setStringList(list(dict.fromkeys(self.recent + self.nearby)))

    def suggestions(self):
        return self._model.stringList()
