"""Blockwise spectral-index engine: NDVI (NIR - red) / (NIR + red) and the other indices of
plugin/core/indices.py (NDWI, MNDWI, NDMI, NBR, NDRE, EVI, SAVI) straight from a product archive, bounded
memory, both cores. compute_index writes a raster; index_window returns the values of a window of a product
in memory, index_of_arrays those of reflectance arrays already in memory.

Output (documented contract):
- Float32 GeoTIFF (or Int16 = round(index x 10000), nodata -32768, band scale 1e-4: encoding="int16"), on the
  product's 10 m grid and CRS, tiled 512 x 512, ZSTD level 1 (no predictor), internal overviews (x2 .. x32,
  nearest neighbour: every f-th pixel from the top-left one) written in the same pass, from the computed
  blocks in memory. layout=PLAIN: GTiff defaults (uncompressed strips), no overviews.
- 20 m bands (B5, B8A, B11, B12) are read at 20 m and replicated 2 x 2 onto the 10 m grid (exact nearest);
  or, on request (resolution=20), the output is on the 20 m grid and the 10 m bands are averaged 2 x 2.
- NODATA = -9999: where a band is no data, where the denominator is 0, or where a selected mask flags the
  pixel. Which of these it was is kept beside the output when masks are applied: "<out stem>_masked.tif"
  (masked_pixels_path), UInt8 on the same grid, 1 where a selected mask flagged the pixel, 0 elsewhere
  (tiled, ZSTD: a few MB a tile), written in the same pass and in place before the index file gets its
  name; its metadata MASKED_PIXELS_OF names the index file. A point of a time series is then read from two
  tiled GeoTIFFs (milliseconds) instead of a product zip (seconds), and a masked date still shows as masked.
  Valid values lie in [-1, 1] (a negative reflectance after the L2A/L1C offset can push a ratio outside;
  those are clipped to the range).
- Metadata: PRODUCT_ID, ACQUISITION_DATE, REFLECTANCE (FRE/SRE/BOA/TOA), INDEX, INDEX_FORMULA, BANDS (with
  their resolution and resampling), INDEX_KIND and NDVI_KIND (surface / top-of-atmosphere), MASK_POLICY,
  MASKS_APPLIED, VALUE_RANGE, ENCODING, NODATA_MEANING.
- Written to "<out>.part" and renamed when complete: nothing half-written ever carries the final name.
- Inputs are not trusted: bands and masks off one grid (CRS, corner, pixel size, size) are refused with the
  product named; rasters wider or taller than MAX_SIDE are refused before any buffer is allocated.

Why ZSTD level 1 without predictor: compression is the largest single cost of the whole computation. Writing
a 5490 x 5490 NDVI (one thread, GDAL 3.6, no overviews): ZSTD 1 0.27 s / 62 MB, ZSTD 1 + PREDICTOR=3
0.42 s / 54 MB, DEFLATE 1 0.85 s / 59 MB, LZW 1.20 s / 77 MB, LERC_ZSTD (lossless) 1.51 s / 55 MB, none
0.13 s / 127 MB. ZSTD 1 costs half of the cheapest alternative with a size within 15 % of the smallest.

Concurrency (GDAL releases the GIL while reading, inflating /vsizip/ members and compressing; numpy while
computing): a reader thread for each band of the index (red and NIR for NDVI; inside a zip they are
independent deflate streams, inflated concurrently), one for the masks, the arithmetic of each 512-row block
(masks, no data, ratio, overview decimation) split over `threads` threads, and one writer thread that only
hands computed blocks to GDAL, which compresses them. Every thread that touches GDAL has its own dataset
handles (they are not thread-safe), and reads strictly in file order (a backward seek in a /vsizip/ member
inflates it again from an earlier point). Every block-sized array comes from a fixed pool, so memory is
bounded (peak RSS about 340 MB on a full 10980 x 10980 tile for NDVI, 375 MB for the 3-band EVI) whatever the
input size up to MAX_SIDE, and nothing waits on an unbounded queue.
GTiff's own NUM_THREADS compression is on, though with GDAL 3.6 on 2 cores it measured neither faster nor
slower than compressing in the writer thread alone (and costs ~5 % more CPU); it lets the writer, the longest
chain of the pipeline, use more cores where there are more.
Where the time goes on a full 10980 x 10980 MAJA tile, 2 idle cores: extracted bands about 2.1 CPU seconds
(reading 0.3, masks + arithmetic + decimation 0.6, GDAL writing and ZSTD 1.1) in 1.15-1.25 s of wall time,
both cores busy; from the zip add about 2.1 CPU seconds of inflating (zlib, ~200 MB/s per stream here) for
2.1-2.2 s of wall time. With both cores busy in both cases zip/extracted is about (2.1 + 2.1) / 2.1 = 2: the
zip run cannot come within 1.5 x of the extracted one on 2 cores unless inflating gets twice as fast.
"""
import datetime as dt
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from typing import Optional

import numpy as np
from osgeo import gdal, osr

from .errors import Cancelled, InvalidInputError, ProductFormatError
from .indices import (FLOAT32, FLOAT32_NODATA, INDICES, INT16, INT16_NODATA, INT16_SCALE, SpectralIndex,
                      check_encoding, get_index)
from .models import ProductKind
from .products import Band, open_product
from .progress import NULL_PROGRESS, check_cancelled
from .i18n import join, tr

gdal.UseExceptions()

NODATA = FLOAT32_NODATA
TILE = 512
# Buffers are (block rows x width): a width far beyond a Sentinel-2 tile (10980 px) would need gigabytes, so
# rasters wider or taller than two tiles side by side are refused, with the product named, before any buffer.
MAX_SIDE = 2 * 10980
COMPRESSED, PLAIN = "compressed", "plain"      # output layouts: ours (tiled, ZSTD, overviews) or GTiff defaults
SUB_ROWS = 16           # rows per arithmetic slice: a slice's arrays stay in the core's cache
ROW_PIXELS = 4096       # index_of_arrays: pixels per row of the arithmetic
OVERVIEW_FACTORS = (2, 4, 8, 16, 32)
# the mask policy's flags as a user reads them ("no mask for cloud shadows, water in this product")
_MASK_NAMES = {"clouds": tr("clouds"), "cloud_shadows": tr("cloud shadows"), "snow": tr("snow"), "water": tr("water"),
               "edges": tr("edges"), "saturated": tr("saturated pixels"), "scl_classes": tr("scene classes")}
MASKED_SUFFIX = "_masked"


def codec_options(gtiff_creation_options):
    """ZSTD level 1 without predictor, the cheapest compression worth having (measurements in the module
    docstring), where this GDAL has it (Debian's and the current QGIS builds do); DEFLATE level 1 otherwise, so
    NDVI never fails over a codec."""
    if "ZSTD" in (gtiff_creation_options or ""):
        return ["COMPRESS=ZSTD", "ZSTD_LEVEL=1"]
    return ["COMPRESS=DEFLATE", "ZLEVEL=1"]


