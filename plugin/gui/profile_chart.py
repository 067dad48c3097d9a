"""The profile chart: matplotlib (Qt canvas) when QGIS's Python has it, else a plain table of the same rows.

Why matplotlib: on Windows it is an OSGeo4W package (python3-matplotlib) that the QGIS installers ship, as the
install notes of neighbouring plugins say (not checked against an installer here); for macOS nothing was
verified; on Debian/Ubuntu (checked with apt-cache) python3-qgis depends on python3-plotly, not on matplotlib,
which is the separate package python3-matplotlib. plotly draws in a web view, which QGIS 4 builds may lack.
Without matplotlib the panel shows a table and says how to get the chart; CSV export works either way.

Drawing: the index at valid dates as a line with markers; masked dates (clouds, shadows, edges) as grey
crosses on the axis, never as values; for a field the p10-p90 band around the mean and the share of valid
pixels as light bars. Optional second panel: surface reflectance of blue, green, red and NIR.
Hover shows the date and value; a click on a date emits dateClicked(row).
"""
import math

from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from ..core.i18n import tr_noop
from ..qgis.i18n import localize, tr

try:   # matplotlib >= 3.5 picks the Qt binding QGIS already loaded (PyQt5 on QGIS 3, PyQt6 on QGIS 4)
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg as FigureCanvas
    from matplotlib.figure import Figure
    import matplotlib.dates as mdates
    HAVE_MATPLOTLIB = True
except ImportError:
    try:
        from matplotlib.backends.backend_qt5agg import FigureCanvasQTAgg as FigureCanvas
        from matplotlib.figure import Figure
        import matplotlib.dates as mdates
        HAVE_MATPLOTLIB = True
    except ImportError:
        HAVE_MATPLOTLIB = False

BAND_COLOURS = {"B2": ("#1f5fbf", tr_noop("blue (B2)")), "B3": ("#2e9e3e", tr_noop("green (B3)")),
                "B4": ("#c0392b", tr_noop("red (B4)")), "B8": ("#7b3294", tr_noop("NIR (B8)"))}
NO_CHART = tr_noop("The chart needs matplotlib, which this QGIS's Python lacks (Debian/Ubuntu: "
                   "sudo apt install python3-matplotlib). The values are listed below and export to CSV.")
# a date's state (plugin/core/timeseries) as the chart and the table say it
STATE_TEXT = {"valid": tr_noop("valid"), "masked": tr_noop("masked"), "no data": tr_noop("no data")}


def state_text(state):
    return localize(STATE_TEXT.get(state, state))


def _finite(v):
    return v is not None and not (isinstance(v, float) and math.isnan(v))


