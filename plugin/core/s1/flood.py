"""Flood map from Sentinel-1 GRD products before and after a flood (change detection, no SNAP).

The chain, on the common grid of geocode.py (both dates calibrated to sigma0, noise removed):
1. speckle filter, Lee (default) or boxcar, `window` x `window` grid pixels (5 at 20 m: the ~100 m smoothing
   of the Earth Engine flood demo and of UN-SPIDER's recommended practice);
2. dB;
3. change: "ratio" (UN-SPIDER, VH): after_dB / before_dB > 1.25, i.e. the after backscatter is at least 25 %
   lower *in dB* (the practice divides the dB images: VH dB values are negative, so a larger ratio means
   darker); "difference" (Earth Engine demo, VV): after_dB - before_dB < -3 dB;
4. masks: permanent water (dark already before: before_dB below `water_db`, and/or a user water layer),
   slope above `max_slope` degrees from an optional DEM, and flooded areas smaller than `min_area_ha`.
Outputs: a Byte GeoTIFF (1 flooded, 0 not, 255 no data: outside the images or masked as permanent water or
steep slope), flood polygons in a GeoPackage (field area_ha), and the flooded area in hectares.

Blockwise: the dates are calibrated and geocoded concurrently (one thread each), the chain runs over strips
of STRIP rows (with a halo of the filter's half window) on both cores; memory is bounded by the strip size
and the warper's limit, whatever the area.
"""
import math
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from osgeo import gdal, ogr, osr

from ..errors import InvalidInputError
from ..progress import NULL_PROGRESS, check_cancelled
from .geocode import TIFF_OPTIONS, geocode_date, grid_for_area, looks_for
from .grd import open_grd
from ..i18n import tr

gdal.UseExceptions()
ogr.UseExceptions()

STRIP = 256
NODATA = 255
METHODS = {"ratio": "VH", "difference": "VV"}
DEFAULT_THRESHOLD = {"ratio": 1.25, "difference": -3.0}
DEFAULT_WATER_DB = {"VH": -22.0, "VV": -16.0}
DB_FLOOR = 1e-5          # -50 dB: where noise removal left nothing


@dataclass
class FloodParams:
    method: str = "ratio"                 # "ratio" (UN-SPIDER, VH) | "difference" (Earth Engine demo, VV)
    threshold: Optional[float] = None     # None: 1.25 (ratio) or -3 dB (difference)
    speckle_filter: str = "lee"           # "lee" | "boxcar" | "none"
    window: int = 5                       # grid pixels (odd)
    resolution: float = 20.0              # metres
    resampling: str = "nearest"           # geocoding: "nearest" | "bilinear" (see geocode.warp_to_grid)
    noise_removal: bool = True
    water_db: Optional[float] = None      # permanent water: before below this (None: -22 dB VH / -16 dB VV)
    water_from_before: bool = True
    max_slope: float = 5.0                # degrees, with a DEM
    min_area_ha: float = 1.0              # flooded areas smaller than this are removed (0: keep all)
    enl: Optional[float] = None           # Lee: equivalent number of looks (None: 4.4 x looks^2)

    @property
    def pol(self):
        return METHODS[self.method]

    def checked(self):
        if self.method not in METHODS:
            raise InvalidInputError(tr("Unknown method {method!r}: use 'ratio' (VH) or 'difference' (VV).",
                                       method=self.method))
        if self.speckle_filter not in ("lee", "boxcar", "none"):
            raise InvalidInputError(tr("The speckle filter is 'lee', 'boxcar' or 'none'."))
        if self.window < 1 or self.window % 2 == 0:
            raise InvalidInputError(tr("The filter window must be an odd number of pixels (got {window}).",
                                       window=self.window))
        if self.resampling not in ("nearest", "bilinear"):
            raise InvalidInputError(tr("The geocoding resampling is 'nearest' or 'bilinear'."))
        if self.resolution <= 0:
            raise InvalidInputError(tr("The resolution must be positive (metres)."))
        return self


