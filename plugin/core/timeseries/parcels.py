"""Statistics per parcel over time: the pixels of every parcel are found once per tile grid and reused for
every date.

How:
- Each parcel is split between the tile grids of the series: the piece on grid g is the parcel inside g's
  extent and outside the extents of the grids before it (tiles overlap by ~10 km; a pixel is never counted
  twice). Pieces are rasterised once per grid (pixel centres, or every pixel touched), in strips, into a
  sorted list of flat pixel indices and parcel labels: a few bytes per parcel pixel, whatever the tile size.
- Per date, every observation of that date is read strip by strip in row order, only at the parcel pixels
  (`Window` values gathered, nothing computed elsewhere); the pieces of a parcel on several tiles of the
  same date are pooled. Statistics per parcel come from one sort of (parcel, value), vectorised, the
  pixels put in parcel order by a permutation made once per grid. (Reading the next date in a second thread
  while computing this one's statistics was tried: no gain measurable on the loaded 2-core machine, 60 MB
  more at peak.)
- Memory: the index lists plus one strip per band; the per-date arrays have one entry per parcel pixel.
Overlapping parcels: a pixel inside two parcels counts for the one listed last (rasterisation order).
"""
import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from osgeo import gdal, ogr

from ..errors import InvalidInputError
from ..progress import NULL_PROGRESS, check_cancelled
from .geometry import Transforms, box, geometry_from, srs_from
from .in_order import default_threads, in_order
from ..i18n import tr

gdal.UseExceptions()

STRIP_ROWS = 512
STAT_NAMES = ("mean", "median", "std", "p10", "p90")


@dataclass
class ParcelPixels:
    """The parcel pixels of one grid: window (x0, y0, w, h) and, sorted by flat index in that window,
    `index` and `label` (parcel position)."""
    window: tuple
    index: np.ndarray
    label: np.ndarray
    _order: np.ndarray = None
    _sorted: np.ndarray = None
    _strips: list = None

    def strips(self, block_rows=None):
        """The reads covering the parcel pixels, made once per grid: [(row0, row1, a, b, col0, col1, at)] with
        rows relative to the window, pixels index[a:b] and, for each, its flat position in the read of rows
        [row0, row1) x columns [col0, col1). Strips end on multiples of STRIP_ROWS in raster rows (the index
        rasters' 512-row tiles: each row of tiles decoded once and dropped from GDAL's cache right after), and
        only the columns holding parcel pixels are read (fields clustered in a part of the tile decode only
        the tiles under them)."""
        if self._strips is None:
            x0, y0, w, h = self.window
            first = STRIP_ROWS - y0 % STRIP_ROWS
            edges = [0] + list(range(first, h, STRIP_ROWS)) + [h]
            bounds = np.searchsorted(self.index, np.array(edges, np.int64) * w)
            plans = []
            for k in range(len(edges) - 1):
                a, b = int(bounds[k]), int(bounds[k + 1])
                if a == b:
                    continue
                rows, cols = np.divmod(self.index[a:b] - edges[k] * w, w)
                c0, c1 = int(cols.min()), int(cols.max()) + 1
                plans.append((edges[k], edges[k + 1], a, b, c0, c1, (rows * (c1 - c0) + cols - c0).astype(np.int32)))
            self._strips = plans
        return self._strips

    @property
    def by_label(self):
        """The permutation putting the pixels in parcel order (made once per grid, reused every date)."""
        if self._order is None:
            self._order = np.argsort(self.label, kind="stable").astype(np.int32)   # < 2**31 pixels
        return self._order

    @property
    def sorted_label(self):
        """label[by_label] (int64, what bincount counts with no conversion), made once."""
        if self._sorted is None:
            self._sorted = self.label[self.by_label].astype(np.int64)
        return self._sorted


@dataclass
class DateStats:
    """Statistics of every parcel on one date (arrays indexed by parcel position; NaN without valid pixels)."""
    date: dt.date
    labels: tuple                        # product ids read for this date
    paths: tuple                         # their files (zips or rasters)
    pixels: np.ndarray                   # parcel pixels (all grids), int
    valid: np.ndarray                    # valid pixels on this date, int
    masked: np.ndarray                   # pixels flagged by a mask on this date, int
    stats: dict                          # name -> float64 array
    reflectance: dict = field(default_factory=dict)   # band -> mean reflectance of valid pixels

    @property
    def valid_fraction(self):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.pixels > 0, self.valid / np.maximum(self.pixels, 1), np.nan)

    @property
    def masked_fraction(self):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.pixels > 0, self.masked / np.maximum(self.pixels, 1), np.nan)


