"""Product readers: find the red/NIR bands, masks and radiometric scaling inside a downloaded zip.

Everything is read in place through GDAL's /vsizip/ (no extraction). The kind is recognised from the zip's
content (metadata file names), not from the archive's file name:
- Theia/MAJA L2A: <title>/<title>_MTD_ALL.xml, _FRE_/_SRE_B4/B8.tif (Int16, reflectance x 10000, nodata -10000),
  MASKS/<title>_CLM_R1.tif, _MG2_R1.tif, _EDG_R1.tif, _SAT_R1.tif (10 m bit masks), _SAT_R2.tif (20 m bands'
  saturation, when the archive has it).
- ESA L2A SAFE: MTD_MSIL2A.xml, R10m B04/B08 (UInt16, 0 = no data, 65535 = saturated), R20m SCL,
  BOA_ADD_OFFSET (baseline >= 04.00, -1000): reflectance = (DN + offset) / 10000. GDAL 3.6 does not apply it.
- ESA L1C SAFE: MTD_MSIL1C.xml, B04/B08, RADIO_ADD_OFFSET, QI_DATA/MSK_CLASSI_B00.jp2 (60 m: opaque clouds,
  cirrus, snow) from baseline 04.00. NDVI from it is top of atmosphere (is_toa).
- Sentinel-1 SAFE: recognised (download-only); it has no optical bands.
Besides red/NIR every reader lists the optical bands the spectral indices use (ProductReader.bands: B2, B3,
B4, B8 at 10 m; B5, B8A, B11, B12 at 20 m, factor 2) when the archive holds them; ProductReader.band(name)
names the product and the band when one is missing.
"""
import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from typing import Optional

from osgeo import gdal

from .errors import ProductFormatError
from .models import ProductKind
from .product_names import parse_title
from .i18n import tr

gdal.UseExceptions()

REFLECTANCE_KINDS = ("FRE", "SRE")

# MAJA bit meanings (Theia MUSCATE L2A format).
CLM_CLOUD_BITS = (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 7)  # clouds incl. thin and high clouds
CLM_SHADOW_BITS = (1 << 5) | (1 << 6)                                 # shadows of clouds in/outside the image
MG2_WATER, MG2_CLOUD, MG2_SNOW, MG2_SHADOW = 1, 2, 4, 8
# Sen2Cor scene classification (SCL) values.
SCL_NO_DATA, SCL_SATURATED, SCL_DARK, SCL_SHADOW, SCL_VEGETATION, SCL_NOT_VEGETATED, SCL_WATER = range(7)
SCL_UNCLASSIFIED, SCL_CLOUD_MEDIUM, SCL_CLOUD_HIGH, SCL_CIRRUS, SCL_SNOW = range(7, 12)
SAFE_SATURATED = 65535
_SAFE_BAND_ID = {"B02": 1, "B03": 2, "B04": 3, "B05": 4, "B08": 7, "B8A": 8, "B11": 11, "B12": 12}  # offset lists
# The optical bands the spectral indices read, and their pixel size / 10 m.
OPTICAL_BANDS = {"B2": 1, "B3": 1, "B4": 1, "B8": 1, "B5": 2, "B8A": 2, "B11": 2, "B12": 2}
# MAJA saturation masks, MASKS/<title>_SAT_R1.tif (10 m) and _SAT_R2.tif (20 m): UInt8, "1 bit per spectral band"
# of that resolution, bit i = the i-th band of the resolution's band group in the product's order: R1 = B2 B3 B4 B8,
# R2 = B5 B6 B7 B8A B11 B12 (CESBIO's description of the Theia L2A format lists the groups in that order).
# Checked against two independent readers of MAJA products in ESA SNAP (github.com/senbox-org/s2tbx):
# - s2tbx-muscate-reader MuscateProductReader.addSaturationMask: the mask "saturation_<band>" of a SAT_Rn file is
#   bit_set(SAT, i) for the i-th band of group Rn as MTD_ALL.xml lists it;
# - s2tbx-sen2agri-reader Sen2AgriProductReaderTest: SAT_R1 B4 = 0x4, B8 = 0x8; SAT_R2 B5 = 0x1, B8A = 0x8,
#   B12 = 0x20 (and its PIX_R2 twin: B6 = 0x2, B11 = 0x10).
SAT_R1_BITS = {"B2": 1, "B3": 2, "B4": 4, "B8": 8}
SAT_R2_BITS = {"B5": 1, "B6": 2, "B7": 4, "B8A": 8, "B11": 16, "B12": 32}


