"""Plain data shared by every part of the plugin: what a user asks for and what a catalogue holds."""
import datetime as dt
import enum
import re
from dataclasses import dataclass, field, replace
from typing import Optional

from .errors import InvalidInputError
from .i18n import tr


class Availability(enum.Enum):
    ONLINE = "online"    # on disk: downloadable now
    STAGING = "staging"  # being brought back (no service here reports it: GEODES and CDSE say online or not)
    OFFLINE = "offline"  # on tape (or long-term archive): the user orders it in the service's web portal
    UNKNOWN = "unknown"


class ProductKind(enum.Enum):
    """What is inside the archive; decides how NDVI is read."""
    MAJA_L2A = "maja_l2a"      # Theia/MAJA surface reflectance zip
    SAFE_L2A = "safe_l2a"      # ESA Sen2Cor L2A SAFE zip
    SAFE_L1C = "safe_l1c"      # ESA L1C SAFE zip (top-of-atmosphere)
    S1 = "s1"                  # Sentinel-1 (download only, no NDVI)


@dataclass(frozen=True)
class Collection:
    provider: str       # "geodes" | "cdse"
    id: str             # the id the user picks and the catalogue knows
    label: str
    kind: ProductKind
    hint: str = ""


COLLECTIONS = (
    Collection("geodes", "THEIA_REFLECTANCE_SENTINEL2_L2A", tr("Sentinel-2 L2A MAJA surface reflectance (Theia)"),
               ProductKind.MAJA_L2A, tr("Surface reflectance with cloud masks: the product NDVI should use.")),
    Collection("geodes", "PEPS_S2_L1C", tr("Sentinel-2 L1C top of atmosphere (PEPS)"), ProductKind.SAFE_L1C,
               tr("Top-of-atmosphere reflectance: NDVI from it is biased by the atmosphere.")),
    Collection("geodes", "PEPS_S1_L1", tr("Sentinel-1 GRD/SLC (PEPS)"), ProductKind.S1,
               tr("Radar: download only, no NDVI.")),
    Collection("cdse", "sentinel-2-l2a", tr("Sentinel-2 L2A Sen2Cor surface reflectance"), ProductKind.SAFE_L2A,
               tr("Surface reflectance with scene classification: the product NDVI should use.")),
    Collection("cdse", "sentinel-2-l1c", tr("Sentinel-2 L1C top of atmosphere"), ProductKind.SAFE_L1C,
               tr("Top-of-atmosphere reflectance: NDVI from it is biased by the atmosphere.")),
    Collection("cdse", "sentinel-1-grd", tr("Sentinel-1 GRD"), ProductKind.S1, tr("Radar: download only, no NDVI.")),
)
PROVIDERS = ("geodes", "cdse")


def collection(provider, collection_id):
    for c in COLLECTIONS:
        if c.provider == provider and c.id == collection_id:
            return c
    known = ", ".join(c.id for c in COLLECTIONS if c.provider == provider)
    if provider not in PROVIDERS:
        raise InvalidInputError(tr("Unknown provider {provider!r}: choose one of {items}.",
                                   provider=provider, items=', '.join(PROVIDERS)))
    raise InvalidInputError(tr("Unknown collection {collection_id!r} for {provider}: choose one of {known}.",
                               collection_id=collection_id, provider=provider, known=known))


@dataclass(frozen=True)
class BBox:
    """A lon/lat (EPSG:4326) box. west > east means it crosses the antimeridian."""
    west: float
    south: float
    east: float
    north: float

    def __post_init__(self):
        for name in ("west", "east"):
            if not -180 <= getattr(self, name) <= 180:
                raise InvalidInputError(tr("Extent {name} longitude {value} is outside -180..180.",
                                           name=name, value=getattr(self, name)))
        for name in ("south", "north"):
            if not -90 <= getattr(self, name) <= 90:
                raise InvalidInputError(tr("Extent {name} latitude {value} is outside -90..90.",
                                           name=name, value=getattr(self, name)))
        if self.south >= self.north or self.west == self.east:
            raise InvalidInputError(tr("The extent is empty: draw or choose an area with a non-zero width and "
                                       "height."))

    @property
    def crosses_antimeridian(self):
        return self.west > self.east


_TILE_RE = re.compile(r"^T?(\d{2}[C-HJ-NP-X][A-HJ-NP-Z]{2})$")


def normalize_tile_id(text):
    """'t31tcj' / 'T31TCJ' / '31TCJ' -> '31TCJ'. Only the form is checked here; tiles.py checks the grid."""
    m = _TILE_RE.match((text or "").strip().upper())
    if not m:
        raise InvalidInputError(
            tr("{text!r} is not a Sentinel-2 tile id: use the MGRS form zone (01-60) + latitude band + two "
               "letters, for example 31TCJ (a leading T is accepted).",
               text=text)
        )
    return m.group(1)


