"""Sentinel-1 GRD reading and calibration: real ESA XMLs parse; sigma0 equals a computation made here.

The expected sigma0 is computed in this file, point by point in plain Python floats, straight from the XML
text (ElementTree), with ESA's formula sigma0 = (DN^2 - eta) / A^2 and bilinear interpolation written out
by hand: it shares no code with plugin/core/s1/calibration.py.
"""
import bisect
import gzip
import random
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal

from plugin.core.errors import ProductFormatError
from plugin.core.s1.calibration import read_calibration, read_noise, sigma0_block
from plugin.core.s1.geocode import calibrate_window
from plugin.core.s1.grd import open_grd
from tests.simulator.s1_grd import FloodScenario

gdal.UseExceptions()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "s1"
STEM = "s1b-iw-grd-vv-20211223t051122-20211223t051147-030148-039993-001"


def fixture(name):
    return gzip.decompress((FIXTURES / f"{name}.xml.gz").read_bytes())


# ------------------------------------------------------------------ the independent computation

def _lerp(x, xs, ys):
    """Linear interpolation at x of the polyline (xs, ys), constant beyond its ends."""
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    j = bisect.bisect_right(xs, x) - 1
    t = (x - xs[j]) / (xs[j + 1] - xs[j])
    return ys[j] + t * (ys[j + 1] - ys[j])


def _vectors(root, vector_tag, value_tag):
    out = []
    for v in root.iter(vector_tag):
        out.append((float(v.find("line").text), [float(t) for t in v.find("pixel").text.split()],
                    [float(t) for t in v.find(value_tag).text.split()]))
    return sorted(out, key=lambda t: t[0])


def lut_at(vectors, line, pixel):
    lines = [v[0] for v in vectors]
    per_vector = [_lerp(pixel, v[1], v[2]) for v in vectors]
    return _lerp(line, lines, per_vector)


def expected_sigma0(cal_xml, noise_xml, dn, line, pixel, dn2=None):
    a = lut_at(_vectors(ET.fromstring(cal_xml), "calibrationVector", "sigmaNought"), line, pixel)
    eta = 0.0
    if noise_xml is not None:
        root = ET.fromstring(noise_xml)
        if root.find("noiseRangeVectorList") is not None:
            eta = lut_at(_vectors(root, "noiseRangeVector", "noiseRangeLut"), line, pixel)
            for b in root.iter("noiseAzimuthVector"):
                if (int(b.find("firstAzimuthLine").text) <= line <= int(b.find("lastAzimuthLine").text)
                        and int(b.find("firstRangeSample").text) <= pixel <= int(b.find("lastRangeSample").text)):
                    eta *= _lerp(line, [float(t) for t in b.find("line").text.split()],
                                 [float(t) for t in b.find("noiseAzimuthLut").text.split()])
        else:
            eta = lut_at(_vectors(root, "noiseVector", "noiseLut"), line, pixel)
    return ((float(dn) ** 2 if dn2 is None else dn2) - eta) / a ** 2


# ------------------------------------------------------------------ real ESA files

def test_real_calibration_noise_and_annotation_parse():
    lut = read_calibration(fixture(f"calibration-{STEM}"))
    assert len(lut.lines) == 27 and len(lut.pixels[0]) == 654
    assert lut.lines[0] == 0 and lut.lines[-1] >= 16704     # the vectors span all 16705 lines (and beyond)
    noise = read_noise(fixture(f"noise-{STEM}"))
    assert noise.layout == "range-azimuth" and len(noise.range_lut.lines) == 27
    assert [(b.first_sample, b.last_sample) for b in noise.azimuth][0] == (0, 8889)   # IW1's samples
    root = ET.fromstring(fixture(STEM))
    from plugin.core.s1.grd import parse_gcps
    gcps = parse_gcps(root)
    assert len(gcps) == len(list(root.iter("geolocationGridPoint"))) > 100
    assert all(-90 <= g.lat <= 90 and -180 <= g.lon <= 180 for g in gcps)


def test_sigma0_of_real_luts_equals_independent_computation():
    cal, noise_xml = fixture(f"calibration-{STEM}"), fixture(f"noise-{STEM}")
    lut, noise = read_calibration(cal), read_noise(noise_xml)
    rnd = random.Random(5)
    points = [(rnd.randrange(16705), rnd.randrange(26102), rnd.randrange(20, 900)) for _ in range(40)]
    points += [(0, 0, 300), (16704, 26101, 300), (8000, 8889, 250), (8000, 8890, 250)]   # corners, IW1/IW2 seam
    for line, pixel, dn in points:
        got = sigma0_block(np.array([[dn]], np.uint16), np.array([line]), np.array([pixel]), lut, noise)[0, 0]
        want = expected_sigma0(cal, noise_xml, dn, line, pixel)
        assert abs(got - want) <= 1e-5 * abs(want), (line, pixel, got, want)
        got = sigma0_block(np.array([[dn]], np.uint16), np.array([line]), np.array([pixel]), lut)[0, 0]
        assert abs(got - expected_sigma0(cal, None, dn, line, pixel)) <= 1e-5 * abs(got)