@dataclass(frozen=True)
class Band:
    """A raster band inside the product: reflectance = raw * scale + offset; raw == nodata means no data."""
    path: str
    scale: float
    offset: float
    nodata: float
    saturated: Optional[float] = None     # raw value flagging saturation (SAFE 65535): always no data
    factor: int = 1                       # pixel size / 10 m (20 m bands: 2)


@dataclass(frozen=True)
class Mask:
    """A mask raster and what it means. factor = its pixel size / 10 m (nearest-neighbour replication)."""
    path: str
    factor: int
    meaning: str
    bands: int = 1


@dataclass(frozen=True)
class MaskRule:
    """One test that flags pixels: bits (value & bits != 0) or classes (value in classes) on a mask band."""
    mask: str            # key in ProductReader.masks
    band: int
    label: str
    bits: int = 0
    classes: tuple = ()


@dataclass
class ProductReader:
    kind: ProductKind
    zip_path: str
    product_id: str
    acquired: dt.datetime
    tile: Optional[str]
    platform: str = ""
    baseline: Optional[str] = None
    reflectance: str = ""                     # FRE / SRE (MAJA), BOA (Sen2Cor L2A) or TOA (L1C)
    red: Optional[Band] = None
    nir: Optional[Band] = None
    rgb: tuple = ()                           # (B4, B3, B2) Bands for natural colour
    masks: dict = field(default_factory=dict)
    bands: dict = field(default_factory=dict)  # "B2".."B12" -> Band, those this archive holds

    def band(self, name):
        """The Band called name (B2, B3, B4, B5, B8, B8A, B11, B12), or ProductFormatError naming what is missing."""
        if name not in self.bands:
            raise ProductFormatError(tr("{product_id} has no band {name} (this archive does not hold it): "
                                        "download the full product, or choose an index without {name}.",
                                        product_id=self.product_id, name=name))
        return self.bands[name]

    @property
    def title(self):
        return self.product_id

    @property
    def is_toa(self):
        return self.kind is ProductKind.SAFE_L1C

    @property
    def red_path(self):
        return self.red.path if self.red else None

    @property
    def nir_path(self):
        return self.nir.path if self.nir else None

    def mask_rules(self, policy, bands=("B4", "B8")):
        """(rules, missing): the mask tests the policy asks for that this product can answer, and the
        policy flags it cannot (no such mask in this kind of product, or not in this archive). bands: the
        bands the result is computed from (their saturation flags, for MAJA's SAT mask)."""
        asked = []                                 # (policy flag, rule)
        want = lambda name: bool(getattr(policy, name, False))
        if self.kind is ProductKind.MAJA_L2A:
            for flag, mask, label, bits in (
                    ("clouds", "CLM", "clouds (CLM)", CLM_CLOUD_BITS),
                    ("cloud_shadows", "CLM", "cloud shadows (CLM)", CLM_SHADOW_BITS),
                    ("cloud_shadows", "MG2", "cloud shadows (MG2)", MG2_SHADOW),
                    ("snow", "MG2", "snow (MG2)", MG2_SNOW),
                    ("water", "MG2", "water (MG2)", MG2_WATER),
                    ("edges", "EDG", "edges / no data (EDG)", 0xFF),
                    ("saturated", "SAT", _sat_label(bands, SAT_R1_BITS, "SAT"), _sat_bits(bands, SAT_R1_BITS)),
                    ("saturated", "SAT_R2", _sat_label(bands, SAT_R2_BITS, "SAT_R2"),
                     _sat_bits(bands, SAT_R2_BITS))):
                if want(flag) and bits:
                    asked.append((flag, MaskRule(mask, 1, label, bits=bits)))
        elif self.kind is ProductKind.SAFE_L2A:
            explicit = getattr(policy, "scl_classes", None)
            classes = set(explicit or ())
            if explicit is None:
                for flag, cls in (("clouds", (SCL_CLOUD_MEDIUM, SCL_CLOUD_HIGH, SCL_CIRRUS)),
                                  ("cloud_shadows", (SCL_SHADOW,)), ("snow", (SCL_SNOW,)), ("water", (SCL_WATER,)),
                                  ("edges", (SCL_NO_DATA,)), ("saturated", (SCL_SATURATED,))):
                    if want(flag):
                        classes.update(cls)
            if classes:
                asked.append(("scl_classes", MaskRule("SCL", 1, "SCL classes " + ",".join(map(str, sorted(classes))),
                                                      classes=tuple(sorted(classes)))))
        elif self.kind is ProductKind.SAFE_L1C:
            for flag, band, label in (("clouds", 1, "opaque clouds (MSK_CLASSI)"),
                                      ("clouds", 2, "cirrus (MSK_CLASSI)"), ("snow", 3, "snow (MSK_CLASSI)")):
                if want(flag):
                    asked.append((flag, MaskRule("MSK_CLASSI", band, label, bits=0xFF)))
        rules = [r for _, r in asked if r.mask in self.masks]
        # a flag is missing when none of its masks is in this archive: a MAJA product without SAT_R2 (older
        # layouts) still has its 10 m bands' saturation checked (NDMI: B8), and NDRE (20 m bands only) reports
        # saturation unavailable there
        missing = {flag for flag, _ in asked} - {flag for flag, r in asked if r.mask in self.masks}
        if self.kind is ProductKind.SAFE_L1C:      # L1C has no shadow or water information at all
            missing |= {flag for flag in ("cloud_shadows", "water") if want(flag)}
        return rules, sorted(missing)


