"""The spectral indices the engine computes (plugin/core/ndvi.py), their bands, formulas and output encodings.

All on Sentinel-2 surface (L2A) or top-of-atmosphere (L1C) reflectance in 0..1 (raw * scale + offset):
- normalized differences (a - b) / (a + b): NDVI (B8, B4), NDWI (B3, B8; McFeeters, open water), MNDWI
  (B3, B11; Xu), NDMI (B8, B11; moisture), NBR (B8, B12; burn ratio), NDRE (B8A, B5; red edge);
- SAVI = (1 + L) (NIR - red) / (NIR + red + L), L = 0.5 (Huete 1988);
- EVI = G (NIR - red) / (NIR + C1 red - C2 blue + L), G = 2.5, C1 = 6, C2 = 7.5, L = 1 (Huete 2002).
B5, B8A, B11, B12 are 20 m bands: the engine brings them onto the 10 m grid by exact 2 x 2 nearest-neighbour
replication (each 20 m pixel becomes the four 10 m pixels it covers) and says so in the output's metadata.
Every index is clipped to [-1, 1] (where a reflectance is negative after the L2A/L1C offset, or EVI's
denominator is small, the formula can leave it).

Encodings: float32 (exact, nodata -9999) or int16 (round(index x 10000), nodata -32768, band scale 0.0001 and
offset 0 in the GeoTIFF so QGIS and GDAL show true values; rounding error at most 0.5e-4, a third of the size).
"""
from dataclasses import dataclass

from .errors import InvalidInputError
from .i18n import tr

FLOAT32, INT16 = "float32", "int16"
ENCODINGS = (FLOAT32, INT16)
FLOAT32_NODATA = -9999.0
INT16_NODATA = -32768
INT16_SCALE = 1e-4          # stored value = round(index / INT16_SCALE)


@dataclass(frozen=True)
class SpectralIndex:
    name: str               # "NDVI": also the output suffix (<product>_NDVI.tif) and the layer name
    title: str
    formula: str            # in band names, for the metadata and the help
    bands: tuple            # the bands in the formula's order (normalized difference: (a, b) for (a-b)/(a+b))
    kind: str               # "nd" | "savi" | "evi"
    style: str              # resources/styles/<style>.qml
    constants: tuple = ()   # SAVI: (L,); EVI: (G, C1, C2, L)

    @property
    def constants_text(self):
        names = {"savi": ("L",), "evi": ("G", "C1", "C2", "L")}.get(self.kind, ())
        return ", ".join(f"{n} = {v:g}" for n, v in zip(names, self.constants))


INDICES = {i.name: i for i in (
    SpectralIndex("NDVI", tr("Normalized Difference Vegetation Index"), "(B8 - B4) / (B8 + B4)", ("B8", "B4"), "nd",
                  "ndvi"),
    SpectralIndex("NDWI", tr("Normalized Difference Water Index (McFeeters)"), "(B3 - B8) / (B3 + B8)", ("B3", "B8"),
                  "nd", "water"),
    SpectralIndex("MNDWI", tr("Modified Normalized Difference Water Index"), "(B3 - B11) / (B3 + B11)",
                  ("B3", "B11"), "nd", "water"),
    SpectralIndex("NDMI", tr("Normalized Difference Moisture Index"), "(B8 - B11) / (B8 + B11)", ("B8", "B11"), "nd",
                  "moisture"),
    SpectralIndex("NBR", tr("Normalized Burn Ratio"), "(B8 - B12) / (B8 + B12)", ("B8", "B12"), "nd", "burn"),
    SpectralIndex("NDRE", tr("Normalized Difference Red Edge index"), "(B8A - B5) / (B8A + B5)", ("B8A", "B5"), "nd",
                  "ndvi"),
    SpectralIndex("EVI", tr("Enhanced Vegetation Index"), "2.5 * (B8 - B4) / (B8 + 6 * B4 - 7.5 * B2 + 1)",
                  ("B8", "B4", "B2"), "evi", "ndvi", (2.5, 6.0, 7.5, 1.0)),
    SpectralIndex("SAVI", tr("Soil Adjusted Vegetation Index"), "1.5 * (B8 - B4) / (B8 + B4 + 0.5)", ("B8", "B4"),
                  "savi", "ndvi", (0.5,)),
)}
INDEX_NAMES = tuple(INDICES)          # NDVI first: the default everywhere


def get_index(name):
    """The SpectralIndex called name (any case), or InvalidInputError listing the choices."""
    key = str(name or "NDVI").strip().upper()
    if key not in INDICES:
        raise InvalidInputError(tr("Unknown index {name!r}: choose one of {items}.",
                                   name=name, items=', '.join(INDEX_NAMES)))
    return INDICES[key]


def check_encoding(encoding):
    value = str(encoding or FLOAT32).strip().lower()
    if value not in ENCODINGS:
        raise InvalidInputError(tr("Unknown output encoding {encoding!r}: choose float32 or int16.",
                                   encoding=encoding))
    return value
