"""Blockwise NDVI engine: (NIR - red) / (NIR + red) straight from a product archive, bounded memory, both cores.

Output (documented contract):
- Float32 GeoTIFF, same grid and CRS as the 10 m red band, tiled 512 x 512, ZSTD level 1 (no predictor),
  internal overviews (x2 .. x32, nearest neighbour: every f-th pixel from the top-left one) written in the
  same pass, from the computed blocks in memory.
- NODATA = -9999: where red or NIR is no data, where NIR + red == 0, or where a selected mask flags the pixel.
  Valid values lie in [-1, 1] (a negative reflectance after the L2A/L1C offset can push the ratio outside;
  those are clipped to the range).
- Metadata: PRODUCT_ID, ACQUISITION_DATE, REFLECTANCE (FRE/SRE/BOA/TOA), NDVI_KIND (surface /
  top-of-atmosphere), MASK_POLICY, MASKS_APPLIED, VALUE_RANGE, NODATA_MEANING.
- Written to "<out>.part" and renamed when complete: nothing half-written ever carries the final name.

Why ZSTD level 1 without predictor: compression is the largest single cost of the whole computation. Writing
a 5490 x 5490 NDVI (one thread, GDAL 3.6, no overviews): ZSTD 1 0.27 s / 62 MB, ZSTD 1 + PREDICTOR=3
0.42 s / 54 MB, DEFLATE 1 0.85 s / 59 MB, LZW 1.20 s / 77 MB, LERC_ZSTD (lossless) 1.51 s / 55 MB, none
0.13 s / 127 MB. ZSTD 1 costs half of the cheapest alternative with a size within 15 % of the smallest.

Concurrency (GDAL releases the GIL while reading, inflating /vsizip/ members and compressing; numpy while
computing): a reader thread each for red and NIR (inside a zip they are two independent deflate streams,
inflated concurrently), one for the masks, the arithmetic of each 512-row block (masks, no data, ratio,
overview decimation) split over `threads` threads, and one writer thread that only hands computed blocks
to GDAL, which compresses them. Every thread that touches GDAL has its own dataset handles (they are not
thread-safe), and reads strictly in file order (a backward seek in a /vsizip/ member inflates it again
from an earlier point). Every block-sized array comes from a fixed pool, so memory is bounded (peak RSS
about 340 MB on a full 10980 x 10980 tile) whatever the input size, and nothing waits on an unbounded queue.
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
from osgeo import gdal

from .errors import Cancelled, ProductFormatError
from .models import ProductKind
from .products import Band, open_product
from .progress import NULL_PROGRESS, check_cancelled
from .i18n import join, tr

gdal.UseExceptions()

NODATA = -9999.0
TILE = 512
SUB_ROWS = 16           # rows per arithmetic slice: a slice's arrays stay in the core's cache
OVERVIEW_FACTORS = (2, 4, 8, 16, 32)
# the mask policy's flags as a user reads them ("no mask for cloud shadows, water in this product")
_MASK_NAMES = {"clouds": tr("clouds"), "cloud_shadows": tr("cloud shadows"), "snow": tr("snow"), "water": tr("water"),
               "edges": tr("edges"), "saturated": tr("saturated pixels"), "scl_classes": tr("scene classes")}


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
    edges = EDG; saturated = SAT bits of B4/B8. Sen2Cor L2A: the SCL classes 8,9,10 / 3 / 11 / 6 / 0 / 1, or
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

    @property
    def top_of_atmosphere(self):
        return self.is_toa


@dataclass
class NdviInputs:
    """What the engine reads: two bands, mask rasters with rules, and descriptive metadata."""
    red: Band
    nir: Band
    name: str                                    # for messages: product id or file name
    masks: dict = field(default_factory=dict)    # key -> Mask
    rules: list = field(default_factory=list)    # MaskRule
    saturated_raw: bool = True                   # raw == Band.saturated (SAFE 65535) carries no reflectance
    metadata: dict = field(default_factory=dict)


def compute_ndvi(zip_path, out_path, *, masks=MaskPolicy(), reflectance="FRE", progress=NULL_PROGRESS,
                 block_size=TILE, threads=2):
    """NDVI of a product archive (or of its extracted folder) into a GeoTIFF at out_path; returns NdviResult."""
    reader = open_product(zip_path, reflectance)
    if reader.red is None:
        raise ProductFormatError(tr("{product_id} is a {value} product: it has no red and near-infrared bands, so "
                                    "no NDVI.",
                                    product_id=reader.product_id, value=reader.kind.value))
    rules, missing = reader.mask_rules(masks)
    used = {r.mask: reader.masks[r.mask] for r in rules}
    if reader.is_toa:
        progress.message(tr("{product_id}: L1C product, NDVI is top of atmosphere (no atmospheric correction).",
                            product_id=reader.product_id))
    if missing:
        progress.message(tr("{product_id}: no mask for {masks} in this product.",
                            product_id=reader.product_id, masks=join(", ", [_MASK_NAMES.get(m, m) for m in missing])))
    meta = {
        "PRODUCT_ID": reader.product_id,
        "ACQUISITION_DATE": reader.acquired.isoformat() if reader.acquired else "",
        "TILE": reader.tile or "",
        "PRODUCT_KIND": reader.kind.value,
        "REFLECTANCE": reader.reflectance,
        "NDVI_KIND": "top-of-atmosphere" if reader.is_toa else "surface",
        "MASK_POLICY": masks.describe(),
        "MASKS_APPLIED": "; ".join(r.label for r in rules) or "none",
        "MASKS_UNAVAILABLE": ", ".join(missing),
    }
    inputs = NdviInputs(reader.red, reader.nir, reader.product_id, used, rules, metadata=meta)
    valid = run_ndvi(inputs, out_path, progress=progress, block_size=block_size, threads=threads)
    return NdviResult(out_path, reader.product_id, reader.acquired, reader.is_toa, valid, reader.reflectance,
                      reader.tile, reader.kind, tuple(r.label for r in rules), tuple(missing))


def compute_ndvi_bands(red_path, nir_path, out_path, *, scale=1e-4, offset=0.0, nodata=-10000.0,
                       progress=NULL_PROGRESS, block_size=TILE, threads=2, name=None):
    """NDVI of two single-band rasters (reflectance = raw * scale + offset, raw == nodata -> no data;
    nodata=None: every value is data). For the Processing algorithm's raster inputs and the benchmark."""
    name = name or os.path.basename(red_path)
    inputs = NdviInputs(Band(red_path, scale, offset, nodata), Band(nir_path, scale, offset, nodata), name,
                        metadata={"PRODUCT_ID": name, "MASK_POLICY": "none", "MASKS_APPLIED": "none"})
    valid = run_ndvi(inputs, out_path, progress=progress, block_size=block_size, threads=threads)
    return NdviResult(out_path, name, None, False, valid)


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


