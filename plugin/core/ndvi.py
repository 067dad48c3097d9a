"""Blockwise NDVI engine: (NIR - red) / (NIR + red) straight from a product archive, bounded memory, both cores.

Output (documented contract):
- Float32 GeoTIFF, same grid and CRS as the 10 m red band, tiled 512 x 512, ZSTD level 1 (no predictor),
  internal overviews (x2 .. x32, nearest neighbour like GDAL's default) written in the same pass.
- NODATA = -9999: where red or NIR is no data, where NIR + red == 0, or where a selected mask flags the pixel.
  Valid values lie in [-1, 1] (a negative reflectance after the L2A/L1C offset can push the ratio outside;
  those are clipped to the range).
- Metadata: PRODUCT_ID, ACQUISITION_DATE, REFLECTANCE (FRE/SRE/BOA/TOA), NDVI_KIND (surface /
  top-of-atmosphere), MASK_POLICY, MASKS_APPLIED, VALUE_RANGE, NODATA_MEANING.
- Written to "<out>.part" and renamed when complete: nothing half-written ever carries the final name.

Concurrency (GDAL releases the GIL while inflating /vsizip/ members and decoding; numpy while computing):
a reader thread each for red and NIR, one for all the masks (combined into one boolean block), the
arithmetic of each 512-row block split over `threads` threads, and one writer thread whose GTiff compresses
tiles on `threads` threads. Every block-sized array comes from a fixed pool, so memory is bounded (about
300 MB on a full 10980 x 10980 tile) whatever the input size, and nothing waits on an unbounded queue.
"""
import datetime as dt
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from typing import Optional

import numpy as np
from osgeo import gdal

from .errors import Cancelled, ProductFormatError
from .models import ProductKind
from .products import Band, open_product
from .progress import NULL_PROGRESS, check_cancelled

gdal.UseExceptions()

NODATA = -9999.0
TILE = 512
SUB_ROWS = 16           # rows per arithmetic slice: a slice's arrays stay in the core's cache
OVERVIEW_FACTORS = (2, 4, 8, 16, 32)
# ZSTD level 1 without predictor: on NDVI the floating-point predictor saves ~11 % of the size but doubles
# the compression time (measured on a full tile: 1.8 s vs 1.0 s of CPU), and compression is most of our work.
CREATION_OPTIONS = ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}", "COMPRESS=ZSTD", "ZSTD_LEVEL=1",
                    "BIGTIFF=IF_SAFER"]


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
        raise ProductFormatError(f"{reader.product_id} is a {reader.kind.value} product: it has no red and "
                                 f"near-infrared bands, so no NDVI.")
    rules, missing = reader.mask_rules(masks)
    used = {r.mask: reader.masks[r.mask] for r in rules}
    if reader.is_toa:
        progress.message(f"{reader.product_id}: L1C product, NDVI is top of atmosphere (no atmospheric correction).")
    if missing:
        progress.message(f"{reader.product_id}: no mask for {', '.join(missing)} in this product.")
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
    """A fixed set of reusable arrays; take() blocks until one is free (back-pressure on the producer)."""

    def __init__(self, count, shape, dtype, stop):
        self.stop = stop
        self.free = queue.Queue()
        for _ in range(count):
            self.free.put(np.empty(shape, dtype))

    def take(self):
        while not self.stop.is_set():
            try:
                return self.free.get(timeout=0.1)
            except queue.Empty:
                continue
        return None

    def give(self, arr):
        self.free.put(arr)


class _Reader(threading.Thread):
    """Fills pooled buffers with one item per row block, in its own thread with its own GDAL handles."""

    def __init__(self, opener, blocks, pool, stop):
        super().__init__(daemon=True)
        self.opener, self.blocks, self.pool, self.stop = opener, blocks, pool, stop
        self.out = queue.Queue()

    def run(self):
        try:
            read = self.opener()
            for y0, y1 in self.blocks:
                buf = self.pool.take()
                if buf is None:
                    break
                self.out.put((buf, read(y0, y1, buf[: y1 - y0])))
        except Exception as e:  # noqa: BLE001 - handed to the consumer, which raises it with context
            self.out.put((None, e))

    def get(self):
        """(buffer to give back, data view)."""
        buf, item = self.out.get()
        if isinstance(item, Exception):
            raise item
        return buf, item


def _read_rows(band, y0, y1, factor, buf):
    """Rows covering the 10 m rows [y0, y1) of a raster whose pixels are `factor` times larger, into buf."""
    a0, a1 = y0 // factor, min(band.YSize, -(-y1 // factor))
    view = buf[: a1 - a0]
    band.ReadAsArray(0, a0, band.XSize, a1 - a0, buf_obj=view)
    return view


