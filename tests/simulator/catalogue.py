"""The simulated catalogue: products generated deterministically from a seed, their tape state and archives.

Every tile is acquired every 5 days, alternately by S2A and S2B (each on a 10-day, 143-orbit cycle), on one
relative orbit per tile. One acquisition gives one product per configured collection (same scene, same
cloud cover). Archives are real zips built by archives.build_archive, lazily, and cached on disk.
"""
import datetime as dt
import hashlib
import json
import os
import random
import struct
import threading
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Optional

from plugin.core.models import Availability, ProductKind, collection as find_collection
from plugin.core.tiles import tile_footprint

GEODES_COLLECTIONS = ("THEIA_REFLECTANCE_SENTINEL2_L2A", "PEPS_S2_L1C")
CDSE_COLLECTIONS = {"sentinel-2-l2a": "S2MSI2A", "sentinel-2-l1c": "S2MSI1C"}
_EPOCH = dt.date(2015, 6, 23)          # S2A launch: orbit counting origin
_UUID_NS = uuid.UUID("5a1e0000-0000-4000-8000-00000000beef")


def provider_of(collection_id):
    return "geodes" if collection_id in GEODES_COLLECTIONS else "cdse"


@dataclass
class SimProduct:
    id: str
    provider: str
    collection: str
    kind: ProductKind
    title: str
    platform: str
    acquired: dt.datetime
    tile: str
    relative_orbit: int
    absolute_orbit: int
    cloud_cover: float
    bbox: tuple                       # lon/lat west, south, east, north
    footprint: dict
    staging_delay_s: float
    stuck: bool = False
    state: str = "online"             # online | offline | staging
    first_request_at: Optional[float] = None
    ready_at: Optional[float] = None
    size: Optional[int] = None        # filled when the archive is built
    md5: Optional[str] = None
    path: Optional[str] = None
    quicklook: bytes = b""
    quicklook_md5: str = ""
    base_url: str = ""                # service base URL, set by the server
    _catalogue: object = field(default=None, repr=False, compare=False)

    # --- tape --------------------------------------------------------------------------------------
    def refresh(self, now):
        if self.state == "staging" and self.ready_at is not None and now >= self.ready_at:
            self.state = "online"
        return self.state

    def trigger_staging(self, now, rerequest_after_s):
        """A request for the product while it is not on disk (the implicit PEPS-style staging order)."""
        if self.state == "offline":
            self.state = "staging"
            self.first_request_at = now
            self.ready_at = None if self.stuck else now + self.staging_delay_s
        elif (self.state == "staging" and self.ready_at is None
              and now - self.first_request_at >= rerequest_after_s):
            self.ready_at = now + self.staging_delay_s   # re-requested late enough: unsticks

    @property
    def availability(self):
        if self._catalogue is not None:
            self._catalogue.refresh(self)
        return {"online": Availability.ONLINE, "staging": Availability.STAGING,
                "offline": Availability.OFFLINE}[self.state]

    @property
    def online(self):
        return self.availability is Availability.ONLINE

    # --- archive -----------------------------------------------------------------------------------
    def ensure_archive(self):
        if self.md5 is None:
            self._catalogue.archives.ensure(self)
        return self.path

    @property
    def zip_name(self):
        return self.title + ".zip"

    @property
    def cdse_name(self):
        return self.title + ".SAFE"

    @property
    def download_url(self):
        self.ensure_archive()
        if self.provider == "geodes":
            return f"{self.base_url}/api/download/{self.id}/files/{self.md5}"
        return f"{self.base_url}/odata/v1/Products({self.id})/$value"

    @property
    def quicklook_url(self):
        if self.provider == "geodes":
            return f"{self.base_url}/api/quicklook/{self.id}/files/{self.quicklook_md5}?scope=gdh"
        return f"{self.base_url}/odata/v1/Assets({self.id})/$value"

    @property
    def endpoint_url(self):
        """GEODES datalake path (what the real items carry in properties.endpoint_url)."""
        bucket = "sentinel2-l1c" if self.collection == "PEPS_S2_L1C" else "muscate-sentinel2-l2a"
        t, d = self.tile, self.acquired
        return (f"https://s3.datalake.cnes.fr/{bucket}/{t[:2]}/{t[2]}/{t[3:]}/"
                f"{d:%Y/%m/%d}/{self.zip_name}")


