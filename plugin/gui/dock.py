"""The Sentinel Mirror dock: the search form (search_form.py), the results table with footprints and quicklook,
and one button that runs the same pipeline task as Processing (download_run.py).

The dock is a controller: it resolves everything a task needs on the main thread (plugin/qgis/catalogue.py),
starts the shared tasks (plugin/tasks) and reacts to their signals. It never does network or raster work itself.
"""
import importlib
import logging
import os
import threading
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProject
from qgis.gui import QgsDockWidget, QgsMessageBar
from qgis.PyQt import uic
from qgis.PyQt.QtCore import QItemSelectionModel, QSize, QStandardPaths, Qt, QTimer, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QHeaderView, QPushButton, QSizePolicy, QWidget

from .. import about
from ..core.errors import AuthError, FolderError, NotFoundError, SentinelMirrorError
from ..core.indices import FLOAT32, INDEX_NAMES, INT16
from ..core.models import ProductKind, ProductState
from ..core.paths import writable_folder
from ..qgis.i18n import localize, tr
from ..qgis.messages import user_message
from ..tasks.base import cancel_task
from . import results_model as rm
from .download_run import DownloadRun
from .footprints import FootprintsLayer
from .help import help_url
from .options_factory import OBJECT_NAME as OPTIONS_PAGE_NAME
from .quicklook import QuicklookLoader
from .search_form import SearchForm
from .status_batch import REFRESH_MS, StatusBatcher

LOG = logging.getLogger("sentinel_mirror")
FIT_ROWS = 20   # the rows a column's width is measured on (dates, tiles, sizes: all rows look alike)
FORM_CLASS, _ = uic.loadUiType(str(about.UI_DIR / "dock.ui"))


def _icon(name):
    return QgsApplication.getThemeIcon(name)