def _band_opener(path):
    def opener():
        # uncompressed GeoTIFF strips (MAJA bands) are read straight into our buffer, not via GDAL's cache
        gdal.SetThreadLocalConfigOption("GTIFF_DIRECT_IO", "YES")
        ds = gdal.Open(path)
        band = ds.GetRasterBand(1)

        block_rows = band.GetBlockSize()[1]

        def read(y0, y1, buf):
            view = _read_rows(band, y0, y1, 1, buf)
            if y1 % block_rows == 0 or y1 == band.YSize:
                # keep GDAL's cache from holding what was read, but not before a (JP2) tile row is used up
                ds.FlushCache()
            return view
        return read
    return opener


def _mask_opener(masks, rules, block, width):
    """All selected masks of a block OR-ed into one uint8 array (non-zero = masked), at 10 m.

    Masks are read at their native type and combined with in-place bitwise operations: for the usual 10 m
    uint8 bit masks (MAJA) that is one AND and one OR per mask, no boolean or float temporaries."""
    def opener():
        gdal.SetThreadLocalConfigOption("GTIFF_DIRECT_IO", "YES")
        dss = {key: gdal.Open(m.path) for key, m in masks.items()}
        used = sorted({(r.mask, r.band) for r in rules})
        # bit tests on the same mask band become one test (e.g. CLM clouds + CLM shadows)
        bit_rules, others = {}, []
        for r in rules:
            k = (r.mask, r.band)
            if r.bits:
                bit_rules[k] = replace(bit_rules[k], bits=bit_rules[k].bits | r.bits) if k in bit_rules else r
            else:
                others.append(r)
        tests = list(bit_rules.values()) + others
        # one raw buffer (and one scratch) per mask geometry and type, shared by the masks read in turn
        shape = lambda k: (block // masks[k[0]].factor + 2, dss[k[0]].RasterXSize,
                           np.dtype(gdal_array_type(dss[k[0]].GetRasterBand(k[1]))).str)
        shared = {shape(k): np.empty(shape(k)[:2], shape(k)[2]) for k in used}
        raw = {k: shared[shape(k)] for k in used}
        scratch_by = {g: np.empty_like(a) for g, a in shared.items()}
        scratch = {k: scratch_by[shape(k)] for k in used}

        def read(y0, y1, acc):
            acc[:] = 0
            for key, b in used:
                f = masks[key].factor
                values = _read_rows(dss[key].GetRasterBand(b), y0, y1, f, raw[(key, b)])
                for rule in tests:
                    if (rule.mask, rule.band) != (key, b):
                        continue
                    if f == 1 and rule.bits and values.dtype == np.uint8:   # the MAJA case
                        if rule.bits & 0xFF != 0xFF:
                            values = np.bitwise_and(values, rule.bits, out=scratch[(key, b)][: values.shape[0]])
                        np.bitwise_or(acc, values, out=acc)
                    else:
                        hit = _flags(values, rule)
                        if f > 1:
                            hit = _replicate(hit, f, y0, y1, width)
                        np.bitwise_or(acc, hit.view(np.uint8), out=acc)
            for key, ds in dss.items():
                f, bh = masks[key].factor, ds.GetRasterBand(1).GetBlockSize()[1]
                if (y1 // f) % bh == 0 or y1 >= ds.RasterYSize * f:
                    ds.FlushCache()
            return acc
        return read
    return opener


def gdal_array_type(band):
    from osgeo import gdal_array
    return gdal_array.GDALTypeCodeToNumericTypeCode(band.DataType)


class _Writer(threading.Thread):
    """Owns the output dataset: writes full-resolution blocks and overview levels, compressing on the
    dataset's NUM_THREADS. Overviews are nearest-neighbour decimations (GDAL's default resampling), kept in
    a buffer until a whole row of overview tiles is ready, so every tile is compressed and written once."""

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
                buf, y0, rows = item
                item = None
                if self.error is None and not self.stop.is_set():
                    arr = buf[:rows]
                    band.WriteArray(arr, 0, y0)
                    last = y0 + rows >= self.height
                    for i, (ov, f) in enumerate(zip(ovs, self.factors)):
                        dec = arr[::f, ::f]
                        n = dec.shape[0]
                        bufs[i][filled[i]: filled[i] + n] = dec
                        filled[i] += n
                        if filled[i] == TILE or last:
                            ov.WriteArray(bufs[i][: filled[i]], 0, first[i])
                            ov.FlushCache()     # the dataset's FlushCache leaves overview tiles in the cache
                            first[i] += filled[i]
                            filled[i] = 0
                    arr = dec = None
                    self.ds.FlushCache()
                self.pool.give(buf)
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
        raise ProductFormatError(f"{name}: {os.path.basename(path)} is not on the grid of the red band "
                                 f"(expected {factor} x its {rgt[1]:g} m pixels from the same corner).")


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
    """Per-run constants of the NDVI formula, and the blockwise computation.

    Reflectance = raw * scale + offset. NDVI is scale-free, so when both bands share a scale the work is done
    in raw units shifted by offset/scale (exact in float32 for integer raw values below 2**24)."""

    def __init__(self, inputs):
        r, n = inputs.red, inputs.nir
        self.same_scale = r.scale == n.scale
        # raw values that are no data by themselves
        self.invalid = [(0, r.nodata), (1, n.nodata)]
        if inputs.saturated_raw and r.saturated is not None:
            self.invalid += [(0, r.saturated), (1, n.saturated)]
        self.invalid = [(i, v) for i, v in self.invalid if v is not None]
        self.r_shift, self.n_shift = r.offset / r.scale, n.offset / n.scale
        self.r = (np.float32(r.scale), np.float32(r.offset))
        self.n = (np.float32(n.scale), np.float32(n.offset))
        # below these raw values the reflectance is negative: only then can the ratio leave [-1, 1]
        self.r_floor, self.n_floor = -self.r_shift, -self.n_shift

    def rows(self, red, nir, masked, out, a, b, k):
        """NDVI of rows [a, b) of a block into `out` (no data included); returns the number of valid pixels.
        masked: uint8 rows, non-zero = masked (None: no masks); k: this worker's scratch arrays."""
        u8 = np.uint8
        valid = 0
        with np.errstate(divide="ignore", invalid="ignore"):
            for y in range(a, b, SUB_ROWS):
                z = min(SUB_ROWS, b - y)
                sl = slice(y, y + z)
                r, n, o = red[sl], nir[sl], out[sl]
                rf, s, flag = k.rf[:z], k.s[:z], k.flag[:z]
                acc = masked[sl] if masked is not None else k.acc[:z]
                if masked is None:
                    acc[:] = 0
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
        raise ProductFormatError(f"{name}: cannot read the red/NIR bands ({e}).") from e
    w, h = ref.RasterXSize, ref.RasterYSize
    if (nirds.RasterXSize, nirds.RasterYSize) != (w, h):
        raise ProductFormatError(f"{name}: the red and near-infrared bands differ in size.")
    red_type = gdal_array_type(ref.GetRasterBand(1))
    nir_type = gdal_array_type(nirds.GetRasterBand(1))
    for key, mask in inputs.masks.items():
        try:
            _check_grid(name, ref, mask.path, mask.factor)
        except RuntimeError as e:
            raise ProductFormatError(f"{name}: cannot read the {key} mask ({e}).") from e

    blocks = [(y, min(h, y + block_size)) for y in range(0, h, block_size)]
    levels = [f for f in OVERVIEW_FACTORS if -(-max(w, h) // (f // 2)) > TILE]
    tmp = out_path + ".part"
    stop = threading.Event()
    rows = min(block_size, h)
    readers = {"red": _Reader(_band_opener(inputs.red.path), blocks, _Pool(2, (rows, w), red_type, stop), stop),
               "nir": _Reader(_band_opener(inputs.nir.path), blocks, _Pool(2, (rows, w), nir_type, stop), stop)}
    if inputs.rules:
        readers["masks"] = _Reader(_mask_opener(inputs.masks, inputs.rules, rows, w), blocks,
                                   _Pool(2, (rows, w), np.uint8, stop), stop)
    out_pool = _Pool(2, (rows, w), np.float32, stop)
    arithmetic = _Arithmetic(inputs)
    workers = max(1, threads)
    # the arithmetic of a block is split between `workers` threads (numpy releases the GIL), each with its
    # own scratch rows
    scratch = [_Scratch(w) for _ in range(workers)]
    pool = ThreadPoolExecutor(workers) if workers > 1 else None
    parts_of = lambda n: [(k * n // workers, (k + 1) * n // workers) for k in range(workers)]
    writer = None
    total_valid = 0
    try:
        drv = gdal.GetDriverByName("GTiff")
        out = drv.Create(tmp, w, h, 1, gdal.GDT_Float32, CREATION_OPTIONS + [f"NUM_THREADS={max(1, threads)}"])
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
        for r in readers.values():
            r.start()
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
            mbuf, mbad = readers["masks"].get() if "masks" in readers else (None, None)
            ndvi_buf = out_pool.take()
            jobs = [(red, nir, mbad, ndvi_buf, a, b, scratch[k]) for k, (a, b) in enumerate(parts_of(n))]
            counts = list(pool.map(lambda j: arithmetic.rows(*j), jobs)) if pool else [arithmetic.rows(*jobs[0])]
            total_valid += sum(counts)
            readers["red"].pool.give(rbuf)
            readers["nir"].pool.give(nbuf)
            if mbuf is not None:
                readers["masks"].pool.give(mbuf)
            writer.inq.put((ndvi_buf, y0, n))
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
        raise ProductFormatError(f"{name}: reading or writing failed ({e}).") from e
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
