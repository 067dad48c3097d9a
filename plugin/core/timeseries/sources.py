"""Where a time series is read from: product archives (read in place through /vsizip/) or NDVI GeoTIFFs.

An Observation is one acquisition on one grid. `read(x0, y0, w, h, at=None)` gives the index and, for products,
the surface reflectances of a window, with two per-pixel flags kept apart:
- masked: a mask of the product flags the pixel (clouds, cloud shadows, swath edges, saturation...: the
  NDVI engine's default MaskPolicy); a masked pixel never carries a value.
- nodata: no value for another reason (a band's own no data, NIR + red == 0, outside the raster).
From an index GeoTIFF: its nodata holds both; the masked-pixels raster the engine writes beside it
("<stem>_masked.tif", plugin/core/ndvi.py) tells them apart. Without one (older outputs), an invalid pixel
counts as masked when masks were applied (MASKS_APPLIED) and as no data when none were.

`at` (flat indices into the window, row-major) reads only those pixels: the parcel engine gathers a few
percent of a tile without computing the index anywhere else. Readers open their datasets once and must be
read in increasing row order (a /vsizip/ member is one deflate stream: a backward seek inflates it again).
"""
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np
from osgeo import gdal

from ..errors import InvalidInputError, ProductFormatError, SentinelMirrorError
from ..indices import get_index
from ..ndvi import NODATA as NDVI_NODATA, MaskPolicy, index_of_arrays, masked_pixels_path
from ..products import open_product
from ..i18n import tr

gdal.UseExceptions()

# The reflectance bands a profile can chart besides the index (the seed's figure: blue, green, red, NIR).
REFLECTANCE_BANDS = ("B2", "B3", "B4", "B8")


def index_bands(index):
    """The bands the index reads (plugin/core/indices.py), e.g. ("B8", "B4") for NDVI."""
    return get_index(index).bands


@dataclass(frozen=True)
class Grid:
    """A raster grid: CRS (WKT), geotransform (north-up), size. Two observations on one grid share parcels'
    rasterisation."""
    wkt: str
    transform: tuple
    width: int
    height: int

    @property
    def key(self):
        return (self.wkt, tuple(round(v, 6) for v in self.transform), self.width, self.height)

    def pixel(self, x, y):
        """(col, row) of the pixel holding (x, y) in the grid's CRS (may be outside)."""
        x0, dx, _, y0, _, dy = self.transform
        return int(np.floor((x - x0) / dx)), int(np.floor((y - y0) / dy))

    def bounds(self):
        x0, dx, _, y0, _, dy = self.transform
        return x0, y0 + dy * self.height, x0 + dx * self.width, y0


@dataclass
class Window:
    """What a read gives: `value` (index, float32, NaN where not valid), `masked`, `nodata` (bool) and, when
    asked, `reflectance` (band -> float32, NaN where the band has no data; masked pixels keep NaN too)."""
    value: np.ndarray
    masked: np.ndarray
    nodata: np.ndarray
    reflectance: dict = field(default_factory=dict)

    @property
    def valid(self):
        return ~(self.masked | self.nodata)


@dataclass
class Observation:
    path: str
    kind: str                     # "product" or "raster"
    acquired: dt.datetime
    tile: Optional[str]
    label: str                    # product id or file name
    grid: Grid
    product: object = None        # the ProductReader of a product (opened once, when the series is listed)

    @property
    def date(self):
        return self.acquired.date()

    def reader(self, index="NDVI", reflectance=False, masks=None):
        if self.kind == "product":
            return ProductWindowReader(self, index, reflectance, masks or MaskPolicy())
        return RasterWindowReader(self)


def _open(path):
    """gdal.Open without listing the folder for side-car files (none inside a product zip; it halves the cost
    of opening a /vsizip/ member, which a profile over 300 dates does 2000 times)."""
    gdal.SetThreadLocalConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR")
    try:
        return gdal.Open(path)
    finally:
        gdal.SetThreadLocalConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", None)


