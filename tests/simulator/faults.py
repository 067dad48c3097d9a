"""Faults on demand and the counters tests and benchmarks read."""
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

STATUS_FAULTS = {"500", "502", "503", "429", "401", "403", "404"}
# A hostile (or badly broken) server: never what the real services do, only ever on request (see hostile.py).
HOSTILE_BODY_FAULTS = {"endless", "oversized", "gzip_bomb", "deflate_bomb"}
HOSTILE_REPLY_FAULTS = {"endless_json", "nested_json", "echo_secret"}
BODY_FAULTS = {"drop", "truncate", "corrupt", "ignore_range", "slow_first_byte"} | HOSTILE_BODY_FAULTS
OTHER_FAULTS = {"non_json", "malformed", "expire_token", "timeout"} | HOSTILE_REPLY_FAULTS
FAULTS = STATUS_FAULTS | BODY_FAULTS | OTHER_FAULTS


@dataclass
class Fault:
    kind: str
    product_id: Optional[str]
    endpoint: str                # "any", a stats key ("geodes.search") or a suffix ("search")
    remaining: int
    params: dict = field(default_factory=dict)

    def matches(self, endpoint, product_id):
        if self.product_id is not None and self.product_id != product_id:
            return False
        if self.endpoint == "any":
            return True
        return endpoint == self.endpoint or endpoint.split(".", 1)[-1] == self.endpoint \
            or endpoint.split(".", 1)[0] == self.endpoint


class FaultBook:
    def __init__(self):
        self._faults = []
        self._lock = threading.Lock()

    def add(self, kind, product_id=None, count=1, endpoint=None, **params):
        kind = str(kind)
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; known: {sorted(FAULTS)}")
        if endpoint is None:
            endpoint = "download" if (product_id is not None or kind in BODY_FAULTS) else "any"
        if kind == "expire_token":
            endpoint = "any"
        with self._lock:
            self._faults.append(Fault(kind, product_id, endpoint, int(count), params))

    def take(self, endpoint, product_id=None, kinds=None):
        """The first pending fault for this request (consumed), or None."""
        with self._lock:
            for f in self._faults:
                if f.remaining > 0 and (kinds is None or f.kind in kinds) and f.matches(endpoint, product_id):
                    f.remaining -= 1
                    return f
        return None

    def pending(self):
        with self._lock:
            return [f for f in self._faults if f.remaining > 0]

    def clear(self):
        with self._lock:
            self._faults.clear()


@dataclass
class RequestRecord:
    t: float
    endpoint: str
    method: str
    path: str
    status: int
    product_id: Optional[str] = None


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.requests = Counter()
            self.statuses = Counter()
            self.log = []
            self.bytes_served = Counter()
            self.offline_gets = Counter()       # product id -> download GETs answered "not online"
            self.grants = Counter()            # CDSE token grants issued: "password" / "refresh_token"
            self.open_by_service = Counter()
            self.peak_open_downloads = 0
            self.answering = Counter()         # other requests being answered now, by service
            self.peak_connections = 0          # open downloads + other requests at once: what a cap counts

    def record(self, endpoint, method, path, status, product_id=None):
        with self._lock:
            self.requests[endpoint] += 1
            self.statuses[(endpoint, status)] += 1
            self.log.append(RequestRecord(time.monotonic(), endpoint, method, path, status, product_id))

    def add_bytes(self, product_id, n):
        with self._lock:
            self.bytes_served[product_id] += n

    def offline_get(self, product_id):
        with self._lock:
            self.offline_gets[product_id] += 1

    def try_open(self, service, cap):
        """Count one more open download unless `cap` are already open; False when over the cap."""
        with self._lock:
            if cap is not None and self.open_by_service[service] >= cap:
                return False
            self.open_by_service[service] += 1
            self.peak_open_downloads = max(self.peak_open_downloads, sum(self.open_by_service.values()))
            self._peak_connections()
            return True

    def enter(self, service):
        """A request that is not a download (search, availability, token...) is being answered."""
        with self._lock:
            self.answering[service] += 1
            self._peak_connections()

    def leave(self, service):
        with self._lock:
            self.answering[service] -= 1

    def _peak_connections(self):
        self.peak_connections = max(self.peak_connections,
                                    sum(self.open_by_service.values()) + sum(self.answering.values()))

    def close(self, service):
        with self._lock:
            self.open_by_service[service] -= 1

    @property
    def open_downloads(self):
        with self._lock:
            return sum(self.open_by_service.values())

    def total(self):
        with self._lock:
            return sum(self.requests.values())

    def count(self, endpoint):
        """Requests to an endpoint key, or to every endpoint with that suffix ("availability")."""
        with self._lock:
            return sum(n for k, n in self.requests.items() if k == endpoint or k.split(".", 1)[-1] == endpoint)