# --- tiles ---------------------------------------------------------------------------------------------
def tile_lonlat_bbox(tile):
    """lon/lat bounds (west > east across the antimeridian) and GeoJSON footprint of a tile's ESA square."""
    fp = tile_footprint(tile)
    ring = [[round(x, 6), round(y, 6)] for x, y in fp.lonlat_polygon(points_per_side=1)]
    return fp.lonlat_bounds(), {"type": "Polygon", "coordinates": [ring]}


def _tile_seed(tile):
    return int(hashlib.md5(tile.encode()).hexdigest()[:8], 16)


def _baseline(day):
    if day >= dt.date(2023, 7, 1):
        return "0509"
    if day >= dt.date(2022, 1, 25):
        return "0400"
    return "0213"


# --- the catalogue -------------------------------------------------------------------------------------
class Catalogue:
    def __init__(self, config, archives, clock):
        self.config = config
        self.archives = archives
        self.clock = clock
        self.lock = threading.RLock()
        self.products = self._generate()
        self.by_id = {p.id: p for p in self.products}
        self.by_title = {}
        for p in self.products:
            self.by_title.setdefault((p.provider, p.title), p)

    def refresh(self, product):
        with self.lock:
            product.refresh(self.clock())

    def find(self, key):
        """By catalogue id, or by title (any provider)."""
        if key in self.by_id:
            return self.by_id[key]
        for p in self.products:
            if p.title == key:
                return p
        raise KeyError(key)

    def of(self, provider):
        return [p for p in self.products if p.provider == provider]

    def _generate(self):
        cfg = self.config
        out = []
        for tile in cfg.tiles:
            bbox, footprint = tile_lonlat_bbox(tile)
            ts = _tile_seed(tile)
            phase, rel = ts % 5, (ts // 5) % 143 + 1
            lon0 = (bbox[0] + bbox[2]) / 2
            utc_hours = 10.5 - lon0 / 15.0          # ~10:30 local solar time, sun-synchronous
            day = cfg.start
            while day <= cfg.end:
                n = (day - _EPOCH).days
                if (n - phase) % 5 == 0:
                    out.extend(self._acquisition(tile, day, n, phase, rel, utc_hours, bbox, footprint))
                day += dt.timedelta(days=1)
        out.sort(key=lambda p: (p.acquired, p.collection, p.title))
        for p in out:
            p._catalogue = self
        return out

    def _acquisition(self, tile, day, n, phase, rel, utc_hours, bbox, footprint):
        cfg = self.config
        scene = random.Random(f"{cfg.seed}|{tile}|{day}")
        platform = "S2A" if ((n - phase) // 5) % 2 == 0 else "S2B"
        cycle = n // 10
        absolute = cycle * 143 + rel + (0 if platform == "S2A" else -11000)
        secs = int(utc_hours * 3600) + scene.randint(-60, 60)
        acquired = dt.datetime.combine(day, dt.time(), dt.timezone.utc) + dt.timedelta(
            seconds=secs, milliseconds=scene.choice((24, 31, 877, 458)))
        cloud = round(100 * scene.random() ** 1.6, 3)    # skewed to clear, like a real year
        gen = acquired + dt.timedelta(hours=scene.randint(1, 20), seconds=scene.randint(0, 3599))
        products = []
        for coll in cfg.collections:
            title = _title(coll, platform, acquired, gen, rel, tile)
            provider = provider_of(coll)
            r = random.Random(f"{cfg.seed}|{coll}|{title}")
            frac = cfg.offline_fraction if provider == "geodes" else cfg.cdse_offline_fraction
            offline = r.random() < frac
            stuck = offline and r.random() < cfg.stuck_fraction
            lo, hi = cfg.delay_range()
            delay = lo + (hi - lo) * r.random()
            uid = uuid.uuid5(_UUID_NS, f"{cfg.seed}|{coll}|{title}")
            pid = f"URN:FEATURE:DATA:gdh:{uid}:V1" if provider == "geodes" else str(uid)
            ql = _png(hashlib.md5(title.encode()).digest())
            products.append(SimProduct(
                id=pid, provider=provider, collection=coll, kind=find_collection(provider, coll).kind,
                title=title, platform=platform, acquired=acquired, tile=tile, relative_orbit=rel,
                absolute_orbit=absolute, cloud_cover=cloud, bbox=bbox, footprint=footprint,
                staging_delay_s=delay, stuck=stuck, state="offline" if offline else "online",
                quicklook=ql, quicklook_md5=hashlib.md5(ql).hexdigest()))
        return products


def _title(coll, platform, acquired, gen, rel, tile):
    if coll == "THEIA_REFLECTANCE_SENTINEL2_L2A":
        version = "V3-1" if acquired.year >= 2022 else "V2-2"
        return (f"SENTINEL2{platform[-1]}_{acquired:%Y%m%d-%H%M%S}-{acquired.microsecond // 1000:03d}"
                f"_L2A_T{tile}_C_{version}")
    level = "L2A" if coll in ("sentinel-2-l2a",) else "L1C"
    return (f"{platform}_MSI{level}_{acquired:%Y%m%dT%H%M%S}_N{_baseline(acquired.date())}_R{rel:03d}"
            f"_T{tile}_{gen:%Y%m%dT%H%M%S}")


def _png(seed_bytes, size=16):
    """A tiny deterministic RGB PNG (stdlib only) standing in for a quicklook."""
    r, g, b = seed_bytes[0], seed_bytes[1], seed_bytes[2]
    raw = b"".join(b"\x00" + bytes((r, (g + y * 8) % 256, b)) * size for y in range(size))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --- archives ------------------------------------------------------------------------------------------
class ArchiveStore:
    """Builds each product's zip once (real archives from archives.py), remembers size and MD5 next to it."""

    def __init__(self, work_dir, full_size=False, pad_to=None, seed=0):
        self.work_dir, self.full_size, self.pad_to, self.seed = work_dir, full_size, pad_to, seed
        self._locks = {}
        self._guard = threading.Lock()

    def _lock(self, key):
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def ensure(self, product):
        variant = f"{'full' if self.full_size else 'small'}-pad{self.pad_to or 0}-seed{self.seed}"
        folder = os.path.join(self.work_dir, variant, product.kind.value)
        path = os.path.join(folder, product.zip_name)
        meta_path = path + ".meta.json"
        with self._lock(path):
            if product.md5 is not None:
                return
            meta = _read_json(meta_path)
            if not (meta and os.path.exists(path) and os.path.getsize(path) == meta["size"]):
                os.makedirs(folder, exist_ok=True)
                tmp = path + ".building"
                _build(product.kind, product.title, tmp, full_size=self.full_size, seed=self.seed,
                       pad_to=self.pad_to)
                meta = {"size": os.path.getsize(tmp), "md5": _md5_file(tmp)}
                os.replace(tmp, path)
                with open(meta_path, "w") as f:
                    json.dump(meta, f)
            product.path, product.size, product.md5 = path, meta["size"], meta["md5"]


def _build(kind, title, dest, **kw):
    from . import archives   # helper H5's real archive builder (imports GDAL: loaded only when needed)
    archives.build_archive(kind, title, dest, **kw)


def _read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _md5_file(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def bbox_intersects(a, b):
    """lon/lat boxes (w, s, e, n); either may cross the antimeridian (w > e)."""
    if a[0] > a[2]:
        return bbox_intersects((a[0], a[1], 180.0, a[3]), b) or bbox_intersects((-180.0, a[1], a[2], a[3]), b)
    if b[0] > b[2]:
        return bbox_intersects(a, (b[0], b[1], 180.0, b[3])) or bbox_intersects(a, (-180.0, b[1], b[2], b[3]))
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


def geometry_bbox(geom):
    """Bounds of a GeoJSON Polygon/MultiPolygon (list of boxes for a MultiPolygon)."""
    def ring_bbox(rings):
        xs = [pt[0] for ring in rings for pt in ring]
        ys = [pt[1] for ring in rings for pt in ring]
        return (min(xs), min(ys), max(xs), max(ys))
    if geom["type"] == "Polygon":
        return [ring_bbox(geom["coordinates"])]
    if geom["type"] == "MultiPolygon":
        return [ring_bbox(poly) for poly in geom["coordinates"]]
    raise ValueError(f"unsupported geometry type {geom['type']}")