def _sat_bits(bands, bit_of):
    """The bits of `bands` in a MAJA saturation mask whose band -> bit map is bit_of (SAT_R1_BITS: 10 m
    bands, SAT_R2_BITS: 20 m bands); 0 when none of the bands is of that resolution."""
    bits = 0
    for b in bands:
        bits |= bit_of.get(b, 0)
    return bits


def _sat_label(bands, bit_of, mask):
    if tuple(bands) == ("B4", "B8"):
        return "saturated red/NIR (SAT)"
    return "saturated " + "/".join(b for b in bands if b in bit_of) + f" ({mask})"


# ---------------------------------------------------------------- opening

def open_product(zip_path, reflectance="FRE"):
    """Recognise and describe the product in zip_path (a zip, or the folder it was extracted to), or raise
    ProductFormatError naming what is wrong."""
    name = os.path.basename(os.path.normpath(zip_path))
    if reflectance not in REFLECTANCE_KINDS:
        raise ProductFormatError(tr("Reflectance must be FRE (slope-corrected) or SRE, not {reflectance!r}.",
                                    reflectance=reflectance))
    if not os.path.exists(zip_path):
        raise ProductFormatError(tr("{name}: no such file ({zip_path}).", name=name, zip_path=zip_path))
    try:
        with (_Folder(zip_path) if os.path.isdir(zip_path) else _Zip(zip_path)) as box:
            kind, top = _recognise(box.names)
            if kind is None:
                raise ProductFormatError(
                    tr("{name} is not a product this plugin can read: it holds no Theia/MAJA *_MTD_ALL.xml, no "
                       "ESA MTD_MSIL2A.xml / MTD_MSIL1C.xml and no Sentinel-1 manifest.safe.",
                       name=name))
            if kind is ProductKind.MAJA_L2A:
                return _open_maja(box, top, reflectance)
            if kind is ProductKind.S1:
                return _open_s1(box, top)
            return _open_safe(box, kind, top)
    except zipfile.BadZipFile as e:
        raise ProductFormatError(tr("{name} is truncated or not a zip archive ({e}): download it again.",
                                    name=name, e=e)) from e
    except (ET.ParseError, KeyError, ValueError, OSError) as e:
        raise ProductFormatError(tr("{name}: unreadable metadata ({e}).", name=name, e=e)) from e


