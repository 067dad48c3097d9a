"""Small WSGI helpers shared by the GEODES and CDSE handlers: JSON replies, status faults, file bodies."""
import json
import socket
import time

from werkzeug.wrappers import Response


def json_response(data, status=200, headers=None):
    return Response(json.dumps(data), status=status, headers=headers or {}, mimetype="application/json")


CDSE_SESSION_CAP = 4   # CDSE: 4 concurrent connections per user, a 5th gets 429 (shared/notes/real-services.md)


def quota_response(service, retry_after, cap=None):
    """429 as each service words it: CDSE "Max session number 4 exceeded" (real-services.md; the JSON wrapping
    is the simulator's, as its other CDSE errors); GEODES pyGeodes' "request quota is empty" (its real body is
    unrecorded). Retry-After on both (unverified)."""
    headers = {"Retry-After": str(retry_after)}
    if service == "cdse":
        return json_response({"detail": f"Max session number {cap or CDSE_SESSION_CAP} exceeded"}, 429, headers)
    return json_response({"code": 429, "description": "Too many requests, your request quota is empty"}, 429,
                         headers)


def status_fault_response(fault, retry_after_default, service=None, cap=None):
    """The reply for a status-code fault ("500", "503", "429", "401", ...)."""
    code = int(fault.kind)
    headers = {}
    if code in (429, 503):
        headers["Retry-After"] = str(fault.params.get("retry_after", retry_after_default))
    if code == 429:
        return quota_response(service, headers["Retry-After"], cap)
    messages = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                401: "Unauthorized", 403: "Forbidden", 404: "Not Found"}
    return json_response({"code": code, "description": messages[code]}, code, headers)


def body_fault_response(fault):
    """Replies that are not what the protocol says: HTML, or JSON without the expected keys."""
    if fault.kind == "non_json":
        body = fault.params.get("body", "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>")
        return Response(body, 200, mimetype="text/html")
    return json_response(fault.params.get("body", {"unexpected": "shape", "items": None}), 200)


def parse_range(header, size):
    """(start, end inclusive) for a single 'bytes=a-b' / 'bytes=a-' / 'bytes=-n' range; None if absent;
    'invalid' if unsatisfiable."""
    if not header or not header.startswith("bytes="):
        return None
    spec = header[len("bytes="):].split(",")[0].strip()
    first, _, last = spec.partition("-")
    try:
        if first == "":
            n = int(last)
            start, end = max(0, size - n), size - 1
        else:
            start = int(first)
            end = int(last) if last else size - 1
    except ValueError:
        return None
    end = min(end, size - 1)
    if start >= size or start > end:
        return "invalid"
    return start, end


class FileBody:
    """Streams part of a file in chunks (never the whole file in memory), paced to a bandwidth, with the
    body faults applied; releases its connection slot when the server closes it."""

    def __init__(self, sim, service, product, start, length, fault=None, environ=None):
        self.sim, self.service, self.product = sim, service, product
        self.start, self.length, self.fault, self.environ = start, length, fault, environ or {}
        self._closed = False
        bps = sim.config.bandwidth_bps
        self.chunk = sim.config.chunk_size if not bps else max(4096, min(sim.config.chunk_size, int(bps / 50)))

    def __iter__(self):
        cfg = self.sim.config
        kind = self.fault.kind if self.fault else None
        drop_at = None
        if kind == "drop":
            drop_at = int(self.fault.params.get("after_bytes", self.length // 2))
        offsets = set()
        if kind == "corrupt":
            size = self.product.size
            offsets = set(self.fault.params.get("offsets", (size // 5, size // 2, size - 2)))
        sent, t0 = 0, time.monotonic()
        with open(self.product.path, "rb") as f:
            f.seek(self.start)
            while sent < self.length:
                n = min(self.chunk, self.length - sent)
                if drop_at is not None:
                    if sent >= drop_at:
                        self._drop()
                        return
                    n = min(n, drop_at - sent)
                data = f.read(n)
                if not data:
                    return
                if offsets:
                    pos = self.start + sent
                    hit = [o - pos for o in offsets if pos <= o < pos + len(data)]
                    if hit:
                        buf = bytearray(data)
                        for i in hit:
                            buf[i] ^= 0xFF
                        data = bytes(buf)
                sent += len(data)
                if cfg.bandwidth_bps:
                    # pace before sending, so the slot is free as soon as the last byte has gone
                    ahead = sent / cfg.bandwidth_bps - (time.monotonic() - t0)
                    if ahead > 0:
                        time.sleep(ahead)
                self.sim.stats.add_bytes(self.product.id, len(data))
                if sent >= self.length:
                    # the last bytes: the slot is free from now on. Freed after this yield, it would race the
                    # client's next request (already on its way once these bytes arrive) whenever the server's
                    # thread is scheduled late, and a client that never exceeds the cap would see a 429.
                    self.close()
                yield data
        self.close()   # all sent: free the connection slot now rather than when the server gets round to it

    def _drop(self):
        sock = self.environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        if not self._closed:
            self._closed = True
            self.sim.stats.close(self.service)


class Reply(Exception):
    """Raised by handlers to answer early (bad request, auth refused)."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


def reply(data, status, headers=None):
    raise Reply(json_response(data, status, headers))