def test_legacy_noise_layout_parses_and_applies():
    xml = (b'<?xml version="1.0"?><noise><noiseVectorList count="2">'
           b"<noiseVector><line>0</line><pixel count=\"3\">0 100 200</pixel><noiseLut count=\"3\">10 20 30</noiseLut>"
           b"</noiseVector><noiseVector><line>50</line><pixel count=\"2\">0 200</pixel>"
           b"<noiseLut count=\"2\">50 70</noiseLut></noiseVector></noiseVectorList></noise>")
    noise = read_noise(xml)
    assert noise.layout == "legacy" and noise.azimuth == []
    eta = noise.block(np.array([0, 25, 50]), np.array([0, 100, 200]))
    np.testing.assert_allclose(eta, [[10, 20, 30], [30, 40, 50], [50, 60, 70]])


# ------------------------------------------------------------------ the simulator's products

@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    scenario = FloodScenario.small()
    return scenario, scenario.build(str(tmp_path_factory.mktemp("grd")))


def test_simulated_grd_is_a_real_looking_safe(pair):
    _, (before, after) = pair
    for path, layout in ((before, "noiseVectorList"), (after, "noiseAzimuthVectorList")):
        product = open_grd(path)
        assert sorted(product.polarisations) == ["VH", "VV"]
        assert product.relative_orbit > 0 and product.pass_ == "DESCENDING"
        ds = gdal.Open(product.band("VH").measurement)
        assert ds.GetRasterBand(1).DataType == gdal.GDT_UInt16
        assert ds.GetGCPCount() == len(product.gcps) == 210
        assert ds.GetGeoTransform(can_return_null=True) is None            # slant geometry: no north-up grid
        assert layout.encode() in product.read(product.band("VH").noise)
        assert (ds.ReadAsArray(0, 0, 12, 5) == 0).all()                     # border no data, as ESA writes it
        # the GCPs rotate with the track: a descending pass runs south, range grows westward
        g = product.gcps
        assert g[-1].lat < g[0].lat and g[20].lon < g[0].lon


def test_calibrated_window_equals_independent_computation(pair, tmp_path):
    _, (_, after) = pair
    product = open_grd(after)
    band = product.band("VH")
    window = (100, 200, 400, 330)
    out = calibrate_window(product, "VH", window, 1, str(tmp_path / "s0.tif"), noise_removal=True)
    got = gdal.Open(out).ReadAsArray()
    dn = gdal.Open(band.measurement).ReadAsArray(*window[:2], window[2] - window[0], window[3] - window[1])
    cal, noise_xml = product.read(band.calibration), product.read(band.noise)
    rnd = random.Random(1)
    for _ in range(60):
        r, c = rnd.randrange(got.shape[0]), rnd.randrange(got.shape[1])
        want = expected_sigma0(cal, noise_xml, dn[r, c], window[1] + r, window[0] + c)
        assert abs(got[r, c] - want) <= 1e-5 * abs(want) + 1e-12, (r, c)


def test_multilooked_window_equals_independent_computation(pair, tmp_path):
    """2 x 2 looks: (mean DN^2 of the block - eta) / A^2, the LUTs taken at the block's centre."""
    _, (before, _) = pair
    product = open_grd(before)
    band = product.band("VV")
    window = (11, 300, 411, 430)             # includes the DN-0 border columns 0..11 on the left
    got = gdal.Open(calibrate_window(product, "VV", window, 2, str(tmp_path / "ml.tif"))).ReadAsArray()
    assert got.shape == (65, 200)
    dn = gdal.Open(band.measurement).ReadAsArray(*window[:2], 400, 130).astype(float)
    cal, noise_xml = product.read(band.calibration), product.read(band.noise)
    rnd = random.Random(2)
    for r, c in [(0, 0), (64, 199)] + [(rnd.randrange(65), rnd.randrange(200)) for _ in range(40)]:
        block = dn[2 * r:2 * r + 2, 2 * c:2 * c + 2]
        valid = block[block > 0]
        want = expected_sigma0(cal, noise_xml, 0, window[1] + 2 * r + 0.5, window[0] + 2 * c + 0.5,
                               dn2=float((valid ** 2).mean()))
        assert abs(got[r, c] - want) <= 1e-5 * abs(want) + 1e-12, (r, c)


def test_not_a_grd_product_is_refused_plainly(tmp_path):
    path = tmp_path / "S2A_MSIL2A_20230801T103631_N0509_R008_T31TCJ_20230801T142500.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("x.SAFE/manifest.safe", "<x/>")
    with pytest.raises(ProductFormatError, match="not a Sentinel-1 GRD product"):
        open_grd(str(path))
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ProductFormatError, match="download it again"):
        open_grd(str(tmp_path / "bad.zip"))
