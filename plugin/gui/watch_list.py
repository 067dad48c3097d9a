"""The dock's "Watches" button and the list it opens: the watches of products on tape running now (folder,
service, products still on tape, next availability check), each with Stop (resumed at the next start of QGIS)
and Stop and forget (not resumed; the products stay listed in the folder for a later download run)."""
import time

from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                                 QPushButton, QTableWidget, QTableWidgetItem, QToolButton, QVBoxLayout)
from ..core.i18n import tr_noop
from ..qgis.i18n import localize, tr

HEADERS = (tr_noop("Folder"), tr_noop("Service"), tr_noop("On tape"), tr_noop("Next check"))
REFRESH_MS = 1000   # the countdown to the next check


def next_check_text(when, now=None):
    """'in 42 s', 'in 3 min', 'now' (a check is under way or due), '' when unknown."""
    if when is None:
        return ""
    left = when - (time.time() if now is None else now)
    if left <= 1:
        return tr("now")
    if left < 90:
        return tr("in {left:.0f} s", left=left)
    return tr("in {value:.0f} min", value=left / 60)


def add_watches_button(dock, layout, index):
    """A tool button in `layout` at `index` that says how many watches run and opens their list."""
    button = QToolButton(dock)
    button.setObjectName("watchesButton")
    button.setAutoRaise(True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setToolTip(tr("The products on tape Sentinel Mirror is watching, per folder: see them and stop them."))
    layout.insertWidget(index, button)
    state = {"dialog": None}

    def refresh():
        manager = dock.watches
        n = len(manager.tasks) if manager is not None else 0
        button.setText(tr("Watches ({n})", n=n) if n else tr("Watches"))

    def show():
        if dock.watches is None:
            return
        if state["dialog"] is None:
            state["dialog"] = WatchListDialog(dock.watches, dock)
        state["dialog"].show()
        state["dialog"].raise_()

    button.clicked.connect(show)
    timer = QTimer(button)
    timer.setInterval(REFRESH_MS)
    timer.timeout.connect(refresh)
    timer.start()
    refresh()
    button.open_list = show
    button.dialog = lambda: state["dialog"]
    return button


class WatchListDialog(QDialog):
    def __init__(self, manager, parent=None):
        super().__init__(parent)
        self.manager = manager
        self.setWindowTitle(tr("Sentinel Mirror: watches of products on tape"))
        self.rows = []   # (folder, provider name), in table order
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("watchTable")
        self.table.setHorizontalHeaderLabels([localize(h) for h in HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.empty = QLabel(tr("No product on tape is being watched."), self)
        self.stop_button = QPushButton(tr("Stop"), self)
        self.stop_button.setToolTip(tr("Stop watching this folder now; Sentinel Mirror watches it again at the "
                                       "next start of QGIS."))
        self.forget_button = QPushButton(tr("Stop and forget"), self)
        self.forget_button.setToolTip(tr("Stop watching this folder for good. The products stay listed in the "
                                         "folder: a download run of them watches them again."))
        # bound methods, not lambdas: no reference cycle, so a dropped dialog goes at once, never mid-refresh
        self.stop_button.clicked.connect(self.stop_selected)
        self.forget_button.clicked.connect(self.stop_and_forget_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.forget_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.resize(620, 220)
        manager.changed.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.timer = QTimer(self)   # runs only while the list is shown
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        self.refresh()
        self.timer.start()

    def hideEvent(self, event):  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    def refresh(self):
        if not self.isVisible():
            return
        selected = self.selected()
        watches = self.manager.details()
        self.rows = [(w["folder"], w["provider"]) for w in watches]
        self.table.setRowCount(len(watches))
        for row, w in enumerate(watches):
            cells = (w["folder"], w["service"], str(w["on_tape"]), next_check_text(w["next_check"]))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        if selected in self.rows:
            self.table.selectRow(self.rows.index(selected))
        elif self.rows and not self.table.selectedItems():
            self.table.selectRow(0)
        self.table.setVisible(bool(watches))
        self.empty.setVisible(not watches)
        self._update_buttons()

    def selected(self):
        rows = {i.row() for i in self.table.selectedItems()}
        return self.rows[min(rows)] if rows and min(rows) < len(self.rows) else None

    def _update_buttons(self):
        on = self.selected() is not None
        self.stop_button.setEnabled(on)
        self.forget_button.setEnabled(on)

    def stop_selected(self):
        self._stop(forget=False)

    def stop_and_forget_selected(self):
        self._stop(forget=True)

    def _stop(self, forget):
        key = self.selected()
        if key is not None:
            self.manager.stop(*key, forget=forget)
