"""The simulated catalogue: products generated deterministically from a seed, their tape state and archives.

Sentinel-2: every tile is acquired every 5 days, alternately by S2A and S2B (each on a 10-day, 143-orbit
cycle), on one relative orbit per tile. One acquisition gives one product per configured collection (same
scene, same cloud cover).
Sentinel-1 (IW GRDH, only when an S1 collection is configured): each tile lies under one descending (dawn)
and one ascending (dusk) track, flown every 12 days by S1A and 6 days later by S1B (until its failure) or
S1C (after its commissioning); absolute orbits follow the real 175-orbit / 12-day repeat from real
reference products, relative orbits follow PEPS's formulas. Footprints are a 250 km x 170 km slice around
the tile (see DEPARTURES.md).
Archives are real zips built by archives.build_archive, lazily, and cached on disk.
"""
import datetime as dt
import hashlib
import json
import math
import os
import random
import threading
import uuid
from dataclasses import dataclass, field
from typing import Optional

from plugin.core.models import Availability, ProductKind, collection as find_collection
from plugin.core.tiles import tile_footprint

GEODES_COLLECTIONS = ("THEIA_REFLECTANCE_SENTINEL2_L2A", "PEPS_S2_L1C", "PEPS_S1_L1")
CDSE_COLLECTIONS = {"sentinel-2-l2a": "S2MSI2A", "sentinel-2-l1c": "S2MSI1C", "sentinel-1-grd": "IW_GRDH_1S"}
S1_SIM_COLLECTIONS = ("PEPS_S1_L1", "sentinel-1-grd")
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
    tile: Optional[str]               # None for Sentinel-1 (not cut into tiles): see area_tile
    relative_orbit: int
    absolute_orbit: int
    cloud_cover: float
    bbox: tuple                       # lon/lat west, south, east, north
    footprint: dict
    staging_delay_s: float            # how long the recall takes once the user has ordered it
    state: str = "online"             # online | offline (on tape) | ordered (recall under way after a portal order)
    ordered_at: Optional[float] = None
    ready_at: Optional[float] = None
    product_type: Optional[str] = None   # GEODES product:type (S1: GRD or SLC)
    archive_title: Optional[str] = None  # the archive's own name when it differs from the title (THEIA V4-0, SLC)
    no_checksum: bool = False         # CDSE: an old entity listed with ContentLength 0 and no Checksum
    size: Optional[int] = None        # filled when the archive is built
    md5: Optional[str] = None
    path: Optional[str] = None
    _quicklook: Optional[bytes] = field(default=None, repr=False, compare=False)   # rendered on first use
    base_url: str = ""                # service base URL, set by the server
    # Sentinel-1 only
    orbit_state: str = "descending"   # ascending | descending
    polarisations: tuple = ()         # ("VV", "VH")
    stop: Optional[dt.datetime] = None
    area_tile: Optional[str] = None   # the configured tile this S1 slice was generated over
    _catalogue: object = field(default=None, repr=False, compare=False)

    # --- tape --------------------------------------------------------------------------------------
    def refresh(self, now):
        if self.state == "ordered" and self.ready_at is not None and now >= self.ready_at:
            self.state = "online"
        return self.state

    def order(self, now):
        """The user's order in the web portal (GEODES explorer, CDSE Data Workspace): the recall starts. No API
        request does this (shared/notes/real-services.md); tests and the demo call MirrorSimulator.order."""
        if self.state == "offline":
            self.state, self.ordered_at, self.ready_at = "ordered", now, now + self.staging_delay_s

    @property
    def availability(self):
        if self._catalogue is not None:
            self._catalogue.refresh(self)
        return {"online": Availability.ONLINE, "ordered": Availability.STAGING,
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
        return (self.archive_title if self.archive_title and self.kind is ProductKind.MAJA_L2A else self.title) + ".zip"

    @property
    def built_title(self):
        """The title the archive (and its quicklook) is built from."""
        return self.archive_title or self.title

    @property
    def advertised_md5(self):
        """The MD5 as GEODES writes it in hrefs and descriptions: upper case for Sentinel-1 products acquired before
        S1_LOWER_MD5_FROM (the 40 recorded 2020 S1A/S1B items), lower case after it (the recorded 2025-12 S1C
        item) and for every S2 and THEIA product."""
        self.ensure_archive()
        if self.is_s1 and self.provider == "geodes" and self.acquired.date() < S1_LOWER_MD5_FROM:
            return self.md5.upper()
        return self.md5

    @property
    def published(self):
        """GEODES item `datetime`: when the product was processed and published, not the acquisition (which is
        start_datetime/end_datetime). Recorded: S1 2.5-31 h after the slice (mostly 3-5 h); S2 L1C when the
        archive was republished (2024-06-18 for 2020 N0500 products); THEIA V4-0 2025-07-23 for 2020 acquisitions.
        Deterministic per product."""
        r = random.Random(f"published|{self.id}")
        if self.is_s1:
            return (self.stop or self.acquired) + dt.timedelta(seconds=r.randint(int(2.5 * 3600), 5 * 3600))
        if self.kind is ProductKind.MAJA_L2A:   # all reprocessed to V4-0 (published then), or made after it
            return max(self.acquired + dt.timedelta(seconds=r.randint(86400, 3 * 86400)),
                       THEIA_V4_PUBLISHED + dt.timedelta(seconds=r.randint(0, 3600)))
        # S2 L1C: after the processing time the title carries (…_<yyyymmddThhmmss>)
        made = dt.datetime.strptime(self.title.rsplit("_", 1)[1], "%Y%m%dT%H%M%S").replace(tzinfo=dt.timezone.utc)
        return max(made, self.acquired) + dt.timedelta(seconds=r.randint(1200, 7200))

    @property
    def cdse_name(self):
        return self.title + ".SAFE"

    @property
    def download_url(self):
        self.ensure_archive()
        if self.provider == "geodes":
            return f"{self.base_url}/api/download/{self.id}/files/{self.advertised_md5}"
        return f"{self.base_url}/odata/v1/Products({self.id})/$value"

    @property
    def quicklook(self):
        """PNG preview of the archive's own scene (archives.quicklook_png): a few ms, on first use, then kept."""
        if self._quicklook is None:
            self._quicklook = self._catalogue.archives.quicklook(self)
        return self._quicklook

    @property
    def quicklook_md5(self):
        return hashlib.md5(self.quicklook).hexdigest()

    @property
    def quicklook_url(self):
        if self.provider == "geodes":
            return f"{self.base_url}/api/quicklook/{self.id}/files/{self.quicklook_md5}?scope=gdh"
        return f"{self.base_url}/odata/v1/Assets({self.id})/$value"

    @property
    def is_s1(self):
        return self.kind is ProductKind.S1

    @property
    def endpoint_url(self):
        """GEODES datalake path (what the real items carry in properties.endpoint_url)."""
        if self.is_s1:   # recorded: …/sentinel1-grd/2025/12/17/<name>.zip, …/sentinel1-slc/2020/01/27/<name>.zip
            bucket = "sentinel1-slc" if self.product_type == "SLC" else "sentinel1-grd"
            return f"https://s3.datalake.cnes.fr/{bucket}/{self.acquired:%Y/%m/%d}/{self.zip_name}"
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


# --- Sentinel-1 orbits -----------------------------------------------------------------------------------
S1_REPEAT_S = 12 * 86400          # 175 orbits in exactly 12 days
# platform -> (reference start time, its absolute orbit, PEPS relative-orbit offset, first day, last day).
# S1A and S1B references are real products (S1A_IW_GRDH_1SDV_20230801T055912_..._049678,
# S1B_IW_RAW__0SDV_20210810T044826_..._028179), and the two agree: S1B flies S1A's tracks 6 days later.
# S1C has no real reference here: orbit 1 at launch (2024-12-05), offset chosen so it flies S1B's tracks.
S1_PLATFORMS = {
    "S1A": (dt.datetime(2023, 8, 1, 5, 59, 12, tzinfo=dt.timezone.utc), 49678, 73, dt.date(2014, 10, 3), None),
    "S1B": (dt.datetime(2021, 8, 10, 4, 48, 26, tzinfo=dt.timezone.utc), 28179, 27, dt.date(2016, 9, 26),
            dt.date(2021, 12, 23)),
    "S1C": (dt.datetime(2024, 12, 5, 21, 20, tzinfo=dt.timezone.utc), 1, 174, dt.date(2025, 3, 26), None),
}


def _s1_active(platform, day):
    _, _, _, first, last = S1_PLATFORMS[platform]
    return first <= day and (last is None or day <= last)


def _s1_platform(day, first_half):
    """Who flies a track on `day`: S1A on its 12-day cycle, S1B / S1C on the days in between."""
    if first_half:
        return "S1A" if _s1_active("S1A", day) else None
    return next((p for p in ("S1B", "S1C") if _s1_active(p, day)), None)


def _s1_orbit_estimate(platform, when):
    ref, orbit, _, _, _ = S1_PLATFORMS[platform]
    secs = int((when - ref).total_seconds())
    return orbit + (175 * secs) // S1_REPEAT_S     # integer maths: exactly +175 every 12 days


def s1_relative_orbit(platform, absolute):
    """PEPS's rule: ((orbit - 73) % 175) + 1 for S1A, ((orbit - 27) % 175) + 1 for S1B."""
    return (absolute - S1_PLATFORMS[platform][2]) % 175 + 1


def s1_snap_orbit(platform, estimate, relative):
    """The absolute orbit nearest `estimate` that lies on `relative` (keeps all platforms on one track)."""
    delta = (relative - s1_relative_orbit(platform, estimate)) % 175
    return estimate + (delta - 175 if delta > 87 else delta)


def s1_datatake(platform, absolute):
    """Mission datatake id: grows about 9 per orbit (linear fit of real S1A/S1B product names)."""
    if platform == "S1A":
        return (0x05F958 + round((absolute - 49678) * 8.956)) % 0x1000000
    if platform == "S1B":
        return round(absolute * 7.8185) % 0x1000000
    return (0x000100 + absolute * 9) % 0x1000000


def tile_centre(bounds):
    w, s, e, n = bounds
    if w > e:
        e += 360.0
    lon = (w + e) / 2
    return (lon + 180.0) % 360.0 - 180.0, (s + n) / 2


def s1_footprint(lon0, lat0, direction, along_km, across_km):
    """A 170 km (along track) x 250 km (across) slice, turned to the ground track's heading, whose centre is
    (along_km, across_km) from (lon0, lat0): closed ring, counter-clockwise, longitudes unwrapped."""
    heading = math.radians(193.0 if direction == "descending" else 347.0)
    ax, ay = math.sin(heading), math.cos(heading)        # along-track unit vector (east, north)
    cx, cy = ay, -ax                                     # across-track unit vector (to the right)
    ox, oy = along_km * ax + across_km * cx, along_km * ay + across_km * cy
    corners = [(-85.0, -125.0), (-85.0, 125.0), (85.0, 125.0), (85.0, -125.0)]
    km_lat = 111.32
    km_lon = km_lat * max(math.cos(math.radians(lat0)), 0.05)
    ring = []
    for a, c in corners:
        x, y = ox + a * ax + c * cx, oy + a * ay + c * cy
        ring.append((lon0 + x / km_lon, max(-89.9, min(89.9, lat0 + y / km_lat))))
    if _signed_area(ring) < 0:
        ring.reverse()
    return ring + [ring[0]]


def _signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def ring_bounds(ring):
    """lon/lat bounds of an unwrapped ring, as tiles' (west > east across the antimeridian)."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    west, east = min(xs), max(xs)
    wrap = lambda v: (v + 180.0) % 360.0 - 180.0  # noqa: E731
    if west < -180.0 or east > 180.0:
        west, east = wrap(west), wrap(east)
    return (west, min(ys), east, max(ys))


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
        s1 = [c for c in cfg.collections if c in S1_SIM_COLLECTIONS]
        s2 = tuple(c for c in cfg.collections if c not in S1_SIM_COLLECTIONS)
        for tile in cfg.tiles:
            if s1:
                out.extend(self._s1_products(tile, s1))
            if not s2:
                continue
            bbox, footprint = tile_lonlat_bbox(tile)
            ts = _tile_seed(tile)
            phase, rel = ts % 5, (ts // 5) % 143 + 1
            lon0 = (bbox[0] + bbox[2]) / 2
            utc_hours = 10.5 - lon0 / 15.0          # ~10:30 local solar time, sun-synchronous
            day = cfg.start
            while day <= cfg.end:
                n = (day - _EPOCH).days
                if (n - phase) % 5 == 0:
                    out.extend(self._acquisition(tile, day, n, phase, rel, utc_hours, bbox, footprint, s2))
                day += dt.timedelta(days=1)
        out.sort(key=lambda p: (p.acquired, p.collection, p.title))
        for p in out:
            p._catalogue = self
        return out

    def _acquisition(self, tile, day, n, phase, rel, utc_hours, bbox, footprint, collections):
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
        for coll in collections:
            title = _title(coll, platform, acquired, gen, rel, tile)
            fields = dict(platform=platform, acquired=acquired, tile=tile, relative_orbit=rel, absolute_orbit=absolute,
                          cloud_cover=cloud, bbox=bbox, footprint=footprint)
            if coll == "THEIA_REFLECTANCE_SENTINEL2_L2A":   # V4-0: identifier without the version, zip with it
                fields["archive_title"] = title + "_" + THEIA_VERSION
            products.append(self._product(coll, title, **fields))
            if coll in CDSE_COLLECTIONS and scene.random() < cfg.cdse_duplicate_baselines:
                # CDSE lists some acquisitions twice, under an older processing baseline too (clcr/pyeo #144)
                old = _title(coll, platform, acquired, gen - dt.timedelta(minutes=30), rel, tile, older=True)
                products.append(self._product(coll, old, **fields))
        return products

    def _product(self, coll, title, **fields):
        """One catalogue entry: id, tape state and staging delay seeded by (seed, collection, title)."""
        cfg = self.config
        provider = provider_of(coll)
        r = random.Random(f"{cfg.seed}|{coll}|{title}")
        frac = cfg.offline_fraction if provider == "geodes" else cfg.cdse_offline_fraction
        offline = r.random() < frac
        lo, hi = cfg.delay_range()
        delay = lo + (hi - lo) * r.random()
        no_checksum = provider == "cdse" and r.random() < cfg.cdse_no_checksum_fraction
        uid = uuid.uuid5(_UUID_NS, f"{cfg.seed}|{coll}|{title}")
        pid = f"URN:FEATURE:DATA:gdh:{uid}:V1" if provider == "geodes" else str(uid)
        fields.setdefault("product_type", PRODUCT_TYPES.get(coll))
        return SimProduct(id=pid, provider=provider, collection=coll, kind=find_collection(provider, coll).kind,
                          title=title, staging_delay_s=delay, state="offline" if offline else "online",
                          no_checksum=no_checksum, **fields)

    # --- Sentinel-1 --------------------------------------------------------------------------------
    def _s1_products(self, tile, collections):
        cfg = self.config
        bounds, _ = tile_lonlat_bbox(tile)
        lon0, lat0 = tile_centre(bounds)
        ts = _tile_seed(tile)
        out = []
        for direction in ("descending", "ascending"):
            track = random.Random(f"s1-track|{tile}|{direction}")   # the track is geography: seed-independent
            phase = track.randrange(12)
            local_hours = 6.0 if direction == "descending" else 18.0    # dawn-dusk sun-synchronous orbit
            secs_of_day = int(((local_hours - lon0 / 15.0) % 24.0) * 3600) + track.randint(-600, 600)
            along, across = track.uniform(-8.0, 8.0), track.uniform(-40.0, 40.0)
            rel = None
            day = cfg.start
            while day <= cfg.end:
                n = (day - _EPOCH).days
                if (n - phase) % 6 == 0:
                    platform = _s1_platform(day, first_half=(n - phase) % 12 == 0)
                    start_time = dt.datetime.combine(day, dt.time(), dt.timezone.utc) + dt.timedelta(
                        seconds=secs_of_day)
                    if rel is None:   # the track's relative orbit, as S1A flies it
                        rel = s1_relative_orbit("S1A", _s1_orbit_estimate("S1A", start_time))
                    if platform is not None:
                        out.extend(self._s1_slice(tile, day, platform, start_time, rel, direction, along, across,
                                                  lon0, lat0, collections, ts))
                day += dt.timedelta(days=1)
        return out

    def _s1_slice(self, tile, day, platform, start_time, rel, direction, along, across, lon0, lat0, collections,
                  ts):
        cfg = self.config
        scene = random.Random(f"{cfg.seed}|{tile}|{day}|{direction}")
        start = start_time + dt.timedelta(seconds=scene.randint(-3, 3))
        stop = start + dt.timedelta(seconds=25)                      # IW GRDH slices are 25 s long
        absolute = s1_snap_orbit(platform, _s1_orbit_estimate(platform, start), rel)
        datatake = s1_datatake(platform, absolute)
        # (the tile too: two tiles' slices never share a title, so never a cached archive with another footprint)
        uid = hashlib.md5(f"{cfg.seed}|{tile}|{platform}|{start}|{absolute}".encode()).hexdigest()[:4].upper()
        title = (f"{platform}_IW_GRDH_1SDV_{start:%Y%m%dT%H%M%S}_{stop:%Y%m%dT%H%M%S}_{absolute:06d}_"
                 f"{datatake:06X}_{uid}")
        jitter = (scene.uniform(-2.0, 2.0), scene.uniform(-2.0, 2.0))
        ring = s1_footprint(lon0, lat0, direction, along + jitter[0], across + jitter[1])
        bbox = ring_bounds(ring)
        footprint = {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}
        fields = dict(platform=platform, acquired=start, tile=None, relative_orbit=rel, absolute_orbit=absolute,
                      cloud_cover=None, bbox=bbox, footprint=footprint, orbit_state=direction,
                      polarisations=("VV", "VH"), stop=stop, area_tile=tile)
        out = [self._product(coll, title, **fields) for coll in collections]
        if "PEPS_S1_L1" in collections:
            # PEPS_S1_L1 mixes GRD and SLC (recorded); the SLC's archive is built like the GRD's (DEPARTURES.md)
            slc = title.replace("_IW_GRDH_1SDV_", "_IW_SLC__1SDV_")
            out.append(self._product("PEPS_S1_L1", slc, product_type="SLC", archive_title=title, **fields))
        return out


THEIA_VERSION = "V4-0"   # THEIA L2A as recorded in 2026: everything reprocessed to V4-0
# recorded `datetime` of the V4-0 items of January 2020 (2025-07-23T07:11 to 08:02)
THEIA_V4_PUBLISHED = dt.datetime(2025, 7, 23, 7, 10, tzinfo=dt.timezone.utc)
# GEODES writes S1 MD5s in upper case up to here and lower case after (recorded: 2020 upper, 2025-12 lower). Where the
# change lies between the two is a guess: when GEODES took over from PEPS (L1C items republished 2024-06-18).
S1_LOWER_MD5_FROM = dt.date(2024, 7, 1)
OLDER_BASELINE = {"0509": "0500", "0400": "0301", "0213": "0212"}
SLC_SMALL_BYTES = 1_000_000
PRODUCT_TYPES = {"PEPS_S2_L1C": "S2MSI1C", "THEIA_REFLECTANCE_SENTINEL2_L2A": "REFLECTANCE", "PEPS_S1_L1": "GRD"}


def _title(coll, platform, acquired, gen, rel, tile, older=False):
    if coll == "THEIA_REFLECTANCE_SENTINEL2_L2A":
        return f"SENTINEL2{platform[-1]}_{acquired:%Y%m%d-%H%M%S}-{acquired.microsecond // 1000:03d}_L2A_T{tile}_C"
    level = "L2A" if coll in ("sentinel-2-l2a",) else "L1C"
    baseline = _baseline(acquired.date())
    if older:
        baseline = OLDER_BASELINE[baseline]
    return (f"{platform}_MSI{level}_{acquired:%Y%m%dT%H%M%S}_N{baseline}_R{rel:03d}"
            f"_T{tile}_{gen:%Y%m%dT%H%M%S}")


# --- archives ------------------------------------------------------------------------------------------
class ArchiveStore:
    """Builds each product's zip once (real archives from archives.py), remembers size and MD5 next to it."""

    def __init__(self, work_dir, full_size=False, pad_to=None, seed=0, px=None, mtd_in_data=False):
        self.work_dir, self.full_size, self.pad_to, self.seed, self.px = work_dir, full_size, pad_to, seed, px
        self.mtd_in_data = mtd_in_data
        self._locks = {}
        self._guard = threading.Lock()

    def _lock(self, key):
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def quicklook(self, product):
        """The product's catalogue quicklook, from the scene its archive is (or will be) built from."""
        from . import archives
        return archives.quicklook_png(product.kind, product.built_title, seed=self.seed, size=self.px,
                                      full_size=self.full_size)

    s1_flood_date = None      # set: S1 archives are flood-scenario GRDs (s1_grd.build_catalogue_grd)

    def ensure(self, product):
        variant = f"{'full' if self.full_size else 'small'}-pad{self.pad_to or 0}-seed{self.seed}-px{self.px or 0}"
        maja_data = self.mtd_in_data and product.kind is ProductKind.MAJA_L2A
        if product.is_s1 and self.s1_flood_date:
            variant += f"-flood{self.s1_flood_date:%Y%m%d}"
        folder = os.path.join(self.work_dir, variant + ("-mtd-in-data" if maja_data else ""), product.kind.value)
        path = os.path.join(folder, product.zip_name)
        meta_path = path + ".meta.json"
        with self._lock(path):
            if product.md5 is not None:
                return
            meta = _read_json(meta_path)
            if not (meta and os.path.exists(path) and os.path.getsize(path) == meta["size"]):
                os.makedirs(folder, exist_ok=True)
                tmp = path + ".building"
                extra = ({"footprint": product.footprint["coordinates"][0]} if product.is_s1 else
                         {"size": self.px} if self.px else {})
                if maja_data:
                    extra["mtd_in_data"] = True
                pad_to = self.pad_to
                if product.product_type == "SLC" and not self.full_size:   # an SLC is several times its GRD (recorded: ~4.8 GB vs ~1 GB)
                    pad_to = 4 * pad_to if pad_to else SLC_SMALL_BYTES
                if product.is_s1 and self.s1_flood_date and product.product_type != "SLC":
                    from .s1_grd import build_catalogue_grd
                    build_catalogue_grd(product, tmp, self.s1_flood_date, self.seed)
                else:
                    _build(product.kind, product.built_title, tmp, full_size=self.full_size, seed=self.seed,
                           pad_to=pad_to, **extra)
                meta = {"size": os.path.getsize(tmp), "md5": md5_file(tmp)}
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


def md5_file(path):
    """MD5 of a file read in 1 MiB blocks: the truth the catalogue advertises and the tests check against."""
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

