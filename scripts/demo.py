"""`make demo`: the whole job on a fresh machine, no account needed.

Starts the mirror simulator (tests/simulator) with part of the products on tape, as on the real GEODES, and
tells the real story:
1. the shipped Processing model "Tile NDVI time series" runs headless (search -> download -> NDVI) on tile
   31TCJ: the online products arrive at once; those on tape are listed with what to do (GEODES lets you bring
   them back only from its explorer) and written to a text file in the download folder;
2. the demo then simulates the user's order in the GEODES explorer (the simulator's control call), and the
   download algorithm, told to wait for products on tape, watches their availability and fetches each one the
   moment it is online; NDVI follows for them;
3. a PNG map of the NDVI series (one panel per date, footprints, colour ramp legend).
Prints where everything is and how long each phase took.

    make demo                       # or: scripts/testenv.sh .venv/bin/python scripts/demo.py --help
"""
import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append("/usr/share/qgis/python/plugins")  # QGIS' own Processing plugin (Debian/Ubuntu layout)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GDAL_PAM_ENABLED", "NO")

PANEL = 360         # pixels per map panel
LEGEND_H = 70
TITLE_H = 56


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tile", default="31TCJ")
    p.add_argument("--start", default="2023-06-01", type=dt.date.fromisoformat)
    p.add_argument("--end", default="2023-07-15", type=dt.date.fromisoformat)
    p.add_argument("--max-cloud", default=70.0, type=float)
    p.add_argument("--offline-fraction", default=0.5, type=float, help="share of products on tape")
    p.add_argument("--staging-delay", default="2,6",
                   help="seconds a tape recall takes after the order: S or MIN,MAX")
    p.add_argument("--archive-px", default=600, type=int,
                   help="raster size of the simulated products in pixels at 10 m (600 = 6 km; 10980 = a full tile)")
    p.add_argument("--out", default=str(ROOT / "demo-output"))
    return p.parse_args()


class PhaseClock:
    """Splits the model run into its phases from the texts Processing reports for each child algorithm."""

    def __init__(self):
        self.marks = []

    def mark(self, phase):
        if not self.marks or self.marks[-1][0] != phase:
            self.marks.append((phase, time.monotonic()))

    def durations(self):
        return {phase: t1 - t0 for (phase, t0), (_, t1) in zip(self.marks, self.marks[1:])}


def make_feedback(clock):
    from qgis.core import QgsProcessingFeedback

    # each algorithm's closing message starts the next phase (the model runs its children one after the other)
    phase_after = (("products found", "download (online at once)"), ("downloaded and verified", "NDVI"),
                   ("NDVI rasters written", "end"))

    class DemoFeedback(QgsProcessingFeedback):
        def pushInfo(self, info):  # noqa: N802 (QGIS API name)
            if info.endswith(": order in the GEODES explorer"):
                print("   ", info.strip())
            for needle, phase in phase_after:
                if needle in info:
                    print("   ", info)
                    clock.mark(phase)
            super().pushInfo(info)

        def pushWarning(self, warning):  # noqa: N802 (QGIS API name): the instructions for the tape products
            print("    >", warning)
            super().pushWarning(warning)

        def reportError(self, error, fatalError=False):  # noqa: N802, N803
            print("    !", error)
            super().reportError(error, fatalError)

    return DemoFeedback()