@dataclass(frozen=True)
class SearchQuery:
    provider: str
    collection: str
    start: dt.date
    end: dt.date                      # inclusive
    tile: Optional[str] = None        # normalised '31TCJ'
    bbox: Optional[BBox] = None
    max_cloud: float = 100.0
    relative_orbit: Optional[int] = None
    product_type: Optional[str] = None   # GEODES PEPS_S1_L1: "GRD" (None: the default), "SLC" or "any"

    def __post_init__(self):
        collection(self.provider, self.collection)
        if self.tile is not None:
            object.__setattr__(self, "tile", normalize_tile_id(self.tile))
        if (self.tile is None) == (self.bbox is None):
            raise InvalidInputError(tr("Give either a tile id or an extent (not both, not neither)."))
        for name in ("start", "end"):
            if not isinstance(getattr(self, name), dt.date):
                raise InvalidInputError(tr("The {name} date must be a date, got {value!r}.",
                                           name=name, value=getattr(self, name)))
        if self.end < self.start:
            raise InvalidInputError(tr("The end date {end} is before the start date {start}.",
                                       end=self.end, start=self.start))
        if not 0 <= self.max_cloud <= 100:
            raise InvalidInputError(tr("Maximum cloud cover must be between 0 and 100 %, got {max_cloud}.",
                                       max_cloud=self.max_cloud))
        if self.relative_orbit is not None and not 1 <= self.relative_orbit <= 175:
            raise InvalidInputError(tr("Relative orbit must be between 1 and 175, got {relative_orbit}.",
                                       relative_orbit=self.relative_orbit))
        if self.product_type not in (None, "GRD", "SLC", "any"):
            raise InvalidInputError(tr("Sentinel-1 product type must be GRD, SLC or any, got {product_type!r}.",
                                       product_type=self.product_type))

    @property
    def kind(self):
        return collection(self.provider, self.collection).kind


@dataclass(frozen=True)
class Product:
    provider: str
    id: str                           # the catalogue's id (GEODES URN, CDSE UUID)
    title: str                        # product name without extension
    collection: str
    platform: str                     # S2A, S2B, S2C, S1A…
    acquired: dt.datetime             # UTC, timezone-aware
    tile: Optional[str]               # '31TCJ' (no T) or None for S1
    relative_orbit: Optional[int]
    cloud_cover: Optional[float]
    size: Optional[int]               # bytes of the archive
    checksum: Optional[str]           # MD5, lowercase hex
    availability: Availability
    footprint: Optional[dict] = None  # GeoJSON geometry, lon/lat
    quicklook_url: Optional[str] = None
    download_url: Optional[str] = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)  # provider specifics (e.g. GEODES endpoint_url)

    @property
    def kind(self):
        return collection(self.provider, self.collection).kind

    @property
    def online(self):
        return self.availability is Availability.ONLINE

    def with_availability(self, availability):
        return replace(self, availability=availability)

    def to_dict(self):
        """Plain JSON-able values: the download journal keeps the products on tape so a later process can resume
        watching them (product_from_dict)."""
        return {"provider": self.provider, "id": self.id, "title": self.title, "collection": self.collection,
                "platform": self.platform, "acquired": self.acquired.isoformat(), "tile": self.tile,
                "relative_orbit": self.relative_orbit, "cloud_cover": self.cloud_cover, "size": self.size,
                "checksum": self.checksum, "availability": self.availability.value, "footprint": self.footprint,
                "quicklook_url": self.quicklook_url, "download_url": self.download_url,
                "extra": {k: v for k, v in self.extra.items() if isinstance(v, (str, int, float, bool, type(None)))}}


def product_from_dict(data):
    """The Product that to_dict wrote; InvalidInputError when the record is damaged (a journal anyone can edit)."""
    try:
        acquired = dt.datetime.fromisoformat(data["acquired"])
        collection(data["provider"], data["collection"])
        return Product(provider=data["provider"], id=str(data["id"]), title=str(data["title"]),
                       collection=data["collection"], platform=str(data.get("platform") or ""),
                       acquired=acquired if acquired.tzinfo else acquired.replace(tzinfo=dt.timezone.utc),
                       tile=data.get("tile"), relative_orbit=data.get("relative_orbit"),
                       cloud_cover=data.get("cloud_cover"), size=data.get("size"), checksum=data.get("checksum"),
                       availability=Availability(data.get("availability", "unknown")),
                       footprint=data.get("footprint"), quicklook_url=data.get("quicklook_url"),
                       download_url=data.get("download_url"), extra=dict(data.get("extra") or {}))
    except (KeyError, TypeError, ValueError) as e:
        raise InvalidInputError(tr("A product record in the download journal is damaged ({e}).", e=e)) from None


class ProductState(enum.Enum):
    """Where a product is in the download pipeline (shown per row in the dock).

    OFFLINE: on tape, waiting for the user's order in the service's portal (the status reason says where, e.g.
    "order in the GEODES explorer"); the pipeline watches it and downloads it once online. Not a failure."""
    OFFLINE = "offline"
    STAGING = "staging"   # kept for old journals and layers; the pipeline no longer reports it
    QUEUED = "queued"
    DOWNLOADING = "downloading"
    VERIFYING = "verifying"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ProductStatus:
    product_id: str
    state: ProductState
    bytes_done: int = 0
    bytes_total: Optional[int] = None
    reason: str = ""                  # why it failed, in plain words
    path: Optional[str] = None        # the verified archive, once DONE