@dataclass
class FloodResult:
    raster: str
    polygons: Optional[str]
    flooded_ha: float
    grid: object
    polygon_count: int = 0
    before: list = field(default_factory=list)
    after: list = field(default_factory=list)

    def summary(self):
        return tr("Flooded area: {flooded_ha:,.1f} ha ({km2:,.2f} km²) in {polygon_count} areas.",
                  flooded_ha=self.flooded_ha, km2=self.flooded_ha / 100, polygon_count=self.polygon_count)


def flood_map(before, after, area, raster_path, polygons_path=None, params=None, area_crs="EPSG:4326",
              dem=None, water_layer=None, progress=NULL_PROGRESS, threads=2, workdir=None):
    """Map the flood between the `before` and `after` GRD products (lists of zip paths; several per date for
    consecutive slices) over `area` (xmin, ymin, xmax, ymax in area_crs). dem: a raster path (any CRS);
    water_layer: a vector path of permanent water (any CRS). Returns a FloodResult."""
    params = (params or FloodParams()).checked()
    before, after = [open_grd(p) for p in _list(before, "before")], [open_grd(p) for p in _list(after, "after")]
    before, after = pair_passes(before, after, progress)
    _check_orbits(before, after)
    grid = grid_for_area(area, area_crs, params.resolution)
    progress.message(tr("Grid: EPSG:{epsg}, {nx} x {ny} pixels at {res:g} m.",
                        epsg=grid.epsg, nx=grid.nx, ny=grid.ny, res=grid.res))
    out_dir = os.path.dirname(os.path.abspath(raster_path))
    os.makedirs(out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".flood-", dir=workdir or out_dir)
    try:
        with ThreadPoolExecutor(2 if threads > 1 else 1) as pool:
            half = _HalfProgress(progress)
            jobs = [pool.submit(geocode_date, prods, params.pol, grid, tmp, tag, params.noise_removal, 8,
                                half.part(k), (0.0, 1.0), 1, params.resampling)
                    for k, (prods, tag) in enumerate(((before, "before"), (after, "after")))]
            before_tif, after_tif = [j.result() for j in jobs]
        check_cancelled(progress)
        progress.message(tr("Change detection..."))
        masks = _mask_rasters(grid, tmp, dem, water_layer, params)
        part = os.path.join(tmp, "flood.tif")
        looks = min(looks_for(p, grid) for p in before + after)
        _chain(before_tif, after_tif, masks, part, grid, params, progress, threads, looks)
        check_cancelled(progress)
        if params.min_area_ha > 0:
            progress.message(tr("Removing small areas..."))
            _remove_small(part, max(1, math.ceil(params.min_area_ha * 1e4 / grid.res ** 2)))
        flooded_px = _count_flooded(part)
        count = 0
        if polygons_path:
            progress.message(tr("Polygons..."))
            gpkg_part = os.path.join(tmp, "flood.gpkg")
            count = polygonize(part, gpkg_part)
            _replace(gpkg_part, polygons_path)
        _replace(part, raster_path)
        progress.set(100)
        return FloodResult(raster_path, polygons_path, flooded_px * grid.res ** 2 / 1e4, grid, count,
                           [p.path for p in before], [p.path for p in after])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _list(paths, what):
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths or [])
    if not paths:
        raise InvalidInputError(tr("No before product given: choose the Sentinel-1 GRD zip(s) acquired before the "
                                   "flood.") if what == "before" else
                                tr("No after product given: choose the Sentinel-1 GRD zip(s) acquired after the "
                                   "flood."))
    return [str(p) for p in paths]


def _passes(products):
    """{(relative orbit, day): [products]}: the slices of one pass share both."""
    out = {}
    for p in products:
        out.setdefault((p.relative_orbit, p.start.date()), []).append(p)
    return out


