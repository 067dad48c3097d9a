"""Hostile answers, opt-in only (sim.inject): what a broken or malicious server could send, never what GEODES or
CDSE do. The default simulator stays faithful to the real services.

Downloads: `endless` (the product, then bytes with no end and no length; cut at `limit_bytes`, 256 MB by default,
so that a client without a bound cannot fill the disk of the machine that runs the tests), `oversized` (the product plus `extra_bytes`,
with a matching Content-Length), `gzip_bomb` / `deflate_bomb` (a small body whose Content-Encoding inflates it
to `inflated_bytes`). Any request: `endless_json` (a JSON answer that never ends), `nested_json` (`depth`
nested arrays), `echo_secret` (an error whose body repeats the credentials in prose and URL-encoded).
"""
import functools
import json
import zlib
from urllib.parse import quote, quote_plus

from werkzeug.wrappers import Response

CHUNK = 64 * 1024


class _Body:
    """An iterable body that frees the download slot when the server is done with it."""

    def __init__(self, sim, service, chunks):
        self.sim, self.service, self.chunks = sim, service, chunks
        self._closed = False

    def __iter__(self):
        return iter(self.chunks)

    def close(self):
        if not self._closed:
            self._closed = True
            self.sim.stats.close(self.service)


def _file_chunks(path):
    with open(path, "rb") as f:
        while True:
            block = f.read(CHUNK)
            if not block:
                return
            yield block


def _forever(head, limit_bytes=None):
    sent = 0
    for block in head:
        sent += len(block)
        yield block
    junk = bytes(range(256)) * (CHUNK // 256)
    while limit_bytes is None or sent < limit_bytes:
        sent += len(junk)
        yield junk


@functools.lru_cache(maxsize=4)
def _bomb(inflated_bytes, wbits):
    """`inflated_bytes` of zeros, compressed (gzip: wbits 31, zlib/deflate: 15): about 1000 times smaller."""
    z = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(CHUNK * 16)
    out, left = [], inflated_bytes
    while left > 0:
        n = min(left, len(zeros))
        out.append(z.compress(zeros[:n]))
        left -= n
    out.append(z.flush())
    return b"".join(out)


def download_reply(sim, service, product, fault):
    headers = {"Content-Type": "application/zip",
               "Content-Disposition": f'attachment; filename="{product.zip_name}"'}
    kind = fault.kind
    if kind == "endless":
        limit = int(fault.params.get("limit_bytes", 256 * 1024 * 1024))
        return Response(_Body(sim, service, _forever(_file_chunks(product.path), limit)), 200, headers,
                        direct_passthrough=True)
    if kind == "oversized":
        extra = int(fault.params.get("extra_bytes", 1024 * 1024))
        headers["Content-Length"] = str(product.size + extra)
        chunks = _forever(_file_chunks(product.path))
        left = product.size + extra

        def limited():
            nonlocal left
            for block in chunks:
                if left <= 0:
                    return
                block = block[:left]
                left -= len(block)
                yield block
        return Response(_Body(sim, service, limited()), 200, headers, direct_passthrough=True)
    body = _bomb(int(fault.params.get("inflated_bytes", 256 * 1024 * 1024)), 31 if kind == "gzip_bomb" else 15)
    headers["Content-Encoding"] = "gzip" if kind == "gzip_bomb" else "deflate"
    headers["Content-Length"] = str(len(body))
    return Response(_Body(sim, service, [body]), 200, headers, direct_passthrough=True)


def _endless_json():
    yield b'{"type": "FeatureCollection", "value": [], "features": ['
    item = json.dumps({"id": "x" * 64, "properties": {"title": "y" * 400}}).encode() + b", "
    block = item * max(1, CHUNK // len(item))
    while True:
        yield block


def _nested(depth):
    yield b"[" * depth
    yield b"]" * depth


def reply(sim, fault):
    kind = fault.kind
    if kind == "endless_json":
        return Response(_endless_json(), 200, mimetype="application/json")
    if kind == "nested_json":
        return Response(_nested(int(fault.params.get("depth", 100000))), 200, mimetype="application/json")
    # echo_secret: a server that quotes what it received (a debug page, a proxy's error)
    cfg = sim.config
    with sim.lock:
        tokens = list(sim.tokens)
    prose = (f"Internal error while checking the key {cfg.api_key} for user {cfg.cdse_user}. The request had "
             f"key%3D{quote(cfg.api_key, safe='')}, a password {cfg.cdse_password} "
             f"(form: {quote_plus(cfg.cdse_password)}) and the tokens {' '.join(tokens)}.")
    status = int(fault.params.get("status", 500))
    return Response(json.dumps({"code": status, "description": prose}), status, mimetype="application/json")