def _grid_of(path):
    """(geotransform, width, height, dataset) of a band; its CRS is asked for by the caller, once per tile."""
    ds = _open(path)
    gt, w, h = tuple(ds.GetGeoTransform()), ds.RasterXSize, ds.RasterYSize
    return gt, w, h, ds


_DATE_IN_NAME = re.compile(r"(20\d{2})(\d{2})(\d{2})")


def _raster_observation(path, index):
    ds = gdal.Open(path)
    meta = ds.GetMetadata() or {}
    if ds.RasterCount != 1 or "PERIOD_START" in meta or "MASKED_PIXELS_OF" in meta:
        return None                    # a composite, a gap-filled series or a masked-pixels raster (ours)
    if meta.get("INDEX", "NDVI").upper() != index:
        return None                    # another index's raster (ours; rasters without INDEX are NDVI)
    when = meta.get("ACQUISITION_DATE", "")
    acquired = None
    if when:
        try:
            acquired = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            acquired = None
    if acquired is None:
        m = _DATE_IN_NAME.search(os.path.basename(path))
        if not m:
            raise InvalidInputError(tr("{basename} has no acquisition date: give NDVI rasters written by this "
                                       "plugin (ACQUISITION_DATE metadata) or named with their date (YYYYMMDD).",
                                       basename=os.path.basename(path)))
        acquired = dt.datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=dt.timezone.utc)
    if acquired.tzinfo is None:
        acquired = acquired.replace(tzinfo=dt.timezone.utc)
    grid = Grid(ds.GetProjection(), tuple(ds.GetGeoTransform()), ds.RasterXSize, ds.RasterYSize)
    return Observation(path, "raster", acquired, meta.get("TILE") or None, meta.get("PRODUCT_ID") or
                       Path(path).stem, grid)


def _product_observation(path, known_wkt):
    reader = open_product(path)
    if reader.red is None:
        return None                    # Sentinel-1: no optical bands, not part of an optical series
    gt, w, h, ds = _grid_of(reader.red.path)
    # a tile's CRS never changes: its WKT (slow to export, ~1 ms) is taken once per tile and size
    key = (reader.tile, w) if reader.tile else None
    wkt = known_wkt.get(key) if key else None
    if wkt is None:
        wkt = ds.GetProjection()
        if key:
            known_wkt[key] = wkt
    return Observation(path, "product", reader.acquired, reader.tile, reader.product_id, Grid(wkt, gt, w, h),
                       product=reader)


def find_observations(paths, start=None, end=None, on_skip=None, prefer_rasters=False, index="NDVI"):
    """Observations from product zips and/or index GeoTIFFs (files or folders of them), sorted by acquisition
    time, within [start, end] (dates, inclusive) when given. A file that cannot be read is skipped and reported
    through on_skip(path, message); none at all is an InvalidInputError. Rasters of another index than `index`
    (their INDEX metadata; NDVI without one) are left out.

    Where a product and the NDVI GeoTIFF computed from it are both there (the panel writes NDVI next to the
    zips), one is kept: the product by default (reflectances), the GeoTIFF with prefer_rasters (random access:
    reading a point of a full-size zip inflates its members up to that row, seconds per date, against
    milliseconds for a tiled GeoTIFF and its masked-pixels raster, which keep masked and no data apart)."""
    files = []
    for p in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        p = str(p)
        if os.path.isdir(p):
            files += sorted(str(f) for f in Path(p).iterdir()
                            if f.is_file() and f.suffix.lower() in (".zip", ".tif", ".tiff"))
        elif os.path.isfile(p):
            files.append(p)
        else:
            raise InvalidInputError(tr("{p} does not exist: give product archives, NDVI rasters or their folder.",
                                       p=p))
    index = get_index(index).name
    found, known_wkt = [], {}
    for f in dict.fromkeys(files):
        try:
            obs = (_product_observation(f, known_wkt) if f.lower().endswith(".zip")
                   else _raster_observation(f, index))
        except (SentinelMirrorError, RuntimeError, OSError) as e:
            if on_skip:
                on_skip(f, str(e))
            continue
        if obs is None:
            continue
        if (start and obs.date < start) or (end and obs.date > end):
            continue
        found.append(obs)
    if not found:
        raise InvalidInputError(tr("No Sentinel-2 product or {index} raster found between the dates given: choose the "
                                   "folder the products were downloaded to.", index=index) if (start or end) else
                                tr("No Sentinel-2 product or {index} raster found: choose the folder the products "
                                   "were downloaded to.", index=index))
    # an NDVI raster next to the product it was computed from would count the same acquisition twice
    keep = "raster" if prefer_rasters else "product"
    kept = {o.label for o in found if o.kind == keep}
    found = [o for o in found if o.kind == keep or o.label not in kept]
    found.sort(key=lambda o: (o.acquired, o.label))
    return found


