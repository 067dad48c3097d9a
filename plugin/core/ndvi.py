"""Blockwise NDVI engine: (NIR - red) / (NIR + red) straight from a product archive, bounded memory, both cores.

Output (documented contract):
- Float32 GeoTIFF, same grid and CRS as the 10 m red band, tiled 512 x 512, ZSTD level 1 + floating-point
  predictor, internal overviews (x2 .. x32, nearest neighbour like GDAL's default) written in the same pass.
- NODATA = -9999: where red or NIR is no data, where NIR + red == 0, or where a selected mask flags the pixel.
  Valid values lie in [-1, 1] (a negative reflectance after the L2A/L1C offset can push the ratio outside;
  those are clipped to the range).
- Metadata: PRODUCT_ID, ACQUISITION_DATE, REFLECTANCE (FRE/SRE/BOA/TOA), NDVI_KIND (surface /
  top-of-atmosphere), MASK_POLICY, MASKS_APPLIED, VALUE_RANGE, NODATA_MEANING.
- Written to "<out>.part" and renamed when complete: nothing half-written ever carries the final name.

Concurrency: one reader thread per input raster (GDAL releases the GIL while inflating /vsizip/ members and
decoding), numpy arithmetic in the calling thread (releases the GIL on large arrays), one writer thread whose
GTiff compresses tiles on `threads` worker threads. Queues are bounded, so memory is a few blocks.
"""
import datetime as dt
import os
import queue
import threading
from dataclasses import dataclass, field, fields
from typing import Optional

import numpy as np
from osgeo import gdal

from .errors import Cancelled, ProductFormatError
from .models import ProductKind
from .products import Band, Mask, MaskRule, ProductReader, open_product
from .progress import NULL_PROGRESS, check_cancelled

gdal.UseExceptions()

NODATA = -9999.0
TILE = 512
OVERVIEW_FACTORS = (2, 4, 8, 16, 32)
CREATION_OPTIONS = ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}", "COMPRESS=ZSTD", "ZSTD_LEVEL=1",
                    "PREDICTOR=3", "BIGTIFF=IF_SAFER"]