class _Zip:
    """Members of a zip, read in place; rasters are addressed through /vsizip/."""

    def __init__(self, path):
        self.path = self.source = path
        self.label = os.path.basename(path)
        self._zf = zipfile.ZipFile(path)
        self.names = self._zf.namelist()
        self.members = set(self.names)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._zf.close()

    def read(self, member):
        return self._zf.read(member)

    def gdal_path(self, member):
        return f"/vsizip/{os.path.abspath(self.path)}/{member}"


class _Folder:
    """An extracted product: the product folder itself or a folder holding it. Member names as in the zip."""

    def __init__(self, path):
        self.source = path
        path = os.path.abspath(path)
        self.label = os.path.basename(path)
        base = os.path.basename(path)
        own = (os.path.exists(os.path.join(path, f"{base}_MTD_ALL.xml"))
               or os.path.exists(os.path.join(path, "DATA", f"{base}_MTD_ALL.xml"))
               or any(os.path.exists(os.path.join(path, f"MTD_MSIL{x}.xml")) for x in ("2A", "1C"))
               or os.path.exists(os.path.join(path, "manifest.safe")))
        self.root = os.path.dirname(path) if own else path
        names = []
        for d, dirs, files in os.walk(path):
            dirs.sort()
            rel = os.path.relpath(d, self.root).replace(os.sep, "/")
            names += [f"{rel}/{f}" if rel != "." else f for f in sorted(files)]
        self.names = names
        self.members = set(names)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def read(self, member):
        with open(os.path.join(self.root, member), "rb") as f:
            return f.read()

    def gdal_path(self, member):
        return os.path.join(self.root, member)


def _recognise(names):
    for n in names:
        # THEIA V4-0 may keep the metadata under DATA/ (unverified: shared/notes/real-services.md): both are read
        m = re.match(r"^([^/]+)/(?:DATA/)?\1_MTD_ALL\.xml$", n)
        if m:
            return ProductKind.MAJA_L2A, m.group(1)
        m = re.match(r"^([^/]+\.SAFE)/MTD_MSIL(2A|1C)\.xml$", n)
        if m:
            return (ProductKind.SAFE_L2A if m.group(2) == "2A" else ProductKind.SAFE_L1C), m.group(1)
    for n in names:
        m = re.match(r"^([^/]+\.SAFE)/measurement/", n)
        if m and f"{m.group(1)}/manifest.safe" in names:
            return ProductKind.S1, m.group(1)
    return None, None


def _xml(box, member):
    root = ET.fromstring(box.read(member))
    for el in root.iter():                 # drop namespaces: the ESA and Theia schemas version them
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.rsplit("}", 1)[1]
    return root


def _text(root, tag, default=None):
    el = root.find(f".//{tag}")
    return el.text.strip() if el is not None and el.text else default


def _parse_time(text):
    text = text.strip().rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    raise ValueError(f"unreadable date {text!r}")


def _require(box, member, what):
    if member not in box.members:
        raise ProductFormatError(tr("{label} is incomplete: {what} is missing ({member}).",
                                    label=box.label, what=what, member=member))
    return box.gdal_path(member)