# ---------------------------------------------------------------- readers

def _release(ds, y1):
    """Drop the blocks GDAL cached for this dataset once a read has used up their row of blocks: reads go
    forward, so they are never needed again, and a whole tile read through GDAL's default cache (5 % of the
    RAM) would otherwise stay in memory until the dataset closes."""
    rows = ds.GetRasterBand(1).GetBlockSize()[1]
    if y1 % rows == 0 or y1 >= ds.RasterYSize:
        ds.FlushCache()


def _gather(arr, at):
    return arr if at is None else arr.ravel()[at]


def _flags(values, rule):
    if rule.bits:
        return (values & rule.bits) != 0
    out = np.zeros(values.shape, bool)
    for c in rule.classes:
        out |= values == c
    return out


class RasterWindowReader:
    """Index values from a single-band raster (an index GeoTIFF, float32 or Int16 with its band scale): its
    nodata (and NaN) are invalid."""

    def __init__(self, obs):
        # GTiff decodes the tiles of one read on every core (ZSTD/DEFLATE decoding is the cost of a read); not
        # for uncompressed rasters, which it then reads 3-4 times slower (measured: bench-timeseries)
        self.ds = _open(obs.path)
        if self.ds.GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE"):
            self.ds = gdal.OpenEx(obs.path, gdal.OF_RASTER, open_options=["NUM_THREADS=ALL_CPUS"])
        self.band = self.ds.GetRasterBand(1)
        nd = self.band.GetNoDataValue()
        self.nodata = NDVI_NODATA if nd is None else nd
        self.scale, self.offset = self.band.GetScale() or 1.0, self.band.GetOffset() or 0.0
        self.masked_ds = None
        side = masked_pixels_path(obs.path)
        if os.path.exists(side):
            m = _open(side)
            if (m.RasterXSize, m.RasterYSize) == (self.ds.RasterXSize, self.ds.RasterYSize):
                self.masked_ds = m
        # without it: invalid = masked, unless the raster says no mask was applied
        self.unmasked = (self.ds.GetMetadataItem("MASKS_APPLIED") or "").strip().lower() == "none"

    def read(self, x0, y0, w, h, at=None):
        raw = _gather(self.band.ReadAsArray(x0, y0, w, h), at)
        _release(self.ds, y0 + h)
        invalid = raw == self.nodata
        value = raw.astype(np.float32)
        if (self.scale, self.offset) != (1.0, 0.0):       # Int16: index = stored x 1e-4
            value = (raw * self.scale + self.offset).astype(np.float32)
        invalid |= np.isnan(value)
        value[invalid] = np.nan
        if self.masked_ds is not None:
            masked = _gather(self.masked_ds.GetRasterBand(1).ReadAsArray(x0, y0, w, h), at) != 0
            _release(self.masked_ds, y0 + h)
            masked &= invalid
            return Window(value, masked, invalid & ~masked)
        if self.unmasked:
            return Window(value, np.zeros(invalid.shape, bool), invalid)
        return Window(value, invalid, np.zeros(invalid.shape, bool))

    def close(self):
        self.band = self.ds = self.masked_ds = None


