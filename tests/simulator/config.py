"""SimConfig: everything the simulator can be asked to do, in one value (see README.md)."""
import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Tuple, Union

OFFLINE_RESPONSES = ("202-json", "202-empty", "200-json-error", "503-retry-after")
S2_COLLECTIONS = ("THEIA_REFLECTANCE_SENTINEL2_L2A", "PEPS_S2_L1C", "sentinel-2-l2a", "sentinel-2-l1c")
S1_COLLECTIONS = ("PEPS_S1_L1", "sentinel-1-grd")     # IW GRDH only; ask for them explicitly (not in the default)


@dataclass
class SimConfig:
    seed: int = 0
    tiles: Tuple[str, ...] = ("31TCJ",)
    start: dt.date = dt.date(2023, 1, 1)
    end: dt.date = dt.date(2023, 12, 31)
    collections: Tuple[str, ...] = S2_COLLECTIONS
    # tape: an offline product comes back only after the user's order in the web portal (sim.order / POST
    # {base}/_sim/order / --order-after); a GEODES download GET of it answers 410 and changes nothing
    offline_fraction: float = 0.0            # GEODES products that start on tape
    cdse_offline_fraction: float = 0.0       # CDSE products offline (ordered in the Data Workspace)
    staging_delay_s: Union[float, Tuple[float, float]] = 1.0   # from the order to online
    offline_response: str = "202-json"       # CDSE only: what $value answers for an offline product (unverified)
    wrong_key_redirect_loop: bool = False    # GEODES: a wrong/missing key gets redirects in a loop (pyGeodes FAQ)
    maja_mtd_in_data: bool = False           # THEIA zips with <top>/DATA/<top>_MTD_ALL.xml (unverified layout)
    cdse_totp: Optional[str] = None          # CDSE two-factor account: the password grant needs totp=<this>
    cdse_duplicate_baselines: float = 0.0    # CDSE S2 acquisitions also listed under an older baseline
    cdse_no_checksum_fraction: float = 0.0   # CDSE entities with ContentLength 0 and no Checksum
    # network
    bandwidth_bps: Optional[float] = None    # per connection
    max_connections: Optional[int] = None    # open downloads per service; more -> 429
    retry_after_s: int = 1
    chunk_size: int = 64 * 1024
    # credentials
    api_key: str = "sim-geodes-api-key"
    cdse_user: str = "sim-user@example.org"
    cdse_password: str = "sim-pass word&1"   # a space and an & on purpose: clients must encode it
    token_lifetime_s: float = 600.0
    refresh_lifetime_s: float = 3600.0
    # archives
    full_size: bool = False
    pad_to: Optional[int] = None
    archive_px: Optional[int] = None         # Sentinel-2 raster size in px at 10 m (None: 120, or 10980 full size)
    work_dir: Optional[str] = None           # None: a temporary dir removed on stop()
    s1_flood_date: Optional[dt.date] = None  # S1 archives: flood-scenario GRDs (s1_grd.py), flooded from this date
    # paging
    geodes_max_limit: int = 80
    geodes_page_cap: Optional[int] = None
    cdse_max_top: int = 1000
    cdse_max_skip: int = 10000
    page_overlap: int = 0                    # each page after the first repeats the previous page's last N items
    cdse_page_cap: Optional[int] = None      # server-driven paging: at most this many a page, then a nextLink
    # server
    host: str = "127.0.0.1"
    port: int = 0
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("The simulator only ever binds a loopback address.")
        if self.offline_response not in OFFLINE_RESPONSES:
            raise ValueError(f"offline_response must be one of {OFFLINE_RESPONSES}, got {self.offline_response!r}")
        if isinstance(self.start, str):
            self.start = dt.date.fromisoformat(self.start)
        if isinstance(self.end, str):
            self.end = dt.date.fromisoformat(self.end)
        if isinstance(self.tiles, str):
            self.tiles = tuple(t.strip() for t in self.tiles.split(",") if t.strip())
        self.tiles = tuple(t.upper().lstrip("T") if len(t) == 6 else t.upper() for t in self.tiles)
        if isinstance(self.collections, str):
            self.collections = tuple(c.strip() for c in self.collections.split(",") if c.strip())
        unknown = [c for c in self.collections if c not in S2_COLLECTIONS + S1_COLLECTIONS]
        if unknown:
            raise ValueError(f"The simulator holds only the collections {S2_COLLECTIONS + S1_COLLECTIONS}, "
                             f"not {unknown}")

    def delay_range(self):
        d = self.staging_delay_s
        return (float(d[0]), float(d[1])) if isinstance(d, (tuple, list)) else (float(d), float(d))