class Parcels:
    """Polygons (WKT or WKB) in one CRS, with the ids shown to the user."""

    def __init__(self, geometries, crs, ids=None):
        self.geometries = [geometry_from(g) for g in geometries]
        if not self.geometries:
            raise InvalidInputError(tr("No parcel given: choose a polygon layer with at least one feature."))
        self.ids = list(ids) if ids is not None else list(range(1, len(self.geometries) + 1))
        self.transforms = Transforms(srs_from(crs))
        self._pixels = {}

    def __len__(self):
        return len(self.geometries)

    def pixels(self, grids, grid, all_touched=False):
        """ParcelPixels of `grid` (one of `grids`, the series' grids in their priority order); cached."""
        key = (grid.key, tuple(g.key for g in grids), all_touched)
        if key not in self._pixels:
            self._pixels[key] = self._rasterise(grids, grid, all_touched)
        return self._pixels[key]

    def _piece_geometries(self, grids, grid):
        """Each parcel's piece on `grid`, in the grid's CRS (None where the parcel is elsewhere)."""
        t = self.transforms
        before = None
        for g in grids:
            if g.key == grid.key:
                break
            ext = t.from_grid(_dense_box(g), g.wkt)
            before = ext if before is None else before.Union(ext)
        own = t.from_grid(_dense_box(grid), grid.wkt)
        pieces = []
        ox0, ox1, oy0, oy1 = own.GetEnvelope()
        for geom in self.geometries:
            piece = None
            x0, x1, y0, y1 = geom.GetEnvelope()
            inside = ox0 < x0 and x1 < ox1 and oy0 < y0 and y1 < oy1 and own.Contains(geom)
            if inside or geom.Intersects(own):
                piece = geom if inside else geom.Intersection(own)
                if before is not None and piece.Intersects(before):
                    piece = piece.Difference(before)
                piece = None if piece is None or piece.IsEmpty() else t.to_grid(piece, grid.wkt)
            pieces.append(piece)
        return pieces

    def _rasterise(self, grids, grid, all_touched):
        pieces = self._piece_geometries(grids, grid)
        drv = ogr.GetDriverByName("Memory")
        src = drv.CreateDataSource("parcels")
        layer = src.CreateLayer("parcels", srs_from(grid.wkt), ogr.wkbMultiPolygon)
        layer.CreateField(ogr.FieldDefn("label", ogr.OFTInteger))
        xs, ys = [], []
        for i, piece in enumerate(pieces):
            if piece is None:
                continue
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField("label", i + 1)
            f.SetGeometry(piece)
            layer.CreateFeature(f)
            x0, x1, y0, y1 = piece.GetEnvelope()
            xs += [x0, x1]
            ys += [y0, y1]
        empty = ParcelPixels((0, 0, 0, 0), np.zeros(0, np.int32), np.zeros(0, np.int32))
        if not xs:
            return empty
        gx, dx, _, gy, _, dy = grid.transform
        c0 = max(0, int(np.floor((min(xs) - gx) / dx)) - 1)
        c1 = min(grid.width, int(np.ceil((max(xs) - gx) / dx)) + 1)
        r0 = max(0, int(np.floor((max(ys) - gy) / dy)) - 1)
        r1 = min(grid.height, int(np.ceil((min(ys) - gy) / dy)) + 1)
        if c1 <= c0 or r1 <= r0:
            return empty
        w, h = c1 - c0, r1 - r0
        index, label = [], []
        mem = gdal.GetDriverByName("MEM")
        options = ["ALL_TOUCHED=TRUE"] if all_touched else []
        for s0 in range(0, h, STRIP_ROWS):
            sh = min(STRIP_ROWS, h - s0)
            ds = mem.Create("", w, sh, 1, gdal.GDT_Int32)
            ds.SetProjection(grid.wkt)
            ds.SetGeoTransform((gx + c0 * dx, dx, 0.0, gy + (r0 + s0) * dy, 0.0, dy))
            sx0, sy1 = gx + c0 * dx, gy + (r0 + s0) * dy
            layer.SetSpatialFilterRect(sx0, sy1 + sh * dy, sx0 + w * dx, sy1)
            gdal.RasterizeLayer(ds, [1], layer, options=options + ["ATTRIBUTE=label"])
            arr = ds.GetRasterBand(1).ReadAsArray()
            flat = np.flatnonzero(arr)
            index.append(flat + s0 * w)
            label.append(arr.ravel()[flat] - 1)
            ds = None
        layer.SetSpatialFilter(None)
        # int32 flat indices: a window of even two tiles side by side holds < 2**31 pixels
        return ParcelPixels((c0, r0, w, h), np.concatenate(index).astype(np.int32),
                            np.concatenate(label).astype(np.int32))