def pair_passes(before, after, progress=NULL_PROGRESS):
    """When the products span several passes (a search over a date range downloads them all), keep the first
    pass after and the last pass before it on the same relative orbit, and say so."""
    pb, pa = _passes(before), _passes(after)
    if len(pb) == 1 and len(pa) == 1:
        return before, after
    for orbit, day in sorted(pa, key=lambda k: k[1]):
        earlier = [k for k in pb if k[0] == orbit and k[1] < day]
        if earlier:
            chosen = max(earlier, key=lambda k: k[1])
            progress.message(tr("Pairing relative orbit {orbit}: before {before}, after {day} ({n_before} + "
                                "{n_after} products; the others are not used).",
                                orbit=orbit, before=chosen[1], day=day, n_before=len(pb[chosen]),
                                n_after=len(pa[(orbit, day)])))
            return pb[chosen], pa[(orbit, day)]
    raise InvalidInputError(tr("No before and after products share a relative orbit: choose products of the same "
                               "relative orbit (same track) before and after the flood."))


def _check_orbits(before, after):
    """Change detection compares like with like: one relative orbit (same geometry, same incidence)."""
    orbits = {p.relative_orbit for p in before + after if p.relative_orbit}
    if len(orbits) > 1:
        raise InvalidInputError(tr("The products lie on different relative orbits ({items}): choose before and "
                                   "after products of the same relative orbit.",
                                   items=', '.join(map(str, sorted(orbits)))))
    if min(p.start for p in after) <= max(p.start for p in before):
        raise InvalidInputError(tr("The 'after' products are not later than the 'before' ones: swap them."))


class _HalfProgress:
    """Two concurrent jobs each reporting 0-100 % of their half of the first 60 % of the run."""

    def __init__(self, progress):
        self.progress, self.done = progress, [0.0, 0.0]

    def part(self, k):
        outer = self

        class Part:
            def set(self, percent):
                outer.done[k] = percent
                outer.progress.set(0.3 * (outer.done[0] + outer.done[1]))

            def message(self, text):
                outer.progress.message(text)

            def cancelled(self):
                return outer.progress.cancelled()
        return Part()


def _replace(src, dst):
    if os.path.exists(dst):
        os.remove(dst)
    shutil.move(src, dst)


# ------------------------------------------------------------------------- masks

def _new(grid, path, dtype=gdal.GDT_Byte):
    ds = gdal.GetDriverByName("GTiff").Create(path, grid.nx, grid.ny, 1, dtype, TIFF_OPTIONS + ["COMPRESS=DEFLATE"])
    ds.SetGeoTransform(grid.geotransform)
    ds.SetProjection(grid.wkt)
    return ds


def _mask_rasters(grid, tmp, dem, water_layer, params):
    """Grid rasters (1 = masked) of the user's water layer and of steep slopes; None when not given."""
    out = {}
    if water_layer:
        path = os.path.join(tmp, "water_layer.tif")
        ds = _new(grid, path)
        try:
            vec = gdal.OpenEx(str(water_layer), gdal.OF_VECTOR)
        except RuntimeError as e:
            raise InvalidInputError(tr("The water layer cannot be read ({e}): choose a polygon layer.", e=e)) from None
        for i in range(vec.GetLayerCount()):
            gdal.Rasterize(ds, vec, layers=[vec.GetLayer(i).GetName()], burnValues=[1])
        ds = None
        out["water"] = path
    if dem:
        dem_grid = os.path.join(tmp, "dem.tif")
        try:
            gdal.Warp(dem_grid, str(dem), options=gdal.WarpOptions(
                format="GTiff", outputBounds=grid.bounds, xRes=grid.res, yRes=grid.res, dstSRS=grid.wkt,
                resampleAlg="bilinear", outputType=gdal.GDT_Float32, creationOptions=TIFF_OPTIONS,
                dstNodata=-32768))
        except RuntimeError as e:
            raise InvalidInputError(tr("The DEM cannot be read ({e}): choose an elevation raster.", e=e)) from None
        slope = os.path.join(tmp, "slope.tif")
        gdal.DEMProcessing(slope, dem_grid, "slope", computeEdges=True, creationOptions=TIFF_OPTIONS)
        out["slope"] = slope
    return out


# ------------------------------------------------------------------------- the chain

