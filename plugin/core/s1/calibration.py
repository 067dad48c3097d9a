"""Radiometric calibration of GRD DN to sigma0, with optional thermal-noise removal (ESA's formulas):

    sigma0 = (DN^2 - eta) / A_sigma^2

A_sigma comes from calibration-*.xml (sigmaNought vectors on a sparse line x pixel grid) and eta from
noise-*.xml, both bilinear between their vectors. The noise file has two layouts: before IPF 2.9 a single
`noiseVectorList/noiseVector/noiseLut` (range only), after it `noiseRangeVectorList` (range, per line) times
`noiseAzimuthVectorList` (per sub-swath block: lines firstAzimuthLine..lastAzimuthLine, samples
firstRangeSample..lastRangeSample, linear along its own lines).
"""
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import numpy as np

from ..errors import ProductFormatError
from ..i18n import tr


def _numbers(node, what):
    if node is None or not (node.text or "").strip():
        raise ProductFormatError(tr("A calibration/noise vector misses its {what} values.", what=what))
    return np.array(node.text.split(), dtype=np.float64)


@dataclass
class SparseLut:
    """Vectors at increasing lines, each with its own pixel positions and values; bilinear between them."""
    lines: np.ndarray
    pixels: list
    values: list

    def block(self, lines, pixels):
        """float32 (len(lines), len(pixels)): the LUT at sample indices `lines` x `pixels` (1-D arrays).
        Only the vectors around the block are evaluated; values outside the grid are the nearest vector's."""
        lines = np.asarray(lines, np.float64)
        pixels = np.asarray(pixels, np.float64)
        n = len(self.lines)
        if n == 1:
            return np.broadcast_to(np.interp(pixels, self.pixels[0], self.values[0]).astype(np.float32),
                                   (len(lines), len(pixels))).copy()
        i = np.clip(np.searchsorted(self.lines, lines, side="right") - 1, 0, n - 2)
        used = np.unique(np.concatenate([i, i + 1]))
        rows = np.stack([np.interp(pixels, self.pixels[k], self.values[k]) for k in used]).astype(np.float32)
        ia = np.searchsorted(used, i)
        w = np.clip((lines - self.lines[i]) / (self.lines[i + 1] - self.lines[i]), 0.0, 1.0).astype(np.float32)
        out = rows[ia]
        out += (rows[ia + 1] - out) * w[:, None]
        return out


@dataclass
class AzimuthBlock:
    first_line: int
    last_line: int
    first_sample: int
    last_sample: int
    lines: np.ndarray
    values: np.ndarray


@dataclass
class Noise:
    range_lut: SparseLut
    azimuth: list            # of AzimuthBlock; empty for the legacy layout
    layout: str              # "legacy" | "range-azimuth"

    def block(self, lines, pixels):
        eta = self.range_lut.block(lines, pixels)
        if self.azimuth:
            lines = np.asarray(lines)
            pixels = np.asarray(pixels)
            for b in self.azimuth:
                r = (lines >= b.first_line) & (lines <= b.last_line)
                c = (pixels >= b.first_sample) & (pixels <= b.last_sample)
                if r.any() and c.any():
                    az = np.interp(lines[r], b.lines, b.values).astype(np.float32)
                    rs, cs = np.flatnonzero(r), np.flatnonzero(c)
                    eta[rs[0]:rs[-1] + 1, cs[0]:cs[-1] + 1] *= az[:, None]
        return eta


def _root(xml):
    try:
        return ET.fromstring(xml)
    except ET.ParseError as e:
        raise ProductFormatError(tr("A calibration/noise file is not valid XML ({e}).", e=e)) from e


def _vectors(nodes, value_tag):
    lines, pixels, values = [], [], []
    for v in nodes:
        lines.append(float(v.findtext("line")))
        pixels.append(_numbers(v.find("pixel"), "pixel"))
        values.append(_numbers(v.find(value_tag), value_tag))
        if len(pixels[-1]) != len(values[-1]):
            raise ProductFormatError(tr("A {value_tag} vector has {value} values for {value2} pixels: the "
                                        "calibration/noise file is corrupt.",
                                        value_tag=value_tag, value=len(values[-1]), value2=len(pixels[-1])))
    if not lines:
        raise ProductFormatError(tr("No {value_tag} vectors found: not a Sentinel-1 calibration/noise file.",
                                    value_tag=value_tag))
    order = np.argsort(lines, kind="stable")
    return SparseLut(np.array(lines)[order], [pixels[k] for k in order], [values[k] for k in order])