def _open_maja(box, top, reflectance):
    mtd_name = f"{top}/{top}_MTD_ALL.xml"
    mtd = _xml(box, mtd_name if mtd_name in box.members else f"{top}/DATA/{top}_MTD_ALL.xml")
    quant = float(_text(mtd, "REFLECTANCE_QUANTIFICATION_VALUE", "10000"))
    nodata = -10000.0
    for el in mtd.iter("SPECIAL_VALUE"):
        if el.get("name") == "nodata":
            nodata = float(el.text)
    when = _text(mtd, "ACQUISITION_DATE")
    acquired = _parse_time(when) if when else parse_title(top).acquired
    zone = _text(mtd, "GEOGRAPHICAL_ZONE") or ""
    tile = zone[1:] if zone.startswith("T") else (_title_field(top, "tile"))
    band = lambda b, k=reflectance: Band(_require(box, f"{top}/{top}_{k}_{b}.tif", tr("band {band}", band=f"{k}_{b}")),
                                         1.0 / quant, 0.0, nodata, factor=OPTICAL_BANDS.get(b, 1))
    bands = {b: band(b) for b in OPTICAL_BANDS if f"{top}/{top}_{reflectance}_{b}.tif" in box.members}
    masks = {}
    for key, meaning in (("CLM", "cloud bits: 1-4,7 clouds, 5-6 cloud shadows"),
                         ("MG2", "geophysical bits: 0 water, 1 cloud, 2 snow, 3 cloud shadow"),
                         ("EDG", "1 = outside the swath / no data"), ("SAT", "saturation bit per band (B2,B3,B4,B8)")):
        member = f"{top}/MASKS/{top}_{key}_R1.tif"
        if member in box.members:
            masks[key] = Mask(box.gdal_path(member), 1, meaning)
    member = f"{top}/MASKS/{top}_SAT_R2.tif"       # 20 m bands' saturation (absent from some older layouts)
    if member in box.members:
        masks["SAT_R2"] = Mask(box.gdal_path(member), 2, "saturation bit per band (B5,B6,B7,B8A,B11,B12)")
    platform = _text(mtd, "PLATFORM", "") or ""
    return ProductReader(ProductKind.MAJA_L2A, box.source, top, acquired, tile,
                         platform="S2" + platform[-1] if platform.startswith("SENTINEL2") else platform,
                         reflectance=reflectance, red=band("B4"), nir=band("B8"),
                         rgb=(band("B4"), band("B3"), band("B2")), masks=masks, bands=bands)


def _title_field(title, name):
    try:
        return getattr(parse_title(title), name)
    except ProductFormatError:
        return None