class ProfileChart(QWidget):
    dateClicked = pyqtSignal(object)     # the ProfileRow of the clicked date
    hovered = pyqtSignal(str)            # "2023-06-16  NDVI 0.412 (valid 72 %)" or ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows, self.index = [], "NDVI"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if HAVE_MATPLOTLIB:
            self.figure = Figure(figsize=(5, 3.2), tight_layout=True)
            self.canvas = FigureCanvas(self.figure)
            self.canvas.setMinimumHeight(220)
            layout.addWidget(self.canvas)
            self.canvas.mpl_connect("motion_notify_event", self._hover)
            self.canvas.mpl_connect("button_press_event", self._click)
            self.table = None
            self._annotation = None
        else:
            self.figure = self.canvas = None
            note = QLabel(localize(NO_CHART))
            note.setWordWrap(True)
            layout.addWidget(note)
            self.table = QTableWidget(0, 4)
            self.table.setHorizontalHeaderLabels([tr("date"), tr("state"), self.index, tr("valid %")])
            layout.addWidget(self.table)

    @property
    def has_chart(self):
        return self.figure is not None

    def show_rows(self, rows, title="", index="NDVI"):
        self.rows, self.index = list(rows), index
        if self.figure is None:
            self._fill_table()
            return
        self.figure.clear()
        bands = sorted({b for r in self.rows for b, v in r.reflectance.items() if _finite(v)},
                       key=list(BAND_COLOURS).index)
        ax = self.figure.add_subplot(2 if bands else 1, 1, 1)
        self.axes = [ax]
        self._draw_index(ax, title)
        if bands:
            ax2 = self.figure.add_subplot(2, 1, 2, sharex=ax)
            self.axes.append(ax2)
            for b in bands:
                pts = [(r.date, r.reflectance[b]) for r in self.rows if _finite(r.reflectance.get(b))]
                colour, label = BAND_COLOURS[b]
                ax2.plot([d for d, _ in pts], [v for _, v in pts], "-o", ms=3, lw=1.2, color=colour,
                         label=localize(label))
            ax2.set_ylabel(tr("surface reflectance"))
            ax2.legend(loc="upper left", fontsize="x-small", ncol=4)
            ax2.grid(alpha=0.3)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        self._annotation = ax.annotate("", xy=(0, 0), xytext=(8, 8), textcoords="offset points", fontsize="small",
                                       bbox=dict(boxstyle="round", fc="#ffffe0", alpha=0.9), visible=False)
        self.canvas.draw_idle()

    def _draw_index(self, ax, title):
        rows = self.rows
        valid = [r for r in rows if r.state == "valid"]
        masked = [r for r in rows if r.state == "masked"]
        nodata = [r for r in rows if r.state == "no data"]
        field = any(r.pixels > 1 for r in rows)
        if field and valid:
            share = ax.twinx()
            share.bar([r.date for r in rows], [100 * (r.valid_fraction if _finite(r.valid_fraction) else 0)
                                                for r in rows], width=2.5, color="#9e9e9e", alpha=0.25,
                      label=tr("valid pixels (%)"))
            share.set_ylim(0, 100)
            share.set_ylabel(tr("valid pixels (%)"), color="#757575")
            share.tick_params(axis="y", colors="#757575", labelsize="small")
            ax.set_zorder(share.get_zorder() + 1)
            ax.patch.set_visible(False)
            ax.fill_between([r.date for r in valid], [r.p10 for r in valid], [r.p90 for r in valid],
                            color="#4caf50", alpha=0.25, label="p10-p90")
        ax.plot([r.date for r in valid], [r.value for r in valid], "-o", ms=4, lw=1.5, color="#2e7d32",
                label=tr("mean {index}", index=self.index) if field else self.index)
        lo = -0.2
        if masked:
            ax.plot([r.date for r in masked], [lo] * len(masked), "x", ms=7, mew=2, color="#616161",
                    label=tr("masked (clouds, shadows, edges)"), clip_on=False)
            for r in masked:
                ax.axvline(r.date, color="#bdbdbd", lw=0.8, ls=":", zorder=0)
        if nodata:
            ax.plot([r.date for r in nodata], [lo] * len(nodata), "o", mfc="none", ms=5, color="#9e9e9e",
                    label=state_text("no data"), clip_on=False)
        ax.set_ylim(lo - 0.05, 1.0)
        ax.set_ylabel(self.index)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize="x-small", ncol=2)
        if title:
            ax.set_title(title, fontsize="small")

    def _nearest(self, event):
        if not self.rows or event.inaxes is None or event.xdata is None:
            return None
        x = event.xdata
        best = min(self.rows, key=lambda r: abs(mdates.date2num(r.date) - x))
        return best if abs(mdates.date2num(best.date) - x) <= 4 else None

    def describe(self, row):
        if row.state == "valid":
            text = f"{row.date.isoformat()}  {self.index} {row.value:.3f}"
            if row.pixels > 1:
                text += tr(" (p10 {p10:.3f}, p90 {p90:.3f}; valid {pct:.0f} %)", p10=row.p10, p90=row.p90,
                           pct=100 * row.valid_fraction)
            return text
        return f"{row.date.isoformat()}  {state_text(row.state)}" + (
            tr(" ({pct:.0f} % masked)", pct=100 * row.masked_fraction) if row.pixels > 1 else "")

    def _hover(self, event):
        row = self._nearest(event)
        if self._annotation is None:
            return
        if row is None:
            if self._annotation.get_visible():
                self._annotation.set_visible(False)
                self.canvas.draw_idle()
                self.hovered.emit("")
            return
        text = self.describe(row)
        y = row.value if row.state == "valid" else -0.2
        self._annotation.xy = (mdates.date2num(row.date), y)
        self._annotation.set_text(text)
        self._annotation.set_visible(True)
        self.canvas.draw_idle()
        self.hovered.emit(text)

    def _click(self, event):
        row = self._nearest(event)
        if row is not None:
            self.dateClicked.emit(row)

    def _fill_table(self):
        t = self.table
        t.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            vals = [r.date.isoformat(), state_text(r.state), f"{r.value:.3f}" if _finite(r.value) else "",
                    f"{100 * r.valid_fraction:.0f}" if _finite(r.valid_fraction) else ""]
            for j, v in enumerate(vals):
                t.setItem(i, j, QTableWidgetItem(v))

    def save_png(self, path):
        if self.figure is None:
            raise OSError(tr("No chart to save: matplotlib is not installed."))
        self.figure.savefig(path, dpi=150)