CREATION_OPTIONS = (["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}", "BIGTIFF=IF_SAFER"]
                    + codec_options(gdal.GetDriverByName("GTiff").GetMetadataItem("DMD_CREATIONOPTIONLIST")))


@dataclass(frozen=True)
class MaskPolicy:
    """Which pixels become no data besides the bands' own no data.

    MAJA: clouds = CLM bits 1-4,7; cloud_shadows = CLM bits 5-6 or MG2 bit 3; snow / water = MG2 bits 2 / 0;
    edges = EDG; saturated = the saturation bits of the index's own bands: SAT_R1 for its 10 m bands, SAT_R2
    for its 20 m ones (B5, B8A, B11, B12; a 20 m flag covers the 2 x 2 10 m pixels under it; a product without
    SAT_R2 has its 10 m bands checked only). Sen2Cor L2A: the SCL classes 8,9,10 / 3 / 11 / 6 / 0 / 1, or
    exactly `scl_classes` when given. L1C: clouds = MSK_CLASSI opaque + cirrus, snow = its snow band
    (baseline >= 04.00 only). SAFE band values 0 (no data) and 65535 (saturated) are always no data.
    """
    clouds: bool = True
    cloud_shadows: bool = True
    snow: bool = False
    water: bool = False
    edges: bool = True
    saturated: bool = True
    scl_classes: Optional[frozenset] = None

    @classmethod
    def none(cls):
        return cls(clouds=False, cloud_shadows=False, snow=False, water=False, edges=False, saturated=False)

    def describe(self):
        on = [f.name for f in fields(self) if f.name != "scl_classes" and getattr(self, f.name)]
        text = ", ".join(on) or "none"
        if self.scl_classes is not None:
            text += "; SCL classes " + ",".join(str(c) for c in sorted(self.scl_classes))
        return text


@dataclass(frozen=True)
class NdviResult:
    """One written index raster (NDVI or another index: `index`)."""
    path: str
    product_id: str
    acquired: Optional[dt.datetime]
    is_toa: bool
    valid_fraction: float
    reflectance: str = ""
    tile: Optional[str] = None
    kind: Optional[ProductKind] = None
    masks_applied: tuple = ()
    masks_unavailable: tuple = ()      # asked for, but the product has no such mask (e.g. L1C water)
    index: str = "NDVI"
    encoding: str = FLOAT32
    masked_path: Optional[str] = None  # the masked-pixels raster beside it (masks applied), else None

    @property
    def top_of_atmosphere(self):
        return self.is_toa


@dataclass
class IndexInputs:
    """What the engine reads: the index's bands (in its formula's order), mask rasters with rules, metadata."""
    bands: list                                  # Band per SpectralIndex.bands
    name: str                                    # for messages: product id or file name
    index: SpectralIndex = INDICES["NDVI"]
    masks: dict = field(default_factory=dict)    # key -> Mask
    rules: list = field(default_factory=list)    # MaskRule
    saturated_raw: bool = True                   # raw == Band.saturated (SAFE 65535) carries no reflectance
    metadata: dict = field(default_factory=dict)
    out_factor: int = 1                          # output pixel / 10 m: 1 (10 m grid) or 2 (20 m grid)


def _out_factor(resolution):
    if resolution not in (10, 20):
        raise InvalidInputError(tr("The output resolution is 10 or 20 m, not {resolution!r}.", resolution=resolution))
    return resolution // 10


def _product_inputs(reader, index, masks):
    """IndexInputs of an opened product for `index` under the mask policy, and the unavailable mask flags."""
    if not reader.bands:
        raise ProductFormatError(tr("{product_id} is a {value} product: it has no red, near-infrared or other "
                                    "optical bands, so no {name}.",
                                    product_id=reader.product_id, value=reader.kind.value, name=index.name))
    bands = [reader.band(b) for b in index.bands]
    rules, missing = reader.mask_rules(masks, index.bands)
    used = {r.mask: reader.masks[r.mask] for r in rules}
    level = "top-of-atmosphere" if reader.is_toa else "surface"
    meta = {
        "PRODUCT_ID": reader.product_id,
        "ACQUISITION_DATE": reader.acquired.isoformat() if reader.acquired else "",
        "TILE": reader.tile or "",
        "PRODUCT_KIND": reader.kind.value,
        "REFLECTANCE": reader.reflectance,
        "INDEX_KIND": level,
        "MASK_POLICY": masks.describe(),
        "MASKS_APPLIED": "; ".join(r.label for r in rules) or "none",
        "MASKS_UNAVAILABLE": ", ".join(missing),
    }
    if index.name == "NDVI":
        meta["NDVI_KIND"] = level
    return IndexInputs(bands, reader.product_id, index, used, rules, metadata=meta), rules, missing


def compute_index(zip_path, out_path, *, index="NDVI", masks=MaskPolicy(), reflectance="FRE", encoding=FLOAT32,
                  layout=COMPRESSED, resolution=10, progress=NULL_PROGRESS, block_size=TILE, threads=2):
    """A spectral index (plugin/core/indices.py) of a product archive (or of its extracted folder) into a
    GeoTIFF at out_path; returns NdviResult. layout: COMPRESSED (tiled, ZSTD, overviews: the default) or
    PLAIN (uncompressed GTiff strips, no overviews). resolution: 10 (20 m bands replicated 2 x 2) or 20 m
    (10 m bands averaged 2 x 2, 10 m masks: a 20 m pixel is masked where any of its four is)."""
    spec = get_index(index)
    encoding = check_encoding(encoding)
    k = _out_factor(resolution)
    reader = open_product(zip_path, reflectance)
    inputs, rules, missing = _product_inputs(reader, spec, masks)
    inputs.out_factor = k
    if reader.is_toa:
        progress.message(tr("{product_id}: L1C product, {index} is top of atmosphere (no atmospheric correction).",
                            product_id=reader.product_id, index=spec.name))
    if missing:
        progress.message(tr("{product_id}: no mask for {masks} in this product.",
                            product_id=reader.product_id, masks=join(", ", [_MASK_NAMES.get(m, m) for m in missing])))
    masked_path = masked_pixels_path(out_path) if rules else None
    valid = run_index(inputs, out_path, encoding=encoding, layout=layout, progress=progress,
                      block_size=block_size, threads=threads, masked_path=masked_path)
    return NdviResult(out_path, reader.product_id, reader.acquired, reader.is_toa, valid, reader.reflectance,
                      reader.tile, reader.kind, tuple(r.label for r in rules), tuple(missing), spec.name, encoding,
                      masked_path)


def masked_pixels_path(index_path):
    """The masked-pixels raster written beside an index raster: '<stem>_masked.tif'."""
    stem, _ = os.path.splitext(str(index_path))
    return stem + MASKED_SUFFIX + ".tif"


