"""The search results as a table: one row per product, its live pipeline state, and which rows are ticked.

The model owns the products and their latest ProductStatus; the dock feeds it from task signals on the
main thread. Ticked rows are "the selection" the download runs on (ticks survive sorting and filtering,
unlike a view selection); the view's current row drives the quicklook and the highlighted footprint.
"""
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionProgressBar

from ..core.i18n import tr_noop
from ..core.models import Availability, ProductState
from ..qgis.i18n import localize, tr
from ..qgis.messages import state_label

DATE, TILE, CLOUD, SIZE, ONLINE, STATE = range(6)
HEADERS = (tr_noop("Date"), tr_noop("Tile"), tr_noop("Cloud"), tr_noop("Size"), tr_noop("Online"), tr_noop("State"))
HEADER_TIPS = (
    tr_noop("Acquisition date (UTC). Tick the products to download."),
    tr_noop("Sentinel-2 tile (MGRS grid square of 110 km)."),
    tr_noop("Cloud cover (%) of the whole tile, as the catalogue reports it."),
    tr_noop("Size of the archive to download."),
    tr_noop("Where the product was at the search. online: on disk at the service, downloads at once. on tape: to "
            "order in the service's portal (GEODES explorer, CDSE Data Workspace); the download lists it, watches "
            "it and fetches it as soon as it is back."),
    tr_noop("Where the product is in the download: on tape (order it in the portal) → downloading % → verifying → "
            "done."),
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1     # raw values so dates/sizes sort as values, not text
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2   # one text per row the filter box matches against
PRODUCT_ROLE = Qt.ItemDataRole.UserRole + 3
FRACTION_ROLE = Qt.ItemDataRole.UserRole + 4  # 0..1 while downloading, else None (progress delegate)

_STATE_COLOURS = {
    ProductState.STAGING: QColor("#b36b00"),
    ProductState.OFFLINE: QColor("#7a5c00"),
    ProductState.DOWNLOADING: QColor("#1f5fa8"),
    ProductState.VERIFYING: QColor("#1f5fa8"),
    ProductState.DONE: QColor("#2e7d32"),
    ProductState.FAILED: QColor("#c62828"),
    ProductState.CANCELLED: QColor("#616161"),
}
_AVAILABILITY_TEXT = {
    Availability.ONLINE: tr_noop("online"),
    Availability.OFFLINE: tr_noop("on tape"),
    Availability.STAGING: tr_noop("staging"),
    Availability.UNKNOWN: "?",
}


def availability_text(availability):
    return localize(_AVAILABILITY_TEXT[availability])


# size units as the user's language writes them (French: o, ko, Mo, Go)
_UNITS = {"B": tr_noop("B"), "kB": tr_noop("kB"), "MB": tr_noop("MB"), "GB": tr_noop("GB")}


def human_size(n):
    if n is None:
        return "?"
    size = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {localize(_UNITS[unit])}" if unit == "B" else f"{size:.1f} {localize(_UNITS[unit])}"
        size /= 1000.0
    return f"{size:.1f} TB"  # pragma: no cover


def state_text(status):
    if status is None:
        return ""
    if status.state is ProductState.DOWNLOADING:
        if status.bytes_total:
            return tr("downloading {pct:.0f} %", pct=100.0 * status.bytes_done / status.bytes_total)
        return tr("downloading {size}", size=human_size(status.bytes_done))
    if status.state is ProductState.FAILED:
        return "failed"
    if status.state is ProductState.OFFLINE:   # waiting for the user's order in the portal (the tooltip says where)
        return availability_text(Availability.OFFLINE)
    return status.state.value


class ResultsModel(QAbstractTableModel):
    stateChanged = pyqtSignal(str, object)   # product id, ProductState: once per change of state
    checkedChanged = pyqtSignal()            # the ticked set changed (summary, footprints follow)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._products = []
        self._checked = []
        self.ticks_locked = False   # during a download the ticks are what is being downloaded: not editable
        self._status = {}
        self._row = {}
        self._n_checked = 0          # the totals of the ticked rows, kept as ticks change (the summary line)
        self._size_checked = 0
        self._sorted_on = None       # (column, order) of the last sort: a sort on State follows state changes

    # --- content -------------------------------------------------------------------------------
    def set_products(self, products, checked=True):
        self.beginResetModel()
        self._products = list(products)
        self._checked = [checked] * len(self._products)
        self._status = {}
        self._row = {p.id: i for i, p in enumerate(self._products)}
        self._n_checked = len(self._products) if checked else 0
        self._size_checked = sum(p.size or 0 for p in self._products) if checked else 0
        self.endResetModel()
        self.checkedChanged.emit()

    def products(self):
        return list(self._products)

    def product(self, row):
        return self._products[row]

    def row_of(self, product_id):
        return self._row.get(product_id)

    def status(self, product_id):
        return self._status.get(product_id)

    def checked_products(self):
        return [p for p, c in zip(self._products, self._checked) if c]

    def checked_count(self):
        return self._n_checked

    def checked_size(self):
        return self._size_checked

    def set_checked(self, rows, checked):
        """Tick or untick rows: one dataChanged per run of adjacent rows, one checkedChanged in all."""
        changed = []
        for row in rows:
            if 0 <= row < len(self._checked) and self._checked[row] != checked:
                self._checked[row] = checked
                changed.append(row)
                sign = 1 if checked else -1
                self._n_checked += sign
                self._size_checked += sign * (self._products[row].size or 0)
        for first, last in _runs(sorted(changed)):
            self.dataChanged.emit(self.index(first, DATE), self.index(last, DATE), [Qt.ItemDataRole.CheckStateRole])
        if changed:
            self.checkedChanged.emit()

    def set_all_checked(self, checked):
        self.set_checked(range(len(self._products)), checked)

    def update_status(self, status):
        """Apply one ProductStatus from the pipeline (main thread)."""
        self.apply_statuses([status])

    def apply_statuses(self, statuses):
        """Apply ProductStatus updates in order (main thread): each change of state is reported once, and the
        view is told once per run of adjacent changed rows, on the State column only: the cost follows what
        changed, never the number of rows (no reset, no re-filter). The one exception: a table sorted on State
        is sorted again when a state changed, once for the whole batch (the caller hands statuses a few times a
        second, gui/status_batch.py), never per status; progress within a state does not move a row."""
        rows, moved = set(), False
        for status in statuses:
            row = self._row.get(status.product_id)
            if row is None:
                continue
            previous = self._status.get(status.product_id)
            self._status[status.product_id] = status
            rows.add(row)
            if previous is None or previous.state is not status.state:
                moved = True
                self.stateChanged.emit(status.product_id, status.state)
        for first, last in _runs(sorted(rows)):
            self.dataChanged.emit(self.index(first, STATE), self.index(last, STATE))
        if moved and self._sorted_on is not None and self._sorted_on[0] == STATE:
            self.sort(*self._sorted_on)

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        """Reorder the rows on one column's raw values: one Python sort (not a Qt sort asking data() for both
        sides of every comparison: thousands of calls at 300 rows). Ticks, statuses and the current row follow."""
        if not 0 <= column < len(HEADERS):
            return
        self._sorted_on = (column, order)
        if not self._products:
            return
        self.layoutAboutToBeChanged.emit()
        keys = [self._sort_key(p, self._status.get(p.id), column) for p in self._products]
        order_rows = sorted(range(len(self._products)), key=keys.__getitem__,
                            reverse=order == Qt.SortOrder.DescendingOrder)
        ids_before = [p.id for p in self._products]
        self._products = [self._products[r] for r in order_rows]
        self._checked = [self._checked[r] for r in order_rows]
        self._row = {p.id: i for i, p in enumerate(self._products)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(self._row[ids_before[i.row()]], i.column()) for i in old])
        self.layoutChanged.emit()

    def clear_status(self):
        self._status = {}
        if self._products:
            self.dataChanged.emit(self.index(0, STATE), self.index(len(self._products) - 1, STATE))

    # --- Qt model API ------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._products)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return localize(HEADERS[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                return localize(HEADER_TIPS[section])
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == DATE and not self.ticks_locked:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        if index.isValid() and index.column() == DATE and role == Qt.ItemDataRole.CheckStateRole \
                and not self.ticks_locked:
            checked = value in (Qt.CheckState.Checked, 2, True) or getattr(value, "value", None) == 2
            self.set_checked([index.row()], checked)
            return True
        return False

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        p = self._products[index.row()]
        col = index.column()
        st = self._status.get(p.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(p, st, col)
        if role == Qt.ItemDataRole.CheckStateRole and col == DATE:
            return Qt.CheckState.Checked if self._checked[index.row()] else Qt.CheckState.Unchecked
        if role == SORT_ROLE:
            return self._sort_key(p, st, col)
        if role == SEARCH_ROLE:
            return " ".join(filter(None, (p.title, p.tile or "", p.acquired.strftime("%Y-%m-%d"),
                                          p.platform, availability_text(p.availability), state_text(st))))
        if role == PRODUCT_ROLE:
            return p
        if role == FRACTION_ROLE and col == STATE and st is not None \
                and st.state is ProductState.DOWNLOADING and st.bytes_total:
            return max(0.0, min(1.0, st.bytes_done / st.bytes_total))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(p, st, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == STATE and st is not None:
            colour = _STATE_COLOURS.get(st.state)
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and col == ONLINE and p.availability is not Availability.ONLINE:
            return QBrush(_STATE_COLOURS[ProductState.OFFLINE])
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (CLOUD, SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, p, st, col):
        if col == DATE:
            return p.acquired.strftime("%Y-%m-%d")
        if col == TILE:
            return p.tile or ""
        if col == CLOUD:
            return "" if p.cloud_cover is None else f"{p.cloud_cover:.0f}"
        if col == SIZE:
            return human_size(p.size)
        if col == ONLINE:   # what the catalogue said; the live pipeline state is the State column's
            return availability_text(p.availability)
        if col == STATE:
            return state_text(st)
        return None

    @staticmethod
    def _sort_key(p, st, col):
        if col == DATE:
            return p.acquired.timestamp()
        if col == TILE:
            return p.tile or ""
        if col == CLOUD:
            return -1.0 if p.cloud_cover is None else float(p.cloud_cover)
        if col == SIZE:
            return p.size or 0
        if col == ONLINE:
            return 0 if p.online else 1
        if col == STATE:
            return list(ProductState).index(st.state) if st is not None else -1
        return None

    @staticmethod
    def _tooltip(p, st, col):
        if col == STATE and st is not None and st.reason:
            return localize(st.reason)
        if col == STATE and st is not None and st.path:
            return st.path
        lines = [p.title, f"{p.platform} · {p.acquired.strftime('%Y-%m-%d %H:%M UTC')}"]
        if p.relative_orbit:
            lines.append(tr("relative orbit {orbit}", orbit=p.relative_orbit))
        if p.availability is not Availability.ONLINE:
            lines.append(tr("on tape: order it in the service's portal; the download fetches it once it is back"))
        return "\n".join(lines)


def _runs(rows):
    """(first, last) of each run of consecutive numbers in sorted `rows`."""
    start = prev = None
    for row in rows:
        if prev is not None and row == prev + 1:
            prev = row
            continue
        if start is not None:
            yield start, prev
        start = prev = row
    if start is not None:
        yield start, prev


class ResultsFilterProxy(QSortFilterProxyModel):
    """Sorts on raw values and filters on one text per row (title, tile, date, platform, state)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(SEARCH_ROLE)
        self.setFilterKeyColumn(DATE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(False)  # rows must not jump around while their state ticks

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        """The table's header sorts the source model (ResultsModel.sort, one Python sort); the proxy keeps its
        order and only filters."""
        source = self.sourceModel()
        if source is not None and column >= 0:
            source.sort(column, order)
        super().sort(-1, order)

    def source_rows(self):
        return [self.mapToSource(self.index(r, 0)).row() for r in range(self.rowCount())]


class StateDelegate(QStyledItemDelegate):
    """Draws a thin progress bar under the state text of a row that is downloading."""

    def paint(self, painter, option, index):
        fraction = index.data(FRACTION_ROLE)
        if fraction is None:
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum = 0, 1000
        bar.progress = int(fraction * 1000)
        bar.text = f"{fraction * 100:.0f} %"   # the column is narrow: the bar itself says "downloading"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


__all__ = ["ResultsModel", "ResultsFilterProxy", "StateDelegate", "human_size", "state_text",
           "DATE", "TILE", "CLOUD", "SIZE", "ONLINE", "STATE", "SORT_ROLE", "SEARCH_ROLE",
           "PRODUCT_ROLE"]
