"""Independent expectations for the time-series tests: NDVI and masks of simulator-built MAJA products,
computed here from the raw members read with GDAL and the MAJA bit meanings written out here (not the
plugin's readers), in float64."""
import datetime as dt
import os
import re
import zipfile

import numpy as np
from osgeo import gdal, ogr, osr

from plugin.core.models import ProductKind
from tests.simulator import archives

gdal.UseExceptions()

CLM_ANY_CLOUD_OR_SHADOW = 0b11111110      # bits 1-7: clouds (1-4, 7) and cloud shadows (5, 6)
MG2_SHADOW = 0b1000
SAT_B4_B8 = 0b1100


def maja_title(day, tile="31TCJ", unit="A"):
    return f"SENTINEL2{unit}_{day:%Y%m%d}-105123-456_L2A_T{tile}_C_V3-1"


def build_series(folder, days, tile="31TCJ", geocoding=None, size=None, saturated_20m=False):
    """MAJA archives for `days` in folder; geocoding (epsg, ulx, uly) places the tile's grid (tests that need
    two abutting small tiles); saturated_20m: a few 20 m pixels saturated in some 20 m bands (SAT_R2).
    Returns the paths."""
    os.makedirs(folder, exist_ok=True)
    paths = []
    saved = archives.tile_geocoding
    if geocoding is not None:
        archives.tile_geocoding = lambda _tile: geocoding
    try:
        for day in days:
            title = maja_title(day, tile)
            path = os.path.join(folder, title + ".zip")
            if not os.path.exists(path):
                archives.build_archive(ProductKind.MAJA_L2A, title, path, size=size, saturated_20m=saturated_20m)
            paths.append(path)
    finally:
        archives.tile_geocoding = saved
    return paths


def _member(zip_path, suffix):
    names = [n for n in zipfile.ZipFile(zip_path).namelist() if n.endswith(suffix)]
    assert len(names) == 1, (suffix, names)
    return gdal.Open(f"/vsizip/{zip_path}/{names[0]}")


def raw(zip_path, suffix):
    return _member(zip_path, suffix).ReadAsArray()


def grid(zip_path):
    ds = _member(zip_path, "_FRE_B4.tif")
    return ds.GetGeoTransform(), ds.GetProjection()


def expected(zip_path, use_masks=True):
    """(ndvi float64 with NaN where not valid, masked bool) for the whole product grid."""
    b4 = raw(zip_path, "_FRE_B4.tif").astype(np.float64)
    b8 = raw(zip_path, "_FRE_B8.tif").astype(np.float64)
    nodata = (b4 == -10000) | (b8 == -10000) | (b4 + b8 == 0)
    masked = (((raw(zip_path, "_CLM_R1.tif") & CLM_ANY_CLOUD_OR_SHADOW) != 0)
              | ((raw(zip_path, "_MG2_R1.tif") & MG2_SHADOW) != 0)
              | (raw(zip_path, "_EDG_R1.tif") != 0)
              | ((raw(zip_path, "_SAT_R1.tif") & SAT_B4_B8) != 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        ndvi = (b8 - b4) / (b8 + b4)
    bad = nodata | (masked if use_masks else False)
    return np.where(bad, np.nan, ndvi), masked


# Independent formulas of two other indices: (first band, second band, SAT_R1 bits of their 10 m bands, SAT_R2
# bits of their 20 m bands). One bit per band in the band order of the resolution: R1 B2 B3 B4 B8, R2 B5 B6 B7 B8A
# B11 B12 (B8: bit 3; B3: bit 1; B11: bit 4).
ND_INDICES = {"NDMI": ("B8", "B11", 0b1000, 0b10000), "NDWI": ("B3", "B8", 0b1010, 0)}


def expected_index(zip_path, name):
    """(index float64 with NaN where not valid, masked bool) of a normalized difference of ND_INDICES: 20 m
    bands (B11) replicated 2 x 2 with np.repeat; the saturation bits are those of the index's own bands, SAT_R1
    for its 10 m bands, SAT_R2 (replicated 2 x 2) for its 20 m ones."""
    a_name, b_name, sat_bits, sat_r2_bits = ND_INDICES[name]

    def band(b):
        member = f"_FRE_{b}.tif"
        arr = raw(zip_path, member).astype(np.float64)
        if b in ("B5", "B8A", "B11", "B12"):
            arr = np.repeat(np.repeat(arr, 2, axis=0), 2, axis=1)
        return arr

    a, b = band(a_name), band(b_name)
    nodata = (a == -10000) | (b == -10000) | (a + b == 0)
    masked = (((raw(zip_path, "_CLM_R1.tif") & CLM_ANY_CLOUD_OR_SHADOW) != 0)
              | ((raw(zip_path, "_MG2_R1.tif") & MG2_SHADOW) != 0)
              | (raw(zip_path, "_EDG_R1.tif") != 0)
              | ((raw(zip_path, "_SAT_R1.tif") & sat_bits) != 0))
    if sat_r2_bits:
        masked |= np.repeat(np.repeat((raw(zip_path, "_SAT_R2.tif") & sat_r2_bits) != 0, 2, axis=0), 2, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (a - b) / (a + b)
    return np.where(nodata | masked, np.nan, np.clip(value, -1, 1)), masked


def date_of(zip_path):
    m = re.search(r"_(\d{8})-", os.path.basename(zip_path))
    return dt.datetime.strptime(m[1], "%Y%m%d").date()


def utm_to_wgs84(x, y, epsg):
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(epsg)
    dst.ImportFromEPSG(4326)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(src, dst).TransformPoint(x, y)[:2]


def rect_wgs84(x0, y0, x1, y1, epsg=32631):
    """A UTM rectangle as a densified WGS84 polygon (WKT): parcels come in any CRS."""
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)):
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    poly.Segmentize(20)
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromEPSG(epsg)
    dst.ImportFromEPSG(4326)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    poly.Transform(osr.CoordinateTransformation(src, dst))
    return poly.ExportToWkt()


def cells(gt, c0, r0, c1, r1):
    """A rectangle whose edges lie 3 m inside pixel edges: pixel-centre membership is unambiguous.
    Covers columns c0..c1-1 and rows r0..r1-1."""
    x0, y0 = gt[0] + c0 * 10 + 3, gt[3] - r0 * 10 - 3
    x1, y1 = gt[0] + c1 * 10 - 3, gt[3] - r1 * 10 + 3
    return x0, y1, x1, y0