def _open_safe(box, kind, top):
    l2a = kind is ProductKind.SAFE_L2A
    mtd = _xml(box, f"{top}/MTD_MSIL{'2A' if l2a else '1C'}.xml")
    baseline = _text(mtd, "PROCESSING_BASELINE")
    when = _text(mtd, "PRODUCT_START_TIME") or _text(mtd, "DATATAKE_SENSING_START")
    acquired = _parse_time(when) if when else parse_title(top).acquired
    if l2a:
        quant = float(_text(mtd, "BOA_QUANTIFICATION_VALUE", "10000"))
        offsets = {int(el.get("band_id")): float(el.text) for el in mtd.iter("BOA_ADD_OFFSET")}
    else:
        quant = float(_text(mtd, "QUANTIFICATION_VALUE", "10000"))
        offsets = {int(el.get("band_id")): float(el.text) for el in mtd.iter("RADIO_ADD_OFFSET")}
    images = [el.text.strip() for el in mtd.iter("IMAGE_FILE") if el.text]

    def find(suffix, what):
        for img in images:
            if img.endswith(suffix):
                return _require(box, f"{top}/{img}.jp2", what)
        # metadata does not list it: look in the archive itself (some producers list per-resolution only)
        for m in box.names:
            if m.endswith(suffix + ".jp2") and "/IMG_DATA/" in m:
                return box.gdal_path(m)
        raise ProductFormatError(tr("{label} is incomplete: {what} is missing (no *{suffix}.jp2 in the archive).",
                                    label=box.label, what=what, suffix=suffix))

    def band(b, factor=1):
        suffix = (f"_{b}_10m" if factor == 1 else f"_{b}_20m") if l2a else f"_{b}"
        return Band(find(suffix, tr("band {band}", band=b)), 1.0 / quant,
                    offsets.get(_SAFE_BAND_ID[b], 0.0) / quant, 0.0,
                    saturated=SAFE_SATURATED, factor=factor)

    bands = {}
    for name, factor in OPTICAL_BANDS.items():      # B2 -> B02, B8A stays
        safe_name = name if len(name) == 3 else "B0" + name[1:]
        try:
            bands[name] = band(safe_name, factor)
        except ProductFormatError:
            pass                                     # not in this archive: ProductReader.band() says so

    masks = {}
    if l2a:
        masks["SCL"] = Mask(find("_SCL_20m", tr("the scene classification SCL_20m")), 2,
                            "Sen2Cor classes: 0 no data, 1 saturated, 3 cloud shadow, 6 water, 8/9 cloud, "
                            "10 cirrus, 11 snow")
    else:
        for m in box.names:
            if m.startswith(top + "/GRANULE/") and m.endswith("/QI_DATA/MSK_CLASSI_B00.jp2"):
                masks["MSK_CLASSI"] = Mask(box.gdal_path(m), 6, "bands: 1 opaque clouds, 2 cirrus, 3 snow", 3)
    granules = [el.get("granuleIdentifier") for el in mtd.iter("Granule")] + images
    tile = next((m.group(1) for g in granules if g for m in [re.search(r"_T(\d{2}[A-Z]{3})_", g)] if m), None)
    title = top[: -len(".SAFE")]
    return ProductReader(kind, box.source, title, acquired, tile or _title_field(title, "tile"),
                         platform=title[:3], baseline=baseline, reflectance="BOA" if l2a else "TOA",
                         red=band("B04"), nir=band("B08"), rgb=(band("B04"), band("B03"), band("B02")), masks=masks,
                         bands=bands)


def _open_s1(box, top):
    title = top[: -len(".SAFE")]
    acquired = _title_field(title, "acquired") or dt.datetime.fromtimestamp(0, dt.timezone.utc)
    return ProductReader(ProductKind.S1, box.source, title, acquired, None, platform=title[:3], reflectance="")


# ---------------------------------------------------------------- natural colour

def natural_colour_vrt(zip_path, vrt_path, reflectance="FRE"):
    """Write a 3-band B4/B3/B2 VRT reading the product in place (/vsizip/); returns vrt_path.

    The VRT carries each band's scale/offset and nodata so a viewer can show reflectance directly.
    """
    reader = open_product(zip_path, reflectance)
    if not reader.rgb:
        raise ProductFormatError(tr("{basename} is a {value} product: it has no optical bands to show in natural "
                                    "colour.",
                                    basename=os.path.basename(zip_path), value=reader.kind.value))
    tmp = vrt_path + ".part"
    try:
        ds = gdal.BuildVRT(tmp, [b.path for b in reader.rgb], separate=True, srcNodata=reader.rgb[0].nodata,
                           VRTNodata=reader.rgb[0].nodata)
    except RuntimeError as e:
        raise ProductFormatError(tr("{basename}: cannot read the colour bands ({e}).",
                                    basename=os.path.basename(zip_path), e=e)) from e
    if ds is None:
        raise ProductFormatError(tr("{basename}: cannot read the colour bands.", basename=os.path.basename(zip_path)))
    for i, (b, name) in enumerate(zip(reader.rgb, ("Red (B4)", "Green (B3)", "Blue (B2)")), 1):
        rb = ds.GetRasterBand(i)
        rb.SetScale(b.scale)
        rb.SetOffset(b.offset)
        rb.SetDescription(name)
        rb.SetColorInterpretation((gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand)[i - 1])
    ds.SetMetadataItem("PRODUCT_ID", reader.product_id)
    ds = None
    os.replace(tmp, vrt_path)
    return vrt_path