def compute_ndvi(zip_path, out_path, **kwargs):
    """NDVI of a product archive (or of its extracted folder) into a GeoTIFF at out_path; returns NdviResult."""
    return compute_index(zip_path, out_path, index="NDVI", **kwargs)


def compute_ndvi_bands(red_path, nir_path, out_path, *, scale=1e-4, offset=0.0, nodata=-10000.0,
                       progress=NULL_PROGRESS, block_size=TILE, threads=2, name=None, encoding=FLOAT32,
                       layout=COMPRESSED):
    """NDVI of two single-band rasters (reflectance = raw * scale + offset, raw == nodata -> no data;
    nodata=None: every value is data). For the benchmark and for bands outside a product archive."""
    name = name or os.path.basename(red_path)
    inputs = IndexInputs([Band(nir_path, scale, offset, nodata), Band(red_path, scale, offset, nodata)], name,
                         metadata={"PRODUCT_ID": name, "MASK_POLICY": "none", "MASKS_APPLIED": "none"})
    valid = run_index(inputs, out_path, encoding=check_encoding(encoding), layout=layout, progress=progress,
                      block_size=block_size, threads=threads)
    return NdviResult(out_path, name, None, False, valid, encoding=encoding)


def index_window(zip_path, index="NDVI", window=None, *, masks=MaskPolicy(), reflectance="FRE", resolution=10):
    """Index values of a window of a product, in memory: for time-series tools (profiles, parcel statistics,
    composites) that want any index per date without writing a raster.

    window: (x0, y0, width, height) in pixels of the output grid (10 m, or 20 m with resolution=20), None =
    the whole product.
    Returns (values, info): values a float32 (height, width) array, NaN where no data (band no data, masked,
    zero denominator); info a dict with the output metadata's keys plus GEOTRANSFORM (of the window) and
    PROJECTION. Same readers, masks, 20 m replication and arithmetic as the rasters compute_index writes:
    compute_index's output read over the window equals these values (NaN <-> nodata).
    """
    spec = get_index(index)
    reader = open_product(zip_path, reflectance)
    inputs, _, _ = _product_inputs(reader, spec, masks)
    inputs.out_factor = _out_factor(resolution)
    return read_index_window(inputs, window)