class ProductWindowReader:
    """An index and reflectances from a product archive, with its masks: the index engine's bands, mask rules
    and arithmetic (plugin/core/ndvi.py index_of_arrays), so a profile or a parcel gives the values the index
    rasters hold. 20 m bands (B5, B8A, B11, B12) are read at 20 m, each 10 m pixel taking the 20 m pixel that
    covers it (the engine's exact 2 x 2 replication)."""

    def __init__(self, obs, index, reflectance, policy):
        reader = obs.product or open_product(obs.path)
        self.label = reader.product_id
        self.spec = get_index(index)
        needed = list(self.spec.bands) + (list(REFLECTANCE_BANDS) if reflectance else [])
        self.bands = {b: reader.band(b) for b in dict.fromkeys(needed)}
        self.with_reflectance = reflectance
        self.rules, _missing = reader.mask_rules(policy, self.spec.bands)
        self.masks = {r.mask: reader.masks[r.mask] for r in self.rules}
        self.ds = {}
        try:
            for name, band in self.bands.items():
                self.ds[name] = _open(band.path)
            for key, mask in self.masks.items():
                self.ds[key] = _open(mask.path)
        except RuntimeError as e:
            raise ProductFormatError(tr("{label}: unreadable band or mask ({e}).", label=self.label, e=e)) from e

    def read(self, x0, y0, w, h, at=None):
        shape = (w * h,) if at is None else np.shape(at)
        positions = []

        def rows_cols():                 # row and column (in the window) of every pixel read, made once
            if not positions:
                positions.append(divmod(np.arange(w * h), w) if at is None else np.divmod(np.asarray(at), w))
            return positions[0]

        def values(key, band_no, f):
            ds = self.ds[key]
            if f == 1:
                return _gather(ds.GetRasterBand(band_no).ReadAsArray(x0, y0, w, h), at).reshape(-1)
            rows, cols = rows_cols()
            a0, a1 = y0 // f, min(ds.RasterYSize, -(-(y0 + h) // f))
            b0, b1 = x0 // f, min(ds.RasterXSize, -(-(x0 + w) // f))
            low = ds.GetRasterBand(band_no).ReadAsArray(b0, a0, b1 - b0, a1 - a0)
            return low[(y0 + rows) // f - a0, (x0 + cols) // f - b0].reshape(-1)

        refl = {}
        for name, band in self.bands.items():
            raw = values(name, 1, band.factor)
            bad = raw == band.nodata
            if band.saturated is not None:
                bad |= raw == band.saturated
            r = raw.astype(np.float64) * band.scale + band.offset
            r[bad] = np.nan
            refl[name] = r
        masked = np.zeros(shape, bool)
        cache = {}
        for rule in self.rules:
            key = (rule.mask, rule.band)
            if key not in cache:
                cache[key] = values(rule.mask, rule.band, self.masks[rule.mask].factor)
            masked |= _flags(cache[key], rule)
        for key, ds in self.ds.items():
            f = self.masks[key].factor if key in self.masks else self.bands[key].factor
            _release(ds, -(-(y0 + h) // f))
        # the engine's arithmetic: NaN where a band is no data or the denominator is 0, clipped to [-1, 1]
        value = index_of_arrays(self.spec.name, {b: refl[b] for b in self.spec.bands})
        nodata = np.isnan(value) & ~masked
        value[masked] = np.nan
        out_shape = (h, w) if at is None else shape
        reflectance = {}
        if self.with_reflectance:
            for name in REFLECTANCE_BANDS:
                r = refl[name].astype(np.float32)
                r[masked] = np.nan
                reflectance[name] = r.reshape(out_shape)
        return Window(value.reshape(out_shape), masked.reshape(out_shape), nodata.reshape(out_shape), reflectance)

    def close(self):
        self.ds = {}
