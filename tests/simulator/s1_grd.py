"""Sentinel-1 IW GRDH SAFE zips with a known flood: the test data of the flood map (plugin/core/s1).

What a real GRD holds and the flood map reads, with the real structure (checked against the real files in
tests/fixtures/s1/):
- measurement/<stem>.tiff per polarisation: UInt16 DN in radar geometry (lines = azimuth, pixels = ground
  range, looking right of the flight direction: not north-up), carrying a GCP grid (lon/lat, EPSG:4326);
  DN 0 on the swath border (no data), as ESA writes it.
- annotation/<stem>.xml (image size, pixel spacing, pass, the geolocation grid the GCPs come from),
  annotation/calibration/calibration-<stem>.xml (sparse sigmaNought/betaNought/gamma/dn LUTs on a line x pixel
  grid) and noise-<stem>.xml, in either layout: before IPF 2.9 `noiseVectorList/noiseLut`, after it
  `noiseRangeVectorList` + `noiseAzimuthVectorList` (one block per sub-swath).
- manifest.safe as in archives.py.

The ground truth lives in a local UTM frame around a centre: a meandering river (water on every date), its
floodplain (open water on a flooded date only: `flood_truth`), and three traps a flood map must not fall into,
each defeated by one mask: a lake that is wind-roughened (bright) before and calm after (defeated by a water
layer: `lake_ring_lonlat`), a steep hillside that darkens after (defeated by the slope mask: `write_dem`), and
scattered small dark patches (defeated by the minimum area). Backscatter is drawn per pixel as
sigma0 x Gamma(4.4) speckle, turned into DN with each product's own calibration and noise LUTs
(DN^2 = (sigma0 * A^2 + eta) * speckle), so a reader that skips calibration or noise removal gets it wrong.
"""
import datetime as dt
import math
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field

import numpy as np
from osgeo import gdal, ogr, osr

from plugin.core.product_names import parse_title

gdal.UseExceptions()

ENL = 4.4                    # equivalent number of looks of IW GRDH
SMALL = (1500, 1200)         # pixels x lines at 10 m: 15 km x 12 km
FULL = (25000, 16700)        # a real IW GRDH
BORDER = 12                  # DN 0 columns on each side (GRD border noise removal leaves zeros)
ROWS_PER_BLOCK = 256
# sigma0 in dB: (VV, VH)
LAND_DB = (-9.0, -16.0)
WATER_DB = (-21.0, -27.0)
ROUGH_DB = (-7.0, -14.5)     # the lake under wind, before the flood
HILL_DROP_DB = 7.0           # the hillside after (wet snow): a darkening that is no flood


@dataclass(frozen=True)
class Acquisition:
    """One GRD slice: where its radar geometry lies on the ground and how it is calibrated."""
    title: str
    flooded: bool
    cols: int = SMALL[0]
    rows: int = SMALL[1]
    shift_m: tuple = (0.0, 0.0)          # offset of the image centre from the scene centre (E, N)
    calibration_gain: float = 1.0        # scales the sigmaNought LUT (products of another IPF differ)
    noise_layout: str = "azimuth"        # "azimuth" (IPF >= 2.9) | "legacy" (noiseVectorList)
    ascending: bool = False
    spacing: float = 10.0
    lut_line_step: int = 0               # calibration vectors every N lines (0: about 25 per image)
    lut_pixel_step: int = 40

    @property
    def heading(self):
        """Platform heading in degrees from north: ~193 descending, ~347 ascending (near-polar orbit)."""
        return 347.0 if self.ascending else 193.0


