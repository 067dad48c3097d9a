"""Time-series benchmark: parcel statistics, ours vs QGIS's native zonal statistics, side by side in one run;
and the latency of a point profile over 300 dates.

    make bench-timeseries                                   # 10,000 parcels x 60 dates on a 10980 px tile
    make bench-timeseries BENCH_ARGS="--size 2745 --dates 6 --parcels 1000"     # quick variant

Inputs (cached in bench-output/timeseries/): `dates` NDVI GeoTIFFs of one full-size tile (10980 x 10980, 10 m,
EPSG:32631), written like the plugin's NDVI output (Float32, tiled 512, ZSTD 1, nodata -9999), with fields,
seasonal change, noise and 3-6 clouds per date as nodata; `parcels` rectangles of 1.5-6 ha spread over the whole
tile (one per cell of a regular lattice, random size and offset, edges 3 m off pixel edges so pixel-centre
membership is unambiguous), in a GeoPackage in the rasters' CRS.

Contenders, each in its own fresh subprocess (imports and QGIS start-up outside the clock; peak RSS and CPU from
/usr/bin/time -v):
- ours:       plugin.core.timeseries.parcels.parcel_statistics over all dates (rasterising the parcels once
              included): count, mean, median, std, p10, p90, valid and masked shares per parcel and date.
- qgis_zonal: processing.run("native:zonalstatisticsfb") once per date on the same rasters and parcels, count
              and mean only, output to memory.
- io_floor:   decoding every strip of every raster and nothing else, on both cores as ours reads
              (GTiff NUM_THREADS): the part of the work no per-date method can avoid when parcels touch every
              block of the tile; io_floor_1t: the same on one thread, as QGIS decodes.
Each is run on every encoding asked (--encodings): the plugin's default output (float32, tiled, ZSTD 1; the
goal line), uncompressed float32 strips and Int16 (x 10000, band scale 1e-4, ZSTD 1), the latter two made
from the first --encoding-dates rasters.
Both must count the same pixels and give means equal to 1e-6 (checked here; the run fails otherwise), on every
parcel-date with at least two valid pixels: where a polygon holds one valid pixel centre or none, QGIS switches to
area-weighted partial pixels (QgsZonalStatistics' precise-intersection fallback), a different definition.
Last lines: `timeseries: parcels ours/qgis_zonal = X.XX, peak = N MB` (goal <= 0.10, peak <= 500 MB) and
`timeseries: point profile over N dates = X.XX s` (goal < 3 s): find the products in a folder of N MAJA zips
(simulator archives, --profile-px px) and read one point of each through /vsizip/, in a fresh process.
With --qgis-dates K QGIS runs on the first K dates only and its time is scaled to all dates (said in the output).
"""
import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from measuring import measure, warm_page_cache  # noqa: E402  (bench/, the script's folder)

os.environ.setdefault("GDAL_PAM_ENABLED", "NO")
PY = sys.executable
EPSG = 32631
ULX, ULY = 300000.0, 4900020.0
FIRST_DAY = dt.date(2023, 3, 1)


# ---------------------------------------------------------------- inputs