class SentinelMirrorDock(QgsDockWidget):
    """Signals are for tests and for whoever wants to follow the dock (main thread)."""
    searchFinished = pyqtSignal(bool)       # ok
    runFinished = pyqtSignal(str)           # "done" | "failed" | "cancelled"
    layersAdded = pyqtSignal(list)          # the QgsMapLayers the run put on the map

    def __init__(self, iface, parent=None):
        super().__init__(about.NAME, parent)
        self.iface = iface
        self.canvas = iface.mapCanvas()
        self.setObjectName("SentinelMirrorDock")

        contents = _Contents(self)
        contents.setObjectName("SentinelMirrorDockContents")
        self.ui = FORM_CLASS()
        self.ui.setupUi(contents)
        for name in INDEX_NAMES:             # the index computed after downloads, next to "Compute"
            self.ui.indexCombo.addItem(name, name)
        # how it is written: the same choices as sentinelmirror:index, in words short enough for a dock row
        self.ui.encodingCombo.addItem(tr("Float32 (exact)"), FLOAT32)
        self.ui.encodingCombo.addItem(tr("Int16 (compact)"), INT16)
        self.ui.resolutionCombo.addItem(tr("10 m grid"), 10)
        self.ui.resolutionCombo.addItem(tr("20 m grid"), 20)
        self.bar = QgsMessageBar(contents)
        contents.layout().insertWidget(0, self.bar)
        self.setWidget(contents)

        self.model = rm.ResultsModel(self)
        self.proxy = rm.ResultsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.footprints = FootprintsLayer()
        self.provider = None             # the catalogue client of the last search (its session serves quicklooks)
        self.search_task = None
        self.run = None                  # the DownloadRun in progress
        self.statuses = None             # its StatusBatcher: pipeline updates reach the table a few times a second
        self.loader = None               # the LayerLoader putting a finished run's layers on the map
        self.last_run = None
        self.watches = None              # gui/watches.WatchManager, set by the plugin: watches products on tape
        self.quicklooks = QuicklookLoader(self)
        self.quicklooks.ready.connect(self._quicklook_ready)
        self.quicklooks.unavailable.connect(self._quicklook_unavailable)
        self._elapsed_timer = QTimer(self)
        self._elapsed_timer.setInterval(500)
        self._elapsed_timer.timeout.connect(self._show_elapsed)
        self._progress = None            # (percent, label) not shown yet: the bar repaints at once on each value,
        self._progress_timer = QTimer(self)   # so it follows a run a few times a second, not at every update
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(REFRESH_MS)
        self._progress_timer.timeout.connect(self._show_progress)

        self.form = SearchForm(self.ui, self.canvas, is_shown=lambda: not self.isHidden(), parent=self)
        self.form.notice.connect(lambda text: self.bar.pushMessage(text, Qgis.MessageLevel.Info, 4))
        self.form.refused.connect(self.show_error)
        for combo in (self.ui.indexCombo, self.ui.encodingCombo, self.ui.resolutionCombo):
            combo.setEnabled(self.ui.ndviCheck.isChecked())   # they only matter when something is computed
            self.ui.ndviCheck.toggled.connect(combo.setEnabled)
        self._setup_buttons()
        self._setup_results()
        from .flood_action import FloodAction
        self.flood = FloodAction(self)       # "Flood map" once two Sentinel-1 dates are ticked (flood_action.py)
        self._set_busy(None)
        self._update_summary()
        self.warm_up = _warm_up_imports()

    # the form's parts tests and scripts reach through the dock
    picker = property(lambda self: self.form.picker)
    draw_tool = property(lambda self: self.form.draw_tool)
    completer = property(lambda self: self.form.completer)
    grid = property(lambda self: self.form.grid)

    def build_query(self):
        return self.form.build_query()

    def provider_name(self):
        return self.form.provider_name()

    # ================================================================================ setup
    def _setup_buttons(self):
        ui = self.ui
        ui.tileEdit.returnPressed.connect(self.search)
        ui.searchButton.setIcon(_icon("/search.svg"))
        ui.searchButton.clicked.connect(self.search)
        ui.optionsButton.setIcon(_icon("/mActionOptions.svg"))
        ui.optionsButton.clicked.connect(self.open_options)
        ui.helpButton.setIcon(_icon("/mActionHelpContents.svg"))
        ui.helpButton.clicked.connect(self.open_help)
        from ..qgis.settings import load_config
        from .profile_tool import add_profile_button   # the time-profile panel (plugin/gui/profile_tool.py)
        self.profile_button = add_profile_button(self, ui.searchLayout, ui.searchLayout.indexOf(ui.optionsButton),
                                                 lambda: self.download_folder(load_config()))
        from .watch_list import add_watches_button   # the watches of products on tape: see and stop them
        self.watches_button = add_watches_button(self, ui.searchLayout, ui.searchLayout.indexOf(ui.optionsButton))

    def _setup_results(self):
        ui = self.ui
        ui.splitter.setStretchFactor(0, 0)
        ui.splitter.setStretchFactor(1, 1)
        self._sized = False
        ui.dateArrow.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        for w in (ui.progressBar, ui.elapsedLabel):
            w.setVisible(False)        # shown from the first run on
        view = ui.resultsView
        view.setModel(self.proxy)
        view.setItemDelegateForColumn(rm.STATE, rm.StateDelegate(view))
        header = view.horizontalHeader()
        # Columns are sized to their contents once per search (_search_results), not live: a ResizeToContents header
        # re-measures every row of the table each time a cell changes, a cost that grows with the results.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(rm.STATE, QHeaderView.ResizeMode.Stretch)
        header.setResizeContentsPrecision(FIT_ROWS)
        header.setHighlightSections(False)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
        view.sortByColumn(rm.DATE, Qt.SortOrder.AscendingOrder)
        view.selectionModel().currentRowChanged.connect(self._current_changed)

        ui.filterEdit.textChanged.connect(self.proxy.setFilterFixedString)
        ui.filterEdit.textChanged.connect(lambda *_: self._update_summary())
        ui.selectAllButton.setIcon(_icon("/mActionSelectAll.svg"))
        ui.selectAllButton.clicked.connect(lambda: self.select_shown(True))
        ui.selectNoneButton.setIcon(_icon("/mActionDeselectAll.svg"))
        ui.selectNoneButton.clicked.connect(lambda: self.select_shown(False))
        self.model.checkedChanged.connect(self._checked_changed)

        ui.downloadButton.setIcon(_icon("/downloading_svg.svg"))
        ui.downloadButton.clicked.connect(self.download)
        ui.cancelButton.setIcon(_icon("/mTaskCancel.svg"))
        ui.cancelButton.clicked.connect(self.cancel)
        ui.quicklookLabel.setText("")
        ui.elapsedLabel.setText("")

    # ================================================================================ search
    def _open_catalogue(self):
        """Set self.provider to the client of the chosen catalogue; False (the error shown) when it cannot be."""
        from ..qgis.catalogue import open_catalogue
        try:   # a CDSE one-time code (two-factor accounts) is good for one login: used once, then dropped
            totp, self.cdse_totp = getattr(self, "cdse_totp", ""), ""
            self.provider = open_catalogue(self.provider_name(), totp=totp if self.provider_name() == "cdse" else "")
        except SentinelMirrorError as e:
            self.show_error(user_message(e), settings_button=isinstance(e, AuthError))
            return False
        return True

    def search(self):
        if self._busy():
            return
        query = self.build_query()
        if query is None:
            return
        self.form.save_inputs()
        if query.tile:
            self.form.remember_tile(query.tile)
        if not self._open_catalogue():
            return
        from ..tasks.search_task import SearchTask
        self.bar.clearWidgets()
        task = SearchTask(self.provider, query)
        task.resultsReady.connect(self._search_results)
        task.failed.connect(self._search_failed)
        task.cancelledByUser.connect(self._search_cancelled)
        self.search_task = task
        self._set_busy("search")
        self.ui.progressBar.setRange(0, 0)   # a catalogue search has no meaningful percentage: busy bar
        QgsApplication.taskManager().addTask(task)

    def _search_results(self, products):
        self.search_task = None
        self._set_busy(None)
        self.quicklooks.clear()
        self.model.set_products(products, checked=True)
        self.proxy.sort(self.ui.resultsView.horizontalHeader().sortIndicatorSection(),
                        self.ui.resultsView.horizontalHeader().sortIndicatorOrder())
        self.ui.resultsView.resizeColumnsToContents()   # once per search, on FIT_ROWS rows (see _setup_results)
        layer = self.footprints.set_products(products, [True] * len(products))
        self._show_footprints(layer)
        if self.proxy.rowCount():
            self.ui.resultsView.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        offline = sum(1 for p in products if not p.online)
        self.ui.resultsGroup.setTitle(tr("Results: {n} products, {offline} on tape", n=len(products), offline=offline)
                                      if offline else tr("Results: {n} products", n=len(products)))
        self.searchFinished.emit(True)

    def _show_footprints(self, layer):
        """Zoom to the results only when they are not already in view: never move the map needlessly."""
        if layer is None or layer.extent().isEmpty():
            return
        from qgis.core import QgsCoordinateTransform
        ct = QgsCoordinateTransform(layer.crs(), self.canvas.mapSettings().destinationCrs(), QgsProject.instance())
        try:
            extent = ct.transformBoundingBox(layer.extent())
        except Exception:  # noqa: BLE001
            return
        if not self.canvas.extent().intersects(extent):
            extent.scale(1.2)
            self.canvas.setExtent(extent)
        self.canvas.refresh()

    def _search_failed(self, message):
        error, self.search_task = getattr(self.search_task, "error", None), None
        self._set_busy(None)
        if isinstance(error, NotFoundError):   # nothing matched: advice, not an error
            self.bar.pushMessage(message, Qgis.MessageLevel.Warning, 0)
            LOG.info("%s", message)
        else:
            self.show_error(message, settings_button=isinstance(error, AuthError) or self._looks_like_auth(message))
        self.searchFinished.emit(False)

    def _search_cancelled(self):
        self.search_task = None
        self._set_busy(None)
        self.bar.pushMessage(tr("Search cancelled."), Qgis.MessageLevel.Info, 3)
        self.searchFinished.emit(False)

    # ================================================================================ results
    def select_shown(self, checked):
        self.model.set_checked(self.proxy.source_rows(), checked)

    def _checked_changed(self):
        self._update_summary()
        ids = {p.id for p in self.model.checked_products()}
        self.footprints.set_ticked(ids)

    def _update_summary(self):
        n, total = self.model.checked_count(), self.model.rowCount()
        shown = self.proxy.rowCount()
        text = tr("{n} of {total} ticked · {size}", n=n, total=total, size=rm.human_size(self.model.checked_size()))
        if shown != total:
            text += " · " + tr("{shown} shown", shown=shown)
        self.ui.summaryLabel.setText(text if total else tr("No results yet: choose where and what, then Search."))
        self.ui.downloadButton.setEnabled(n > 0 and not self._busy())

    def current_product(self):
        idx = self.ui.resultsView.selectionModel().currentIndex()
        if not idx.isValid():
            return None
        return self.model.product(self.proxy.mapToSource(idx).row())

    def _current_changed(self, current, _previous):
        if not current.isValid():
            self.ui.productLabel.setText("")
            self.ui.quicklookLabel.clear()
            self.footprints.highlight(None, self.canvas)
            return
        p = self.model.product(self.proxy.mapToSource(current).row())
        self.footprints.highlight(p.id, self.canvas)
        cloud = "?" if p.cloud_cover is None else f"{p.cloud_cover:.0f} %"
        self.ui.productLabel.setText(tr("<b>{date}</b> {platform} · tile {tile} · cloud {cloud}<br>"
                                        "<small>{title}</small>", date=f"{p.acquired:%Y-%m-%d}", platform=p.platform,
                                        tile=p.tile or "?", cloud=cloud, title=p.title))
        self.ui.quicklookLabel.setText("…")
        self.quicklooks.request(p, self.provider.session if self.provider is not None else None)

    def _quicklook_ready(self, product_id, pixmap):
        current = self.current_product()
        if current is not None and current.id == product_id:
            label = self.ui.quicklookLabel
            label.setPixmap(pixmap.scaled(label.maximumSize(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))
            label.setToolTip(tr("Quicklook of the product under the cursor in the table."))

    def _quicklook_unavailable(self, product_id, why):
        current = self.current_product()
        if current is not None and current.id == product_id:
            self.ui.quicklookLabel.setText(tr("no\nquicklook"))
            self.ui.quicklookLabel.setToolTip(localize(why))

    # ================================================================================ download
    def download_folder(self, config):
        folder = (config.download_dir or "").strip()
        if not folder:
            base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation) or str(Path.home())
            folder = os.path.join(base, "Sentinel Mirror")
        return folder

    def download(self):
        if self._busy():
            return
        products = self.model.checked_products()
        if not products:
            self.show_error(tr("Tick at least one product in the table (or use the select-all button)."))
            return
        from ..qgis.catalogue import pipeline_options
        from ..qgis.settings import load_config
        config = load_config()
        folder = self.download_folder(config)
        try:
            writable_folder(folder)   # a file, a read-only mount: one sentence now, before anything is asked
        except FolderError as e:
            self.show_error(tr("{reason} (Settings → Options → Sentinel Mirror)", reason=e), settings_button=True)
            return
        if not self._open_catalogue():
            return
        optical = self.form.collection() is not None and self.form.collection().kind is not ProductKind.S1
        # the run ends once the online products are in; products on tape are watched apart (gui/watches.py)
        run = DownloadRun(self.provider, products, folder, options=pipeline_options(config, watch_s=0.0),
                          ndvi=optical and self.ui.ndviCheck.isChecked(), index=self.ui.indexCombo.currentData(),
                          encoding=self.ui.encodingCombo.currentData(),
                          resolution=self.ui.resolutionCombo.currentData(),
                          views=optical and self.ui.loadCheck.isChecked(), parent=self)
        self.statuses = StatusBatcher(parent=run)
        self.statuses.batchReady.connect(self.model.apply_statuses)
        run.statusChanged.connect(self.statuses.push)
        for end in (run.finished, run.failed, run.cancelled):   # first the rows' final word, then the summary
            end.connect(self.statuses.flush)
        run.progressChanged.connect(self._run_progress)
        run.messageChanged.connect(self.ui.progressBar.setToolTip)
        run.stepFailed.connect(self.show_error)
        run.finished.connect(self._run_finished)
        run.failed.connect(self._run_failed)
        run.cancelled.connect(self._run_cancelled)
        self.bar.clearWidgets()
        self.model.clear_status()
        self.run = run
        self._set_busy("download")
        self._elapsed_timer.start()
        run.start()

    def _run_progress(self, pct, label):
        self._progress = (pct, label)
        if not self._progress_timer.isActive():
            self._progress_timer.start()

    def _show_progress(self):
        self._progress_timer.stop()
        if self._progress is not None:
            (pct, label), self._progress = self._progress, None
            self.ui.progressBar.setFormat(label)
            self.ui.progressBar.setValue(int(round(pct * 10)))

    def _show_elapsed(self):
        if self.run is None or self.run.started is None:
            return
        s = int(self.run.elapsed())
        self.ui.elapsedLabel.setText(f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600
                                     else f"{s // 60}:{s % 60:02d}")

    def _end_run(self):
        self._show_progress()
        self._show_elapsed()
        self._elapsed_timer.stop()
        self.run.setParent(None)
        self.run, self.last_run = None, self.run
        self._set_busy(None)
        self.ui.progressBar.setFormat("%p %")

    def _run_finished(self, outcome):
        if self.ui.loadCheck.isChecked() and (outcome.ndvi or outcome.views):
            self._load_layers(outcome)   # the run ends once its last layer is on the map
        else:
            self._run_done(outcome, [])

    def _load_layers(self, outcome):
        """NDVI and natural colour layers, dated and grouped per tile and date, added a slice at a time."""
        from .layer_loader import LayerLoader
        loader = LayerLoader(QgsProject.instance(), ndvi_paths=outcome.ndvi_paths, natural_colour_paths=outcome.views,
                             parent=self)
        loader.progressChanged.connect(lambda pct: self._run_progress(pct, tr("Adding layers %p %")))
        loader.finished.connect(lambda layers, errors: self._layers_loaded(outcome, layers, errors))
        self.loader = loader
        loader.start()

    def _layers_loaded(self, outcome, layers, errors):
        self.loader = None
        if errors:   # a layer that cannot be shown must not hide the downloads
            self.show_error(errors[0] if len(errors) == 1 else tr("{n} layers could not be added: {first}",
                                                                  n=len(errors), first=errors[0]))
        self._run_done(outcome, layers)

    def _run_done(self, outcome, layers):
        self._end_run()
        self.ui.progressBar.setValue(1000)
        done, failed = outcome.done, outcome.failed
        tape = [st for st in outcome.statuses if st.state is ProductState.OFFLINE]
        text = tr("{done} of {total} downloaded", done=len(done), total=len(outcome.statuses))
        if outcome.ndvi:
            text += tr(", {n} {index}", n=len(outcome.ndvi), index=self.last_run.index)   # the index computed
        reasons = sorted({st.reason for st in failed if st.reason})   # English: the checks below read them
        if tape:
            text += tr(", {n} on tape", n=len(tape))
        if failed:   # one shared reason (a wrong key, a full disk) is said at once; several: see the rows
            text += tr("; {n} failed: {why}", n=len(failed),
                       why=localize(reasons[0]) if len(reasons) == 1 else tr("hover the state for why."))
        else:
            text += "."
        if len({lyr.name().rsplit(" ", 1)[-1] for lyr in layers}) > 1:
            text += " " + tr("The newest date is on the map; the others wait in the Layers panel, unticked.")
        LOG.info("%s (%s)", text, outcome.folder)
        for st in failed:
            LOG.warning("%s failed: %s", st.product_id, st.reason)
        if done:
            self._push_with_button(text, tr("Open folder"), lambda: self.open_folder(outcome.folder),
                                   Qgis.MessageLevel.Warning if failed else Qgis.MessageLevel.Success)
        elif failed or not tape:
            self.show_error(text, settings_button=any(self._looks_like_auth(r) for r in reasons))
        if tape:
            self._tape_products(outcome, tape)
        self.runFinished.emit("failed" if failed and not done and not tape else "done")
        if any("two-factor" in r for r in reasons):
            self.ask_cdse_code()
        if layers:
            self.layersAdded.emit(layers)

    def ask_cdse_code(self):
        """CDSE refused a login that may need a one-time code: ask for it, then download again (the verified
        products are skipped)."""
        from qgis.PyQt.QtWidgets import QInputDialog, QLineEdit
        code, ok = QInputDialog.getText(self, tr("CDSE one-time code"),
                                        tr("This CDSE account may use two-factor login. Type the current code from "
                                           "your authenticator app to download again:"), QLineEdit.EchoMode.Normal, "")
        if ok and code.strip():
            self.cdse_totp = code.strip()
            self.download()

    def _tape_products(self, outcome, tape):
        """The instructions for the products on tape, and their watch (which outlives this run and QGIS)."""
        from .tape_notice import push_tape_notice
        folder = outcome.folder
        titles = sorted(p.title for p in self.model.products() if p.id in {st.product_id for st in tape})
        self.tape_button = push_tape_notice(self.bar, Qgis.MessageLevel.Info, self.provider.offline_recall, titles,
                                            folder)
        if self.watches is None:
            return
        choices = dict(self.last_run.choices, load=self.ui.loadCheck.isChecked(),
                       two_factor=bool(getattr(self.provider, "two_factor", False)))
        if outcome.watch_stopped:   # the service refused the credentials: a watch started now would be refused too
            from ..qgis import watches as registry
            registry.register(folder, self.provider.name, choices=choices)   # resumed once the user has acted
            self.show_error(localize(outcome.watch_stopped), settings_button=True)
            return
        self.watches.watch(folder, self.provider.name, choices=choices,
                           provider=self.provider)   # the run's client: its login (and session) go on

    def _run_failed(self, message):
        self._end_run()
        self.show_error(message, settings_button=self._looks_like_auth(message))
        self.runFinished.emit("failed")

    def _run_cancelled(self, _stopped):
        downloaded = bool(self.run.outcome.statuses)
        self._end_run()
        self.bar.pushMessage(tr("Cancelled. The downloads are kept; {index} was not finished.",
                                index=self.last_run.index) if downloaded else
                             tr("Download cancelled. Finished products are kept; the others resume where they "
                                "stopped next time."), Qgis.MessageLevel.Info, 6)
        self.runFinished.emit("cancelled")

    def cancel(self):
        if self.search_task is not None:
            cancel_task(self.search_task)
        if self.run is not None:
            self.run.cancel()
        if self.loader is not None:
            self.loader.cancel()
        self.ui.cancelButton.setEnabled(False)

    def open_folder(self, folder):
        if folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    # ================================================================================ state, messages
    def _busy(self):
        return self.search_task is not None or self.run is not None

    def _set_busy(self, what):
        ui = self.ui
        busy = what is not None
        for w in (ui.searchButton, ui.whereGroup, ui.whatGroup):
            w.setEnabled(not busy)
        ui.cancelButton.setEnabled(busy)
        ui.selectAllButton.setEnabled(what != "download")
        ui.selectNoneButton.setEnabled(what != "download")
        self.model.ticks_locked = what == "download"   # unticking a row mid-run would not stop its download
        ui.downloadButton.setEnabled(not busy and self.model.checked_count() > 0)
        if not busy:
            self.ui.progressBar.setRange(0, 1000)
            if self.last_run is None:   # the bar is about downloads: hidden until the first one
                ui.progressBar.setVisible(False)
        if what == "download":
            self.ui.elapsedLabel.setText("0:00")
        if what is not None:
            ui.progressBar.setVisible(True)
            ui.elapsedLabel.setVisible(what == "download")

    @staticmethod
    def _looks_like_auth(message):
        m = message.lower()
        return any(w in m for w in ("api key", "password", "authentication", "credentials", "token",   # English
                                    "clé d’api", "mot de passe", "authentification", "identifiants", "jeton"))

    def show_error(self, text, settings_button=False):
        LOG.warning("%s", text)
        if settings_button:
            self._push_with_button(text, tr("Open settings"), self.open_options, Qgis.MessageLevel.Critical)
        else:
            self.bar.pushMessage(text, Qgis.MessageLevel.Critical, 0)

    def _push_with_button(self, text, button_text, slot, level):
        item = self.bar.createMessage(text)     # no title: the dock already says whose message it is
        button = QPushButton(button_text, item)
        button.clicked.connect(slot)
        item.layout().addWidget(button)
        self.bar.pushWidget(item, level, 0 if level == Qgis.MessageLevel.Critical else 15)
        return button

    def open_options(self):
        self.iface.showOptionsDialog(self.iface.mainWindow(), currentPage=OPTIONS_PAGE_NAME)

    def open_help(self):
        QDesktopServices.openUrl(help_url())

    # ================================================================================ teardown
    def showEvent(self, event):
        super().showEvent(event)
        self.form.refresh_suggestions()
        if not self._sized:   # once the dock has its real height: the whole form, the table gets the rest
            self._sized = True
            QTimer.singleShot(0, self._size_splitter)

    def _size_splitter(self):
        total = sum(self.ui.splitter.sizes())
        form = min(self.ui.formContents.sizeHint().height() + 6, int(total * 0.6))
        self.ui.splitter.setSizes([form, max(total - form, 0)])

    def hideEvent(self, event):
        """The picker and the grid belong to the dock: a hidden dock leaves no tool or grid behind."""
        self.form.save_inputs()
        self.form.stop_map_tools()
        super().hideEvent(event)

    def deleteLater(self):
        """The plugin's unload() deletes the dock: take the footprints layer and canvas items with it."""
        self.cleanup()
        super().deleteLater()

    def cleanup(self):
        """Undo what the dock put on the canvas and the project (plugin unload)."""
        self.cancel()
        self.quicklooks.cancel()
        self.form.cleanup()
        self.footprints.remove()


class _Contents(QWidget):
    """The dock's first width: room for the six result columns (QGIS sizes a new dock from its hint)."""

    def sizeHint(self):
        return QSize(480, super().sizeHint().height())


_WARM_MODULES = ("qgis.catalogue", "core.providers.geodes", "core.providers.cdse", "core.pipeline",
                 "tasks.search_task", "tasks.pipeline_task")


def _warm_up_imports():
    """Import the catalogue clients (requests, urllib3...: ~0.1 s) on a background thread, so the first
    Search click does not freeze QGIS while Python loads them. The thread yields the GIL every few ms."""
    base = __package__.rpartition(".")[0]

    def load():
        for name in _WARM_MODULES:
            try:
                importlib.import_module(f"{base}.{name}")
            except Exception:  # noqa: BLE001 (the real import, on use, reports any problem)
                LOG.debug("warm-up import of %s failed", name, exc_info=True)

    thread = threading.Thread(target=load, name="sentinel-mirror-warm-up", daemon=True)
    thread.start()
    return thread

