"""Deterministic synthetic Sentinel product archives, laid out like the real ones.

build_archive(kind, title, dest) writes a zip that the product readers (plugin/core/products.py) and GDAL
open exactly as they would a real download:
- Theia/MAJA L2A: <title>/<title>_FRE_B{2,3,4,8}.tif and _SRE_ (Int16, reflectance x 10000, nodata -10000),
  _FRE_/_SRE_B{5,8A,11,12}.tif at 20 m (the top-left 10 m pixel of each 2 x 2),
  MASKS/<title>_{CLM,MG2,EDG,SAT}_R1.tif (UInt8 bit masks, MAJA meanings), MASKS/<title>_SAT_R2.tif (20 m
  bands' saturation: one bit per band B5 B6 B7 B8A B11 B12), _MTD_ALL.xml, _QKL_ALL.jpg.
- ESA SAFE L2A / L1C (SAFE_COMPACT): MTD_MSIL2A.xml / MTD_MSIL1C.xml with BOA_ADD_OFFSET / RADIO_ADD_OFFSET for
  baseline >= 04.00, GRANULE/<granule>/MTD_TL.xml, JP2 bands (UInt16, 0 = no data, 65535 = saturated),
  SCL at 20 m for L2A, QI_DATA/MSK_CLASSI_B00.jp2 (60 m, opaque/cirrus/snow) for L1C >= 04.00;
  B05, B8A, B11, B12 at 20 m (L2A: R20m/*_20m.jp2).
- Sentinel-1: a minimal SAFE with manifest.safe and one measurement GeoTIFF (download-only kind).

The scene is synthetic but plausible (fields of vegetation and soil, a river, a town, snow in one corner,
clouds with shadows, a diagonal no-data swath edge, a few saturated and zero-reflectance pixels), derived
from (title, seed) only, so the same inputs give the same bytes (fixed zip timestamps, fixed member order).
Saturated pixels are in B4 and B8 (flagged in SAT_R1, 65535 in SAFE bands), so SAT_R2 is all zeros unless
build_archive(..., saturated_20m=True) (MAJA only) also saturates a few 20 m pixels in some 20 m bands only
(SAT20_RESIDUES): the tests of the 20 m saturation mask opt in, the values every other test expects stay.
"""
import datetime as dt
import hashlib
import os
import shutil
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import Optional

import numpy as np
from osgeo import gdal, osr

from plugin.core.models import ProductKind
from plugin.core.product_names import parse_title

gdal.UseExceptions()

SMALL_SIZE = 120          # px at 10 m: a multiple of 6 so the 20 m and 60 m grids nest exactly
FULL_SIZE = 10980
ZIP_TIME = (2020, 1, 1, 0, 0, 0)
BLOCK_ROWS = 512          # rows per generation block (fixed: the noise depends on it)
MAJA_NODATA = -10000
BANDS = ("B2", "B3", "B4", "B8")
BANDS_20M = ("B5", "B8A", "B11", "B12")   # red edge, narrow NIR, SWIR 1 and 2: 20 m rasters (spectral indices)

# MAJA CLM bits (Theia MUSCATE format): 0 clouds-or-shadows, 1 clouds except thinnest, 2 mono-temporal,
# 3 multi-temporal, 4 thinnest clouds, 5 shadows of detected clouds, 6 shadows of clouds outside, 7 high (1.38 um).
# MG2 bits: 0 water, 1 cloud, 2 snow, 3 cloud shadow, 4 topographic shadow, 5 hidden by relief, 6 sun low,
# 7 sun tangent.
# SAT_R1 / SAT_R2: one bit per band, in the band order of the resolution: R1 B2 B3 B4 B8, R2 B5 B6 B7 B8A B11 B12
# (sources in plugin/core/products.py; this table is written out again here, not imported).
SAT_R2_ORDER = ("B5", "B6", "B7", "B8A", "B11", "B12")
# saturated_20m: the 20 m pixel (row, col) of the 20 m grid is saturated in band b where
# (row * 20 m width + col) % SAT20_EVERY is one of SAT20_RESIDUES[b]: B5 alone, B6 with B7 (bands the archive
# does not hold, flagged all the same), B8A alone, B11 alone, B11 with B12, B12 alone.
SAT20_EVERY = 197
SAT20_RESIDUES = {"B5": (3,), "B6": (11,), "B7": (11,), "B8A": (23,), "B11": (37, 61), "B12": (61, 79)}
SCL = dict(NO_DATA=0, SATURATED=1, DARK=2, SHADOW=3, VEGETATION=4, NOT_VEGETATED=5, WATER=6, UNCLASSIFIED=7,
           CLOUD_MEDIUM=8, CLOUD_HIGH=9, CIRRUS=10, SNOW=11)


# ---------------------------------------------------------------- tile geocoding

def tile_geocoding(tile):
    """(epsg, ulx, uly) of a Sentinel-2 tile: from plugin.core.tiles when present, else a plausible MGRS guess."""
    try:
        from plugin.core import tiles
        fp = tiles.tile_footprint(tile)
        return int(fp.epsg), float(fp.ulx), float(fp.uly)
    except (ImportError, AttributeError):
        return _guess_tile_geocoding(tile)


def _guess_tile_geocoding(tile):
    zone, band, col, row = int(tile[:2]), tile[2], tile[3], tile[4]
    north = band >= "N"
    epsg = (32600 if north else 32700) + zone
    cols = ("ABCDEFGH", "JKLMNPQR", "STUVWXYZ")[(zone - 1) % 3]
    ulx = (cols.index(col) + 1) * 100000
    rows = "ABCDEFGHJKLMNPQRSTUV"
    r = (rows.index(row) - (5 if zone % 2 == 0 else 0)) % 20
    bands = "CDEFGHJKLMNPQRSTUVWX"
    lat = -80 + 8 * bands.index(band) + 4
    approx = lat * 110946.0 + (0 if north else 10000000)
    n0 = r * 100000 + round((approx - r * 100000) / 2000000) * 2000000
    return epsg, float(ulx), float(n0 + 100020)


# ---------------------------------------------------------------- the synthetic scene

def _seed(title, seed):
    return int.from_bytes(hashlib.sha256(f"{title}|{seed}".encode()).digest()[:8], "little")


@dataclass
class Truth:
    """Per-pixel ground truth for a block of rows; reflectances are bottom-of-atmosphere floats."""
    refl: dict          # band -> float32 array
    nodata: np.ndarray
    cloud: np.ndarray   # opaque
    cirrus: np.ndarray
    shadow: np.ndarray
    snow: np.ndarray
    water: np.ndarray
    vegetation: np.ndarray
    saturated: np.ndarray
    zero: np.ndarray    # red = nir = 0 exactly (NDVI undefined)
    relief: np.ndarray  # FRE/SRE ratio (slope correction)
    rim: np.ndarray     # valid pixels next to the swath edge that MAJA's EDG still flags (not all bands seen)
    saturated_20m: Optional[dict] = None   # SAT_R2_ORDER band -> bool (constant over each 2 x 2), all False
    #                                        unless the scene saturates 20 m pixels