@dataclass(frozen=True)
class MaskPolicy:
    """Which pixels become no data besides the bands' own no data.

    For Sen2Cor L2A, scl_classes (a set of SCL values) replaces the class choice derived from the flags.
    L1C products only know clouds (opaque + cirrus) and snow, from MSK_CLASSI (baseline >= 04.00).
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
    inputs = NdviInputs(reader.red, reader.nir, reader.product_id, used, rules,
                        metadata=meta)
    valid = run_ndvi(inputs, out_path, progress=progress, block_size=block_size, threads=threads)
    return NdviResult(out_path, reader.product_id, reader.acquired, reader.is_toa, valid, reader.reflectance,
                      reader.tile, reader.kind, tuple(r.label for r in rules), tuple(missing))


def compute_ndvi_bands(red_path, nir_path, out_path, *, scale=1e-4, offset=0.0, nodata=-10000.0,
                       progress=NULL_PROGRESS, block_size=TILE, threads=2, name=None):
    """NDVI of two single-band rasters (reflectance = raw * scale + offset, raw == nodata -> no data)."""
    name = name or os.path.basename(red_path)
    inputs = NdviInputs(Band(red_path, scale, offset, nodata), Band(nir_path, scale, offset, nodata), name,
                        metadata={"PRODUCT_ID": name, "MASK_POLICY": "none", "MASKS_APPLIED": "none"})
    valid = run_ndvi(inputs, out_path, progress=progress, block_size=block_size, threads=threads)
    return NdviResult(out_path, name, None, False, valid)


# ---------------------------------------------------------------- engine

_STOP = object()


class _Reader(threading.Thread):
    """Reads row blocks of one raster (its own GDAL handle) into a bounded queue."""

    def __init__(self, path, factor, nbands, blocks, name, stop, depth=2):
        super().__init__(daemon=True)
        self.path, self.factor, self.nbands, self.blocks, self.name = path, factor, nbands, blocks, name
        self.out = queue.Queue(depth)
        self.stop = stop

    def run(self):
        try:
            ds = gdal.Open(self.path)
            f = self.factor
            for y0, y1 in self.blocks:
                if self.stop.is_set():
                    break
                a0, a1 = y0 // f, min(ds.RasterYSize, -(-y1 // f))
                arr = ds.ReadAsArray(0, a0, ds.RasterXSize, a1 - a0)
                ds.FlushCache()                       # keep GDAL's block cache from growing with the tile
                self._put(arr)
            ds = None
        except Exception as e:  # noqa: BLE001 - handed to the consumer, which raises it with context
            self._put(e)

    def _put(self, item):
        while not self.stop.is_set():
            try:
                self.out.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def get(self):
        item = self.out.get()
        if isinstance(item, Exception):
            raise item
        return item


class _Writer(threading.Thread):
    """Owns the output dataset: writes full-resolution blocks and overview levels, compressing on the
    dataset's NUM_THREADS. Overviews are nearest-neighbour decimations (GDAL's default resampling), kept in
    memory until a whole row of overview tiles is ready, so every tile is compressed and written once."""

    def __init__(self, ds, factors, height, stop):
        super().__init__(daemon=True)
        self.ds, self.factors, self.height, self.stop = ds, factors, height, stop
        self.inq = queue.Queue(2)
        self.error = None

    def run(self):
        item = None
        band = ovs = None
        try:
            band = self.ds.GetRasterBand(1)
            ovs = [band.GetOverview(i) for i in range(band.GetOverviewCount())]
            pending = [[0, []] for _ in ovs]          # per level: first row, list of row blocks
            while True:
                item = self.inq.get()
                if item is _STOP:
                    break
                if self.error is not None or self.stop.is_set():
                    continue
                y0, arr = item
                band.WriteArray(arr, 0, y0)
                last = y0 + arr.shape[0] >= self.height
                for ov, f, pend in zip(ovs, self.factors, pending):
                    pend[1].append(arr[::f, ::f])
                    rows = sum(a.shape[0] for a in pend[1])
                    if rows >= TILE or last:
                        data = np.concatenate(pend[1]) if len(pend[1]) > 1 else np.ascontiguousarray(pend[1][0])
                        keep = 0 if last else rows % TILE
                        ov.WriteArray(data[: rows - keep], 0, pend[0])
                        pend[0] += rows - keep
                        pend[1] = [data[rows - keep:]] if keep else []
                self.ds.FlushCache()
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
    if factor == 1:
        return arr
    off = y0 - (y0 // factor) * factor
    rep = np.repeat(np.repeat(arr, factor, axis=0), factor, axis=1)
    return rep[off: off + (y1 - y0), :width]


def _ndvi_block(red, nir, inputs):
    """NDVI (float32, unmasked) and the no-data flags for one block of raw band values."""
    r, n = inputs.red, inputs.nir
    bad = red == r.nodata
    bad |= nir == n.nodata
    if inputs.saturated_raw and r.saturated is not None:
        bad |= red == r.saturated
        bad |= nir == n.saturated
    if r.scale == n.scale:
        # NDVI is scale-free: work in raw units shifted by offset/scale (exact for integer raw values)
        rf = red.astype(np.float32)
        nf = nir.astype(np.float32)
        if r.offset:
            rf += np.float32(r.offset / r.scale)
        if n.offset:
            nf += np.float32(n.offset / n.scale)
    else:
        rf = red.astype(np.float32) * np.float32(r.scale) + np.float32(r.offset)
        nf = nir.astype(np.float32) * np.float32(n.scale) + np.float32(n.offset)
    s = nf + rf
    nf -= rf
    bad |= s == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(nf, s, out=nf)
    # only a negative reflectance can leave [-1, 1]; minimum/maximum are several times faster than clip
    np.minimum(nf, 1.0, out=nf)
    np.maximum(nf, -1.0, out=nf)
    return nf, bad


def _flags(values, rule):
    if rule.bits:
        return (values & rule.bits) != 0
    out = values == rule.classes[0]
    for c in rule.classes[1:]:
        out |= values == c
    return out


def run_ndvi(inputs, out_path, *, progress=NULL_PROGRESS, block_size=TILE, threads=2):
    """Compute NDVI for NdviInputs into out_path; returns the fraction of valid pixels."""
    check_cancelled(progress)
    if block_size % TILE:
        raise ValueError(f"block_size must be a multiple of {TILE}, got {block_size}.")
    name = inputs.name
    try:
        ref = gdal.Open(inputs.red.path)
        gdal.Open(inputs.nir.path)
    except RuntimeError as e:
        raise ProductFormatError(f"{name}: cannot read the red/NIR bands ({e}).") from e
    w, h = ref.RasterXSize, ref.RasterYSize
    nirds = gdal.Open(inputs.nir.path)
    if (nirds.RasterXSize, nirds.RasterYSize) != (w, h):
        raise ProductFormatError(f"{name}: the red and near-infrared bands differ in size.")
    for key, mask in inputs.masks.items():
        try:
            _check_grid(name, ref, mask.path, mask.factor)
        except RuntimeError as e:
            raise ProductFormatError(f"{name}: cannot read the {key} mask ({e}).") from e

    blocks = [(y, min(h, y + block_size)) for y in range(0, h, block_size)]
    levels = [f for f in OVERVIEW_FACTORS if -(-max(w, h) // (f // 2)) > TILE]
    tmp = out_path + ".part"
    stop = threading.Event()
    readers = {"red": _Reader(inputs.red.path, 1, 1, blocks, "red", stop),
               "nir": _Reader(inputs.nir.path, 1, 1, blocks, "nir", stop)}
    for key, mask in inputs.masks.items():
        readers[key] = _Reader(mask.path, mask.factor, mask.bands, blocks, key, stop)
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
        writer = _Writer(out, levels, h, stop)     # the writer thread owns (and closes) the output dataset from here
        out = None
        writer.start()
        for i, (y0, y1) in enumerate(blocks):
            check_cancelled(progress)
            if writer.error is not None:
                raise writer.error
            red = readers["red"].get()
            nir = readers["nir"].get()
            ndvi, bad = _ndvi_block(red, nir, inputs)
            mask_blocks = {key: readers[key].get() for key in inputs.masks}
            for rule in inputs.rules:
                m = mask_blocks[rule.mask]
                m = m[rule.band - 1] if m.ndim == 3 else m
                bad |= _replicate(_flags(m, rule), inputs.masks[rule.mask].factor, y0, y1, w)
            np.copyto(ndvi, np.float32(NODATA), where=bad)
            total_valid += int(bad.size - np.count_nonzero(bad))
            writer.inq.put((y0, ndvi))
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
