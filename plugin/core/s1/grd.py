"""A Sentinel-1 GRD product read in place (zip through /vsizip/, or an extracted .SAFE folder).

GDAL's SAFE driver exposes the measurements but does not calibrate GRD (GDAL issue #5826), so the reader
finds, per polarisation, the measurement TIFF, its annotation (image size, pixel spacing, pass, geolocation
grid), and its calibration and noise XMLs, and hands them to calibration.py. Member names come from the zip
and are only ever used as /vsizip/ member paths, never as paths on disk.
"""
import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

from ..errors import ProductFormatError
from ..i18n import tr

_MEASUREMENT = re.compile(r"^(?P<top>[^/]+\.SAFE)/measurement/(?P<stem>s1[a-d]-[a-z0-9]+-grd-(?P<pol>vv|vh|hh|hv)"
                          r"-[^/]+)\.tiff?$", re.IGNORECASE)


@dataclass(frozen=True)
class Gcp:
    pixel: float        # GDAL image coordinates of the sample's centre (annotation index + 0.5)
    line: float
    lon: float
    lat: float
    height: float


@dataclass
class Polarisation:
    pol: str                 # "VV", "VH"...
    measurement: str         # GDAL path (/vsizip/...)
    annotation: str          # member names (read with GrdProduct.read)
    calibration: str
    noise: str


@dataclass
class GrdProduct:
    path: str
    title: str
    cols: int
    rows: int
    pixel_spacing: float
    start: dt.datetime
    pass_: str                       # "ASCENDING" / "DESCENDING"
    relative_orbit: int
    gcps: list
    polarisations: dict = field(default_factory=dict)

    @property
    def name(self):
        return os.path.basename(self.path)

    def read(self, member):
        """Bytes of a member (a zip member name, or a path relative to the folder holding the .SAFE)."""
        if os.path.isdir(self.path):
            with open(os.path.join(self.path, member), "rb") as f:
                return f.read()
        with zipfile.ZipFile(self.path) as zf:
            return zf.read(member)

    def band(self, pol):
        try:
            return self.polarisations[pol.upper()]
        except KeyError:
            raise ProductFormatError(tr("{name} has no {pol} polarisation (it has {value}): choose a method that "
                                        "uses {items}.",
                                        name=self.name, pol=pol.upper(),
                                        value=', '.join(sorted(self.polarisations)) or 'none',
                                        items=' or '.join(sorted(self.polarisations)))) from None


def open_grd(path):
    """Describe the GRD product at `path` (a .zip, a .SAFE folder or a folder holding one), or raise
    ProductFormatError with a sentence saying what is wrong."""
    path = str(path)
    if os.path.isdir(path) and os.path.normpath(path).upper().endswith(".SAFE"):
        path = os.path.dirname(os.path.abspath(path))       # members are named from the folder holding it
    name = os.path.basename(os.path.normpath(path))
    if not os.path.exists(path):
        raise ProductFormatError(tr("{name}: no such file ({path}).", name=name, path=path))
    try:
        names = _member_names(path)
    except zipfile.BadZipFile as e:
        raise ProductFormatError(tr("{name} is truncated or not a zip archive ({e}): download it again.",
                                    name=name, e=e)) from e
    pols = {}
    top = None
    for member in names:
        m = _MEASUREMENT.match(member)
        if not m or ".." in member.split("/"):
            continue
        top, stem = m["top"], m["stem"]
        missing = [x for x in (f"{top}/annotation/{stem}.xml", f"{top}/annotation/calibration/calibration-{stem}.xml",
                               f"{top}/annotation/calibration/noise-{stem}.xml") if x not in names]
        if missing:
            raise ProductFormatError(tr("{name} misses {value}: it is not a complete Sentinel-1 GRD product; "
                                        "download it again.",
                                        name=name, value=missing[0].split('/', 1)[1]))
        pols[m["pol"].upper()] = Polarisation(
            m["pol"].upper(), _gdal_path(path, member), f"{top}/annotation/{stem}.xml",
            f"{top}/annotation/calibration/calibration-{stem}.xml", f"{top}/annotation/calibration/noise-{stem}.xml")
    if not pols:
        raise ProductFormatError(tr("{name} is not a Sentinel-1 GRD product (no measurement/*-grd-*.tiff in it): "
                                    "the flood map needs IW GRD products.",
                                    name=name))
    product = GrdProduct(path, top[:-5], 0, 0, 10.0, None, "", 0, [], pols)
    first = pols[sorted(pols)[0]]
    _read_annotation(product, _parse(product, first.annotation))
    manifest = f"{top}/manifest.safe"
    if manifest in names:
        text = product.read(manifest).decode("utf-8", "replace")
        rel = re.search(r"relativeOrbitNumber[^>]*>(\d+)<", text)
        product.relative_orbit = int(rel.group(1)) if rel else 0
    return product


def _member_names(path):
    """Zip member names; for a folder, the same names for the .SAFE folders directly inside it (only those
    are walked: the folder may be a big download folder)."""
    if os.path.isdir(path):
        out = set()
        for safe in os.listdir(path):
            if not safe.upper().endswith(".SAFE") or not os.path.isdir(os.path.join(path, safe)):
                continue
            for root, _, files in os.walk(os.path.join(path, safe)):
                for f in files:
                    out.add(os.path.relpath(os.path.join(root, f), path).replace(os.sep, "/"))
        return out
    with zipfile.ZipFile(path) as zf:
        return set(zf.namelist())


def _gdal_path(path, member):
    if os.path.isdir(path):
        return os.path.join(os.path.abspath(path), *member.split("/"))
    return f"/vsizip/{os.path.abspath(path)}/{member}"


def _parse(product, member):
    try:
        return ET.fromstring(product.read(member))
    except ET.ParseError as e:
        raise ProductFormatError(tr("{name}: {value} is not valid XML ({e}).",
                                    name=product.name, value=member.rsplit('/', 1)[-1], e=e)) from e


def _text(root, path, default=None):
    node = root.find(path)
    if node is None or node.text is None:
        if default is not None:
            return default
        raise ProductFormatError(tr("The annotation misses {value}: not a Sentinel-1 GRD annotation.",
                                    value=path.rsplit('/', 1)[-1]))
    return node.text.strip()


def _read_annotation(product, root):
    info = "imageAnnotation/imageInformation/"
    product.cols = int(_text(root, info + "numberOfSamples"))
    product.rows = int(_text(root, info + "numberOfLines"))
    product.pixel_spacing = float(_text(root, info + "rangePixelSpacing"))
    product.start = parse_time(_text(root, info + "productFirstLineUtcTime"))
    product.pass_ = _text(root, "generalAnnotation/productInformation/pass", "").upper()
    product.gcps = parse_gcps(root)


def parse_gcps(root):
    """The geolocation grid as GDAL GCP-ready points (pixel/line + 0.5: the centre of the annotated sample)."""
    out = []
    for p in root.iter("geolocationGridPoint"):
        out.append(Gcp(float(p.findtext("pixel")) + 0.5, float(p.findtext("line")) + 0.5,
                       float(p.findtext("longitude")), float(p.findtext("latitude")),
                       float(p.findtext("height") or 0.0)))
    if len(out) < 4:
        raise ProductFormatError(tr("The annotation has fewer than 4 geolocation grid points: cannot geocode."))
    return out


def parse_time(text):
    return dt.datetime.strptime(text[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=dt.timezone.utc)