def _dense_box(grid):
    """The grid's extent as a polygon with extra vertices, so it stays faithful once reprojected."""
    b = box(grid.bounds())
    b.Segmentize(abs(grid.transform[1]) * max(grid.width, grid.height) / 64.0)
    return b


def group_by_date(observations):
    """OrderedDict date -> observations of that (UTC) day, in time order, one per grid: a second product of the
    same tile and day (another processing of the same acquisition) would count its pixels twice."""
    out = OrderedDict()
    for o in observations:
        same_day = out.setdefault(o.date, [])
        if all(other.grid.key != o.grid.key for other in same_day):
            same_day.append(o)
    return out


def series_grids(observations):
    """The distinct grids of a series, in a fixed priority order (tile id, then grid)."""
    grids = {}
    for o in sorted(observations, key=lambda o: (o.tile or "", o.grid.transform)):
        grids.setdefault(o.grid.key, o.grid)
    return list(grids.values())


def _gather_date(parcels, grids, observations, all_touched, index, reflectance, masks, progress):
    """(label, value, masked, reflectance-dict, order) arrays for every parcel pixel seen on one date; order:
    the permutation putting them in parcel order."""
    seen = [(obs, parcels.pixels(grids, obs.grid, all_touched)) for obs in observations]
    seen = [(obs, pix) for obs, pix in seen if pix.index.size]
    if not seen:
        return None
    total = sum(pix.index.size for _, pix in seen)
    # filled in place, date after date: no per-strip lists to concatenate (two dates are in memory at once)
    value = np.empty(total, np.float32)
    masked = np.empty(total, bool)
    refl = {}
    at0 = 0
    for obs, pix in seen:
        x0, y0, w, h = pix.window
        reader = obs.reader(index, reflectance, masks)
        try:
            for s0, s1, a, b, c0, c1, at in pix.strips():
                check_cancelled(progress)
                win = reader.read(x0 + c0, y0 + s0, c1 - c0, s1 - s0, at=at)
                value[at0 + a: at0 + b] = win.value
                masked[at0 + a: at0 + b] = win.masked
                for band, arr in win.reflectance.items():
                    refl.setdefault(band, np.full(total, np.nan, np.float32))[at0 + a: at0 + b] = arr
        finally:
            reader.close()
        at0 += pix.index.size
    # one grid's pixels come in the grid's own order: its permutation to parcel order is made once
    if len(seen) == 1:
        pix = seen[0][1]
        return pix.label, value, masked, refl, (pix.by_label, pix.sorted_label)
    label = np.concatenate([pix.label for _, pix in seen])
    order = np.argsort(label, kind="stable")
    return label, value, masked, refl, (order, label[order].astype(np.int64))