@dataclass(frozen=True)
class Scene:
    """The ground: a centre (lon, lat), its UTM zone, and the features in metres around it."""
    lon: float = 2.8
    lat: float = 48.85
    scale: float = 1.0                   # 1: the 12 km x 9 km small scene

    @property
    def epsg(self):
        zone = int((self.lon + 180) // 6) + 1
        return (32600 if self.lat >= 0 else 32700) + zone

    def transformers(self):
        utm = osr.SpatialReference()
        utm.ImportFromEPSG(self.epsg)
        ll = osr.SpatialReference()
        ll.ImportFromEPSG(4326)
        ll.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        return osr.CoordinateTransformation(ll, utm), osr.CoordinateTransformation(utm, ll)

    @property
    def centre_utm(self):
        to_utm, _ = self.transformers()
        x, y, _ = to_utm.TransformPoint(self.lon, self.lat)
        return x, y

    # --- features, x/y in metres from the centre (east, north) -------------------------------------
    def river_offset(self, x):
        s = self.scale
        return 600.0 * s * np.sin(2 * np.pi * x / (6000.0 * s)) + 0.05 * x

    def river(self, x, y):
        return np.abs(y - self.river_offset(x)) < 100.0 * self.scale

    def flood(self, x, y):
        """Open water on a flooded date, river excluded: the floodplain between x = -4.5 and +3.5 km."""
        s = self.scale
        u = np.clip((x + 500.0 * s) / (4000.0 * s), -1.0, 1.0)
        width = 100.0 * s + 1100.0 * s * np.cos(u * np.pi / 2) ** 0.5
        return (np.abs(y - self.river_offset(x)) < width) & ~self.river(x, y)

    def lake(self, x, y):
        return (x + 3300.0 * self.scale) ** 2 + (y - 2900.0 * self.scale) ** 2 < (1000.0 * self.scale) ** 2

    def hill(self, x, y):
        """The steep hillside (slope ~ 20 degrees) east of the floodplain."""
        s = self.scale
        return (np.abs(x - 4300.0 * s) < 900.0 * s) & (np.abs(y + 2800.0 * s) < 1000.0 * s)

    def spots(self, x, y):
        """Small dark patches (80 m squares on a 400 m lattice) south-west of the river: ploughed wet fields."""
        s = self.scale
        inside = (x < -800.0 * s) & (y < -2000.0 * s) & (y > -4100.0 * s) & (x > -5000.0 * s)
        return inside & (np.mod(x, 400.0) < 80.0) & (np.mod(y, 400.0) < 80.0)

    def elevation(self, x, y):
        """Metres: a flat floodplain at 50 m, the hill rising 700 m over 1.8 km (about 21 degrees)."""
        s = self.scale
        ramp = np.clip((x - 3400.0 * s) / (1800.0 * s), 0.0, 1.0)
        across = np.clip(1.0 - np.maximum(np.abs(y + 2800.0 * s) - 1000.0 * s, 0) / (300.0 * s), 0.0, 1.0)
        return 50.0 + 700.0 * ramp * across

    def sigma0_db(self, x, y, pol, flooded):
        """Backscatter (dB) of the scene: pol 0 = VV, 1 = VH."""
        texture = 1.5 * np.sin(x / 310.0) * np.cos(y / 270.0) + 0.8 * np.sin((x + y) / 130.0)
        db = LAND_DB[pol] + texture
        if flooded:
            db = np.where(self.hill(x, y), db - HILL_DROP_DB, db)
            water = self.river(x, y) | self.flood(x, y) | self.lake(x, y) | self.spots(x, y)
        else:
            db = np.where(self.lake(x, y), ROUGH_DB[pol] + 0.3 * texture, db)
            water = self.river(x, y)
        return np.where(water, WATER_DB[pol] + 0.5 * texture, db).astype(np.float32)


# ------------------------------------------------------------------------- geometry

def ground(scene, acq, px, ln):
    """Metres (east, north) from the scene centre of GDAL image coordinates (px, ln): ground range grows to the
    right of the flight direction, with a slight non-linearity so no affine transform fits the GCPs exactly."""
    h = math.radians(acq.heading)
    az = (math.sin(h), math.cos(h))
    rg = (math.sin(h + math.pi / 2), math.cos(h + math.pi / 2))
    u = (px - acq.cols / 2) * acq.spacing
    u = u + 2e-6 * u * u / acq.spacing                     # ~5 px of bow over a small image
    v = (ln - acq.rows / 2) * acq.spacing
    return (acq.shift_m[0] + u * rg[0] + v * az[0], acq.shift_m[1] + u * rg[1] + v * az[1])


def gcp_grid(scene, acq, n_pixels=21, n_lines=10):
    """(pixel, line, lon, lat) as the annotation's geolocation grid lists them: pixel/line are sample indices,
    the location is that of the sample's centre (GDAL coordinates index + 0.5)."""
    _, to_ll = scene.transformers()
    ex, ey = scene.centre_utm
    pixels = np.linspace(0, acq.cols - 1, n_pixels).round().astype(int)
    lines = np.linspace(0, acq.rows - 1, n_lines).round().astype(int)
    out = []
    for ln in lines:
        for px in pixels:
            x, y = ground(scene, acq, px + 0.5, ln + 0.5)
            lon, lat, _ = to_ll.TransformPoint(ex + float(x), ey + float(y))
            out.append((int(px), int(ln), lon, lat))
    return out


# ------------------------------------------------------------------------- LUTs

def sigma_lut(acq, px, ln):
    """The sigmaNought calibration LUT A(line, pixel), smooth: falls with range, drifts a little along track."""
    p = np.asarray(px, np.float64) / max(acq.cols - 1, 1)
    q = np.asarray(ln, np.float64) / max(acq.rows - 1, 1)
    return acq.calibration_gain * (560.0 - 140.0 * p + 25.0 * p * p + 6.0 * np.sin(3.0 * q + 2.0 * p))


def _subswath(acq, px):
    return np.minimum((np.asarray(px) * 3) // acq.cols, 2)


def noise_range(acq, px, ln):
    """Range noise LUT eta (DN^2 units): NESZ about -24 dB, rising toward each sub-swath's edges."""
    third = acq.cols / 3.0
    f = (np.asarray(px, np.float64) % third) / third - 0.5
    nesz_db = -24.5 + 10.0 * f * f + 0.3 * np.asarray(ln, np.float64) / max(acq.rows, 1)
    return 10 ** (nesz_db / 10.0) * sigma_lut(acq, px, ln) ** 2


def noise_azimuth(acq, px, ln):
    """Azimuth noise LUT (new layout only): ~1, a slow ripple along track, different per sub-swath."""
    if acq.noise_layout == "legacy":
        return np.ones(np.broadcast(np.asarray(px), np.asarray(ln)).shape)
    k = _subswath(acq, px)
    return 1.0 + 0.08 * np.sin(np.asarray(ln, np.float64) / 97.0 + k * 1.3)


def noise_lines(acq):
    """Range-noise vector lines: the legacy layout has them too (and the noise is linear between them)."""
    return _lut_lines(acq, step=max(acq.rows // 12, 1))


def _lut_lines(acq, step=None):
    step = step or acq.lut_line_step or max(acq.rows // 25, 1)
    lines = list(range(0, acq.rows, step))
    if lines[-1] != acq.rows - 1:
        lines.append(acq.rows - 1)
    return lines


def _lut_pixels(acq):
    pixels = list(range(0, acq.cols, acq.lut_pixel_step))
    if pixels[-1] != acq.cols - 1:
        pixels.append(acq.cols - 1)
    return pixels


# ------------------------------------------------------------------------- XML

def _iso(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _header(info, pol, image, stop, orbit, datatake):
    return (f"  <adsHeader>\n    <missionId>{info.platform}</missionId>\n    <productType>GRD</productType>\n"
            f"    <polarisation>{pol.upper()}</polarisation>\n    <mode>IW</mode>\n    <swath>IW</swath>\n"
            f"    <startTime>{_iso(info.acquired)}</startTime>\n    <stopTime>{_iso(stop)}</stopTime>\n"
            f"    <absoluteOrbitNumber>{orbit}</absoluteOrbitNumber>\n"
            f"    <missionDataTakeId>{datatake}</missionDataTakeId>\n    <imageNumber>{image:03d}</imageNumber>\n"
            f"  </adsHeader>\n")


def _times(info, stop, acq, line):
    return info.acquired + (stop - info.acquired) * (line / max(acq.rows - 1, 1))


def _floats(values):
    return " ".join(f"{v:.6e}" for v in values)


def calibration_xml(acq, info, pol, image, stop, orbit, datatake):
    pixels = _lut_pixels(acq)
    vectors = []
    for line in _lut_lines(acq):
        sig = sigma_lut(acq, np.array(pixels), line)
        beta = np.full(len(pixels), 237.0 * acq.calibration_gain)
        vectors.append(
            f"    <calibrationVector>\n      <azimuthTime>{_iso(_times(info, stop, acq, line))}</azimuthTime>\n"
            f"      <line>{line}</line>\n      <pixel count=\"{len(pixels)}\">{' '.join(map(str, pixels))}</pixel>\n"
            f"      <sigmaNought count=\"{len(pixels)}\">{_floats(sig)}</sigmaNought>\n"
            f"      <betaNought count=\"{len(pixels)}\">{_floats(beta)}</betaNought>\n"
            f"      <gamma count=\"{len(pixels)}\">{_floats(sig * 0.93)}</gamma>\n"
            f"      <dn count=\"{len(pixels)}\">{_floats(beta)}</dn>\n    </calibrationVector>\n")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<calibration>\n{_header(info, pol, image, stop, orbit, datatake)}'
            f"  <calibrationInformation>\n    <absoluteCalibrationConstant>1.000000e+00</absoluteCalibrationConstant>\n"
            f"  </calibrationInformation>\n  <calibrationVectorList count=\"{len(vectors)}\">\n{''.join(vectors)}"
            f"  </calibrationVectorList>\n</calibration>\n")


def noise_xml(acq, info, pol, image, stop, orbit, datatake):
    pixels = _lut_pixels(acq)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<noise>\n{_header(info, pol, image, stop, orbit, datatake)}'
    lines = noise_lines(acq)
    if acq.noise_layout == "legacy":
        vecs = "".join(
            f"    <noiseVector>\n      <azimuthTime>{_iso(_times(info, stop, acq, line))}</azimuthTime>\n"
            f"      <line>{line}</line>\n      <pixel count=\"{len(pixels)}\">{' '.join(map(str, pixels))}</pixel>\n"
            f"      <noiseLut count=\"{len(pixels)}\">{_floats(noise_range(acq, np.array(pixels), line))}"
            f"</noiseLut>\n    </noiseVector>\n" for line in lines)
        return head + f"  <noiseVectorList count=\"{len(lines)}\">\n{vecs}  </noiseVectorList>\n</noise>\n"
    rng = "".join(
        f"    <noiseRangeVector>\n      <azimuthTime>{_iso(_times(info, stop, acq, line))}</azimuthTime>\n"
        f"      <line>{line}</line>\n      <pixel count=\"{len(pixels)}\">{' '.join(map(str, pixels))}</pixel>\n"
        f"      <noiseRangeLut count=\"{len(pixels)}\">{_floats(noise_range(acq, np.array(pixels), line))}"
        f"</noiseRangeLut>\n    </noiseRangeVector>\n" for line in lines)
    az_lines = _lut_lines(acq, step=10)
    az = []
    for s in range(3):
        first, last = s * acq.cols // 3, (s + 1) * acq.cols // 3 - 1
        vals = noise_azimuth(acq, np.full(len(az_lines), first + 1), np.array(az_lines))
        az.append(f"    <noiseAzimuthVector>\n      <swath>IW{s + 1}</swath>\n"
                  f"      <firstAzimuthLine>0</firstAzimuthLine>\n      <firstRangeSample>{first}</firstRangeSample>\n"
                  f"      <lastAzimuthLine>{acq.rows - 1}</lastAzimuthLine>\n"
                  f"      <lastRangeSample>{last}</lastRangeSample>\n"
                  f"      <line count=\"{len(az_lines)}\">{' '.join(map(str, az_lines))}</line>\n"
                  f"      <noiseAzimuthLut count=\"{len(az_lines)}\">{_floats(vals)}</noiseAzimuthLut>\n"
                  f"    </noiseAzimuthVector>\n")
    return (head + f"  <noiseRangeVectorList count=\"{len(lines)}\">\n{rng}  </noiseRangeVectorList>\n"
            f"  <noiseAzimuthVectorList count=\"3\">\n{''.join(az)}  </noiseAzimuthVectorList>\n</noise>\n")


def annotation_xml(acq, info, pol, image, stop, orbit, datatake, gcps):
    points = "".join(
        f"      <geolocationGridPoint>\n        <azimuthTime>{_iso(_times(info, stop, acq, ln))}</azimuthTime>\n"
        f"        <slantRangeTime>{0.0053 + 0.0011 * px / max(acq.cols - 1, 1):.9e}</slantRangeTime>\n"
        f"        <line>{ln}</line>\n        <pixel>{px}</pixel>\n        <latitude>{lat:.9f}</latitude>\n"
        f"        <longitude>{lon:.9f}</longitude>\n        <height>5.0e+01</height>\n"
        f"        <incidenceAngle>{30.8 + 15.2 * px / max(acq.cols - 1, 1):.6f}</incidenceAngle>\n"
        f"        <elevationAngle>{27.5 + 12.9 * px / max(acq.cols - 1, 1):.6f}</elevationAngle>\n"
        f"      </geolocationGridPoint>\n" for px, ln, lon, lat in gcps)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<product>\n{_header(info, pol, image, stop, orbit, datatake)}'
            f"  <generalAnnotation>\n    <productInformation>\n"
            f"      <pass>{'Ascending' if acq.ascending else 'Descending'}</pass>\n"
            f"      <rangeSamplingRate>6.432000e+07</rangeSamplingRate>\n"
            f"      <radarFrequency>5.405000e+09</radarFrequency>\n    </productInformation>\n"
            f"  </generalAnnotation>\n  <imageAnnotation>\n    <imageInformation>\n"
            f"      <productFirstLineUtcTime>{_iso(info.acquired)}</productFirstLineUtcTime>\n"
            f"      <productLastLineUtcTime>{_iso(stop)}</productLastLineUtcTime>\n"
            f"      <rangePixelSpacing>{acq.spacing:.6e}</rangePixelSpacing>\n"
            f"      <azimuthPixelSpacing>{acq.spacing:.6e}</azimuthPixelSpacing>\n"
            f"      <numberOfSamples>{acq.cols}</numberOfSamples>\n      <numberOfLines>{acq.rows}</numberOfLines>\n"
            f"    </imageInformation>\n  </imageAnnotation>\n"
            f"  <geolocationGrid>\n    <geolocationGridPointList count=\"{len(gcps)}\">\n{points}"
            f"    </geolocationGridPointList>\n  </geolocationGrid>\n</product>\n")


# ------------------------------------------------------------------------- measurement

def _write_measurement(path, scene, acq, pol_index, gcps, seed):
    cols, rows = acq.cols, acq.rows
    ds = gdal.GetDriverByName("GTiff").Create(path, cols, rows, 1, gdal.GDT_UInt16, ["BIGTIFF=IF_SAFER"])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds.SetGCPs([gdal.GCP(lon, lat, 50.0, px, ln) for px, ln, lon, lat in gcps], srs.ExportToWkt())
    ds.SetMetadataItem("TIFFTAG_SOFTWARE", "Sentinel-1 IPF 003.40")
    band = ds.GetRasterBand(1)
    rng = np.random.default_rng([seed, pol_index])
    px = np.arange(cols, dtype=np.float64) + 0.5
    lut_pixels, eta_pixels = _lut_pixels(acq), _lut_pixels(acq)
    cal_lines, eta_lines = _lut_lines(acq), noise_lines(acq)
    cal_grid = sigma_lut(acq, np.array(lut_pixels)[None, :], np.array(cal_lines)[:, None])
    eta_grid = np.stack([noise_range(acq, np.array(eta_pixels), ln0) for ln0 in eta_lines])
    cal_cols = np.stack([np.interp(px - 0.5, lut_pixels, g) for g in cal_grid])       # (n_vectors, cols)
    eta_cols = np.stack([np.interp(px - 0.5, eta_pixels, g) for g in eta_grid])
    az_lines = _lut_lines(acq, step=10)
    k = _subswath(acq, px - 0.5)
    az_vals = [noise_azimuth(acq, np.full(len(az_lines), s * acq.cols // 3 + 1), np.array(az_lines))
               for s in range(3)]
    for y0 in range(0, rows, ROWS_PER_BLOCK):
        y1 = min(rows, y0 + ROWS_PER_BLOCK)
        ln = np.arange(y0, y1, dtype=np.float64)
        x, y = ground(scene, acq, px[None, :], ln[:, None] + 0.5)
        s0 = 10 ** (scene.sigma0_db(x, y, pol_index, acq.flooded) / 10.0)
        a = _lines_interp(cal_lines, cal_cols, ln)
        eta = _lines_interp(eta_lines, eta_cols, ln)
        if acq.noise_layout != "legacy":
            az = np.empty_like(eta)
            for s in range(3):
                az[:, k == s] = np.interp(ln, az_lines, az_vals[s])[:, None]
            eta *= az
        speckle = rng.gamma(ENL, 1.0 / ENL, size=s0.shape)
        dn = np.sqrt((s0 * a * a + eta) * speckle)
        dn = np.clip(np.rint(dn), 1, 65535).astype(np.uint16)
        dn[:, :BORDER] = 0
        dn[:, cols - BORDER:] = 0
        band.WriteArray(dn, 0, y0)
    ds = None


def _lines_interp(lines, per_vector, ln):
    """Linear interpolation along lines of per-vector rows (n_vectors, cols) at lines `ln`."""
    lines = np.asarray(lines, np.float64)
    i = np.clip(np.searchsorted(lines, ln, side="right") - 1, 0, len(lines) - 2)
    w = ((ln - lines[i]) / (lines[i + 1] - lines[i]))[:, None]
    return per_vector[i] * (1 - w) + per_vector[i + 1] * w


# ------------------------------------------------------------------------- the zip

def build_grd_zip(scene, acq, dest, *, seed=0, pols=("vv", "vh"), workdir=None):
    """Write the GRD SAFE zip of acquisition `acq` over `scene` to dest (atomically). Measurements are STORED
    (speckled radar DN do not compress; real products are about as big as their TIFFs), XML deflated."""
    from .archives import _s1_manifest
    info = parse_title(acq.title)
    parts = acq.title.split("_")
    orbit, datatake = int(parts[6]), int(parts[7], 16)
    stop = dt.datetime.strptime(parts[5], "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)
    gcps = gcp_grid(scene, acq)
    names = [(pol, f"{info.platform.lower()}-iw-grd-{pol}-{parts[4].lower()}-{parts[5].lower()}-{parts[6]}-"
                   f"{parts[7].lower()}-{i:03d}") for i, pol in enumerate(pols, 1)]
    corners = [gcps[0], gcps[20], gcps[-1], gcps[-21]]
    footprint = [[lon, lat] for _, _, lon, lat in corners] + [[corners[0][2], corners[0][3]]]
    safe = f"{acq.title}.SAFE"
    tmp = tempfile.mkdtemp(prefix=".grd-", dir=workdir or os.path.dirname(os.path.abspath(dest)))
    part = dest + ".part"
    try:
        with zipfile.ZipFile(part, "w", allowZip64=True) as zf:
            def text(name, body):
                zi = zipfile.ZipInfo(f"{safe}/{name}", (2020, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(zi, body.encode())
            text("manifest.safe", _s1_manifest(info, stop, names, footprint))
            for image, (pol, stem) in enumerate(names, 1):
                args = (acq, info, pol, image, stop, orbit, datatake)
                text(f"annotation/{stem}.xml", annotation_xml(*args, gcps))
                text(f"annotation/calibration/calibration-{stem}.xml", calibration_xml(*args))
                text(f"annotation/calibration/noise-{stem}.xml", noise_xml(*args))
                tif = os.path.join(tmp, f"{stem}.tiff")
                _write_measurement(tif, scene, acq, 0 if pol in ("vv", "hh") else 1, gcps,
                                   seed * 7919 + image + (1000 if acq.flooded else 0))
                zi = zipfile.ZipInfo(f"{safe}/measurement/{stem}.tiff", (2020, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_STORED
                zi.file_size = os.path.getsize(tif)
                with open(tif, "rb") as f, zf.open(zi, "w", force_zip64=True) as out:
                    shutil.copyfileobj(f, out, 1 << 22)
                os.remove(tif)
        os.replace(part, dest)
    finally:
        if os.path.exists(part):
            os.remove(part)
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


# ------------------------------------------------------------------------- the flood scenario

@dataclass
class FloodScenario:
    """A before/after pair on one relative orbit over `scene`, and the truth to check a flood map against."""
    scene: Scene = field(default_factory=Scene)
    before: Acquisition = None
    after: Acquisition = None

    @classmethod
    def small(cls, full_size=False):
        cols, rows = FULL if full_size else SMALL
        scene = Scene(scale=1.0)
        # Same relative orbit 110, 12 days apart; the after slice starts 437 m further along track and the
        # orbit tube moved it 23 m across: the two grids differ. The after product comes from a newer IPF:
        # another calibration LUT and the post-2.9 noise layout.
        before = Acquisition("S1A_IW_GRDH_1SDV_20160522T055005_20160522T055030_011379_011A2B_9C1D", False,
                             cols, rows, shift_m=(0.0, 0.0), calibration_gain=1.0, noise_layout="legacy")
        after = Acquisition("S1A_IW_GRDH_1SDV_20160603T055006_20160603T055031_011554_01198F_4E2A", True,
                            cols, rows, shift_m=(-117.0, -421.0), calibration_gain=1.37, noise_layout="azimuth")
        return cls(scene, before, after)

    def build(self, folder, seed=0, pols=("vv", "vh")):
        os.makedirs(folder, exist_ok=True)
        out = []
        for acq in (self.before, self.after):
            path = os.path.join(folder, acq.title + ".zip")
            if not os.path.exists(path):
                build_grd_zip(self.scene, acq, path, seed=seed, pols=pols)
            out.append(path)
        return out

    # --- truth on any north-up grid of the scene's UTM zone ------------------------------------------
    def _grid_xy(self, geotransform, nx, ny):
        ex, ey = self.scene.centre_utm
        gx = geotransform[0] + (np.arange(nx) + 0.5) * geotransform[1] - ex
        gy = geotransform[3] + (np.arange(ny) + 0.5) * geotransform[5] - ey
        return gx[None, :], gy[:, None]

    def flood_truth(self, geotransform, nx, ny):
        """Boolean (ny, nx): flooded ground (river excluded) on a grid of the scene's UTM zone."""
        x, y = self._grid_xy(geotransform, nx, ny)
        return self.scene.flood(x, y)

    def trap(self, name, geotransform, nx, ny):
        x, y = self._grid_xy(geotransform, nx, ny)
        return {"lake": self.scene.lake, "hill": self.scene.hill, "spots": self.scene.spots}[name](x, y)

    def aoi_utm(self):
        """(xmin, ymin, xmax, ymax) in the scene's UTM zone: the flood and the traps, inside both images."""
        ex, ey = self.scene.centre_utm
        s = self.scene.scale
        return ex - 5200.0 * s, ey - 4200.0 * s, ex + 5200.0 * s, ey + 4200.0 * s

    def lake_ring_lonlat(self, n=72):
        ex, ey = self.scene.centre_utm
        _, to_ll = self.scene.transformers()
        s = self.scene.scale
        ring = []
        for i in range(n + 1):
            a = 2 * math.pi * i / n
            lon, lat, _ = to_ll.TransformPoint(ex - 3300.0 * s + 1050.0 * s * math.cos(a),
                                               ey + 2900.0 * s + 1050.0 * s * math.sin(a))
            ring.append((lon, lat))
        return ring

    def write_water_layer(self, path):
        """The permanent water a user would load (a lake polygon, lon/lat) as a GeoPackage."""
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4326)
        lyr = ds.CreateLayer("water", srs, ogr.wkbPolygon)
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for lon, lat in self.lake_ring_lonlat():
            ring.AddPoint_2D(lon, lat)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetGeometry(poly)
        lyr.CreateFeature(feat)
        ds = None
        return path

    def write_dem(self, path, res=30.0):
        """A DEM GeoTIFF (UTM, 30 m) of the scene: a flat floodplain and the steep hill."""
        ex, ey = self.scene.centre_utm
        s = self.scene.scale
        half = 8000.0 * s
        n = int(2 * half / res)
        gt = (ex - half, res, 0.0, ey + half, 0.0, -res)
        x = gt[0] + (np.arange(n) + 0.5) * res - ex
        y = gt[3] - (np.arange(n) + 0.5) * res - ey
        z = self.scene.elevation(x[None, :], y[:, None]).astype(np.float32)
        ds = gdal.GetDriverByName("GTiff").Create(path, n, n, 1, gdal.GDT_Float32)
        ds.SetGeoTransform(gt)
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(self.scene.epsg)
        ds.SetProjection(srs.ExportToWkt())
        ds.GetRasterBand(1).WriteArray(z)
        ds = None
        return path


# ------------------------------------------------------------------------- served by the catalogue simulator

IPF_2_9 = dt.date(2018, 3, 13)       # the noise XML layout changed with IPF 2.9


def catalogue_scene(product):
    """The flood scene of a catalogue product: centred on the tile it was generated over (slices of one
    track start at slightly different places; the ground they image must not move)."""
    from plugin.core.tiles import tile_footprint
    fp = tile_footprint(product.area_tile)
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(int(fp.epsg))
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ll = osr.SpatialReference()
    ll.ImportFromEPSG(4326)
    ll.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lon, lat, _ = osr.CoordinateTransformation(utm, ll).TransformPoint(float(fp.ulx) + 54900.0,
                                                                       float(fp.uly) - 54900.0)
    return Scene(lon=round(lon, 4), lat=round(lat, 4))


def build_catalogue_grd(product, dest, flood_date, seed=0):
    """The archive of a simulated S1 catalogue product when SimConfig.s1_flood_date is set: a small GRD of
    the flood scene, flooded when acquired on or after flood_date; the slice position, calibration and noise
    layout vary per product as they do between real acquisitions."""
    h = int.from_bytes(product.title.encode()[-6:], "big")
    acq = Acquisition(product.title, product.acquired.date() >= flood_date,
                      shift_m=((h % 301) - 150.0, ((h // 301) % 301) - 150.0),
                      calibration_gain=1.0 + 0.4 * ((h // 90601) % 5) / 4,
                      noise_layout="legacy" if product.acquired.date() < IPF_2_9 else "azimuth",
                      ascending=product.orbit_state == "ascending")
    return build_grd_zip(catalogue_scene(product), acq, dest, seed=seed)