def _read_rows(band, y0, y1, factor, buf):
    """Rows covering the 10 m rows [y0, y1) of a raster whose pixels are `factor` times larger, into buf."""
    a0, a1 = y0 // factor, min(band.YSize, -(-y1 // factor))
    view = buf[: a1 - a0]
    band.ReadAsArray(0, a0, band.XSize, a1 - a0, buf_obj=view)
    return view


def _flush_when_done(ds, y1, factor):
    """Keep GDAL's cache from holding what was read, but not before a (JP2) tile row is used up."""
    rows = ds.GetRasterBand(1).GetBlockSize()[1]
    if (y1 // factor) % rows == 0 or y1 >= ds.RasterYSize * factor:
        ds.FlushCache()


def _band_opener(path):
    def opener():
        # uncompressed GeoTIFF strips (MAJA bands) are read straight into our buffer, not via GDAL's cache
        gdal.SetThreadLocalConfigOption("GTIFF_DIRECT_IO", "YES")
        ds = gdal.Open(path)
        band = ds.GetRasterBand(1)

        def read(y0, y1, buf):
            view = _read_rows(band, y0, y1, 1, buf)
            _flush_when_done(ds, y1, 1)
            return view
        return read
    return opener


class _MaskPlan:
    """How the selected masks reach the arithmetic.

    10 m uint8 bit masks (all of MAJA's) are handed over raw as (rows, bits) layers and tested in the compute
    threads, slice by slice while the slice is in cache: one AND and one OR per mask. Anything else (classes,
    other types, 20 m SCL / 60 m MSK_CLASSI replicated to 10 m) is reduced by the mask reader to one uint8
    layer, non-zero = masked."""

    def __init__(self, masks, rules):
        self.masks = masks
        self.direct, self.derived = {}, []     # (key, band) -> bits ; rules
        for r in rules:
            m = masks[r.mask]
            ds = gdal.Open(m.path)
            if m.factor == 1 and r.bits and gdal_array_type(ds.GetRasterBand(r.band)) == np.uint8:
                k = (r.mask, r.band)
                self.direct[k] = self.direct.get(k, 0) | r.bits     # CLM clouds + CLM shadows: one test
            else:
                self.derived.append(r)

    def make(self, rows, width):
        return [np.empty((rows, width), np.uint8) for _ in range(len(self.direct) + bool(self.derived))]

    def opener(self, rows, width):
        masks, direct, derived = self.masks, sorted(self.direct.items()), self.derived

        def opener():
            gdal.SetThreadLocalConfigOption("GTIFF_DIRECT_IO", "YES")
            dss = {key: gdal.Open(m.path) for key, m in masks.items()}
            # reading buffers for the derived masks (native type and resolution), reused block after block
            low = {}
            for r in derived:
                b = dss[r.mask].GetRasterBand(r.band)
                low[(r.mask, r.band)] = np.empty((rows // masks[r.mask].factor + 2, b.XSize), gdal_array_type(b))

            def read(y0, y1, bufs):
                n = y1 - y0
                layers = []
                for ((key, band), bits), buf in zip(direct, bufs):
                    view = _read_rows(dss[key].GetRasterBand(band), y0, y1, 1, buf)
                    layers.append((view, None if bits & 0xFF == 0xFF else bits))
                if derived:
                    acc = bufs[-1][:n]
                    acc[:] = 0
                    for key, band in sorted(low):
                        f = masks[key].factor
                        values = _read_rows(dss[key].GetRasterBand(band), y0, y1, f, low[(key, band)])
                        for rule in derived:
                            if (rule.mask, rule.band) == (key, band):
                                hit = _flags(values, rule)
                                if f > 1:
                                    hit = _replicate(hit, f, y0, y1, width)
                                np.bitwise_or(acc, hit.view(np.uint8), out=acc)
                    layers.append((acc, None))
                for key, ds in dss.items():
                    _flush_when_done(ds, y1, masks[key].factor)
                return layers
            return read
        return opener


def gdal_array_type(band):
    from osgeo import gdal_array
    return gdal_array.GDALTypeCodeToNumericTypeCode(band.DataType)


def _replicate(arr, factor, y0, y1, width):
    """Low-resolution mask rows -> the 10 m rows [y0, y1) by exact factor x factor replication (nearest)."""
    off = y0 - (y0 // factor) * factor
    rep = np.repeat(np.repeat(arr, factor, axis=0), factor, axis=1)
    return rep[off: off + (y1 - y0), :width]


def _flags(values, rule):
    if rule.bits:
        return (values & rule.bits) != 0
    out = values == rule.classes[0]
    for c in rule.classes[1:]:
        out |= values == c
    return out


class _Arithmetic:
    """NDVI of a block's rows, in slices of SUB_ROWS rows so each slice's arrays stay in the core's cache,
    numpy only, float32, every operation in place (no temporaries).

    Reflectance = raw * scale + offset. NDVI is scale-free, so when both bands share a scale the work is done
    in raw units shifted by offset/scale (exact in float32 for integer raw values below 2**24)."""

    def __init__(self, inputs):
        r, n = inputs.red, inputs.nir
        self.same_scale = r.scale == n.scale
        invalid = [(0, r.nodata), (1, n.nodata)]        # raw values that are no data by themselves
        if inputs.saturated_raw and r.saturated is not None:
            invalid += [(0, r.saturated), (1, n.saturated)]
        self.invalid = [(i, v) for i, v in invalid if v is not None]
        self.r_shift, self.n_shift = r.offset / r.scale, n.offset / n.scale
        self.r = (np.float32(r.scale), np.float32(r.offset))
        self.n = (np.float32(n.scale), np.float32(n.offset))
        # below these raw values the reflectance is negative: only then can the ratio leave [-1, 1]
        self.r_floor, self.n_floor = -self.r_shift, -self.n_shift

    def rows(self, red, nir, layers, out, a, b, k):
        """NDVI of rows [a, b) into `out`, no data included; returns the number of valid pixels.
        layers: mask (rows, bits) pairs, a pixel is masked where rows & bits (or rows, when bits is None) is
        non-zero; k: this thread's _Scratch."""
        u8 = np.uint8
        valid = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            for y in range(a, b, SUB_ROWS):
                z = min(SUB_ROWS, b - y)
                sl = slice(y, y + z)
                r, n, o = red[sl], nir[sl], out[sl]
                rf, s, flag, acc, tmp = k.rf[:z], k.s[:z], k.flag[:z], k.acc[:z], k.tmp[:z]
                # acc: non-zero where the pixel is no data for any reason
                acc[:] = 0
                for rows, bits in layers:
                    if bits is None:
                        np.bitwise_or(acc, rows[sl], out=acc)
                    else:
                        np.bitwise_and(rows[sl], bits, out=tmp)
                        np.bitwise_or(acc, tmp, out=acc)
                for band, value in self.invalid:
                    np.equal(r if band == 0 else n, value, out=flag)
                    np.bitwise_or(acc, flag.view(u8), out=acc)
                np.copyto(rf, r, casting="unsafe")
                np.copyto(o, n, casting="unsafe")
                if self.same_scale:
                    if self.r_shift:
                        rf += np.float32(self.r_shift)
                    if self.n_shift:
                        o += np.float32(self.n_shift)
                else:
                    rf *= self.r[0]
                    rf += self.r[1]
                    o *= self.n[0]
                    o += self.n[1]
                np.add(o, rf, out=s)
                o -= rf
                np.equal(s, 0, out=flag)
                np.bitwise_or(acc, flag.view(u8), out=acc)
                np.divide(o, s, out=o)
                if r.dtype.kind == "f" or n.dtype.kind == "f":
                    np.isnan(o, out=flag)           # NaN in a floating-point band (non-finite input) is no data
                    np.bitwise_or(acc, flag.view(u8), out=acc)
                # with both reflectances >= 0, |NIR - red| <= NIR + red and the ratio is within [-1, 1] exactly;
                # the clip (several times slower than a min reduction) is only needed where one is negative
                if r.min() < self.r_floor or n.min() < self.n_floor:
                    np.minimum(o, np.float32(1), out=o)
                    np.maximum(o, np.float32(-1), out=o)
                np.not_equal(acc, 0, out=flag)
                np.copyto(o, np.float32(NODATA), where=flag)
                valid += flag.size - int(np.count_nonzero(flag))
        return valid


class _Scratch:
    """One compute thread's arrays for a slice of SUB_ROWS rows."""

    def __init__(self, width):
        self.rf = np.empty((SUB_ROWS, width), np.float32)
        self.s = np.empty((SUB_ROWS, width), np.float32)
        self.flag = np.empty((SUB_ROWS, width), bool)
        self.acc = np.empty((SUB_ROWS, width), np.uint8)
        self.tmp = np.empty((SUB_ROWS, width), np.uint8)


class _OutBlock:
    """A computed block: NDVI rows and their nearest-neighbour decimations, one per overview level."""

    def __init__(self, rows, width, factors):
        self.ndvi = np.empty((rows, width), np.float32)
        self.levels = [np.empty((-(-rows // f), -(-width // f)), np.float32) for f in factors]

    def decimate(self, a, b):
        """Overview rows of the block rows [a, b) (block starts are multiples of 32, so block row 0 is an
        overview row of every level). Each level is taken from the previous one: a[::4] == a[::2][::2]."""
        prev = self.ndvi
        for level in self.levels:
            lo, hi = (a + 1) // 2, (b + 1) // 2
            level[lo:hi] = prev[2 * lo: 2 * hi: 2, ::2]
            prev, a, b = level, lo, hi


class _Writer(threading.Thread):
    """Owns the output dataset: writes full-resolution blocks and overview levels, GTiff compressing tiles on
    the dataset's NUM_THREADS. Overview rows are kept until a whole row of overview tiles is ready, so every
    tile is compressed and written once."""

    def __init__(self, ds, factors, height, pool, stop):
        super().__init__(daemon=True)
        self.ds, self.factors, self.height, self.pool, self.stop = ds, factors, height, pool, stop
        self.inq = queue.Queue()
        self.error = None

    def run(self):
        item = band = ovs = None
        try:
            band = self.ds.GetRasterBand(1)
            ovs = [band.GetOverview(i) for i in range(band.GetOverviewCount())]
            bufs = [np.empty((TILE, ov.XSize), np.float32) for ov in ovs]
            filled = [0] * len(ovs)          # rows in each level's buffer
            first = [0] * len(ovs)           # overview row where the buffer starts
            while True:
                item = self.inq.get()
                if item is _STOP:
                    break
                block, y0, rows = item
                item = None
                if self.error is None and not self.stop.is_set():
                    band.WriteArray(block.ndvi[:rows], 0, y0)
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
            self.ds = None                  # closes the file: the last tiles are compressed and written here


def _check_grid(name, ref, path, factor):
    ds = gdal.Open(path)
    gt, rgt = ds.GetGeoTransform(), ref.GetGeoTransform()
    ok = (abs(gt[0] - rgt[0]) < 1e-6 and abs(gt[3] - rgt[3]) < 1e-6 and abs(gt[1] - rgt[1] * factor) < 1e-6
          and ds.RasterXSize * factor >= ref.RasterXSize and ds.RasterYSize * factor >= ref.RasterYSize)
    if not ok:
        raise ProductFormatError(tr("{name}: {basename} is not on the grid of the red band (expected {factor} x "
                                    "its {value:g} m pixels from the same corner).",
                                    name=name, basename=os.path.basename(path), factor=factor, value=rgt[1]))


def run_ndvi(inputs, out_path, *, progress=NULL_PROGRESS, block_size=TILE, threads=2):
    """Compute NDVI for NdviInputs into out_path; returns the fraction of valid pixels."""
    check_cancelled(progress)
    if block_size % TILE:
        raise ValueError(f"block_size must be a multiple of {TILE}, got {block_size}.")
    name = inputs.name
    try:
        ref = gdal.Open(inputs.red.path)
        nirds = gdal.Open(inputs.nir.path)
    except RuntimeError as e:
        raise ProductFormatError(tr("{name}: cannot read the red/NIR bands ({e}).", name=name, e=e)) from e
    w, h = ref.RasterXSize, ref.RasterYSize
    if (nirds.RasterXSize, nirds.RasterYSize) != (w, h):
        raise ProductFormatError(tr("{name}: the red and near-infrared bands differ in size.", name=name))
    red_type = gdal_array_type(ref.GetRasterBand(1))
    nir_type = gdal_array_type(nirds.GetRasterBand(1))
    for key, mask in inputs.masks.items():
        try:
            _check_grid(name, ref, mask.path, mask.factor)
        except RuntimeError as e:
            raise ProductFormatError(tr("{name}: cannot read the {key} mask ({e}).", name=name, key=key, e=e)) from e
    plan = _MaskPlan(inputs.masks, inputs.rules) if inputs.rules else None

    blocks = [(y, min(h, y + block_size)) for y in range(0, h, block_size)]
    levels = [f for f in OVERVIEW_FACTORS if -(-max(w, h) // (f // 2)) > TILE]
    tmp = out_path + ".part"
    stop = threading.Event()
    rows = min(block_size, h)
    readers = {"red": _Reader(_band_opener(inputs.red.path), blocks,
                              _Pool(2, lambda: np.empty((rows, w), red_type), stop), stop),
               "nir": _Reader(_band_opener(inputs.nir.path), blocks,
                              _Pool(2, lambda: np.empty((rows, w), nir_type), stop), stop)}
    if plan is not None:
        readers["masks"] = _Reader(plan.opener(rows, w), blocks, _Pool(2, lambda: plan.make(rows, w), stop), stop)
    out_pool = _Pool(2, lambda: _OutBlock(rows, w, levels), stop)
    arithmetic = _Arithmetic(inputs)
    workers = max(1, threads)
    # the arithmetic of a block is split between `workers` threads (numpy releases the GIL), each with its
    # own scratch rows
    scratch = [_Scratch(w) for _ in range(workers)]
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    parts_of = lambda n: [(k * n // workers, (k + 1) * n // workers) for k in range(workers)]

    def part(job):
        red, nir, layers, block, a, b, k = job
        valid = arithmetic.rows(red, nir, layers, block.ndvi, a, b, k)
        block.decimate(a, b)
        return valid

    writer = None
    total_valid = 0
    try:
        for r in readers.values():          # reading starts while the output is being set up
            r.start()
        drv = gdal.GetDriverByName("GTiff")
        out = drv.Create(tmp, w, h, 1, gdal.GDT_Float32, CREATION_OPTIONS + [f"NUM_THREADS={workers}"])
        out.SetGeoTransform(ref.GetGeoTransform())
        out.SetProjection(ref.GetProjection())
        band = out.GetRasterBand(1)
        band.SetNoDataValue(NODATA)
        band.SetDescription("NDVI")
        meta = dict(inputs.metadata, VALUE_RANGE="-1 1", NODATA=str(NODATA),
                    NODATA_MEANING="red or NIR no data, NIR+red = 0, or masked by MASK_POLICY",
                    SOFTWARE="Sentinel Mirror NDVI engine")
        out.SetMetadata({k: str(v) for k, v in meta.items()})
        if levels:
            out.BuildOverviews("NONE", levels)      # empty overview levels, filled block by block below
        ref = nirds = band = None
        writer = _Writer(out, levels, h, out_pool, stop)   # owns (and closes) the output dataset from here
        out = None
        writer.start()
        for i, (y0, y1) in enumerate(blocks):
            check_cancelled(progress)
            if writer.error is not None:
                raise writer.error
            n = y1 - y0
            rbuf, red = readers["red"].get()
            nbuf, nir = readers["nir"].get()
            mbuf, layers = readers["masks"].get() if "masks" in readers else (None, [])
            block = out_pool.take()
            jobs = [(red, nir, layers, block, a, b, scratch[k]) for k, (a, b) in enumerate(parts_of(n))]
            counts = list(pool.map(part, jobs)) if pool else [part(jobs[0])]
            total_valid += sum(counts)
            readers["red"].pool.give(rbuf)
            readers["nir"].pool.give(nbuf)
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
        os.replace(tmp, out_path)
    except Cancelled:
        raise
    except RuntimeError as e:
        raise ProductFormatError(tr("{name}: reading or writing failed ({e}).", name=name, e=e)) from e
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
        if os.path.exists(tmp):
            os.remove(tmp)
    return total_valid / float(w * h)