def statistics(n, label, value, masked, grouping=None):
    """Per-parcel statistics of the valid values (NaN = not valid): counts, mean, std (population), median,
    p10, p90 (linear interpolation between order statistics, as numpy.percentile's default). grouping:
    (order, label[order]) with order a permutation putting `label` in increasing order (the parcel engine
    keeps one per grid): the sort below then merges already grouped runs, several times faster than sorting
    shuffled pixels."""
    masked_count = np.bincount(label[masked], minlength=n)
    if grouping is not None:
        order, label = grouping
        value = value[order]
    valid = ~np.isnan(value)
    lab = label[valid]
    v = value[valid].astype(np.float64)
    del value, valid
    count = np.bincount(lab, minlength=n)
    total = np.bincount(lab, weights=v, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total / count
        # E[v^2] - mean^2 (one pass, no per-pixel gather): for |v| <= 3 in float64 the cancellation costs
        # ~1e-15 in the variance, 1e-7 at worst in the std of a constant parcel
        var = np.bincount(lab, weights=np.square(v), minlength=n) / count - mean * mean
        std = np.sqrt(np.maximum(var, 0.0))
    has = np.flatnonzero(count)
    # one float64 sort orders by parcel, then value: key = parcel * 4 + (value + 1), value + 1 in [0, 2]
    # (several times faster than a lexsort; exact to ~1e-11 for 10^5 parcels); arrays reused in place
    if v.size and (v.min() < -1.0 or v.max() >= 3.0):      # an index outside [-1, 3): the general way
        s = v[np.lexsort((v, lab))]
        base = np.zeros(has.size)
    else:
        s = lab.astype(np.float64)
        del lab
        s *= 4.0
        s += v
        del v
        s += 1.0
        s.sort(kind="stable" if grouping is not None else None)     # timsort merges the grouped runs
        base = has * 4.0 + 1.0                 # what parcel g's keys carry besides the value
    start = (np.cumsum(count) - count)[has]
    size = count[has]
    stats = {"mean": mean, "std": std}
    for name, q in (("median", 0.5), ("p10", 0.1), ("p90", 0.9)):
        out = np.full(n, np.nan)
        pos = start + q * (size - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, start + size - 1)
        low = s[lo] - base
        out[has] = low + (s[hi] - base - low) * (pos - lo)
        stats[name] = out
    return count, masked_count, stats


def parcel_statistics(parcels, observations, *, all_touched=False, index="NDVI", reflectance=False, masks=None,
                      progress=NULL_PROGRESS):
    """Yields DateStats per acquisition date (all tiles of that day pooled), in date order."""
    grids = series_grids(observations)
    n = len(parcels)
    pixel_count = np.zeros(n, np.int64)
    for g in grids:
        pix = parcels.pixels(grids, g, all_touched)
        pixel_count += np.bincount(pix.label, minlength=n)
    if not pixel_count.any():
        raise InvalidInputError(tr("No parcel lies on the tiles of these products: check the parcels' layer and "
                                   "the products folder cover the same area."))
    by_date = list(group_by_date(observations).items())
    # product zips (bands stored deflated: slow windows) are read several dates at once; index rasters (tiled,
    # decoded on GDAL's own threads) one date at a time, which keeps two dates in memory at most
    threads = default_threads() if any(o.kind == "product" for o in observations) else 1
    gathered = in_order(lambda date: _gather_date(parcels, grids, date[1], all_touched, index, reflectance, masks,
                                                  progress), by_date, threads, progress)
    for i, got in enumerate(gathered):
        day, obs = by_date[i]
        progress.set(100.0 * i / len(by_date))
        if got is None:
            label = np.zeros(0, np.int32)
            value = np.zeros(0, np.float32)
            masked = np.zeros(0, bool)
            refl, grouping = {}, None
        else:
            label, value, masked, refl, grouping = got
        count, masked_count, stats = statistics(n, label, value, masked, grouping)
        means = {}
        for band, arr in refl.items():
            ok = ~np.isnan(arr)
            with np.errstate(divide="ignore", invalid="ignore"):
                means[band] = (np.bincount(label[ok], weights=arr[ok].astype(np.float64), minlength=n)
                               / np.bincount(label[ok], minlength=n))
        yield DateStats(day, tuple(o.label for o in obs), tuple(o.path for o in obs), pixel_count, count,
                        masked_count, stats, means)
    progress.set(100.0)


def write_wide_csv(path, ids, series, stat="mean"):
    """One row per parcel, one column per date (the parcel's `stat`, empty without a valid pixel).
    series: the DateStats of every date, in order. Written to path + '.part' and renamed when complete."""
    import csv
    import os

    tmp = path + ".part"
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["parcel_id"] + [s.date.isoformat() for s in series])
        for i, pid in enumerate(ids):
            w.writerow([pid] + ["" if np.isnan(s.stats[stat][i]) else f"{s.stats[stat][i]:.6f}" for s in series])
    os.replace(tmp, path)