def _render(layers, crs, extent, size):
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    settings = QgsMapSettings()
    settings.setOutputSize(QSize(size, size))
    settings.setDestinationCrs(crs)
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("white"))
    settings.setLayers(layers)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def render_png(ndvi_paths, footprints_path, tile, png_path):
    """A footprints overview, then one panel per acquisition date, a title and the NDVI colour ramp legend."""
    from qgis.core import QgsCoordinateTransform, QgsProject, QgsRectangle, QgsVectorLayer
    from qgis.PyQt.QtCore import QRectF, Qt
    from qgis.PyQt.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter, QPen

    from plugin.qgis.layers import ndvi_layer, product_identity, style_footprints

    ndvi = sorted(ndvi_paths, key=lambda p: product_identity(p)[1] or dt.datetime.min)
    layers = [ndvi_layer(p) for p in ndvi]
    footprints = QgsVectorLayer(footprints_path, "footprints", "ogr")
    panels = 1 + len(layers)
    cols = min(4, panels)
    rows = (panels + cols - 1) // cols
    image = QImage(cols * PANEL, TITLE_H + rows * (PANEL + 24) + LEGEND_H, QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setFont(QFont("DejaVu Sans", 15, QFont.Bold))
    painter.drawText(QRectF(0, 6, image.width(), 28), Qt.AlignCenter,
                     f"NDVI time series, Sentinel-2 tile T{tile} (cloud-masked; white = no data)")
    painter.setFont(QFont("DejaVu Sans", 10))
    painter.drawText(QRectF(0, 32, image.width(), 20), Qt.AlignCenter,
                     "Sentinel Mirror demo: GEODES simulator, Processing model 'Tile NDVI time series'")

    def place(i, picture, label):
        x, y = (i % cols) * PANEL, TITLE_H + (i // cols) * (PANEL + 24)
        painter.drawImage(x + 6, y + 22, picture)
        painter.setPen(QColor("#444444"))
        painter.drawRect(x + 6, y + 22, PANEL - 12, PANEL - 12)
        painter.setPen(QColor("black"))
        painter.drawText(QRectF(x, y, PANEL, 20), Qt.AlignCenter, label)
        return x, y

    crs = layers[0].crs()
    if footprints.isValid():
        style_footprints(footprints)
        footprints.temporalProperties().setIsActive(False)  # the overview shows every outline at once
        to_map = QgsCoordinateTransform(footprints.crs(), crs, QgsProject.instance().transformContext())
        overview = QgsRectangle(to_map.transformBoundingBox(footprints.extent()))
        overview.scale(1.1)
        x, y = place(0, _render([footprints, *layers[:1]], crs, overview, PANEL - 12),
                     f"catalogue footprints ({footprints.featureCount()} products)")
        # where the (small) simulator archives lie inside the tile
        ext = layers[0].extent()
        sx = (PANEL - 12) / overview.width()
        box = QRectF(x + 6 + (ext.xMinimum() - overview.xMinimum()) * sx,
                     y + 22 + (overview.yMaximum() - ext.yMaximum()) * sx, max(6, ext.width() * sx),
                     max(6, ext.height() * sx))
        painter.setPen(QPen(QColor("#1565c0"), 2))
        painter.drawRect(box)
        painter.drawText(QRectF(box.right() + 4, box.top(), 150, 16), Qt.AlignLeft, "NDVI area")
        painter.setPen(QColor("black"))
    for i, layer in enumerate(layers, start=1):
        extent = QgsRectangle(layer.extent())
        extent.scale(1.04)
        _, acquired = product_identity(ndvi[i - 1])
        place(i, _render([layer], crs, extent, PANEL - 12), acquired.strftime("%Y-%m-%d") if acquired else "")
    # colour ramp legend, read from the shipped style so the PNG shows what users get
    items = layers[0].renderer().shader().rasterShaderFunction().colorRampItemList()
    lo, hi = items[0].value, items[-1].value
    y0 = image.height() - LEGEND_H + 14
    x0, width = image.width() * 0.15, image.width() * 0.7
    gradient = QLinearGradient(x0, 0, x0 + width, 0)
    for item in items:
        gradient.setColorAt((item.value - lo) / (hi - lo), item.color)
    painter.fillRect(QRectF(x0, y0, width, 18), gradient)
    for item in items:
        xv = x0 + width * (item.value - lo) / (hi - lo)
        painter.drawText(QRectF(xv - 30, y0 + 20, 60, 16), Qt.AlignCenter, f"{item.value:g}")
    painter.drawText(QRectF(0, y0 + 36, image.width(), 16), Qt.AlignCenter,
                     "NDVI = (NIR - red) / (NIR + red)  ·  footprints: green = was online, orange dashed = was on "
                     "tape (ordered in the explorer)")
    painter.end()
    image.save(str(png_path))
    del layers, footprints


def main():
    args = parse_args()
    out = Path(args.out)
    (out / "products").mkdir(parents=True, exist_ok=True)
    (out / "ndvi").mkdir(parents=True, exist_ok=True)
    # start from an empty folder each time, so the run really stages and downloads (the journal would skip
    # verified products: that is the plugin's resume feature, not what a demo should show)
    for old in [*(out / "ndvi").glob("*_NDVI.tif"), *(out / "products").iterdir()]:
        if old.is_file():
            old.unlink()

    # A profile of its own: the demo never touches the user's QGIS settings (nor the tests' profile).
    os.environ["QGIS_CUSTOM_CONFIG_PATH"] = str(out / ".qgis-profile")
    from qgis.core import QgsApplication, QgsSettings

    t_start = time.monotonic()
    app = QgsApplication([], False)
    app.initQgis()
    try:
        # The simulator recalls tapes in seconds, not hours: watch availability every second, as a user with a
        # fast mirror would set in Settings > Options > Sentinel Mirror (the default is a minute, up to 15).
        QgsSettings().setValue("sentinel_mirror/poll_interval_s", 1.0)
        QgsSettings().setValue("sentinel_mirror/poll_interval_max_s", 2.0)
        from processing.core.Processing import Processing

        Processing.initialize()
        from plugin.processing.provider import SentinelMirrorProvider
        from tests.simulator import MirrorSimulator, SimConfig

        provider = SentinelMirrorProvider()
        QgsApplication.processingRegistry().addProvider(provider)

        delay = tuple(float(x) for x in args.staging_delay.split(","))
        config = SimConfig(seed=7, tiles=(args.tile,), start=args.start, end=args.end,
                           collections=("THEIA_REFLECTANCE_SENTINEL2_L2A",), offline_fraction=args.offline_fraction,
                           staging_delay_s=delay[0] if len(delay) == 1 else delay, bandwidth_bps=20e6,
                           max_connections=4, archive_px=args.archive_px,
                           work_dir=str(out / ".simulator-cache"))
        print(f"Sentinel Mirror demo: tile {args.tile}, {args.start} .. {args.end}, cloud <= {args.max_cloud:g} %")
        with MirrorSimulator(config) as sim:
            os.environ.update(sim.env())  # the plugin's headless settings: URLs + simulator credentials
            wanted = [p for p in sim.products if args.start <= p.acquired.date() <= args.end
                      and p.cloud_cover <= args.max_cloud]
            tape = [p for p in wanted if not p.online]
            print(f"simulator: {sim.geodes_url} — {len(wanted)} matching products, {len(tape)} of them on tape "
                  f"(back {args.staging_delay} s after the user's order in the explorer)")
            print("\n1. the shipped model: search, download what is online, NDVI")
            results = run_model(args, out)
            footprints_path = results.pop("_footprints")
            clock = results.pop("_clock")
            listed = out / "products" / "on-tape-GEODES.txt"
            if listed.exists():
                print(f"    the names of the products on tape are in {listed}")
            if tape:
                print(f"\n2. the user orders the {len(tape)} product(s) on tape in the GEODES explorer (simulated); "
                      "the download, told to wait for them, watches and fetches each one as soon as it is online")
                clock.mark("watch (after the order)")
                print(f"    simulated order: {sim.order([p.id for p in tape])} product(s)")
                fetch_tape_products(footprints_path, out, clock)
            ndvi_paths = sorted(str(p) for p in (out / "ndvi").glob("*_NDVI.tif"))
        t_render = time.monotonic()
        png = out / f"ndvi_{args.tile}.png"
        if ndvi_paths:
            render_png(ndvi_paths, footprints_path, args.tile, png)
        t_end = time.monotonic()

        phases = clock.durations()
        print("\nphase timings:")
        for phase in ("search", "download (online at once)", "NDVI", "watch (after the order)", "NDVI (tape products)"):
            print(f"  {phase:<24} {phases.get(phase, 0.0):6.1f} s")
        print(f"  {'render PNG':<24} {t_end - t_render:6.1f} s")
        print(f"  {'total (with QGIS start)':<24} {t_end - t_start:6.1f} s")
        print("\noutputs:")
        print(f"  products (verified zips): {out / 'products'}  ({len(list((out / 'products').glob('*.zip')))} files)")
        print(f"  NDVI GeoTIFFs:            {out / 'ndvi'}  ({len(ndvi_paths)} files)")
        print(f"  footprints:               {footprints_path}")
        print(f"  map:                      {png if ndvi_paths else '(none: no NDVI computed)'}")
        return 0 if ndvi_paths else 1
    finally:
        QgsApplication.processingRegistry().removeProvider("sentinelmirror")
        app.exitQgis()


def fetch_tape_products(footprints_path, out, clock):
    """What the user does after ordering: run the download again, waiting for the products on tape (it skips what is
    already verified), then NDVI of what came."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProject

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = make_feedback(PhaseClock())   # this run's messages print; the phases are marked here
    report = str(out / "download_report_after_order.gpkg")
    if os.path.exists(report):
        os.remove(report)
    before = set((out / "products").glob("*.zip"))
    res = processing.run("sentinelmirror:download", {
        "INPUT": footprints_path, "OUTPUT_FOLDER": str(out / "products"), "OUTPUT": report, "LOAD_PRODUCTS": False,
        "WAIT_HOURS": 0.05}, feedback=feedback, context=context)
    new = sorted(str(p) for p in set((out / "products").glob("*.zip")) - before)
    print(f"    the watch brought {len(new)} product(s); {res['ON_TAPE']} still on tape, {res['FAILED']} failed")
    clock.mark("NDVI (tape products)")
    if new:
        processing.run("sentinelmirror:ndvi", {"INPUTS": new, "OUTPUT_FOLDER": str(out / "ndvi")}, feedback=feedback,
                       context=context)
    clock.mark("end")


def run_model(args, out):
    import processing
    from qgis.core import QgsProcessingContext, QgsProject

    clock = PhaseClock()
    feedback = make_feedback(clock)
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    footprints = str(out / "footprints.gpkg")
    for stale in (footprints, str(out / "download_report.gpkg")):
        if os.path.exists(stale):
            os.remove(stale)  # Processing does not overwrite a GeoPackage it did not just create
    params = {"PROVIDER": 0, "COLLECTION": 0, "TILE": args.tile, "START": args.start.isoformat(),
              "END": args.end.isoformat(), "MAX_CLOUD": args.max_cloud, "AUTHCFG": "",
              "search:Footprints": footprints, "download:Products folder": str(out / "products"),
              "download:Download report": str(out / "download_report.gpkg"),
              "ndvi:NDVI folder": str(out / "ndvi")}
    clock.mark("search")
    results = processing.run("sentinelmirror:tile_ndvi_time_series", params, feedback=feedback, context=context)
    results["_footprints"] = footprints
    results["_clock"] = clock
    return results


if __name__ == "__main__":
    sys.exit(main())