def read_calibration(xml, which="sigmaNought"):
    """The calibration LUT (`sigmaNought`, `betaNought` or `gamma`) of a calibration-*.xml."""
    return _vectors(_root(xml).iter("calibrationVector"), which)


def read_noise(xml):
    """The thermal noise LUTs of a noise-*.xml, in either layout."""
    root = _root(xml)
    if root.find("noiseRangeVectorList") is not None:
        blocks = []
        for b in root.iter("noiseAzimuthVector"):
            blocks.append(AzimuthBlock(int(b.findtext("firstAzimuthLine")), int(b.findtext("lastAzimuthLine")),
                                       int(b.findtext("firstRangeSample")), int(b.findtext("lastRangeSample")),
                                       _numbers(b.find("line"), "line"), _numbers(b.find("noiseAzimuthLut"),
                                                                                    "noiseAzimuthLut")))
        return Noise(_vectors(root.iter("noiseRangeVector"), "noiseRangeLut"), blocks, "range-azimuth")
    return Noise(_vectors(root.iter("noiseVector"), "noiseLut"), [], "legacy")


def sigma0_block(dn, lines, pixels, lut, noise=None):
    """sigma0 (linear, float32) of a DN block at sample indices lines x pixels. DN 0 (no data) gives NaN;
    after noise removal a value may be slightly negative (speckle around the noise floor): it is kept so
    averaging stays unbiased, and floored only when converted to dB."""
    d2 = dn.astype(np.float32)
    d2 *= d2
    if noise is not None:
        d2 -= noise.block(lines, pixels)
    a = lut.block(lines, pixels)
    a *= a
    d2 /= a
    d2[dn == 0] = np.nan
    return d2


def sigma0_multilooked(dn, line0, pixel0, looks, lut, noise=None):
    """Mean sigma0 of looks x looks sample blocks of a DN block whose first sample is (line0, pixel0):
    (mean DN^2 - eta) / A^2 with eta and A taken at each block's centre. The LUTs vary over hundreds of
    samples, so this equals the mean of per-sample sigma0 to far better than 1e-4, for a quarter of the LUT
    work at 2 x 2 looks. Samples with DN 0 (no data) are left out of their block; a block with none is NaN.
    A block cut by the edge of `dn` (the image's last line or sample) averages the samples it has."""
    if looks == 1:
        return sigma0_block(dn, np.arange(line0, line0 + dn.shape[0], dtype=np.float64),
                            np.arange(pixel0, pixel0 + dn.shape[1], dtype=np.float64), lut, noise)
    h, w = -(-dn.shape[0] // looks), -(-dn.shape[1] // looks)
    d = dn
    if d.shape != (h * looks, w * looks):      # pad with DN 0: no data, left out of the mean
        d = np.pad(dn, ((0, h * looks - dn.shape[0]), (0, w * looks - dn.shape[1])))
    total = np.zeros((h, w), np.float32)
    for i in range(looks):
        for j in range(looks):
            part = d[i::looks, j::looks].astype(np.float32)
            part *= part
            total += part
    zero = d == 0
    if zero.any():
        n = looks * looks - sum(zero[i::looks, j::looks].astype(np.float32) for i in range(looks) for j in range(looks))
        with np.errstate(invalid="ignore", divide="ignore"):
            total /= n
    else:
        total /= looks * looks
    centre = (looks - 1) / 2.0
    lines = line0 + np.arange(h, dtype=np.float64) * looks + centre
    pixels = pixel0 + np.arange(w, dtype=np.float64) * looks + centre
    if noise is not None:
        total -= noise.block(lines, pixels)
    a = lut.block(lines, pixels)
    a *= a
    total /= a
    return total