def _box_sum(x, w):
    """Sums over w x w windows, cut at the array's edges (zeros outside). Small windows: w shifted adds per axis
    in the input's precision (exact enough in float32, no cancellation); large ones: an integral image in
    float64 (O(1) per pixel whatever w)."""
    r = w // 2
    h, wd = x.shape
    p = np.pad(x, ((r, r), (r, r)))
    if w <= 9:
        rows = p[0:h].copy()
        for i in range(1, w):
            rows += p[i:i + h]
        out = rows[:, 0:wd].copy()
        for j in range(1, w):
            out += rows[:, j:j + wd]
        return out
    c = np.pad(p.astype(np.float64), ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return (c[w:, w:] - c[:-w, w:] - c[w:, :-w] + c[:-w, :-w]).astype(x.dtype)


def speckle_filter(a, kind, w, enl):
    """Lee (adaptive: smooth where homogeneous, keep edges) or boxcar mean of linear intensity over w x w
    pixels, NaN (no data) left out of the windows; NaN where a window holds no valid pixel."""
    if kind == "none" or w == 1:
        return a
    nan = np.isnan(a)
    if nan.any():
        v = np.where(nan, np.float32(0), a).astype(np.float32)
        n = _box_sum((~nan).astype(np.float32), w)
    else:
        v = a.astype(np.float32, copy=False)
        r = w // 2
        rows = np.minimum(np.arange(a.shape[0]) + r, a.shape[0] - 1) - np.maximum(np.arange(a.shape[0]) - r, 0) + 1
        cols = np.minimum(np.arange(a.shape[1]) + r, a.shape[1] - 1) - np.maximum(np.arange(a.shape[1]) - r, 0) + 1
        n = np.outer(rows, cols).astype(np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = _box_sum(v, w) / n
        if kind == "boxcar":
            return mean.astype(np.float32)
        m2 = mean * mean
        var = np.maximum(_box_sum(v * v, w) / n - m2, 0)
        cu2 = np.float32(1.0 / enl)
        var_x = np.maximum((var - m2 * cu2) / (1 + cu2), 0)
        k = np.where(var > 0, var_x / var, np.float32(0))
    out = mean + k * (v - mean)
    out[nan] = mean[nan]
    return out.astype(np.float32)


def to_db(a):
    with np.errstate(invalid="ignore"):
        return (10.0 * np.log10(np.maximum(a, DB_FLOOR))).astype(np.float32)


def change(before_db, after_db, method, threshold):
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "ratio":
            return (before_db < 0) & (after_db / before_db > threshold)
        return (after_db - before_db) < threshold


def _chain(before_tif, after_tif, masks, out_path, grid, params, progress, threads, looks):
    threshold = params.threshold if params.threshold is not None else DEFAULT_THRESHOLD[params.method]
    water_db = params.water_db if params.water_db is not None else DEFAULT_WATER_DB[params.pol]
    enl = params.enl or 4.4 * looks * looks          # IW GRDH has ~4.4 looks; multilooking multiplies them
    halo = params.window // 2
    out = _new(grid, out_path)
    ob = out.GetRasterBand(1)
    ob.SetNoDataValue(NODATA)
    out.SetMetadata({"METHOD": params.method, "POLARISATION": params.pol, "THRESHOLD": str(threshold),
                     "SPECKLE_FILTER": f"{params.speckle_filter} {params.window}x{params.window}",
                     "VALUES": "1 flooded, 0 not flooded, 255 no data (outside the images, permanent water, "
                               "steep slope)"})

    def strip(y0):
        ya, yb = max(0, y0 - halo), min(grid.ny, y0 + STRIP + halo)
        b, a = (_read(p, ya, yb, grid) for p in (before_tif, after_tif))
        valid = ~(np.isnan(b) | np.isnan(a))
        fb, fa = (speckle_filter(x, params.speckle_filter, params.window, enl) for x in (b, a))
        bdb, adb = to_db(fb), to_db(fa)
        flooded = change(bdb, adb, params.method, threshold)
        nodata = ~valid
        if params.water_from_before:
            nodata |= bdb < water_db
        for name in ("water", "slope"):
            if name in masks:
                m = _read(masks[name], ya, yb, grid)
                nodata |= (m > params.max_slope) if name == "slope" else (m > 0)
        res = np.where(nodata, NODATA, flooded.astype(np.uint8)).astype(np.uint8)
        return y0, res[y0 - ya: y0 - ya + min(STRIP, grid.ny - y0)]

    starts = list(range(0, grid.ny, STRIP))
    try:
        with ThreadPoolExecutor(max(1, threads)) as pool:
            pending = []
            for k, y0 in enumerate(starts):
                check_cancelled(progress)
                pending.append(pool.submit(strip, y0))
                if len(pending) > threads:            # bounded: at most threads + 1 strips in flight
                    _write(ob, pending.pop(0).result())
                progress.set(60 + 30 * k / len(starts))
            for f in pending:
                _write(ob, f.result())
    finally:
        out = None


def _read(path, ya, yb, grid):
    ds = gdal.Open(path)
    a = ds.GetRasterBand(1).ReadAsArray(0, ya, grid.nx, yb - ya)
    ds = None
    return a


def _write(band, item):
    y0, arr = item
    band.WriteArray(arr, 0, y0)


def _remove_small(path, min_pixels):
    """Flooded areas of fewer than min_pixels (8-connected) become 0. GDAL's sieve merges small areas into
    their largest neighbour, which would also fill small dry holes: only its removals are kept."""
    ds = gdal.Open(path, gdal.GA_Update)
    band = ds.GetRasterBand(1)
    mem = gdal.GetDriverByName("GTiff").Create(path + ".sieve.tif", ds.RasterXSize, ds.RasterYSize, 1,
                                               gdal.GDT_Byte, TIFF_OPTIONS)
    mb = mem.GetRasterBand(1)
    gdal.SieveFilter(band, None, mb, min_pixels, 8)
    for y0 in range(0, ds.RasterYSize, STRIP):
        h = min(STRIP, ds.RasterYSize - y0)
        orig = band.ReadAsArray(0, y0, ds.RasterXSize, h)
        sieved = mb.ReadAsArray(0, y0, ds.RasterXSize, h)
        band.WriteArray(np.where((orig == 1) & (sieved != 1), 0, orig).astype(np.uint8), 0, y0)
    mem = None
    ds = None
    gdal.Unlink(path + ".sieve.tif")


def _count_flooded(path):
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    total = 0
    for y0 in range(0, ds.RasterYSize, STRIP):
        total += int(np.count_nonzero(band.ReadAsArray(0, y0, ds.RasterXSize,
                                                       min(STRIP, ds.RasterYSize - y0)) == 1))
    return total


def polygonize(raster, gpkg):
    """Flooded areas (value 1, 8-connected) as polygons in a GeoPackage layer 'flood' with area_ha."""
    src = gdal.Open(raster)
    band = src.GetRasterBand(1)
    mask_ds = gdal.GetDriverByName("MEM").Create("", src.RasterXSize, src.RasterYSize, 1, gdal.GDT_Byte)
    mask_ds.SetGeoTransform(src.GetGeoTransform())
    mask_ds.SetProjection(src.GetProjection())
    mb = mask_ds.GetRasterBand(1)
    for y0 in range(0, src.RasterYSize, STRIP):
        h = min(STRIP, src.RasterYSize - y0)
        mb.WriteArray((band.ReadAsArray(0, y0, src.RasterXSize, h) == 1).astype(np.uint8), 0, y0)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(gpkg)
    srs = osr.SpatialReference()
    srs.ImportFromWkt(src.GetProjection())
    lyr = ds.CreateLayer("flood", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("flooded", ogr.OFTInteger))
    area = ogr.FieldDefn("area_ha", ogr.OFTReal)
    area.SetPrecision(4)
    lyr.CreateField(area)
    ds.StartTransaction()
    gdal.Polygonize(mb, mb, lyr, 0, ["8CONNECTED=8"])
    ds.CommitTransaction()
    ds.StartTransaction()
    lyr.ResetReading()
    count = 0
    for f in lyr:
        f.SetField("area_ha", f.GetGeometryRef().GetArea() / 1e4)
        lyr.SetFeature(f)
        count += 1
    ds.CommitTransaction()
    ds = None
    return count