def index_of_arrays(index, reflectance):
    """The index computed on arrays already in memory (a composite, a stack of parcel pixels...): reflectance
    maps each band the index uses (indices.INDICES[index].bands, e.g. B8 and B4 for NDVI) to an array of
    reflectance in 0..1 (NaN = no data), all of one shape (any: 1-D pixel lists too). Returns a float32 array
    of that shape, NaN where a band is no data or the denominator is 0; the engine's arithmetic, clipped to
    [-1, 1] like the rasters."""
    spec = get_index(index)
    missing = [b for b in spec.bands if b not in reflectance]
    if missing:
        raise InvalidInputError(tr("{name} needs the bands {items}: {items2} missing.",
                                   name=spec.name, items=', '.join(spec.bands), items2=', '.join(missing)))
    # float64 as given: EVI's denominator cancels, float32 inputs would cost it 1e-6
    given = [np.asarray(reflectance[b], dtype=np.float64) for b in spec.bands]
    if len({a.shape for a in given}) != 1:
        raise InvalidInputError(tr("The bands of {name} must have one shape, not {items}.",
                                   name=spec.name, items=', '.join(str(a.shape) for a in given)))
    shape = given[0].shape
    # any shape (the pixels gathered under parcels are 1-D): computed as rows of at most ROW_PIXELS, so the
    # scratch rows stay small whatever the number of pixels
    n = int(np.prod(shape))
    w = max(1, min(n, ROW_PIXELS))
    h = -(-n // w)
    arrays = []
    for a in given:
        flat = np.full(h * w, np.nan)
        flat[:n] = a.ravel()
        arrays.append(flat.reshape(h, w))
    inputs = IndexInputs([Band("", 1.0, 0.0, None) for _ in arrays], spec.name, spec)
    out = np.empty((h, w), np.float32)
    _Arithmetic(inputs).rows(arrays, [], out, 0, h, _Scratch(w, spec.kind))
    out[out == np.float32(NODATA)] = np.nan
    out = out.ravel()[:n].reshape(shape)
    return out


# ---------------------------------------------------------------- engine
#
# Memory is bounded by buffer pools: every block-sized array is allocated once and recycled. Besides fixing
# the peak, this avoids the malloc churn that makes glibc keep freed blocks (RSS creep) in threaded code.

_STOP = object()


class _Pool:
    """A fixed set of reusable items; take() blocks until one is free (back-pressure on the producer)."""

    def __init__(self, count, make, stop):
        self.stop = stop
        self.free = queue.Queue()
        for _ in range(count):
            self.free.put(make())

    def take(self):
        while not self.stop.is_set():
            try:
                return self.free.get(timeout=0.1)
            except queue.Empty:
                continue
        return None

    def give(self, item):
        self.free.put(item)


class _Reader(threading.Thread):
    """Fills pooled items with one row block after another, in its own thread with its own GDAL handles
    (GDAL datasets are not thread-safe). Strictly in file order: a /vsizip/ member is one deflate stream,
    and a backward seek would inflate part of it again."""

    def __init__(self, opener, blocks, pool, stop):
        super().__init__(daemon=True)
        self.opener, self.blocks, self.pool, self.stop = opener, blocks, pool, stop
        self.out = queue.Queue()

    def run(self):
        try:
            read = self.opener()
            for y0, y1 in self.blocks:
                item = self.pool.take()
                if item is None:
                    break
                self.out.put((item, read(y0, y1, item)))
        except Exception as e:  # noqa: BLE001 - handed to the consumer, which raises it with context
            self.out.put((None, e))

    def get(self):
        """(item to give back to the pool, data read into it)."""
        item, data = self.out.get()
        if isinstance(data, Exception):
            raise data
        return item, data


def _read_rows(band, y0, y1, factor, buf, x0=0, x1=None, down=1):
    """Raster rows/columns covering the output rows [y0, y1) and columns [x0, x1) of a raster whose pixels
    are factor / down output pixels (factor 2: a 20 m raster, 10 m output; down 2: a 10 m raster, 20 m
    output), into buf (the top-left of it); returns the view read."""
    x1 = band.XSize * factor // down if x1 is None else x1
    a0, a1 = y0 * down // factor, min(band.YSize, -(-y1 * down // factor))
    c0, c1 = x0 * down // factor, min(band.XSize, -(-x1 * down // factor))
    view = buf[: a1 - a0, : c1 - c0]
    band.ReadAsArray(c0, a0, c1 - c0, a1 - a0, buf_obj=view)
    return view


def _flush_when_done(ds, y1, factor, down=1):
    """Keep GDAL's cache from holding what was read, but not before a (JP2) tile row is used up."""
    rows = ds.GetRasterBand(1).GetBlockSize()[1]
    done = y1 * down // factor                  # raster rows used up
    if done % rows == 0 or done >= ds.RasterYSize:
        ds.FlushCache()


def _any_2x2(a):
    """(2n, 2w) flags -> (n, w): a 20 m pixel is flagged when any of its four 10 m pixels is."""
    return a[0::2, 0::2] | a[1::2, 0::2] | a[0::2, 1::2] | a[1::2, 1::2]


class _Downsampler:
    """A 10 m band onto 20 m output pixels: the mean of each 2 x 2 block of raw values, in float32 (exact for
    integer raw values: a sum of four is below 2**24), or the band's no-data value (NaN without one) where
    any of the four is no data or saturated."""

    def __init__(self, band_spec, rows, width, dtype, saturated_raw=True):
        self.raw = np.empty((2 * rows, 2 * width), dtype)
        self.bad = np.empty((rows, width), bool)
        self.invalid = [v for v in (band_spec.nodata, band_spec.saturated if saturated_raw else None)
                        if v is not None]
        self.fill = np.float32(band_spec.nodata if band_spec.nodata is not None else np.nan)

    def read(self, band, y0, y1, x0, x1, out):
        n = y1 - y0
        a = _read_rows(band, y0, y1, 1, self.raw, x0, x1, down=2)
        o, bad = out[:n], self.bad[:n]
        quads = (a[0::2, 0::2], a[1::2, 0::2], a[0::2, 1::2], a[1::2, 1::2])
        np.copyto(o, quads[0], casting="unsafe")
        for q in quads[1:]:
            np.add(o, q, out=o, casting="unsafe")
        o *= np.float32(0.25)
        bad[:] = False
        for v in self.invalid:
            for q in quads:
                bad |= q == v
        np.copyto(o, self.fill, where=bad)
        return o


class _Upsampler:
    """Exact nearest-neighbour replication of a coarser band (factor 2: 20 m) onto 10 m rows and columns:
    10 m pixel (y, x) takes the coarse pixel (y // f, x // f). Index arrays are made once; np.take writes
    into preallocated buffers, so nothing is allocated block after block."""

    def __init__(self, factor, rows, x0, x1, dtype):
        self.f = factor
        cols = np.arange(x0, x1) // factor
        self.cols = cols - cols[0]
        self.low = np.empty((rows // factor + 2, self.cols[-1] + 1), dtype)
        self.wide = np.empty((rows // factor + 2, x1 - x0), dtype)
        self.x0, self.x1 = x0, x1

    def read(self, band, y0, y1, out):
        low = _read_rows(band, y0, y1, self.f, self.low, self.x0, self.x1)
        wide = self.wide[: low.shape[0]]
        np.take(low, self.cols, axis=1, out=wide, mode="clip")   # clip: no buffered copy
        np.take(wide, np.arange(y0, y1) // self.f - y0 // self.f, axis=0, out=out[: y1 - y0], mode="clip")
        return out[: y1 - y0]


def _band_opener(band_spec, rows, x0=0, x1=None, out_factor=1, saturated_raw=True):
    """A reader of the output rows [y0, y1) (columns [x0, x1)) of one Band: on a 10 m output 20 m bands are
    replicated exactly; on a 20 m output (out_factor 2) 10 m bands are averaged 2 x 2 (_Downsampler)."""
    def opener():
        # uncompressed GeoTIFF strips (MAJA bands) are read straight into our buffer, not via GDAL's cache
        gdal.SetThreadLocalConfigOption("GTIFF_DIRECT_IO", "YES")
        ds = gdal.Open(band_spec.path)
        band = ds.GetRasterBand(1)
        f = band_spec.factor
        end = band.XSize * f // out_factor if x1 is None else x1
        up = _Upsampler(f, rows, x0, end, gdal_array_type(band)) if f > out_factor else None
        down = (_Downsampler(band_spec, rows, end - x0, gdal_array_type(band), saturated_raw)
                if f < out_factor else None)

        def read(y0, y1, buf):
            if up:
                view = up.read(band, y0, y1, buf)
            elif down:
                view = down.read(band, y0, y1, x0, end, buf)
            else:
                view = _read_rows(band, y0, y1, 1, buf, x0, end)
            _flush_when_done(ds, y1, max(1, f // out_factor), 2 if down else 1)
            return view
        return read
    return opener


class _MaskPlan:
    """How the selected masks reach the arithmetic.

    uint8 bit masks on the output grid (MAJA's R1 masks on a 10 m output, SAT_R2 on a 20 m one) are handed
    over raw as (rows, bits) layers and tested in the compute threads, slice by slice while the slice is in
    cache: one AND and one OR per mask. Anything else (classes, other types, 20 m SCL / SAT_R2 / 60 m
    MSK_CLASSI replicated to 10 m, 10 m masks on a 20 m output) is reduced by the mask reader to one uint8
    layer, non-zero = masked."""

    def __init__(self, masks, rules, out_factor=1):
        self.masks, self.k = masks, out_factor
        self.direct, self.derived = {}, []     # (key, band) -> bits ; rules
        for r in rules:
            m = masks[r.mask]
            ds = gdal.Open(m.path)
            if m.factor == out_factor and r.bits and gdal_array_type(ds.GetRasterBand(r.band)) == np.uint8:
                k = (r.mask, r.band)
                self.direct[k] = self.direct.get(k, 0) | r.bits     # CLM clouds + CLM shadows: one test
            else:
                self.derived.append(r)

    def make(self, rows, width):
        return [np.empty((rows, width), np.uint8) for _ in range(len(self.direct) + bool(self.derived))]

    def opener(self, rows, width, x0=0):
        masks, direct, derived, k = self.masks, sorted(self.direct.items()), self.derived, self.k
        x1 = x0 + width
        # a mask's pixel is up / down output pixels: up 2 or 6 on a 10 m output (SCL, MSK_CLASSI), down 2 for
        # a 10 m mask on a 20 m output (flagged where any of the four 10 m pixels is)
        up = {key: max(1, m.factor // k) for key, m in masks.items()}
        down = {key: 2 if m.factor < k else 1 for key, m in masks.items()}

        def opener():
            gdal.SetThreadLocalConfigOption("GTIFF_DIRECT_IO", "YES")
            dss = {key: gdal.Open(m.path) for key, m in masks.items()}
            # reading buffers for the derived masks (native type and resolution), reused block after block
            low = {}
            for r in derived:
                b = dss[r.mask].GetRasterBand(r.band)
                f, d = up[r.mask], down[r.mask]
                low[(r.mask, r.band)] = np.empty((rows * d // f + 2, width * d // f + 2), gdal_array_type(b))

            def read(y0, y1, bufs):
                n = y1 - y0
                layers = []
                for ((key, band), bits), buf in zip(direct, bufs):
                    view = _read_rows(dss[key].GetRasterBand(band), y0, y1, 1, buf, x0, x1)
                    layers.append((view, None if bits & 0xFF == 0xFF else bits))
                if derived:
                    acc = bufs[-1][:n]
                    acc[:] = 0
                    for key, band in sorted(low):
                        f, d = up[key], down[key]
                        values = _read_rows(dss[key].GetRasterBand(band), y0, y1, f, low[(key, band)], x0, x1, d)
                        for rule in derived:
                            if (rule.mask, rule.band) == (key, band):
                                hit = _flags(values, rule)
                                if f > 1:
                                    hit = _replicate(hit, f, y0, y1, x0, width)
                                if d > 1:
                                    hit = _any_2x2(hit)
                                np.bitwise_or(acc, hit.view(np.uint8), out=acc)
                    layers.append((acc, None))
                for key, ds in dss.items():
                    _flush_when_done(ds, y1, up[key], down[key])
                return layers
            return read
        return opener


def gdal_array_type(band):
    from osgeo import gdal_array
    return gdal_array.GDALTypeCodeToNumericTypeCode(band.DataType)


def _replicate(arr, factor, y0, y1, x0, width):
    """Low-resolution mask rows -> the 10 m rows [y0, y1), columns [x0, x0 + width) by exact factor x factor
    replication (nearest); arr starts at low-resolution row y0 // factor and column x0 // factor."""
    off_y, off_x = y0 % factor, x0 % factor
    rep = np.repeat(np.repeat(arr, factor, axis=0), factor, axis=1)
    return rep[off_y: off_y + (y1 - y0), off_x: off_x + width]


def _flags(values, rule):
    if rule.bits:
        return (values & rule.bits) != 0
    out = values == rule.classes[0]
    for c in rule.classes[1:]:
        out |= values == c
    return out


class _Arithmetic:
    """The index of a block's rows, in slices of SUB_ROWS rows so each slice's arrays stay in the core's cache,
    numpy only, float32, every operation in place (no temporaries).

    Reflectance = raw * scale + offset. A normalized difference is scale-free, so when both bands share a
    scale the work is done in raw units shifted by offset/scale (exact in float32 for integer raw values
    below 2**24). SAVI and EVI have additive constants: they work on reflectance, in float64 (EVI's
    denominator N + 6 R - 7.5 B + 1 cancels: float32 loses up to 3e-6 there)."""

    def __init__(self, inputs, encoding=FLOAT32):
        self.spec = inputs.index
        bands = inputs.bands
        self.kind = self.spec.kind
        self.int16 = encoding == INT16
        self.nodata = np.float32(NODATA)
        invalid = []                              # raw values that are no data by themselves
        for i, b in enumerate(bands):
            invalid.append((i, b.nodata))
            if inputs.saturated_raw and b.saturated is not None:
                invalid.append((i, b.saturated))
        self.invalid = [(i, v) for i, v in invalid if v is not None]
        self.same_scale = self.kind == "nd" and bands[0].scale == bands[1].scale
        self.shift = [b.offset / b.scale for b in bands]
        wide = self.kind != "nd"
        self.work = np.float64 if wide else np.float32
        self.lin = [(b.scale, b.offset) if wide else (np.float32(b.scale), np.float32(b.offset)) for b in bands]
        # below these raw values the reflectance is negative: only then can a normalized difference leave [-1, 1]
        self.floor = [-s for s in self.shift]
        self.const = [float(c) for c in self.spec.constants]
        self.in_place = not self.int16 and not wide     # o is the output rows themselves

    def _load(self, raw, dst, i, shifted):
        np.copyto(dst, raw, casting="unsafe")
        if shifted:
            if self.shift[i]:
                dst += np.float32(self.shift[i])
        else:
            scale, offset = self.lin[i]
            dst *= scale
            dst += offset

    def rows(self, arrays, layers, out, a, b, k, masked=None):
        """The index of rows [a, b) into `out` (float32, or int16 = round(index x 10000)), no data included;
        returns the number of valid pixels. arrays: the bands' raw rows in the index's order; layers: mask
        (rows, bits) pairs, a pixel is masked where rows & bits (or rows, when bits is None) is non-zero;
        k: this thread's _Scratch; masked: uint8 rows set to 1 where a mask flags the pixel, 0 elsewhere."""
        u8 = np.uint8
        valid = 0
        floating = any(x.dtype.kind == "f" for x in arrays)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for y in range(a, b, SUB_ROWS):
                z = min(SUB_ROWS, b - y)
                sl = slice(y, y + z)
                raw = [x[sl] for x in arrays]
                o = out[sl] if self.in_place else k.o[:z]
                rf, s, flag, acc, tmp = k.rf[:z], k.s[:z], k.flag[:z], k.acc[:z], k.tmp[:z]
                # acc: non-zero where the pixel is no data for any reason
                acc[:] = 0
                for rows, bits in layers:
                    if bits is None:
                        np.bitwise_or(acc, rows[sl], out=acc)
                    else:
                        np.bitwise_and(rows[sl], bits, out=tmp)
                        np.bitwise_or(acc, tmp, out=acc)
                if masked is not None:
                    np.minimum(acc, 1, out=masked[sl])       # only the masks so far: 1 = masked
                for i, value in self.invalid:
                    np.equal(raw[i], value, out=flag)
                    np.bitwise_or(acc, flag.view(u8), out=acc)
                # o = numerator, s = denominator
                self._load(raw[0], o, 0, self.same_scale)
                self._load(raw[1], rf, 1, self.same_scale)
                if self.kind == "nd":
                    np.add(o, rf, out=s)
                    o -= rf
                elif self.kind == "savi":                     # (1 + L)(a - b) / (a + b + L)
                    (L,) = self.const
                    np.add(o, rf, out=s)
                    s += L
                    o -= rf
                    o *= 1 + L
                else:                                         # G (N - R) / (N + C1 R - C2 B + L)
                    G, C1, C2, L = self.const
                    blue = k.t[:z]
                    self._load(raw[2], blue, 2, False)
                    np.multiply(rf, C1, out=s)
                    s += o
                    blue *= C2
                    s -= blue
                    s += L
                    o -= rf
                    o *= G
                np.equal(s, 0, out=flag)
                np.bitwise_or(acc, flag.view(u8), out=acc)
                np.divide(o, s, out=o)
                if floating:
                    np.isnan(o, out=flag)           # NaN in a floating-point band (non-finite input) is no data
                    np.bitwise_or(acc, flag.view(u8), out=acc)
                # A normalized difference of two reflectances >= 0 is within [-1, 1] exactly: the clip (several
                # times slower than a min reduction) is only needed where one is negative. Floating-point
                # bands are always clipped: min() of a slice holding a NaN is NaN, which compares False.
                if (floating or self.kind != "nd"
                        or any(x.min() < f for x, f in zip(raw, self.floor))):
                    np.minimum(o, 1, out=o)
                    np.maximum(o, -1, out=o)
                np.not_equal(acc, 0, out=flag)
                if self.int16:
                    # int16 = the float32 result x 10000 rounded: the multiplication in float64, so the rounding
                    # is the only error; a float64 result (SAVI, EVI) is first rounded to float32 like the output
                    d = k.d[:z]
                    if o.dtype != np.float32:
                        np.copyto(k.q[:z], o, casting="same_kind")
                        o = k.q[:z]
                    np.copyto(d, o)             # (np.multiply(o, 1e4, out=d) would multiply in float32)
                    d *= float(round(1 / INT16_SCALE))      # exactly 10000.0, not 1 / 1e-4
                    np.rint(d, out=d)
                    np.copyto(d, INT16_NODATA, where=flag)
                    np.copyto(out[sl], d, casting="unsafe")
                else:
                    np.copyto(o, self.nodata, where=flag)
                    if not self.in_place:
                        np.copyto(out[sl], o, casting="unsafe")
                valid += flag.size - int(np.count_nonzero(flag))
        return valid


class _Scratch:
    """One compute thread's arrays for a slice of SUB_ROWS rows."""

    def __init__(self, width, kind="nd", encoding=FLOAT32):
        work = np.float32 if kind == "nd" else np.float64
        self.rf = np.empty((SUB_ROWS, width), work)
        self.s = np.empty((SUB_ROWS, width), work)
        self.flag = np.empty((SUB_ROWS, width), bool)
        self.acc = np.empty((SUB_ROWS, width), np.uint8)
        self.tmp = np.empty((SUB_ROWS, width), np.uint8)
        self.t = np.empty((SUB_ROWS, width), work) if kind == "evi" else None
        self.o = np.empty((SUB_ROWS, width), work) if encoding == INT16 or kind != "nd" else None
        self.d = np.empty((SUB_ROWS, width), np.float64) if encoding == INT16 else None
        self.q = np.empty((SUB_ROWS, width), np.float32) if encoding == INT16 and kind != "nd" else None


class _OutBlock:
    """A computed block: index rows and their nearest-neighbour decimations, one per overview level."""

    def __init__(self, rows, width, factors, dtype=np.float32, masked=False):
        self.values = np.empty((rows, width), dtype)
        self.masked = np.empty((rows, width), np.uint8) if masked else None
        self.levels = [np.empty((-(-rows // f), -(-width // f)), dtype) for f in factors]

    def decimate(self, a, b):
        """Overview rows of the block rows [a, b) (block starts are multiples of 32, so block row 0 is an
        overview row of every level). Each level is taken from the previous one: a[::4] == a[::2][::2]."""
        prev = self.values
        for level in self.levels:
            lo, hi = (a + 1) // 2, (b + 1) // 2
            level[lo:hi] = prev[2 * lo: 2 * hi: 2, ::2]
            prev, a, b = level, lo, hi


class _Writer(threading.Thread):
    """Owns the output dataset: writes full-resolution blocks and overview levels, GTiff compressing tiles on
    the dataset's NUM_THREADS. Overview rows are kept until a whole row of overview tiles is ready, so every
    tile is compressed and written once."""

    def __init__(self, ds, factors, height, pool, stop, dtype=np.float32, masked_ds=None):
        super().__init__(daemon=True)
        self.ds, self.factors, self.height, self.pool, self.stop = ds, factors, height, pool, stop
        self.masked_ds = masked_ds
        self.dtype = dtype
        self.inq = queue.Queue()
        self.error = None

    def run(self):
        item = band = ovs = None
        try:
            band = self.ds.GetRasterBand(1)
            ovs = [band.GetOverview(i) for i in range(band.GetOverviewCount())]
            bufs = [np.empty((TILE, ov.XSize), self.dtype) for ov in ovs]
            filled = [0] * len(ovs)          # rows in each level's buffer
            first = [0] * len(ovs)           # overview row where the buffer starts
            while True:
                item = self.inq.get()
                if item is _STOP:
                    break
                block, y0, rows = item
                item = None
                if self.error is None and not self.stop.is_set():
                    band.WriteArray(block.values[:rows], 0, y0)
                    if self.masked_ds is not None:
                        self.masked_ds.GetRasterBand(1).WriteArray(block.masked[:rows], 0, y0)
                        self.masked_ds.FlushCache()
                    last = y0 + rows >= self.height
                    for i, (ov, f) in enumerate(zip(ovs, self.factors)):
                        n = -(-rows // f)
                        bufs[i][filled[i]: filled[i] + n] = block.levels[i][:n]
                        filled[i] += n
                        if filled[i] == TILE or last:
                            ov.WriteArray(bufs[i][: filled[i]], 0, first[i])
                            ov.FlushCache()     # the dataset's FlushCache leaves overview tiles in the cache
                            first[i] += filled[i]
                            filled[i] = 0
                    self.ds.FlushCache()
                self.pool.give(block)
        except Exception as e:  # noqa: BLE001 - re-raised by the computing thread
            self.error = e
            while item is not _STOP:
                item = self.inq.get()
        finally:
            band = ovs = None
            self.ds = self.masked_ds = None   # closes the files: the last tiles are compressed and written here


def _same_crs(a, b):
    if not a or not b:
        return a == b
    sa, sb = osr.SpatialReference(), osr.SpatialReference()
    sa.ImportFromWkt(a)
    sb.ImportFromWkt(b)
    return bool(sa.IsSame(sb))


def _check_grid(name, ref, path, factor, what, lenient_crs=False):
    """Refuse a raster that is not on the reference's grid: same CRS, same corner, pixels `factor` times
    the reference's, a size covering it exactly (a 20 m band of a 10980 px tile is 5490 px)."""
    try:
        ds = gdal.Open(path)
    except RuntimeError as e:
        raise ProductFormatError(tr("{name}: cannot read {what} ({e}).", name=name, what=what, e=e)) from e
    gt, rgt = ds.GetGeoTransform(), ref.GetGeoTransform()
    tol = 1e-3 * abs(rgt[1])                         # a thousandth of a pixel
    problem = None
    crs, rcrs = ds.GetProjection(), ref.GetProjection()
    if not _same_crs(crs, rcrs) and not (lenient_crs and not crs):
        problem = tr("its coordinate reference system differs")
    elif not (abs(gt[0] - rgt[0]) <= tol and abs(gt[3] - rgt[3]) <= tol):
        problem = tr("its corner is ({x:g}, {y:g}), not ({ref_x:g}, {ref_y:g})", x=gt[0], y=gt[3], ref_x=rgt[0],
                     ref_y=rgt[3])
    elif not (abs(gt[1] - rgt[1] * factor) <= tol and abs(gt[5] - rgt[5] * factor) <= tol
              and abs(gt[2] - rgt[2] * factor) <= tol and abs(gt[4] - rgt[4] * factor) <= tol):
        problem = tr("its pixels are {width:g} x {height:g}, not {factor} x {ref:g}", width=gt[1], height=abs(gt[5]),
                     factor=factor, ref=rgt[1])
    elif not all(0 <= size * factor - full < factor
                 for size, full in ((ds.RasterXSize, ref.RasterXSize), (ds.RasterYSize, ref.RasterYSize))):
        problem = tr("it is {width} x {height} pixels, not {ref_width} x {ref_height}{divided}", width=ds.RasterXSize,
                     height=ds.RasterYSize, ref_width=ref.RasterXSize, ref_height=ref.RasterYSize,
                     divided=f" / {factor}" if factor > 1 else "")
    if problem:
        raise ProductFormatError(tr("{name}: {what} ({basename}) is not on the grid of {basename2}: {problem}. "
                                    "The bands of one index must come from the same product.",
                                    name=name, what=what, basename=os.path.basename(path),
                                    basename2=os.path.basename(ref.GetDescription()), problem=problem))


def _grid(inputs):
    """Check that the bands and masks share one grid; returns (reference dataset, width, height, band types).
    The reference is the first 10 m band of the index (or the first band, for an all-20 m index: its grid
    doubled)."""
    name = inputs.name
    try:
        dss = [gdal.Open(b.path) for b in inputs.bands]
    except RuntimeError as e:
        raise ProductFormatError(tr("{name}: cannot read the bands of {name2} ({e}).",
                                    name=name, name2=inputs.index.name, e=e)) from e
    f0 = min(b.factor for b in inputs.bands)
    i0 = [b.factor for b in inputs.bands].index(f0)
    ref = dss[i0]
    w, h = ref.RasterXSize * f0, ref.RasterYSize * f0
    if w > MAX_SIDE or h > MAX_SIDE:
        raise ProductFormatError(tr("{name}: the bands are {w} x {h} pixels, far beyond a Sentinel-2 tile (10980 "
                                    "x 10980): refused (at most {max_side} pixels a side). Give the bands of one "
                                    "tile.",
                                    name=name, w=w, h=h, max_side=MAX_SIDE))
    if f0 > 1:   # an index of 20 m bands only: the reference grid is a 10 m one over the same area
        ref = gdal.GetDriverByName("MEM").Create(ref.GetDescription(), w, h, 1, gdal.GDT_Byte)
        gt = dss[i0].GetGeoTransform()
        ref.SetGeoTransform((gt[0], gt[1] / f0, gt[2] / f0, gt[3], gt[4] / f0, gt[5] / f0))
        ref.SetProjection(dss[i0].GetProjection())
    for spec_name, b, ds in zip(inputs.index.bands, inputs.bands, dss):
        if ds is not ref:
            _check_grid(name, ref, b.path, b.factor, tr("band {band}", band=spec_name))
    for key, mask in inputs.masks.items():
        _check_grid(name, ref, mask.path, mask.factor, tr("the {key} mask", key=key), lenient_crs=True)
    k = inputs.out_factor
    types = [np.dtype(np.float32) if b.factor < k else gdal_array_type(ds.GetRasterBand(1))
             for b, ds in zip(inputs.bands, dss)]
    if k > 1:    # the output grid: k x k 10 m pixels each, from the same corner (an odd last 10 m row is dropped)
        gt = ref.GetGeoTransform()
        out = gdal.GetDriverByName("MEM").Create(ref.GetDescription(), w // k, h // k, 1, gdal.GDT_Byte)
        out.SetGeoTransform((gt[0], gt[1] * k, gt[2] * k, gt[3], gt[4] * k, gt[5] * k))
        out.SetProjection(ref.GetProjection())
        ref, w, h = out, w // k, h // k
    return ref, w, h, types


def _creation(layout, workers):
    if layout == PLAIN:
        return ["BIGTIFF=IF_SAFER"]
    if layout != COMPRESSED:
        raise ValueError(f"layout must be {COMPRESSED!r} or {PLAIN!r}, not {layout!r}")
    return CREATION_OPTIONS + [f"NUM_THREADS={workers}"]


def _describe_output(band, out, inputs, encoding):
    spec = inputs.index
    band.SetDescription(spec.name)
    if encoding == INT16:
        band.SetNoDataValue(INT16_NODATA)
        band.SetScale(INT16_SCALE)
        band.SetOffset(0.0)
        stored = (f"int16: value = stored x {INT16_SCALE:g} (band scale {INT16_SCALE:g}, offset 0), "
                  f"nodata {INT16_NODATA}, rounding error <= 0.5e-4")
        nodata = INT16_NODATA
    else:
        band.SetNoDataValue(NODATA)
        stored, nodata = "float32", NODATA
    grid, k = [], inputs.out_factor
    for b_name, b in zip(spec.bands, inputs.bands):
        how = ""
        if b.factor > k:
            how = " (2 x 2 nearest-neighbour replication onto the 10 m grid, exact)"
        elif b.factor < k:
            how = " (mean of each 2 x 2 block onto the 20 m grid; no data where any of the four is)"
        grid.append(f"{b_name} {10 * b.factor} m{how}")
    meta = dict(inputs.metadata, INDEX=spec.name, INDEX_NAME=spec.title, INDEX_FORMULA=spec.formula,
                INDEX_CONSTANTS=spec.constants_text, BANDS="; ".join(grid), RESOLUTION=f"{10 * k} m",
                VALUE_RANGE="-1 1", ENCODING=stored, NODATA=str(nodata),
                NODATA_MEANING=f"a band of {spec.name} is no data, its denominator is 0, or masked by MASK_POLICY",
                SOFTWARE="Sentinel Mirror index engine")
    out.SetMetadata({k: str(v) for k, v in meta.items()})


def run_index(inputs, out_path, *, encoding=FLOAT32, layout=COMPRESSED, progress=NULL_PROGRESS,
              block_size=TILE, threads=2, masked_path=None):
    """Compute the index of IndexInputs into out_path; returns the fraction of valid pixels. masked_path: also
    write the masked-pixels raster there (module docstring); a stale one is removed when not asked for."""
    check_cancelled(progress)
    if block_size % TILE:
        raise ValueError(f"block_size must be a multiple of {TILE}, got {block_size}.")
    name = inputs.name
    ref, w, h, types = _grid(inputs)
    k = inputs.out_factor
    plan = _MaskPlan(inputs.masks, inputs.rules, k) if inputs.rules else None
    out_type = np.int16 if encoding == INT16 else np.float32

    blocks = [(y, min(h, y + block_size)) for y in range(0, h, block_size)]
    levels = ([f for f in OVERVIEW_FACTORS if -(-max(w, h) // (f // 2)) > TILE] if layout == COMPRESSED else [])
    tmp = out_path + ".part"
    masked_tmp = (masked_path or masked_pixels_path(out_path)) + ".part"
    stop = threading.Event()
    rows = min(block_size, h)
    readers = {}
    for i, (b, t) in enumerate(zip(inputs.bands, types)):
        opener = _band_opener(b, rows, out_factor=k, saturated_raw=inputs.saturated_raw)
        readers[i] = _Reader(opener, blocks, _Pool(2, lambda t=t: np.empty((rows, w), t), stop), stop)
    if plan is not None:
        readers["masks"] = _Reader(plan.opener(rows, w), blocks, _Pool(2, lambda: plan.make(rows, w), stop), stop)
    with_masked = masked_path is not None and plan is not None
    out_pool = _Pool(2, lambda: _OutBlock(rows, w, levels, out_type, with_masked), stop)
    arithmetic = _Arithmetic(inputs, encoding)
    workers = max(1, threads)
    # the arithmetic of a block is split between `workers` threads (numpy releases the GIL), each with its
    # own scratch rows
    scratch = [_Scratch(w, inputs.index.kind, encoding) for _ in range(workers)]
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    parts_of = lambda n: [(k * n // workers, (k + 1) * n // workers) for k in range(workers)]
    nbands = len(inputs.bands)

    def part(job):
        arrays, layers, block, a, b, k = job
        valid = arithmetic.rows(arrays, layers, block.values, a, b, k, block.masked)
        block.decimate(a, b)
        return valid

    writer = None
    total_valid = 0
    try:
        for r in readers.values():          # reading starts while the output is being set up
            r.start()
        drv = gdal.GetDriverByName("GTiff")
        gtype = gdal.GDT_Int16 if encoding == INT16 else gdal.GDT_Float32
        out = drv.Create(tmp, w, h, 1, gtype, _creation(layout, workers))
        out.SetGeoTransform(ref.GetGeoTransform())
        out.SetProjection(ref.GetProjection())
        band = out.GetRasterBand(1)
        _describe_output(band, out, inputs, encoding)
        if levels:
            out.BuildOverviews("NONE", levels)      # empty overview levels, filled block by block below
        mds = None
        if with_masked:
            mds = drv.Create(masked_tmp, w, h, 1, gdal.GDT_Byte, CREATION_OPTIONS)
            mds.SetGeoTransform(out.GetGeoTransform())
            mds.SetProjection(out.GetProjection())
            mds.GetRasterBand(1).SetDescription("masked")
            mds.SetMetadata({"MASKED_PIXELS_OF": os.path.basename(out_path),
                             "MEANING": "1: a selected mask flagged the pixel (" + (
                                 inputs.metadata.get("MASKS_APPLIED") or "masks") + "); 0: not masked (valid, "
                             "or no data for another reason where the index is nodata)"})
        ref = band = None
        writer = _Writer(out, levels, h, out_pool, stop, out_type, mds)   # owns (and closes) the outputs
        out = mds = None
        writer.start()
        for i, (y0, y1) in enumerate(blocks):
            check_cancelled(progress)
            if writer.error is not None:
                raise writer.error
            n = y1 - y0
            got = [readers[j].get() for j in range(nbands)]
            mbuf, layers = readers["masks"].get() if "masks" in readers else (None, [])
            block = out_pool.take()
            arrays = [data for _, data in got]
            jobs = [(arrays, layers, block, a, b, scratch[k]) for k, (a, b) in enumerate(parts_of(n))]
            counts = list(pool.map(part, jobs)) if pool else [part(jobs[0])]
            total_valid += sum(counts)
            for j, (buf, _) in enumerate(got):
                readers[j].pool.give(buf)
            if mbuf is not None:
                readers["masks"].pool.give(mbuf)
            writer.inq.put((block, y0, n))
            progress.set(100.0 * (i + 1) / len(blocks))
        writer.inq.put(_STOP)
        writer.join()
        if writer.error is not None:
            raise writer.error
        writer = None
        for r in readers.values():
            r.join()
        if with_masked:
            os.replace(masked_tmp, masked_path)       # complete before the index file gets its name
        else:
            _remove(masked_pixels_path(out_path))     # a stale one would say pixels are masked
        os.replace(tmp, out_path)
    except Cancelled:
        raise
    except RuntimeError as e:
        raise ProductFormatError(tr("{name}: reading or writing failed ({e}).", name=name, e=e)) from e
    except MemoryError as e:
        raise ProductFormatError(tr("{name}: not enough memory for {w} x {h} pixels: close other programs or "
                                    "compute fewer products at once.",
                                    name=name, w=w, h=h)) from e
    finally:
        stop.set()
        if pool is not None:
            pool.shutdown()
        if writer is not None:
            writer.inq.put(_STOP)
            writer.join()
        out = None
        for r in readers.values():
            if r.is_alive():
                r.join(timeout=30)
        for leftover in (tmp, masked_tmp):
            if os.path.exists(leftover):
                os.remove(leftover)
    return total_valid / float(w * h)


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def run_ndvi(inputs, out_path, **kwargs):
    """run_index for NDVI inputs (kept for callers of the NDVI-only engine)."""
    return run_index(inputs, out_path, **kwargs)


def read_index_window(inputs, window=None):
    """The index of IndexInputs over window (x0, y0, width, height; None = all) in memory, synchronously, with
    the same readers, masks and arithmetic as run_index. Returns (float32 array with NaN for no data, info)."""
    ref, w, h, types = _grid(inputs)
    x0, y0, ww, hh = window if window is not None else (0, 0, w, h)
    if not (0 <= x0 and 0 <= y0 and ww > 0 and hh > 0 and x0 + ww <= w and y0 + hh <= h):
        raise ProductFormatError(tr("{name}: the window {window} is not inside the {w} x {h} pixel grid.",
                                    name=inputs.name, window=window, w=w, h=h))
    k = inputs.out_factor
    readers = [_band_opener(b, hh, x0, x0 + ww, k, inputs.saturated_raw)() for b in inputs.bands]
    arrays = []
    for read, t in zip(readers, types):
        buf = np.empty((hh, ww), t)
        arrays.append(read(y0, y0 + hh, buf))
    layers = []
    if inputs.rules:
        plan = _MaskPlan(inputs.masks, inputs.rules, k)
        layers = plan.opener(hh, ww, x0)()(y0, y0 + hh, plan.make(hh, ww))
        layers = [(rows[:hh], bits) for rows, bits in layers]
    # the mask layers and bands are indexed from row 0 of the window
    out = np.empty((hh, ww), np.float32)
    _Arithmetic(inputs).rows(arrays, layers, out, 0, hh, _Scratch(ww, inputs.index.kind))
    out[out == np.float32(NODATA)] = np.nan
    gt = ref.GetGeoTransform()
    info = dict(inputs.metadata, INDEX=inputs.index.name, PROJECTION=ref.GetProjection(),
                GEOTRANSFORM=(gt[0] + x0 * gt[1] + y0 * gt[2], gt[1], gt[2], gt[3] + x0 * gt[4] + y0 * gt[5],
                              gt[4], gt[5]))
    return out, info