def ndvi_rasters(folder, size, dates):
    from osgeo import gdal, osr

    from plugin.core.ndvi import CREATION_OPTIONS, NODATA

    gdal.UseExceptions()
    os.makedirs(folder, exist_ok=True)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    paths = []
    for k in range(dates):
        day = FIRST_DAY + dt.timedelta(days=5 * k)
        path = os.path.join(folder, f"NDVI_T31TCJ_{day:%Y%m%d}_{size}.tif")
        paths.append(path)
        if os.path.exists(path):
            continue
        t0 = time.perf_counter()
        rng = np.random.default_rng(k)
        clouds = [(rng.uniform(0, size), rng.uniform(0, size), rng.uniform(0.02, 0.07) * size)
                  for _ in range(int(rng.integers(3, 7)))]
        season = np.float32(0.35 * np.sin(2 * np.pi * (day.timetuple().tm_yday - 80) / 365.0))
        tmp = path + ".part"
        ds = gdal.GetDriverByName("GTiff").Create(tmp, size, size, 1, gdal.GDT_Float32, CREATION_OPTIONS)
        ds.SetProjection(srs.ExportToWkt())
        ds.SetGeoTransform((ULX, 10.0, 0.0, ULY, 0.0, -10.0))
        ds.SetMetadata({"ACQUISITION_DATE": f"{day.isoformat()}T10:50:00+00:00", "TILE": "31TCJ",
                        "PRODUCT_ID": f"bench_{day:%Y%m%d}"})
        band = ds.GetRasterBand(1)
        band.SetNoDataValue(NODATA)
        x = np.arange(size, dtype=np.float32)[None, :]
        cells = (np.arange(size) // 40).astype(np.int64)[None, :]
        for y0 in range(0, size, 512):
            y = np.arange(y0, min(size, y0 + 512), dtype=np.float32)[:, None]
            field = ((((y.astype(np.int64) // 40) * 7919 + cells * 104729) % 97) / 97.0).astype(np.float32)
            v = 0.25 + field * (0.3 + season) + rng.normal(0, 0.03, (y.shape[0], size)).astype(np.float32)
            v = np.round(np.clip(v, -1, 1), 2).astype(np.float32)      # 0.01 steps: compresses like real NDVI
            for cx, cy, r in clouds:
                v[(x - cx) ** 2 + (y - cy) ** 2 < r * r] = NODATA
            band.WriteArray(v, 0, y0)
        ds = None
        os.replace(tmp, path)
        print(f"  built {os.path.basename(path)} in {time.perf_counter() - t0:.1f} s", flush=True)
    return paths


def masked_rasters(paths):
    """The masked-pixels raster the engine writes beside each index raster (plugin/core/ndvi.py), for the
    bench's rasters: here every nodata pixel is a cloud, so masked = nodata."""
    from osgeo import gdal

    from plugin.core.ndvi import CREATION_OPTIONS, NODATA, masked_pixels_path

    gdal.UseExceptions()
    for path in paths:
        side = masked_pixels_path(path)
        if os.path.exists(side):
            continue
        ds = gdal.Open(path)
        tmp = side + ".part"
        out = gdal.GetDriverByName("GTiff").Create(tmp, ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte,
                                                   CREATION_OPTIONS)
        out.SetProjection(ds.GetProjection())
        out.SetGeoTransform(ds.GetGeoTransform())
        out.SetMetadata({"MASKED_PIXELS_OF": os.path.basename(path)})
        for y0 in range(0, ds.RasterYSize, 512):
            v = ds.GetRasterBand(1).ReadAsArray(0, y0, ds.RasterXSize, min(512, ds.RasterYSize - y0))
            out.GetRasterBand(1).WriteArray((v == NODATA).astype(np.uint8), 0, y0)
        out = ds = None
        os.replace(tmp, side)
    return paths


ENCODINGS = {   # name -> gdal.Translate options from the default rasters (None: the default rasters themselves)
    "float32_zstd": None,
    "float32_plain": dict(creationOptions=["TILED=NO", "BIGTIFF=IF_SAFER"]),
    "int16_zstd": "int16",
}


def encoded_rasters(folder, sources, encoding):
    """The first rasters re-encoded: uncompressed float32 strips (GTiff defaults), or Int16 like the engine's
    int16 output (round(index x 10000), nodata -32768, band scale 1e-4, tiled 512, ZSTD 1)."""
    from osgeo import gdal

    from plugin.core.indices import INT16_NODATA, INT16_SCALE
    from plugin.core.ndvi import CREATION_OPTIONS, NODATA

    gdal.UseExceptions()
    if ENCODINGS[encoding] is None:
        return sources
    os.makedirs(folder, exist_ok=True)
    out = []
    for src in sources:
        path = os.path.join(folder, os.path.basename(src))
        out.append(path)
        if os.path.exists(path):
            continue
        from plugin.core.ndvi import masked_pixels_path
        if os.path.exists(masked_pixels_path(src)):
            shutil.copyfile(masked_pixels_path(src), masked_pixels_path(path))
        tmp = path + ".part"
        if encoding == "int16_zstd":
            ds = gdal.Open(src)
            dst = gdal.GetDriverByName("GTiff").Create(tmp, ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Int16,
                                                       CREATION_OPTIONS)
            dst.SetProjection(ds.GetProjection())
            dst.SetGeoTransform(ds.GetGeoTransform())
            dst.SetMetadata(ds.GetMetadata())
            b = dst.GetRasterBand(1)
            b.SetNoDataValue(INT16_NODATA)
            b.SetScale(INT16_SCALE)
            b.SetOffset(0.0)
            for y0 in range(0, ds.RasterYSize, 512):
                v = ds.GetRasterBand(1).ReadAsArray(0, y0, ds.RasterXSize, min(512, ds.RasterYSize - y0))
                q = np.rint(v.astype(np.float64) * 10000).astype(np.int16)
                q[v == NODATA] = INT16_NODATA
                b.WriteArray(q, 0, y0)
            dst = ds = None
        else:
            gdal.Translate(tmp, src, format="GTiff", **ENCODINGS[encoding])
        os.replace(tmp, path)
    return out


def parcels_gpkg(path, size, count):
    from osgeo import ogr, osr

    if os.path.exists(path):
        return path
    ogr.UseExceptions()
    rng = np.random.default_rng(42)
    n = int(np.ceil(np.sqrt(count)))
    cell = size * 10.0 / n
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    tmp = path + ".part.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
    layer = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("parcel", ogr.OFTInteger))
    layer.StartTransaction()
    for i in range(count):
        gx, gy = i % n, i // n
        w, h = (rng.integers(12, 25, size=2) * 10).astype(float)          # 120-240 m sides: 1.4-5.8 ha
        w, h = min(w, cell - 40), min(h, cell - 40)
        x0 = ULX + 10 * np.floor(gx * cell / 10) + 10 * np.floor(rng.uniform(0, (cell - w - 20) / 10)) + 3
        y1 = ULY - 10 * np.floor(gy * cell / 10) - 10 * np.floor(rng.uniform(0, (cell - h - 20) / 10)) - 3
        x1, y0 = x0 + w - 6, y1 - h + 6
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("parcel", i + 1)
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"))
        layer.CreateFeature(f)
    layer.CommitTransaction()
    ds = None
    os.replace(tmp, path)
    return path


def profile_products(folder, count, px):
    from tests import ts_expected as ex

    days = [dt.date(2022, 1, 1) + dt.timedelta(days=2 * i) for i in range(count)]
    t0 = time.perf_counter()
    paths = ex.build_series(folder, days, size=px)
    print(f"  {count} MAJA archives of {px} px ready in {time.perf_counter() - t0:.1f} s", flush=True)
    return paths


def index_beside(zips):
    """<title>_NDVI.tif (+ its masked-pixels raster) beside each zip, as the panel's Compute writes them."""
    from plugin.core.ndvi import compute_index

    for z in zips:
        out = os.path.splitext(z)[0] + "_NDVI.tif"
        if not os.path.exists(out):
            compute_index(z, out)


# ---------------------------------------------------------------- contenders (children)

def read_parcels(gpkg):
    from osgeo import ogr

    ds = ogr.Open(gpkg)
    layer = ds.GetLayer(0)
    feats = sorted(((f.GetField("parcel"), f.GetGeometryRef().ExportToWkb()) for f in layer), key=lambda t: t[0])
    return [i for i, _ in feats], [bytes(g) for _, g in feats]


def child_ours(args):
    from plugin.core.timeseries.parcels import Parcels, parcel_statistics
    from plugin.core.timeseries.sources import find_observations

    ids, geoms = read_parcels(args.gpkg)
    rasters = args.rasters.split(",")
    from plugin.core.timeseries.parcels import series_grids

    t0 = time.perf_counter()
    obs = find_observations(rasters)
    parcels = Parcels(geoms, f"EPSG:{EPSG}", ids)
    grids = series_grids(obs)
    for g in grids:            # the one-off part: rasterising the parcels (cached, reused by every date)
        parcels.pixels(grids, g).by_label
    setup = time.perf_counter() - t0
    counts, means = [], []
    for s in parcel_statistics(parcels, obs):
        counts.append(s.valid.copy())
        means.append(s.stats["mean"].copy())
    work = time.perf_counter() - t0
    np.savez(args.out_file, count=np.array(counts), mean=np.array(means))
    print("RESULT " + json.dumps({"work": work, "setup": setup}))


def child_floor(args):
    """The I/O floor: decode every strip of every raster (same reader options as ours), nothing else."""
    from osgeo import gdal

    gdal.UseExceptions()
    t0 = time.perf_counter()
    for r in args.rasters.split(","):
        ds = gdal.OpenEx(r, gdal.OF_RASTER)
        if args.threads != "1" and ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"):   # as ours reads
            ds = gdal.OpenEx(r, gdal.OF_RASTER, open_options=[f"NUM_THREADS={args.threads}"])
        band = ds.GetRasterBand(1)
        for y0 in range(0, ds.RasterYSize, 512):
            band.ReadAsArray(0, y0, ds.RasterXSize, min(512, ds.RasterYSize - y0))
            ds.FlushCache()
        ds = None
    print("RESULT " + json.dumps({"work": time.perf_counter() - t0}))


def child_qgis(args):
    from qgis.core import QgsApplication, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing
    Processing.initialize()
    parcels = QgsVectorLayer(args.gpkg, "parcels", "ogr")
    rasters = args.rasters.split(",")
    n = parcels.featureCount()
    counts, means = [], []
    t0 = time.perf_counter()
    for r in rasters:
        out = processing.run("native:zonalstatisticsfb", {"INPUT": parcels, "INPUT_RASTER": r, "RASTER_BAND": 1,
                                                            "COLUMN_PREFIX": "z_", "STATISTICS": [0, 2],
                                                            "OUTPUT": "memory:"})["OUTPUT"]
        c, m = np.zeros(n, np.int64), np.full(n, np.nan)
        for f in out.getFeatures():
            i = f["parcel"] - 1
            c[i] = f["z_count"] or 0
            mv = f["z_mean"]
            m[i] = mv if isinstance(mv, float) else np.nan
        counts.append(c)
        means.append(m)
    work = time.perf_counter() - t0
    np.savez(args.out_file, count=np.array(counts), mean=np.array(means))
    print("RESULT " + json.dumps({"work": work}), flush=True)
    os._exit(0)      # QGIS 3.22's exit can abort in a json-c assertion after a Processing run: skip it


def child_profile(args):
    """A point over every date of a folder, as the panel's task reads it (rasters preferred when asked)."""
    from plugin.core.timeseries.profile import point_profile
    from plugin.core.timeseries.sources import find_observations

    paths = args.rasters.split(",") if args.rasters else args.folder
    t0 = time.perf_counter()
    obs = find_observations(paths, prefer_rasters=args.prefer_rasters)
    x0, _, _, y0, _, _ = obs[0].grid.transform
    rows = point_profile(obs, x0 + args.px * 10 * 0.37, y0 - args.px * 10 * 0.61, obs[0].grid.wkt)
    work = time.perf_counter() - t0
    print("RESULT " + json.dumps({"work": work, "dates": len(rows), "kinds": sorted({o.kind for o in obs}),
                                  "masked": sum(r.state == "masked" for r in rows)}))


# ---------------------------------------------------------------- measuring

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10980, help="tile width/height in px (quick: 2745)")
    ap.add_argument("--dates", type=int, default=60)
    ap.add_argument("--parcels", type=int, default=10000)
    ap.add_argument("--qgis-dates", dest="qgis_dates", type=int, default=0,
                    help="run QGIS on the first K dates only and scale its time (0: all dates)")
    ap.add_argument("--profile-dates", dest="profile_dates", type=int, default=300)
    ap.add_argument("--profile-px", dest="profile_px", type=int, default=120)
    ap.add_argument("--skip", default="", help="comma-separated: parcels,profile")
    ap.add_argument("--encodings", default=",".join(ENCODINGS),
                    help="NDVI raster encodings measured, the first one gives the goal line (default: all, "
                         "float32_zstd = the plugin's default output first)")
    ap.add_argument("--encoding-dates", dest="encoding_dates", type=int, default=8,
                    help="dates re-encoded for the encodings after the first (disk: 482 MB a date uncompressed)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench-output", "timeseries"))
    ap.add_argument("--child")
    ap.add_argument("--gpkg")
    ap.add_argument("--rasters")
    ap.add_argument("--out-file", dest="out_file")
    ap.add_argument("--folder")
    ap.add_argument("--px", type=int)
    ap.add_argument("--threads", default="ALL_CPUS")
    ap.add_argument("--prefer-rasters", dest="prefer_rasters", action="store_true")
    args = ap.parse_args()
    if args.child:
        return {"ours": child_ours, "qgis": child_qgis, "floor": child_floor,
                "profile": child_profile}[args.child](args)

    env = dict(os.environ)
    skip = set(filter(None, args.skip.split(",")))
    lines = []
    print(f"timeseries bench: {args.parcels} parcels x {args.dates} dates on a {args.size} px tile; "
          f"point profile over {args.profile_dates} dates ({args.profile_px} px MAJA zips)", flush=True)
    if "parcels" not in skip:
        rasters = masked_rasters(ndvi_rasters(os.path.join(args.out, f"ndvi_{args.size}"), args.size, args.dates))
        gpkg = parcels_gpkg(os.path.join(args.out, f"parcels_{args.size}_{args.parcels}.gpkg"), args.size,
                            args.parcels)
        base = [PY, os.path.abspath(__file__), "--gpkg", gpkg]
        ours_file, qgis_file = os.path.join(args.out, "ours.npz"), os.path.join(args.out, "qgis.npz")
        ratios = {}
        print(f"{'encoding':<15}{'contender':<12}{'dates':>6}{'work s':>9}{'s/date':>8}{'process s':>11}"
              f"{'CPU s':>8}{'peak MB':>9}")
        for enc in filter(None, args.encodings.split(",")):
            if enc not in ENCODINGS:
                raise SystemExit(f"unknown encoding {enc}: one of {', '.join(ENCODINGS)}")
            paths = (rasters if ENCODINGS[enc] is None else
                     encoded_rasters(os.path.join(args.out, f"ndvi_{args.size}_{enc}"),
                                     rasters[:args.encoding_dates], enc))
            n = len(paths)
            k = min(args.qgis_dates or n, n)
            warm_page_cache(paths)
            joined = ",".join(paths)
            floor, f_wall, f_peak, f_cpu = measure([PY, os.path.abspath(__file__), "--child", "floor",
                                                    "--rasters", joined], env)
            ours, o_wall, o_peak, o_cpu = measure(base + ["--child", "ours", "--rasters", joined,
                                                          "--out-file", ours_file], env)
            floor1, f1_wall, f1_peak, f1_cpu = measure([PY, os.path.abspath(__file__), "--child", "floor",
                                                        "--threads", "1", "--rasters", joined], env)
            qgis, q_wall, q_peak, q_cpu = measure(base + ["--child", "qgis", "--rasters", ",".join(paths[:k]),
                                                          "--out-file", qgis_file], env)
            a, b = np.load(ours_file), np.load(qgis_file)
            q_mean = b["mean"]           # (QGIS applies the Int16 band scale itself, like ours)
            # QGIS switches to area-weighted pixels where a polygon holds at most one valid pixel centre
            # (QgsZonalStatistics' "precise intersection" fallback): those parcel-dates are not comparable
            comparable = a["count"][:k] >= 2
            tiny = int((a["count"][:k] == 1).sum())
            same_count = np.array_equal(a["count"][:k][comparable], b["count"][comparable])
            diff = float(np.nanmax(np.abs(a["mean"][:k][comparable] - q_mean[comparable]))) \
                if comparable.any() else 0.0
            q_all = qgis["work"] * n / k
            for name, r, wall, cpu, peak, dates in (("io_floor", floor, f_wall, f_cpu, f_peak, n),
                                                    ("io_floor_1t", floor1, f1_wall, f1_cpu, f1_peak, n),
                                                    ("ours", ours, o_wall, o_cpu, o_peak, n),
                                                    ("qgis_zonal", qgis, q_wall, q_cpu, q_peak, k)):
                print(f"{enc:<15}{name:<12}{dates:>6}{r['work']:>9.2f}{r['work'] / dates:>8.3f}{wall:>11.2f}"
                      f"{cpu:>8.2f}{peak:>9.0f}")
            print(f"{enc:<15}same pixels counted: {same_count}; largest |mean difference| = {diff:.2e} "
                  f"({int(comparable.sum())} parcel-dates with >= 2 valid pixels compared; {tiny} with exactly "
                  f"one, where QGIS weighs pixels by area instead, left out)"
                  + (f"; QGIS timed on {k} of {n} dates and scaled" if k != n else ""), flush=True)
            if not same_count or diff > 1e-6:
                raise SystemExit("ours and QGIS disagree: the ratio would compare different work")
            per_date = (ours["work"] - ours["setup"]) / n
            print(f"{enc:<15}ours: {ours['setup']:.2f} s once (rasterising the parcels), then {per_date:.3f} s a "
                  f"date; per date ours/qgis_zonal = {per_date / (q_all / n):.2f}, io_floor/qgis_zonal = "
                  f"{floor['work'] / q_all:.2f}, io_floor_1t/qgis_zonal = {floor1['work'] / q_all:.2f}")
            ratios[enc] = (ours["work"] / q_all, floor["work"] / q_all, ours["work"] / floor["work"], o_peak, n)
        if ratios:
            first = next(iter(ratios))
            r = ratios[first]
            others = "; ".join(f"{e}: {v[0]:.2f} (floor {v[1]:.2f}, {v[4]} dates)" for e, v in ratios.items()
                               if e != first)
            lines.append(f"timeseries: parcels ours/qgis_zonal = {r[0]:.2f}, peak = {r[3]:.0f} MB ({first}, "
                         f"{r[4]} dates; io_floor/qgis_zonal = {r[1]:.2f}, ours/io_floor = {r[2]:.2f}"
                         + (f"; {others}" if others else "") + ")")
    if "profile" not in skip:
        me = [PY, os.path.abspath(__file__), "--child", "profile"]
        folder = os.path.join(args.out, f"profile_{args.profile_px}_{args.profile_dates}")
        zips = profile_products(folder, args.profile_dates, args.profile_px)
        warm_page_cache(zips)
        zipped, wall, peak, _ = measure(me + ["--folder", folder, "--px", str(args.profile_px)], env)
        print(f"point profile, zips read in place: {zipped['dates']} dates ({zipped['masked']} masked) in "
              f"{zipped['work']:.2f} s (process {wall:.2f} s, peak {peak:.0f} MB)")
        index_beside(zips)             # what the panel's Compute writes beside the zips
        fast, wall, peak, _ = measure(me + ["--folder", folder, "--px", str(args.profile_px),
                                            "--prefer-rasters"], env)
        if fast["masked"] != zipped["masked"] or fast["dates"] != zipped["dates"]:
            raise SystemExit(f"the index rasters give {fast['masked']} masked dates, the zips {zipped['masked']}")
        print(f"point profile, index rasters + masked-pixels rasters beside the zips (what the panel reads): "
              f"{fast['dates']} dates ({fast['masked']} masked, as from the zips) in {fast['work']:.2f} s "
              f"(process {wall:.2f} s, peak {peak:.0f} MB)")
        full = masked_rasters(ndvi_rasters(os.path.join(args.out, f"ndvi_{args.size}"), args.size, args.dates))
        big, wall, peak, _ = measure(me + ["--rasters", ",".join(full), "--px", str(args.size),
                                           "--prefer-rasters"], env)
        per = big["work"] / max(1, big["dates"])
        print(f"point profile, {args.size} px index rasters + masked-pixels rasters: {big['dates']} dates "
              f"({big['masked']} masked) in {big['work']:.2f} s = {1000 * per:.1f} ms a date "
              f"(x {args.profile_dates} = {per * args.profile_dates:.2f} s)")
        lines.append(f"timeseries: point profile over {fast['dates']} dates = {fast['work']:.2f} s (index rasters; "
                     f"{args.size} px: {1000 * per:.1f} ms a date, {per * args.profile_dates:.2f} s for "
                     f"{args.profile_dates}; zips read in place {zipped['work']:.2f} s)")
    print("goals: parcels ours/qgis_zonal <= 0.10, peak <= 500 MB; point profile over 300 dates < 3 s")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
