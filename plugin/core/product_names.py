"""What a Sentinel product title says: kind, platform, acquisition time, tile, processing baseline.

Pure stdlib. Shared by the product readers and the test simulator that builds archives from titles.
Titles are checked against the real naming conventions:
- Theia/MAJA L2A: SENTINEL2A_20190314-104911-877_L2A_T31TCH_C_V2-2  (platform_date-time-ms_level_tile_flag_version)
- ESA SAFE:       S2A_MSIL2A_20230801T100031_N0509_R122_T34VFJ_20230801T120000
- Sentinel-1:     S1A_IW_GRDH_1SDV_20230801T055912_20230801T055937_049678_05F958_1A2B
"""
import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Optional

from .errors import ProductFormatError
from .models import ProductKind
from .i18n import tr

# Files the plugin writes beside or from a product, named after it (never after anything else).
NDVI_SUFFIX = "_NDVI"   # <product>_NDVI.tif, in the NDVI folder
RGB_SUFFIX = "_RGB"     # <archive stem>_RGB.vrt, the natural-colour view next to the archive


def natural_colour_path(zip_path):
    """The natural-colour VRT of an archive: next to it, '<archive stem>_RGB.vrt'."""
    stem, _ = os.path.splitext(str(zip_path))
    return stem + RGB_SUFFIX + ".vrt"


_MAJA = re.compile(
    r"^SENTINEL2(?P<unit>[A-D])_(?P<date>\d{8})-(?P<time>\d{6})-(?P<ms>\d{3})_L2A_T(?P<tile>\d{2}[A-Z]{3})"
    r"_(?P<flag>[A-Z])(?:_V(?P<version>\d+-\d+))?$")
_SAFE = re.compile(
    r"^S2(?P<unit>[A-D])_MSI(?P<level>L1C|L2A)_(?P<date>\d{8})T(?P<time>\d{6})_N(?P<baseline>\d{4})"
    r"_R(?P<orbit>\d{3})_T(?P<tile>\d{2}[A-Z]{3})_(?P<gen>\d{8}T\d{6})$")
_S1 = re.compile(r"^S1(?P<unit>[A-D])_(?P<mode>[A-Z0-9]{2})_(?P<type>[A-Z]{3}[A-Z_])_(?P<cls>\w{4})"
                 r"_(?P<start>\d{8}T\d{6})_(?P<stop>\d{8}T\d{6})_\w+$")

_SUFFIXES = (".zip", ".SAFE")


@dataclass(frozen=True)
class TitleInfo:
    kind: ProductKind
    title: str
    platform: str                    # S2A, S2B, S1A…
    acquired: dt.datetime            # UTC, timezone-aware
    tile: Optional[str]              # '31TCJ' (no T), None for S1
    baseline: Optional[str] = None   # ESA processing baseline '05.09', None for MAJA/S1
    version: Optional[str] = None    # MAJA product version '2-2'
    relative_orbit: Optional[int] = None

    @property
    def baseline_number(self):
        return float(self.baseline) if self.baseline else None


def strip_suffix(title):
    for s in _SUFFIXES:
        if title.endswith(s):
            return title[: -len(s)]
    return title


def parse_title(title):
    """TitleInfo from a product title (with or without .zip/.SAFE), or ProductFormatError naming the forms."""
    t = strip_suffix(title.strip())
    m = _MAJA.match(t)
    if m:
        when = dt.datetime.strptime(m["date"] + m["time"], "%Y%m%d%H%M%S").replace(
            microsecond=int(m["ms"]) * 1000, tzinfo=dt.timezone.utc)
        return TitleInfo(ProductKind.MAJA_L2A, t, "S2" + m["unit"], when, m["tile"], version=m["version"])
    m = _SAFE.match(t)
    if m:
        when = dt.datetime.strptime(m["date"] + m["time"], "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc)
        kind = ProductKind.SAFE_L2A if m["level"] == "L2A" else ProductKind.SAFE_L1C
        b = m["baseline"]
        return TitleInfo(kind, t, "S2" + m["unit"], when, m["tile"], baseline=f"{b[:2]}.{b[2:]}",
                         relative_orbit=int(m["orbit"]))
    m = _S1.match(t)
    if m:
        when = dt.datetime.strptime(m["start"], "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)
        return TitleInfo(ProductKind.S1, t, "S1" + m["unit"], when, None)
    raise ProductFormatError(
        tr("{title!r} is not a Sentinel product name this plugin knows: expected a Theia/MAJA L2A name "
           "(SENTINEL2A_20190314-104911-877_L2A_T31TCH_C_V2-2), an ESA SAFE name "
           "(S2A_MSIL2A_20230801T100031_N0509_R122_T34VFJ_20230801T120000) or a Sentinel-1 name.",
           title=title))