class Scene:
    def __init__(self, n, title, seed, saturated_20m=False):
        self.n = n
        self.saturated_20m = saturated_20m
        s = _seed(title, seed)
        self.s = s
        rng = np.random.default_rng(s)
        self.cell = max(6, n // 24)                      # field size in px
        g = -(-n // self.cell)
        self.fields = rng.choice(4, size=(g, g), p=[0.35, 0.5, 0.0, 0.15])   # 0 soil 1 veg 3 town
        self.vigour = rng.uniform(0.2, 1.0, size=(g, g)).astype(np.float32)
        self.river = (rng.uniform(0.3, 0.6) * n, rng.uniform(-0.3, 0.3), rng.uniform(0.03, 0.08) * n,
                      max(2.0, n / 60.0))                 # x0, slope, meander amplitude, half width
        k = int(rng.integers(2, 5))
        self.clouds = [(rng.uniform(0.1, 0.55) * n, rng.uniform(0.15, 0.85) * n, rng.uniform(0.06, 0.12) * n)
                       for _ in range(k)]
        self.shadow_shift = (0.12 * n, 0.08 * n)
        self.edge = (0.9 * n, 0.35)                     # no-data right of x = a - b * y (diagonal swath edge)
        self.snow_r = 0.18 * n                           # snow in the top-left corner
        self.zero_box = (n // 3, n // 3 + max(2, n // 40))
        self.sat_every = 997

    def block(self, y0, y1):
        """The truth of rows y0..y1 (all columns), as the archive writers take it."""
        return self.at(np.arange(y0, y1), np.arange(self.n), np.random.default_rng([self.s, y0]))

    def at(self, rows, cols, rng):
        """The truth at the pixels rows x cols (integer pixel indices): a block of the archive, or the sample
        grid of a quicklook, which then shows the very fields, river, clouds and edge the archive holds."""
        n = self.n
        y = rows.astype(np.float32)[:, None]
        x = cols.astype(np.float32)[None, :]
        yy, xx = np.broadcast_arrays(y, x)
        ci, cj = (rows // self.cell)[:, None], (cols // self.cell)[None, :]
        cls = self.fields[ci, cj]
        vig = self.vigour[ci, cj]
        x0, slope, amp, half = self.river
        water = np.abs(xx - (x0 + slope * yy + amp * np.sin(yy / max(n / 6.0, 1.0)))) < half
        snow = (xx ** 2 + yy ** 2) < self.snow_r ** 2
        veg = (cls == 1) & ~water & ~snow
        town = (cls == 3) & ~water & ~snow
        noise = {b: rng.normal(0.0, 0.004, size=yy.shape).astype(np.float32) for b in BANDS + BANDS_20M}
        refl = {}
        soil = dict(B2=0.08, B3=0.11, B4=0.15, B8=0.24, B5=0.19, B8A=0.25, B11=0.30, B12=0.24)
        urban = dict(B2=0.12, B3=0.13, B4=0.14, B8=0.18, B5=0.15, B8A=0.19, B11=0.22, B12=0.20)
        wat = dict(B2=0.07, B3=0.06, B4=0.04, B8=0.02, B5=0.03, B8A=0.015, B11=0.008, B12=0.005)
        sno = dict(B2=0.85, B3=0.84, B4=0.82, B8=0.72, B5=0.80, B8A=0.70, B11=0.12, B12=0.08)
        vegr = dict(B2=0.03 + 0.03 * (1 - vig), B3=0.06 + 0.04 * (1 - vig), B4=0.03 + 0.1 * (1 - vig),
                    B8=0.22 + 0.25 * vig, B5=0.07 + 0.08 * (1 - vig), B8A=0.23 + 0.26 * vig,
                    B11=0.28 - 0.1 * vig, B12=0.18 - 0.1 * vig)
        for b in BANDS + BANDS_20M:
            r = np.full(yy.shape, soil[b], np.float32)
            r = np.where(veg, vegr[b], r)
            r = np.where(town, urban[b], r)
            r = np.where(water, wat[b], r)
            r = np.where(snow, sno[b], r)
            refl[b] = r + noise[b]
        cloud = np.zeros(yy.shape, bool)
        cirrus = np.zeros(yy.shape, bool)
        shadow = np.zeros(yy.shape, bool)
        dx, dy = self.shadow_shift
        for cx, cy, rad in self.clouds:
            d2 = (xx - cx) ** 2 + (yy - cy) ** 2
            cloud |= d2 < (0.7 * rad) ** 2
            cirrus |= d2 < rad ** 2
            shadow |= ((xx - cx - dx) ** 2 + (yy - cy - dy) ** 2) < (0.8 * rad) ** 2
        cirrus &= ~cloud
        shadow &= ~(cloud | cirrus)
        for b in BANDS + BANDS_20M:
            refl[b] = np.where(shadow, refl[b] * 0.45, refl[b])
            refl[b] = np.where(cirrus, 0.65 * refl[b] + 0.35 * 0.5, refl[b])
            refl[b] = np.where(cloud, 0.55 + noise[b] * 4, refl[b])
        zero = np.zeros(yy.shape, bool)
        z0, z1 = self.zero_box
        zero[(yy >= z0) & (yy < z1) & (xx >= z0) & (xx < z1)] = True
        for b in ("B4", "B8"):
            refl[b] = np.where(zero, 0.0, refl[b])
        lin = (yy * n + xx).astype(np.int64)
        saturated = (lin % self.sat_every == 5) & ~zero
        for b in ("B4", "B8"):
            refl[b] = np.where(saturated, 1.6, refl[b])
        sat20 = {b: np.zeros(yy.shape, bool) for b in SAT_R2_ORDER}
        if self.saturated_20m:
            lin20 = ((rows // 2)[:, None] * (-(-n // 2)) + (cols // 2)[None, :]).astype(np.int64) % SAT20_EVERY
            for b in SAT_R2_ORDER:
                sat20[b] = np.isin(lin20, SAT20_RESIDUES[b])
                if b in refl:
                    refl[b] = np.where(sat20[b], 1.6, refl[b])
        nodata = xx > (self.edge[0] - self.edge[1] * yy)
        rim = (xx > (self.edge[0] - self.edge[1] * yy - 2)) & ~nodata
        relief = (1.0 + 0.04 * np.sin(xx / max(n / 9.0, 1.0)) * np.cos(yy / max(n / 7.0, 1.0))).astype(np.float32)
        refl = {b: np.clip(v, 0.0, 1.6).astype(np.float32) for b, v in refl.items()}
        return Truth(refl, nodata, cloud, cirrus, shadow, snow, water, veg, saturated, zero, relief, rim, sat20)


# ---------------------------------------------------------------- raster writers

class _Raster:
    """A GDAL raster written block by block into /vsimem/ (small) or a temp file (full size)."""

    def __init__(self, workdir, name, driver, n, dtype, geo, res, bands=1, nodata=None):
        self.name = name
        base = os.path.basename(name) + ".tif"      # a GeoTIFF first, even for a JP2 member (see finish)
        self.path = (f"/vsimem/archives_{id(self)}_{base}" if workdir is None
                     else os.path.join(workdir, f"{len(os.listdir(workdir))}_{base}"))
        # STREAMABLE_OUTPUT: strips in row order, empty ones included (GDAL would append all-zero strips
        # at close otherwise, and a streaming /vsizip/ reader would have to seek back for them)
        opts = ["TILED=NO", "BIGTIFF=NO"]
        if driver == "GTiff":        # (a JP2 member is translated from this GeoTIFF, which must stay readable)
            opts += ["BLOCKYSIZE=1", "STREAMABLE_OUTPUT=YES"]
        self.ds = gdal.GetDriverByName("GTiff").Create(self.path, n, n, bands, dtype, opts)
        epsg, ulx, uly = geo
        self.ds.SetGeoTransform((ulx, res, 0.0, uly, 0.0, -res))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(epsg)
        self.ds.SetProjection(srs.ExportToWkt())
        if nodata is not None:
            for i in range(bands):
                self.ds.GetRasterBand(i + 1).SetNoDataValue(nodata)

    def write(self, y0, arr, band=1):
        self.ds.GetRasterBand(band).WriteArray(arr, 0, y0)
        # flush now: strips land in row order (as in real products, and what a streaming /vsizip/ reader
        # expects) and GDAL's cache does not grow to gigabytes on a full-size build
        self.ds.FlushCache()

    def finish(self, workdir, jp2=False):
        """Close; for JP2 members translate the GeoTIFF into JPEG2000 (lossless, as the real L1C/L2A bands)."""
        ds, self.ds = self.ds, None
        if jp2:
            out = self.path[: -len(".tif")]
            n = ds.RasterXSize
            opts = ["REVERSIBLE=YES", "QUALITY=100"]
            # 1024 px tiles like ESA's; small rasters in one tile (OpenJPEG refuses tiny code blocks)
            opts += (["BLOCKXSIZE=1024", "BLOCKYSIZE=1024"] if n > 1024
                     else ["RESOLUTIONS=1" if n < 64 else "RESOLUTIONS=2"])
            gdal.GetDriverByName("JP2OpenJPEG").CreateCopy(out, ds, options=opts)
            ds = None
            _remove(self.path)
            self.path = out
        else:
            ds.FlushCache()
            ds = None
        return self.path


def _remove(path):
    if path.startswith("/vsimem/"):
        gdal.Unlink(path)
    elif os.path.exists(path):
        os.remove(path)


def _vsimem_bytes(path):
    f = gdal.VSIFOpenL(path, "rb")
    try:
        gdal.VSIFSeekL(f, 0, 2)
        size = gdal.VSIFTellL(f)
        gdal.VSIFSeekL(f, 0, 0)
        return bytes(gdal.VSIFReadL(1, size, f))
    finally:
        gdal.VSIFCloseL(f)
        gdal.Unlink(path)


def _natural_colour(rgb):
    """8-bit natural colour (3, h, w) from red, green, blue reflectances: 0..0.3 stretched to 0..255."""
    return np.clip(np.stack(rgb) * (255 / 0.3), 0, 255).astype(np.uint8)


def _quicklook(workdir, rgb):
    """JPEG quicklook (8-bit natural colour) from a small float RGB stack."""
    arr = _natural_colour(rgb)
    mem = gdal.GetDriverByName("MEM").Create("", arr.shape[2], arr.shape[1], 3, gdal.GDT_Byte)
    for i in range(3):
        mem.GetRasterBand(i + 1).WriteArray(arr[i])
    path = f"/vsimem/archives_qkl_{id(mem)}.jpg" if workdir is None else os.path.join(workdir, "qkl.jpg")
    gdal.GetDriverByName("JPEG").CreateCopy(path, mem, options=["QUALITY=85"])
    return path


# ---------------------------------------------------------------- the catalogue's quicklook

QUICKLOOK_PX = 128        # width of the catalogue quicklook (the PNG the search results link to)


def quicklook_png(kind: ProductKind, title: str, *, seed=0, size: Optional[int] = None, full_size=False,
                  px=QUICKLOOK_PX) -> bytes:
    """The catalogue's quicklook of the product build_archive(kind, title, ..., seed, size, full_size) writes:
    its own scene sampled on a px x px grid (natural colour; no data black), so the preview shows the fields,
    river, clouds and swath edge the download holds. Sentinel-1: VV backscatter in grey, px wide, with the
    measurement's aspect. A few ms: it samples the scene, it never builds the archive."""
    info = parse_title(title)
    if info.kind is not kind:
        raise ValueError(f"Title {title!r} names a {info.kind.value} product, not {kind.value}.")
    if kind is ProductKind.S1:
        cols, rows = S1_FULL if full_size else S1_SMALL
        return png_bytes(_s1_preview(_seed(info.title, seed), cols, rows, px))
    n = size or (FULL_SIZE if full_size else SMALL_SIZE)
    scene = Scene(n, info.title, seed)
    idx = ((np.arange(px) + 0.5) * (n / px)).astype(np.int64)       # the archive pixel under each preview pixel
    t = scene.at(idx, idx, np.random.default_rng([scene.s, n]))
    rgb = [np.where(t.nodata, 0.0, t.refl[b]) for b in ("B4", "B3", "B2")]
    if kind is ProductKind.SAFE_L1C:      # top of atmosphere, as the L1C bands (see _safe_members)
        rgb = [np.where(t.nodata, 0.0, v * 0.85 + 0.04) for v in rgb]
    return png_bytes(_natural_colour(rgb))


def _s1_preview(s, cols, rows, px):
    """VV backscatter on a px-wide grid over the measurement: the archive's field texture with fresh speckle,
    averaged over 4 looks as a real quicklook is, in decibels stretched to 8-bit grey."""
    h = max(1, round(px * rows / cols))
    x = np.linspace(0.0, 1.0, px, dtype=np.float32)[None, :]
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    land = 1.0 + 0.6 * np.sin(9 * x + 3 * y) * np.cos(7 * y)              # as _s1_members
    dn = np.clip(np.random.default_rng([s, 1]).gamma(16.0, 1 / 16.0, size=(h, px)) * land * 220.0, 1, 65535)
    db = 20 * np.log10(dn)
    return np.clip((db - 36.0) * (255 / 18.0), 0, 255).astype(np.uint8)


def png_bytes(arr):
    """PNG bytes of an 8-bit (h, w) grey or (3, h, w) RGB array (numpy + zlib, no GDAL)."""
    if arr.ndim == 3:
        pix, colour = np.ascontiguousarray(arr.transpose(1, 2, 0)), 2
    else:
        pix, colour = arr[..., None], 0
    h, w = pix.shape[:2]
    raw = np.concatenate([np.zeros((h, 1), np.uint8), pix.reshape(h, -1)], axis=1).tobytes()   # filter 0 a row

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


# ---------------------------------------------------------------- archive writers

@dataclass
class _Member:
    name: str
    source: object      # bytes, a /vsimem/ path or a file path
    compress: bool = True


def _render(scene, rasters, writers, qkl_step):
    """Generate the scene block by block and hand each block to every writer; returns the quicklook RGB."""
    n = scene.n
    ql = {b: [] for b in ("B4", "B3", "B2")}
    for y0 in range(0, n, BLOCK_ROWS):
        y1 = min(n, y0 + BLOCK_ROWS)
        t = scene.block(y0, y1)
        for w in writers:
            w(y0, t)
        rows = [r - y0 for r in range(y0, y1) if r % qkl_step == 0]
        for b in ql:
            ql[b].append(np.where(t.nodata, 0, t.refl[b])[rows][:, ::qkl_step])
    return [np.concatenate(ql[b]) for b in ("B4", "B3", "B2")]


def _maja_members(info, scene, geo, workdir, mtd_in_data=False):
    t = info.title
    n = scene.n
    r = {}
    for kind in ("FRE", "SRE"):
        for b in BANDS:
            r[f"{kind}_{b}"] = _Raster(workdir, f"{t}/{t}_{kind}_{b}.tif", "GTiff", n, gdal.GDT_Int16, geo, 10.0,
                                       nodata=MAJA_NODATA)
        for b in BANDS_20M:
            r[f"{kind}_{b}"] = _Raster(workdir, f"{t}/{t}_{kind}_{b}.tif", "GTiff", -(-n // 2), gdal.GDT_Int16,
                                       geo, 20.0, nodata=MAJA_NODATA)
    for m in ("CLM", "MG2", "EDG", "SAT"):
        r[m] = _Raster(workdir, f"{t}/MASKS/{t}_{m}_R1.tif", "GTiff", n, gdal.GDT_Byte, geo, 10.0)
    r["SAT_R2"] = _Raster(workdir, f"{t}/MASKS/{t}_SAT_R2.tif", "GTiff", -(-n // 2), gdal.GDT_Byte, geo, 20.0)

    def write(y0, tr):
        for b in BANDS:
            sre = np.round(tr.refl[b] * 10000)
            fre = np.round(np.clip(tr.refl[b] * tr.relief, 0, 1.6) * 10000)
            if b in ("B4", "B8"):   # keep the exact zeros and saturations of the truth in both kinds
                fre = np.where(tr.zero, 0, np.where(tr.saturated, 16000, fre))
            r[f"SRE_{b}"].write(y0, np.where(tr.nodata, MAJA_NODATA, sre).astype(np.int16))
            r[f"FRE_{b}"].write(y0, np.where(tr.nodata, MAJA_NODATA, fre).astype(np.int16))
        for b in BANDS_20M:        # 20 m: the top-left 10 m pixel of each 2 x 2 (block starts are even)
            sub = (slice(None, None, 2), slice(None, None, 2))
            sre = np.where(tr.nodata, MAJA_NODATA, np.round(tr.refl[b] * 10000))[sub]
            fre = np.where(tr.nodata, MAJA_NODATA, np.round(np.clip(tr.refl[b] * tr.relief, 0, 1.6) * 10000))[sub]
            fre = np.where(tr.saturated_20m[b][sub] & ~tr.nodata[sub], 16000, fre)   # as B4/B8: saturated in both
            r[f"SRE_{b}"].write(y0 // 2, sre.astype(np.int16))
            r[f"FRE_{b}"].write(y0 // 2, fre.astype(np.int16))
        clm = (np.where(tr.cloud, 1 | 2 | 4, 0) | np.where(tr.cirrus, 16 | 128, 0)
               | np.where(tr.shadow, 1 | 32, 0))
        mg2 = (np.where(tr.water, 1, 0) | np.where(tr.cloud, 2, 0) | np.where(tr.snow, 4, 0)
               | np.where(tr.shadow, 8, 0))
        sat = np.where(tr.saturated, 4 | 8, 0)
        for name, arr in (("CLM", clm), ("MG2", mg2), ("SAT", sat)):
            r[name].write(y0, np.where(tr.nodata, 0, arr).astype(np.uint8))
        r["EDG"].write(y0, (tr.nodata | tr.rim).astype(np.uint8))
        sat2 = sum(np.where(tr.saturated_20m[b], 1 << i, 0) for i, b in enumerate(SAT_R2_ORDER))
        r["SAT_R2"].write(y0 // 2, np.where(tr.nodata, 0, sat2)[::2, ::2].astype(np.uint8))   # top-left 10 m

    qkl = _render(scene, r, [write], max(1, -(-n // 256)))
    members = [_Member(f"{t}/", b""), _Member(f"{t}/MASKS/", b"")]
    for key in [f"{k}_{b}" for k in ("FRE", "SRE") for b in BANDS + BANDS_20M] + ["CLM", "MG2", "EDG", "SAT",
                                                                                  "SAT_R2"]:
        members.append(_Member(r[key].name, r[key].finish(workdir)))
    # mtd_in_data: <top>/DATA/ as one public listing of a V4-0 zip shows (unverified; real-services.md)
    members.append(_Member(f"{t}/{'DATA/' if mtd_in_data else ''}{t}_MTD_ALL.xml", _maja_mtd(info, geo, n).encode()))
    members.append(_Member(f"{t}/{t}_QKL_ALL.jpg", _quicklook(workdir, qkl)))
    return members


def _maja_mtd(info, geo, n):
    t, epsg = info.title, geo[0]
    when = info.acquired.strftime("%Y-%m-%dT%H:%M:%S.") + f"{info.acquired.microsecond // 1000:03d}Z"
    platform = "SENTINEL2" + info.platform[-1]
    ident = t.rsplit("_V", 1)[0]
    imgs = lambda k: "".join(f'<IMAGE_FILE band_id="{b}">{t}_{k}_{b}.tif</IMAGE_FILE>' for b in BANDS + BANDS_20M)
    masks = "".join(
        f"<Mask><Mask_Properties><NATURE>{nat}</NATURE><FORMAT>image/tiff</FORMAT><ENCODING>byte</ENCODING>"
        f"</Mask_Properties><Mask_File_List><MASK_FILE group_id=\"R1\">MASKS/{t}_{m}_R1.tif</MASK_FILE>"
        + (f"<MASK_FILE group_id=\"R2\">MASKS/{t}_{m}_R2.tif</MASK_FILE>" if m == "SAT" else "")
        + "</Mask_File_List></Mask>"
        for m, nat in (("CLM", "Cloud"), ("MG2", "Geophysics"), ("EDG", "Edge"), ("SAT", "Saturation")))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Muscate_Metadata_Document>
  <Metadata_Identification>
    <METADATA_FORMAT metadata_profile="sentinel2" metadata_information="EXPERT" version="1.20">METADATA_MUSCATE</METADATA_FORMAT>
  </Metadata_Identification>
  <Dataset_Identification>
    <IDENTIFIER>{ident}</IDENTIFIER>
    <AUTHORITY>THEIA</AUTHORITY><PRODUCER>MUSCATE</PRODUCER><PROJECT>SENTINEL2</PROJECT>
    <GEOGRAPHICAL_ZONE type="Tile">T{info.tile}</GEOGRAPHICAL_ZONE>
  </Dataset_Identification>
  <Product_Characteristics>
    <PRODUCT_ID>{t}</PRODUCT_ID>
    <ACQUISITION_DATE>{when}</ACQUISITION_DATE>
    <PRODUCT_VERSION>{(info.version or '2-0').replace('-', '.')}</PRODUCT_VERSION>
    <PRODUCT_LEVEL>L2A</PRODUCT_LEVEL>
    <PLATFORM>{platform}</PLATFORM>
  </Product_Characteristics>
  <Product_Organisation><Muscate_Product>
    <Image_List>
      <Image><Image_Properties><NATURE>Surface_Reflectance</NATURE><FORMAT>image/tiff</FORMAT><ENCODING>int16</ENCODING><COMPRESSION>None</COMPRESSION></Image_Properties>
        <Image_File_List>{imgs('SRE')}</Image_File_List></Image>
      <Image><Image_Properties><NATURE>Flat_Reflectance</NATURE><FORMAT>image/tiff</FORMAT><ENCODING>int16</ENCODING><COMPRESSION>None</COMPRESSION></Image_Properties>
        <Image_File_List>{imgs('FRE')}</Image_File_List></Image>
    </Image_List>
    <Mask_List>{masks}</Mask_List>
    <QUICKLOOK>{t}_QKL_ALL.jpg</QUICKLOOK>
  </Muscate_Product></Product_Organisation>
  <Geoposition_Informations>
    <Coordinate_Reference_System><GEO_TABLES version="1.0">EPSG</GEO_TABLES>
      <Horizontal_Coordinate_System><HORIZONTAL_CS_TYPE>PROJECTED</HORIZONTAL_CS_TYPE>
        <HORIZONTAL_CS_CODE>{epsg}</HORIZONTAL_CS_CODE></Horizontal_Coordinate_System>
    </Coordinate_Reference_System>
    <Geopositioning><Group_Geopositioning_List><Group_Geopositioning group_id="R1">
      <ULX>{geo[1]:.0f}</ULX><ULY>{geo[2]:.0f}</ULY><XDIM>10</XDIM><YDIM>-10</YDIM><NROWS>{n}</NROWS><NCOLS>{n}</NCOLS>
    </Group_Geopositioning></Group_Geopositioning_List></Geopositioning>
  </Geoposition_Informations>
  <Radiometric_Informations>
    <REFLECTANCE_QUANTIFICATION_VALUE>10000</REFLECTANCE_QUANTIFICATION_VALUE>
    <Special_Values_List>
      <SPECIAL_VALUE name="nodata">{MAJA_NODATA}</SPECIAL_VALUE>
      <SPECIAL_VALUE name="water_vapor_content_nodata">0</SPECIAL_VALUE>
      <SPECIAL_VALUE name="aerosol_optical_thickness_nodata">0</SPECIAL_VALUE>
    </Special_Values_List>
  </Radiometric_Informations>
</Muscate_Metadata_Document>
"""


_BAND_IDS = dict(B1=0, B2=1, B3=2, B4=3, B5=4, B6=5, B7=6, B8=7, B8A=8, B9=9, B10=10, B11=11, B12=12)


def _safe_names(info):
    """(safe dir, granule dir, file stem) as ESA names them."""
    t = info.title
    level = "L2A" if info.kind is ProductKind.SAFE_L2A else "L1C"
    stamp = info.acquired.strftime("%Y%m%dT%H%M%S")
    abs_orbit = 10000 + int(hashlib.sha256(t.encode()).hexdigest()[:4], 16) % 30000
    granule = f"{level}_T{info.tile}_A{abs_orbit:06d}_{stamp}"
    return f"{t}.SAFE", granule, f"T{info.tile}_{stamp}"


def _safe_members(info, scene, geo, workdir):
    l2a = info.kind is ProductKind.SAFE_L2A
    n = scene.n
    offset = 1000 if info.baseline_number >= 4.0 else 0     # DN = reflectance x 10000 - ADD_OFFSET
    safe, granule, stem = _safe_names(info)
    gdir = f"{safe}/GRANULE/{granule}"
    r, files = {}, {}
    for b in BANDS:
        band = "B0" + b[1:]
        if l2a:
            files[b] = f"{gdir}/IMG_DATA/R10m/{stem}_{band}_10m"
        else:
            files[b] = f"{gdir}/IMG_DATA/{stem}_{band}"
        r[b] = _Raster(workdir, files[b] + ".jp2", "JP2OpenJPEG", n, gdal.GDT_UInt16, geo, 10.0)
    for b in BANDS_20M:
        band = b if len(b) == 3 else "B0" + b[1:]
        files[b] = f"{gdir}/IMG_DATA/R20m/{stem}_{band}_20m" if l2a else f"{gdir}/IMG_DATA/{stem}_{band}"
        r[b] = _Raster(workdir, files[b] + ".jp2", "JP2OpenJPEG", n // 2, gdal.GDT_UInt16, geo, 20.0)
    if l2a:
        files["SCL"] = f"{gdir}/IMG_DATA/R20m/{stem}_SCL_20m"
        r["SCL"] = _Raster(workdir, files["SCL"] + ".jp2", "JP2OpenJPEG", n // 2, gdal.GDT_Byte, geo, 20.0)
    classi = (not l2a) and info.baseline_number >= 4.0
    if classi:
        r["CLASSI"] = _Raster(workdir, f"{gdir}/QI_DATA/MSK_CLASSI_B00.jp2", "JP2OpenJPEG", n // 6, gdal.GDT_Byte,
                              geo, 60.0, bands=3)

    def dn(tr, b):
        v = tr.refl[b]
        if not l2a:   # top of atmosphere: a little path radiance in the visible, a little absorption in the NIR
            visible = b in ("B2", "B3", "B4")
            v = np.where(tr.saturated | tr.zero, v, v * (0.85 if visible else 0.92) + (0.04 if visible else 0.0))
        d = np.clip(np.round(v * 10000) + offset, 1, 65534)
        d = np.where(tr.saturated & (b in ("B4", "B8")), 65535, d)
        return np.where(tr.nodata, 0, d).astype(np.uint16)

    def write(y0, tr):
        for b in BANDS:
            r[b].write(y0, dn(tr, b))
        for b in BANDS_20M:       # 20 m: the top-left 10 m pixel of each 2 x 2
            r[b].write(y0 // 2, dn(tr, b)[::2, ::2])
        if l2a:
            scl = np.full(tr.nodata.shape, SCL["NOT_VEGETATED"], np.uint8)
            scl[tr.vegetation] = SCL["VEGETATION"]
            scl[tr.water] = SCL["WATER"]
            scl[tr.snow] = SCL["SNOW"]
            scl[tr.shadow] = SCL["SHADOW"]
            scl[tr.cirrus] = SCL["CIRRUS"]
            scl[tr.cloud] = SCL["CLOUD_HIGH"]
            ring = tr.cirrus & (np.add.outer(np.arange(tr.nodata.shape[0]), np.arange(scene.n)) % 3 == 0)
            scl[ring] = SCL["CLOUD_MEDIUM"]
            scl[tr.saturated] = SCL["SATURATED"]
            scl[tr.nodata] = SCL["NO_DATA"]
            r["SCL"].write(y0 // 2, scl[::2, ::2])            # 20 m: the top-left 10 m pixel of each 2x2
        if classi:
            sub = (slice(None, None, 6), slice(None, None, 6))
            for i, m in enumerate((tr.cloud, tr.cirrus, tr.snow)):
                r["CLASSI"].write(y0 // 6, (m & ~tr.nodata)[sub].astype(np.uint8), band=i + 1)

    qkl = _render(scene, r, [write], max(1, -(-n // 256)))
    level = "L2A" if l2a else "L1C"
    members = [_Member(f"{safe}/", b""), _Member(f"{safe}/manifest.safe", _manifest(info).encode())]
    members.append(_Member(f"{safe}/MTD_MSI{level}.xml", _safe_mtd(info, files, granule).encode()))
    members.append(_Member(f"{gdir}/MTD_TL.xml", _safe_tl(info, geo, n, granule, classi).encode()))
    for key in list(r):
        members.append(_Member(r[key].name, r[key].finish(workdir, jp2=True)))
    members.append(_Member(f"{gdir}/QI_DATA/{stem}_PVI.jpg", _quicklook(workdir, qkl)))
    return members


def _manifest(info):
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xfdu:XFDU xmlns:xfdu="urn:ccsds:schema:xfdu:1" '
            f'version="esa/safe/sentinel/1.1">\n  <metadataSection><metadataObject ID="platform">'
            f'<metadataWrap><xmlData><familyName>SENTINEL</familyName><number>{info.platform[1:]}</number>'
            f'</xmlData></metadataWrap></metadataObject></metadataSection>\n</xfdu:XFDU>\n')


def _safe_mtd(info, files, granule):
    l2a = info.kind is ProductKind.SAFE_L2A
    level = "2A" if l2a else "1C"
    when = info.acquired.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    new = info.baseline_number >= 4.0
    images = "".join(f"<IMAGE_FILE>{files[k][len(info.title) + 6:]}</IMAGE_FILE>" for k in files)
    if l2a:
        quant = ("<QUANTIFICATION_VALUES_LIST><BOA_QUANTIFICATION_VALUE unit=\"none\">10000</BOA_QUANTIFICATION_VALUE>"
                 "<AOT_QUANTIFICATION_VALUE unit=\"none\">1000.0</AOT_QUANTIFICATION_VALUE>"
                 "<WVP_QUANTIFICATION_VALUE unit=\"cm\">1000.0</WVP_QUANTIFICATION_VALUE></QUANTIFICATION_VALUES_LIST>")
        offs = ("<BOA_ADD_OFFSET_VALUES_LIST>" + "".join(
            f'<BOA_ADD_OFFSET band_id="{i}">-1000</BOA_ADD_OFFSET>' for i in range(13))
            + "</BOA_ADD_OFFSET_VALUES_LIST>") if new else ""
        scl = "<Scene_Classification_List>" + "".join(
            f"<Scene_Classification_ID><SCENE_CLASSIFICATION_TEXT>SC_{k}</SCENE_CLASSIFICATION_TEXT>"
            f"<SCENE_CLASSIFICATION_INDEX>{v}</SCENE_CLASSIFICATION_INDEX></Scene_Classification_ID>"
            for k, v in SCL.items()) + "</Scene_Classification_List>"
    else:
        quant = '<QUANTIFICATION_VALUE unit="none">10000</QUANTIFICATION_VALUE>'
        offs = ("<Radiometric_Offset_List>" + "".join(
            f'<RADIO_ADD_OFFSET band_id="{i}">-1000</RADIO_ADD_OFFSET>' for i in range(13))
            + "</Radiometric_Offset_List>") if new else ""
        scl = ""
    ns = f"https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-{level}.xsd"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<n1:Level-{level}_User_Product xmlns:n1="{ns}">
<n1:General_Info>
<Product_Info>
<PRODUCT_START_TIME>{when}</PRODUCT_START_TIME>
<PRODUCT_STOP_TIME>{when}</PRODUCT_STOP_TIME>
<PRODUCT_URI>{info.title}.SAFE</PRODUCT_URI>
<PROCESSING_LEVEL>Level-{level}</PROCESSING_LEVEL>
<PRODUCT_TYPE>S2MSI{level}</PRODUCT_TYPE>
<PROCESSING_BASELINE>{info.baseline}</PROCESSING_BASELINE>
<GENERATION_TIME>{when}</GENERATION_TIME>
<Datatake datatakeIdentifier="G{info.platform}_{info.acquired.strftime('%Y%m%dT%H%M%S')}_000000_N{info.baseline}">
<SPACECRAFT_NAME>Sentinel-{info.platform[1:]}</SPACECRAFT_NAME>
<DATATAKE_TYPE>INS-NOBS</DATATAKE_TYPE>
<DATATAKE_SENSING_START>{when}</DATATAKE_SENSING_START>
<SENSING_ORBIT_NUMBER>{info.relative_orbit}</SENSING_ORBIT_NUMBER>
<SENSING_ORBIT_DIRECTION>DESCENDING</SENSING_ORBIT_DIRECTION>
</Datatake>
<Query_Options completeSingleTile="true"><PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT></Query_Options>
<Product_Organisation><Granule_List>
<Granule datastripIdentifier="DS_{granule}" granuleIdentifier="{granule}" imageFormat="JPEG2000">
{images}
</Granule>
</Granule_List></Product_Organisation>
</Product_Info>
<Product_Image_Characteristics>
<Special_Values><SPECIAL_VALUE_TEXT>NODATA</SPECIAL_VALUE_TEXT><SPECIAL_VALUE_INDEX>0</SPECIAL_VALUE_INDEX></Special_Values>
<Special_Values><SPECIAL_VALUE_TEXT>SATURATED</SPECIAL_VALUE_TEXT><SPECIAL_VALUE_INDEX>65535</SPECIAL_VALUE_INDEX></Special_Values>
{quant}
{offs}
{scl}
</Product_Image_Characteristics>
</n1:General_Info>
</n1:Level-{level}_User_Product>
"""


def _safe_tl(info, geo, n, granule, classi):
    level = "2A" if info.kind is ProductKind.SAFE_L2A else "1C"
    epsg, ulx, uly = geo
    zone = epsg % 100
    hemi = "N" if epsg < 32700 else "S"
    sizes = "".join(f'<Size resolution="{r}"><NROWS>{n * 10 // r}</NROWS><NCOLS>{n * 10 // r}</NCOLS></Size>'
                    for r in (10, 20, 60))
    pos = "".join(f'<Geoposition resolution="{r}"><ULX>{ulx:.0f}</ULX><ULY>{uly:.0f}</ULY><XDIM>{r}</XDIM>'
                  f'<YDIM>-{r}</YDIM></Geoposition>' for r in (10, 20, 60))
    qi = (f'<Pixel_Level_QI geometry="FULL_RESOLUTION"><MASK_FILENAME type="MSK_CLASSI">'
          f'GRANULE/{granule}/QI_DATA/MSK_CLASSI_B00.jp2</MASK_FILENAME></Pixel_Level_QI>') if classi else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<n1:Level-{level}_Tile_ID xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-{level}_Tile_Metadata.xsd">
<n1:General_Info>
<TILE_ID>{granule}</TILE_ID>
<SENSING_TIME>{info.acquired.strftime('%Y-%m-%dT%H:%M:%S.000Z')}</SENSING_TIME>
</n1:General_Info>
<n1:Geometric_Info>
<Tile_Geocoding metadataLevel="Brief">
<HORIZONTAL_CS_NAME>WGS84 / UTM zone {zone}{hemi}</HORIZONTAL_CS_NAME>
<HORIZONTAL_CS_CODE>EPSG:{epsg}</HORIZONTAL_CS_CODE>
{sizes}
{pos}
</Tile_Geocoding>
</n1:Geometric_Info>
<n1:Quality_Indicators_Info metadataLevel="Brief">{qi}</n1:Quality_Indicators_Info>
</n1:Level-{level}_Tile_ID>
"""


S1_SMALL = (160, 100)      # samples x lines of a small S1 measurement (real IW GRDH: about 25 000 x 16 700)
S1_FULL = (2560, 1600)     # full_size: bigger rasters, the archive then padded to about 1 GB (see build_archive)
S1_FULL_BYTES = 1_000_000_000
S1_NS = ('xmlns:xfdu="urn:ccsds:schema:xfdu:1" xmlns:safe="http://www.esa.int/safe/sentinel-1.0" '
         'xmlns:s1="http://www.esa.int/safe/sentinel-1.0/sentinel-1" '
         'xmlns:s1sar="http://www.esa.int/safe/sentinel-1.0/sentinel-1/sar" '
         'xmlns:s1sarl1="http://www.esa.int/safe/sentinel-1.0/sentinel-1/sar/level-1" '
         'xmlns:gml="http://www.opengis.net/gml"')


def s1_default_footprint():
    """A descending slice over Toulouse, for archives built without a catalogue footprint."""
    return [[2.9, 44.4], [-0.2, 44.0], [0.2, 42.5], [3.2, 42.9], [2.9, 44.4]]


def _s1_names(info):
    """Member stems as ESA writes them: s1a-iw-grd-vv-<start>-<stop>-<orbit>-<datatake>-001."""
    parts = info.title.split("_")     # S1A IW GRDH 1SDV start stop orbit datatake uid
    start, stop, orbit, datatake = parts[4].lower(), parts[5].lower(), parts[6], parts[7].lower()
    # 1SDV = level 1, class S(tandard), D(ual) polarisation, V(V) first
    pols = {"SV": ("vv",), "DV": ("vv", "vh"), "SH": ("hh",), "DH": ("hh", "hv")}.get(parts[3][2:], ("vv",))
    return [(pol, f"{info.platform.lower()}-iw-grd-{pol}-{start}-{stop}-{orbit}-{datatake}-{i:03d}")
            for i, pol in enumerate(pols, 1)]


def _s1_gcps(footprint, cols, rows, step=4):
    """A step x step grid of (pixel, line, lon, lat) spanning the footprint's first four corners, taken as
    (first line, first pixel), (first line, last pixel), (last line, last pixel), (last line, first pixel):
    the order catalogue.s1_footprint writes them in."""
    ring = [tuple(p) for p in footprint[:4]]
    a, b, c, d = ring
    out = []
    for j in range(step):
        v = j / (step - 1)
        for i in range(step):
            u = i / (step - 1)
            lon = (1 - v) * ((1 - u) * a[0] + u * b[0]) + v * ((1 - u) * d[0] + u * c[0])
            lat = (1 - v) * ((1 - u) * a[1] + u * b[1]) + v * ((1 - u) * d[1] + u * c[1])
            out.append((u * (cols - 1), v * (rows - 1), lon, lat))
    return out


def _s1_members(info, scene, workdir, footprint, full_size):
    t = info.title
    safe = f"{t}.SAFE"
    cols, rows = S1_FULL if full_size else S1_SMALL
    footprint = footprint or s1_default_footprint()
    gcps = _s1_gcps(footprint, cols, rows)
    stop = dt.datetime.strptime(t.split("_")[5], "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)
    names = _s1_names(info)
    members = [_Member(f"{safe}/", b"")]
    rng = np.random.default_rng(scene.s)
    x = np.linspace(0.0, 1.0, cols, dtype=np.float32)[None, :]
    y = np.linspace(0.0, 1.0, rows, dtype=np.float32)[:, None]
    land = 1.0 + 0.6 * np.sin(9 * x + 3 * y) * np.cos(7 * y)              # fields, a little texture
    for k, (pol, stem) in enumerate(names):
        gain = 220.0 if k == 0 else 90.0                                       # co-pol brighter than cross-pol
        dn = np.clip(rng.gamma(4.0, 0.25, size=(rows, cols)) * land * gain, 1, 65535).astype(np.uint16)
        ds = gdal.GetDriverByName("GTiff").Create(f"/vsimem/s1_{id(members)}_{stem}.tiff", cols, rows, 1,
                                                  gdal.GDT_UInt16, ["TILED=NO"])
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4326)
        ds.SetGCPs([gdal.GCP(lon, lat, 0.0, px, ln) for px, ln, lon, lat in gcps], srs.ExportToWkt())
        ds.GetRasterBand(1).WriteArray(dn)
        ds.SetMetadataItem("TIFFTAG_IMAGEDESCRIPTION", f"Sentinel-1{info.platform[-1]} IW GRD HR L1")
        ds.SetMetadataItem("TIFFTAG_SOFTWARE", "Sentinel-1 IPF 003.61")
        ds.FlushCache()
        path = ds.GetDescription()
        ds = None
        members.append(_Member(f"{safe}/annotation/{stem}.xml",
                               _s1_annotation(info, pol, k + 1, stop, cols, rows, gcps).encode()))
        members.append(_Member(f"{safe}/annotation/calibration/calibration-{stem}.xml",
                               _s1_calibration(info, pol, k + 1, stop, cols, rows).encode()))
        members.append(_Member(f"{safe}/measurement/{stem}.tiff", path))
    manifest = _s1_manifest(info, stop, names, footprint)
    return [members[0], _Member(f"{safe}/manifest.safe", manifest.encode())] + members[1:]


def _s1_iso(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S.000000")


def _s1_header(info, pol, image, stop):
    parts = info.title.split("_")
    return (f"<adsHeader><missionId>{info.platform}</missionId><productType>GRD</productType>"
            f"<polarisation>{pol.upper()}</polarisation><mode>IW</mode><swath>IW</swath>"
            f"<startTime>{_s1_iso(info.acquired)}</startTime><stopTime>{_s1_iso(stop)}</stopTime>"
            f"<absoluteOrbitNumber>{int(parts[6])}</absoluteOrbitNumber>"
            f"<missionDataTakeId>{int(parts[7], 16)}</missionDataTakeId><imageNumber>{image:03d}</imageNumber>"
            f"</adsHeader>")


def _s1_annotation(info, pol, image, stop, cols, rows, gcps):
    span = stop - info.acquired
    points = "".join(
        f"<geolocationGridPoint><azimuthTime>{_s1_iso(info.acquired + span * (ln / max(rows - 1, 1)))}"
        f"</azimuthTime><slantRangeTime>{0.0053 + 0.0011 * px / max(cols - 1, 1):.9e}</slantRangeTime>"
        f"<line>{int(ln)}</line><pixel>{int(px)}</pixel><latitude>{lat:.9f}</latitude>"
        f"<longitude>{lon:.9f}</longitude><height>0.0</height>"
        f"<incidenceAngle>{30.8 + 15.2 * px / max(cols - 1, 1):.6f}</incidenceAngle>"
        f"<elevationAngle>{27.5 + 12.9 * px / max(cols - 1, 1):.6f}</elevationAngle></geolocationGridPoint>"
        for px, ln, lon, lat in gcps)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<product>{_s1_header(info, pol, image, stop)}'
            f"<imageAnnotation><imageInformation><productFirstLineUtcTime>{_s1_iso(info.acquired)}"
            f"</productFirstLineUtcTime><productLastLineUtcTime>{_s1_iso(stop)}</productLastLineUtcTime>"
            f"<rangePixelSpacing>1.000000e+01</rangePixelSpacing><azimuthPixelSpacing>1.000000e+01"
            f"</azimuthPixelSpacing><numberOfSamples>{cols}</numberOfSamples><numberOfLines>{rows}"
            f"</numberOfLines><outputPixels>16 bit Unsigned Integer</outputPixels></imageInformation>"
            f"<processingInformation><ellipsoidName>WGS84</ellipsoidName>"
            f"<ellipsoidSemiMajorAxis>6.378137e+06</ellipsoidSemiMajorAxis>"
            f"<ellipsoidSemiMinorAxis>6.356752314245179e+06</ellipsoidSemiMinorAxis></processingInformation>"
            f"</imageAnnotation><geolocationGrid><geolocationGridPointList count=\"{len(gcps)}\">{points}"
            f"</geolocationGridPointList></geolocationGrid></product>\n")


def _s1_calibration(info, pol, image, stop, cols, rows):
    pixels = " ".join(str(p) for p in range(0, cols, max(1, cols // 4)))
    n = len(pixels.split())

    def vector(line, when):
        sig = " ".join(f"{v:.6e}" for v in np.linspace(560.0, 420.0, n))
        return (f"<calibrationVector><azimuthTime>{_s1_iso(when)}</azimuthTime><line>{line}</line>"
                f"<pixel count=\"{n}\">{pixels}</pixel><sigmaNought count=\"{n}\">{sig}</sigmaNought>"
                f"<betaNought count=\"{n}\">{' '.join(['4.740000e+02'] * n)}</betaNought>"
                f"<gamma count=\"{n}\">{sig}</gamma><dn count=\"{n}\">{' '.join(['4.740000e+02'] * n)}</dn>"
                f"</calibrationVector>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<calibration>{_s1_header(info, pol, image, stop)}'
            f"<calibrationInformation><absoluteCalibrationConstant>1.000000e+00</absoluteCalibrationConstant>"
            f"</calibrationInformation><calibrationVectorList count=\"2\">{vector(0, info.acquired)}"
            f"{vector(rows - 1, stop)}</calibrationVectorList></calibration>\n")


def _s1_manifest(info, stop, names, footprint):
    """manifest.safe with what GDAL's SAFE driver follows: the Measurement Data Units, their annotation and
    calibration data objects, platform, acquisition period, orbit reference and frame footprint."""
    parts = info.title.split("_")
    orbit = int(parts[6])
    platform = info.platform
    rel = ((orbit - {"S1A": 73, "S1B": 27}.get(platform, 174)) % 175) + 1
    nssdc = {"S1A": "2014-016A", "S1B": "2016-025A", "S1C": "2024-235A"}.get(platform, "")
    pols = "".join(f"<s1sarl1:transmitterReceiverPolarisation>{p.upper()}</s1sarl1:transmitterReceiverPolarisation>"
                   for p, _ in names)
    units, objects, meta = [], [], []
    for pol, stem in names:
        key = stem.replace("-", "")
        units.append(f'<xfdu:contentUnit unitType="Measurement Data Unit" repID="s1Level1MeasurementSchema" '
                     f'dmdID="product{key} calibration{key}"><dataObjectPointer dataObjectID="{key}"/>'
                     f"</xfdu:contentUnit>")
        for prefix, rep_id, href in (("product", "s1Level1ProductSchema", f"./annotation/{stem}.xml"),
                                     ("calibration", "s1Level1CalibrationSchema",
                                      f"./annotation/calibration/calibration-{stem}.xml"),
                                     ("", "s1Level1MeasurementSchema", f"./measurement/{stem}.tiff")):
            objects.append(f'<dataObject ID="{prefix}{key}" repID="{rep_id}"><byteStream mimeType="'
                           f'{"application/octet-stream" if not prefix else "text/xml"}">'
                           f'<fileLocation locatorType="URL" href="{href}"/></byteStream></dataObject>')
            if prefix:
                meta.append(f'<metadataObject ID="{prefix}{key}" classification="DESCRIPTION" category="DMD">'
                            f'<dataObjectPointer dataObjectID="{prefix}{key}"/></metadataObject>')
    ring = footprint[:4]
    coords = " ".join(f"{lat:.6f},{lon:.6f}" for lon, lat in ring)
    lon = sum(p[0] for p in ring) / len(ring)
    local_hours = (info.acquired.hour + info.acquired.minute / 60 + lon / 15.0) % 24
    pass_ = "DESCENDING" if local_hours < 12 else "ASCENDING"     # dawn descending, dusk ascending
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<xfdu:XFDU {S1_NS} '
            f'version="esa/safe/sentinel-1.0/sentinel-1/sar/level-1/grd/standard/iwdp">\n'
            f'<informationPackageMap><xfdu:contentUnit unitType="SAFE Archive Information Package" '
            f'textInfo="Sentinel-1 IW Level-1 GRD Product" dmdID="acquisitionPeriod platform '
            f'generalProductInformation measurementOrbitReference measurementFrameSet" pdiID="processing">'
            f'{"".join(units)}</xfdu:contentUnit></informationPackageMap>\n<metadataSection>'
            f'<metadataObject ID="processing" classification="PROVENANCE" category="PDI"><metadataWrap '
            f'mimeType="text/xml" vocabularyName="SAFE" textInfo="Processing"><xmlData><safe:processing '
            f'name="GRD Post Processing" start="{_s1_iso(stop)}" stop="{_s1_iso(stop)}"><safe:facility '
            f'country="France" name="Sentinel Mirror simulator" organisation="test" site="127.0.0.1"/>'
            f"</safe:processing></xmlData></metadataWrap></metadataObject>"
            f'<metadataObject ID="platform" classification="DESCRIPTION" category="DMD"><metadataWrap '
            f'mimeType="text/xml" vocabularyName="SAFE" textInfo="Platform Description"><xmlData>'
            f"<safe:platform><safe:nssdcIdentifier>{nssdc}"
            f"</safe:nssdcIdentifier><safe:familyName>SENTINEL-1</safe:familyName><safe:number>{platform[-1]}"
            f"</safe:number><safe:instrument><safe:familyName abbreviation=\"SAR\">Synthetic Aperture Radar"
            f"</safe:familyName><safe:extension><s1sarl1:instrumentMode><s1sarl1:mode>IW</s1sarl1:mode>"
            f"<s1sarl1:swath>IW1</s1sarl1:swath><s1sarl1:swath>IW2</s1sarl1:swath><s1sarl1:swath>IW3"
            f"</s1sarl1:swath></s1sarl1:instrumentMode></safe:extension></safe:instrument></safe:platform>"
            f"</xmlData></metadataWrap></metadataObject>"
            f'<metadataObject ID="generalProductInformation" classification="DESCRIPTION" category="DMD">'
            f'<metadataWrap mimeType="text/xml" vocabularyName="SAFE" textInfo="General Product Information">'
            f"<xmlData><s1sarl1:standAloneProductInformation><s1sarl1:productClass>S</s1sarl1:productClass>"
            f"<s1sarl1:productClassDescription>SAR Standard L1 Product</s1sarl1:productClassDescription>"
            f"<s1sarl1:productTimelinessCategory>Fast-24h</s1sarl1:productTimelinessCategory>"
            f"<s1sarl1:productConsolidation>SLICE</s1sarl1:productConsolidation>"
            f"{pols}"
            f"</s1sarl1:standAloneProductInformation></xmlData></metadataWrap></metadataObject>"
            f'<metadataObject ID="acquisitionPeriod" classification="DESCRIPTION" category="DMD"><metadataWrap '
            f'mimeType="text/xml" vocabularyName="SAFE" textInfo="Acquisition Period"><xmlData>'
            f"<safe:acquisitionPeriod><safe:startTime>{_s1_iso(info.acquired)}</safe:startTime>"
            f"<safe:stopTime>{_s1_iso(stop)}</safe:stopTime></safe:acquisitionPeriod></xmlData></metadataWrap>"
            f"</metadataObject>"
            f'<metadataObject ID="measurementOrbitReference" classification="DESCRIPTION" category="DMD">'
            f'<metadataWrap mimeType="text/xml" vocabularyName="SAFE" textInfo="Orbit Reference"><xmlData>'
            f'<safe:orbitReference><safe:orbitNumber type="start">{orbit}</safe:orbitNumber>'
            f'<safe:orbitNumber type="stop">{orbit}</safe:orbitNumber>'
            f'<safe:relativeOrbitNumber type="start">{rel}</safe:relativeOrbitNumber>'
            f'<safe:relativeOrbitNumber type="stop">{rel}</safe:relativeOrbitNumber>'
            f"<safe:extension><s1:orbitProperties><s1:pass>{pass_}</s1:pass></s1:orbitProperties>"
            f"</safe:extension></safe:orbitReference></xmlData></metadataWrap></metadataObject>"
            f'<metadataObject ID="measurementFrameSet" classification="DESCRIPTION" category="DMD">'
            f'<metadataWrap mimeType="text/xml" vocabularyName="SAFE" textInfo="Frame Set"><xmlData>'
            f"<safe:frameSet><safe:frame><safe:footPrint srsName=\"http://www.opengis.net/gml/srs/epsg.xml#4326\">"
            f"<gml:coordinates>{coords}</gml:coordinates></safe:footPrint></safe:frame></safe:frameSet>"
            f"</xmlData></metadataWrap></metadataObject>{''.join(meta)}</metadataSection>\n"
            f"<dataObjectSection>{''.join(objects)}</dataObjectSection>\n</xfdu:XFDU>\n")


# ---------------------------------------------------------------- zip assembly

def _zinfo(name, compress, level):
    zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    zi.create_system = 3
    zi.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o100644 << 16
    zi.compress_type = zipfile.ZIP_DEFLATED if compress and not name.endswith("/") else zipfile.ZIP_STORED
    zi._compresslevel = level
    return zi


def _add(zf, m, level):
    zi = _zinfo(m.name, m.compress, level)
    src = m.source
    if isinstance(src, (bytes, bytearray)):
        zf.writestr(zi, src)
    elif src.startswith("/vsimem/"):
        zf.writestr(zi, _vsimem_bytes(src))
    else:
        zi.file_size = os.path.getsize(src)
        with open(src, "rb") as f, zf.open(zi, "w") as out:
            shutil.copyfileobj(f, out, 1 << 20)


def _central_size(zi):
    """Bytes the central directory gives this entry (CPython zipfile's rules, zip64 extras included)."""
    q = (2 if zi.file_size > zipfile.ZIP64_LIMIT or zi.compress_size > zipfile.ZIP64_LIMIT else 0)
    q += 1 if zi.header_offset > zipfile.ZIP64_LIMIT else 0
    return 46 + len(zi.filename.encode()) + len(zi.extra) + len(zi.comment) + (4 + 8 * q if q else 0)


def _padding_size(zf, name, pad_to):
    """Size of the STORED padding member that makes the finished zip exactly pad_to bytes long."""
    pos0 = zf.fp.tell()
    cd0 = sum(_central_size(zi) for zi in zf.filelist)
    count = len(zf.filelist) + 1
    nl = len(name.encode())
    lim = zipfile.ZIP64_LIMIT

    def total(k):
        local = 30 + nl + (20 if k * 1.05 > lim else 0)
        q = (2 if k > lim else 0) + (1 if pos0 > lim else 0)
        cd = cd0 + 46 + nl + (4 + 8 * q if q else 0)
        cd_off = pos0 + local + k
        z64 = 76 if (count > zipfile.ZIP_FILECOUNT_LIMIT or cd_off > lim or cd > lim) else 0
        return cd_off + cd + z64 + 22

    if total(0) > pad_to:
        raise ValueError(f"pad_to={pad_to} is smaller than the archive itself ({total(0)} bytes with an empty pad).")
    k = pad_to - total(0)
    for _ in range(6):
        diff = pad_to - total(k)
        if diff == 0:
            return k
        k = max(0, k + diff)
    raise ValueError(f"Cannot pad the archive to exactly {pad_to} bytes (a zip64 boundary): pick a size a few "
                     f"hundred bytes away.")


def _write_padding(zf, name, size, seed):
    zi = _zinfo(name, False, None)
    zi.file_size = size
    rng = np.random.default_rng(seed)
    with zf.open(zi, "w") as out:
        left = size
        while left:
            chunk = min(left, 4 << 20)
            out.write(rng.bytes(chunk))
            left -= chunk


def build_archive(kind: ProductKind, title: str, dest_path: str, *, full_size=False, seed=0,
                  pad_to: Optional[int] = None, size: Optional[int] = None, footprint=None, mtd_in_data=False,
                  saturated_20m=False) -> None:
    """Write a synthetic product zip for `title` to dest_path (atomically: temp name, then rename).

    size (px at 10 m) overrides the default small size (120) or full_size (10980); SAFE sizes must be
    multiples of 6 so the 20 m and 60 m grids nest. pad_to makes the zip exactly that many bytes with a
    STORED member of deterministic pseudo-random bytes, written in chunks (pipeline benchmarks).
    Sentinel-1: footprint (lon/lat ring, the catalogue's) georeferences the measurements (GCPs); full_size
    makes bigger measurements and pads the zip to about 1 GB (seeded), like a real IW GRDH, unless pad_to says.
    saturated_20m (MAJA only): also saturate a few 20 m pixels in some 20 m bands only (SAT20_RESIDUES: value
    16000 in the bands the archive holds, the band's bit in SAT_R2); off, SAT_R2 is all zeros.
    """
    info = parse_title(title)
    if info.kind is not kind:
        raise ValueError(f"Title {title!r} names a {info.kind.value} product, not {kind.value}.")
    n = size or (FULL_SIZE if full_size and kind is not ProductKind.S1 else SMALL_SIZE)
    if kind in (ProductKind.SAFE_L1C, ProductKind.SAFE_L2A) and n % 6:
        raise ValueError(f"SAFE products need a size that is a multiple of 6 pixels (got {n}).")
    if saturated_20m and kind is not ProductKind.MAJA_L2A:
        raise ValueError("saturated_20m is for MAJA L2A archives (their SAT_R2 mask) only.")
    scene = Scene(n, info.title, seed, saturated_20m)
    big = n * n > 2048 * 2048
    level = 1 if big else 6
    workdir = tempfile.mkdtemp(prefix=".archive-", dir=os.path.dirname(os.path.abspath(dest_path))) if big else None
    part = dest_path + ".part"
    try:
        if kind is ProductKind.MAJA_L2A:
            members = _maja_members(info, scene, tile_geocoding(info.tile), workdir, mtd_in_data)
            top = f"{info.title}/"
        elif kind is ProductKind.S1:
            members = _s1_members(info, scene, workdir, footprint, full_size)
            top = f"{info.title}.SAFE/"
            if full_size and pad_to is None:
                pad_to = S1_FULL_BYTES + (scene.s % 200_000_000) - 100_000_000   # 0.9 to 1.1 GB
        else:
            members = _safe_members(info, scene, tile_geocoding(info.tile), workdir)
            top = f"{info.title}.SAFE/"
        with zipfile.ZipFile(part, "w", allowZip64=True) as zf:
            for m in members:
                _add(zf, m, level)
            if pad_to is not None:
                name = top + "AUX_DATA/padding.bin"
                _write_padding(zf, name, _padding_size(zf, name, pad_to), scene.s)
        if pad_to is not None and os.path.getsize(part) != pad_to:
            raise AssertionError(f"padding missed: {os.path.getsize(part)} != {pad_to}")
        os.replace(part, dest_path)
    finally:
        if os.path.exists(part):
            os.remove(part)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
