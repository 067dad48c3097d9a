"""MirrorSimulator: the WSGI app (GEODES under /geodes, CDSE under /cdse) on a threaded Werkzeug server."""
import logging
import os
import shutil
import tempfile
import threading
import time

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from . import cdse_api, geodes_api, hostile
from .catalogue import ArchiveStore, Catalogue
from .config import SimConfig
from .faults import BODY_FAULTS, HOSTILE_BODY_FAULTS, HOSTILE_REPLY_FAULTS, FaultBook, Stats
from .http_util import (FileBody, Reply, body_fault_response, json_response, parse_range, quota_response,
                        status_fault_response)

log = logging.getLogger("tests.simulator")
REQUEST_FAULTS = {"500", "502", "503", "429", "401", "403", "404", "non_json", "malformed", "timeout"} | \
    HOSTILE_REPLY_FAULTS
TOKEN_PATH = "/auth/realms/CDSE/protocol/openid-connect/token"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass

    def log(self, type, message, *args):
        log.debug("simulator %s: " + message, type, *args)


class MirrorSimulator:
    def __init__(self, config=None, **overrides):
        if config is None:
            config = SimConfig(**overrides)
        elif overrides:
            config = SimConfig(**{**config.__dict__, **overrides})
        self.config = config
        self.stats = Stats()
        self.faults = FaultBook()
        self.clock = time.monotonic
        self.lock = threading.RLock()
        self.tokens = {}           # access token -> expiry (monotonic)
        self.refresh_tokens = {}   # refresh token -> expiry
        self._server = self._thread = None
        self._tmp = None
        self.catalogue = None

    # --- lifecycle ---------------------------------------------------------------------------------
    def start(self):
        if self._server is not None:
            return self
        work_dir = self.config.work_dir
        if work_dir is None:
            self._tmp = work_dir = tempfile.mkdtemp(prefix="sentinel-mirror-sim-")
        os.makedirs(work_dir, exist_ok=True)
        archives = ArchiveStore(work_dir, self.config.full_size, self.config.pad_to, self.config.seed,
                                self.config.archive_px, self.config.maja_mtd_in_data)
        archives.s1_flood_date = self.config.s1_flood_date   # flood-scenario GRDs (s1_grd.py) when set
        self.catalogue = Catalogue(self.config, archives, self.clock)
        self.catalogue.lock = self.lock     # one lock for every tape-state change
        self._server = make_server(self.config.host, self.config.port, self, threaded=True,
                                   request_handler=_QuietHandler)
        self.port = self._server.server_port
        for p in self.catalogue.products:
            p.base_url = self.geodes_url if p.provider == "geodes" else self.cdse_url
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="mirror-simulator",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- addresses ---------------------------------------------------------------------------------
    @property
    def base_url(self):
        return f"http://{self.config.host}:{self.port}"

    @property
    def geodes_url(self):
        return self.base_url + "/geodes"

    @property
    def cdse_url(self):
        return self.base_url + "/cdse"

    @property
    def cdse_auth_url(self):
        return self.cdse_url + TOKEN_PATH

    def env(self):
        return {
            "SENTINEL_MIRROR_GEODES_URL": self.geodes_url,
            "SENTINEL_MIRROR_CDSE_URL": self.cdse_url,
            "SENTINEL_MIRROR_CDSE_AUTH_URL": self.cdse_auth_url,
            "SENTINEL_MIRROR_CDSE_DOWNLOAD_URL": self.cdse_url,
            "SENTINEL_MIRROR_GEODES_API_KEY": self.config.api_key,
            "SENTINEL_MIRROR_CDSE_USERNAME": self.config.cdse_user,
            "SENTINEL_MIRROR_CDSE_PASSWORD": self.config.cdse_password,
        }

    # --- catalogue access for tests ----------------------------------------------------------------
    @property
    def products(self):
        return list(self.catalogue.products)

    def product(self, key):
        return self.catalogue.find(key)

    def products_of(self, provider=None, collection=None):
        return [p for p in self.catalogue.products
                if (provider is None or p.provider == provider) and (collection is None or p.collection == collection)]

    def set_online(self, key):
        with self.lock:
            p = self.product(key)
            p.state, p.ready_at = "online", None

    def set_offline(self, key):
        with self.lock:
            p = self.product(key)
            p.state, p.ready_at, p.ordered_at = "offline", None, None

    def order(self, keys=None):
        """Simulate the user's order in the web portal (GEODES explorer, CDSE Data Workspace) of these products
        (ids or titles; None: every product on tape): each comes online staging_delay_s later. Returns how many
        were ordered. Also reachable over HTTP: POST {base_url}/_sim/order {"ids": [...]} or {} for all."""
        with self.lock:
            now = self.clock()
            chosen = self.catalogue.products if keys is None else [self.product(k) for k in keys]
            ordered = [p for p in chosen if p.refresh(now) == "offline"]
            for p in ordered:
                p.order(now)
            self.stats.record("sim.order", "POST", "/_sim/order", 200)
            return len(ordered)

    def set_api_key(self, key):
        """Change the GEODES API key the service accepts, at run time (None: every key refused): the user revoked
        or renewed it in the portal. Returns the previous one. Also over HTTP: POST {base_url}/_sim/api_key
        {"key": "..."} (or {"key": null})."""
        with self.lock:
            previous, self.config.api_key = self.config.api_key, key
            self.stats.record("sim.api_key", "POST", "/_sim/api_key", 200)
            return previous

    def prebuild(self, products=None):
        """Build (or load from the work dir cache) the archives now rather than on first listing."""
        for p in products if products is not None else self.catalogue.products:
            p.ensure_archive()

    def inject(self, fault, product_id=None, count=1, endpoint=None, **params):
        if str(fault) == "expire_token":
            self.expire_tokens()
            return
        self.faults.add(fault, product_id=product_id, count=count, endpoint=endpoint, **params)

    def expire_tokens(self):
        with self.lock:
            now = self.clock()
            for t in self.tokens:
                self.tokens[t] = min(self.tokens[t], now - 1)

    # --- WSGI --------------------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path
        service, _, sub = path.lstrip("/").partition("/")
        sub = "/" + sub
        if service == "_sim" and sub == "/order" and request.method == "POST":
            return self._order_call(request)(environ, start_response)
        if service == "_sim" and sub == "/api_key" and request.method == "POST":
            return self._api_key_call(request)(environ, start_response)
        route = None
        if service == "geodes":
            route = geodes_api.route(request.method, sub)
        elif service == "cdse":
            route = cdse_api.route(request.method, sub, request)
        if route is None:
            response = json_response({"code": 404, "description": f"No route for {request.method} {path}"}, 404)
            self.stats.record(f"{service or 'root'}.unknown", request.method, path, 404)
            return response(environ, start_response)
        endpoint, handler, key = route
        endpoint = f"{service}.{endpoint}"
        product = None
        if key is not None:
            try:
                product = self.catalogue.find(key)
            except KeyError:
                product = None
        pid = product.id if product else None
        counted = not endpoint.endswith(".download")   # a download counts while its body streams (try_open)
        if counted:
            self.stats.enter(service)
        try:
            response = self._answer(request, endpoint, handler, product, pid, environ)
        finally:
            if counted:
                self.stats.leave(service)
        self.stats.record(endpoint, request.method, path, response.status_code, pid)
        return response(environ, start_response)

    def _answer(self, request, endpoint, handler, product, pid, environ):
        path = request.path
        fault = self.faults.take(endpoint, pid, kinds=REQUEST_FAULTS)
        if fault is not None and fault.kind == "timeout":
            time.sleep(float(fault.params.get("delay_s", 30)))
            fault = None
        if fault is not None and fault.kind in HOSTILE_REPLY_FAULTS:
            response = hostile.reply(self, fault)
        elif fault is not None and fault.kind in ("non_json", "malformed"):
            response = body_fault_response(fault)
        elif fault is not None:
            response = status_fault_response(fault, self.config.retry_after_s, endpoint.partition(".")[0],
                                             self.config.max_connections)
        else:
            try:
                response = handler(self, request, product, environ)
            except Reply as early:
                response = early.response
            except Exception as e:   # a simulator bug or a bad config: say so in the reply, not only in a log
                log.exception("simulator error on %s %s", request.method, path)
                response = json_response({"code": 500, "description": f"simulator error: {type(e).__name__}: {e}"},
                                         500)
        return response

    def _order_call(self, request):
        """The control call behind `sim.order` (for the demo, the command line and other processes)."""
        import json
        try:
            body = json.loads(request.get_data(as_text=True) or "{}")
            keys = body.get("ids")
            n = self.order(None if keys is None else list(keys))
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            return json_response({"code": 400, "description": f"bad order: {e}"}, 400)
        return json_response({"ordered": n})

    def _api_key_call(self, request):
        """The control call behind `sim.set_api_key`."""
        import json
        try:
            body = json.loads(request.get_data(as_text=True) or "{}")
            key = body["key"]
            if key is not None and not isinstance(key, str):
                raise TypeError("key must be a string or null")
        except (ValueError, KeyError, TypeError) as e:
            return json_response({"code": 400, "description": f"bad api_key call: {e}"}, 400)
        self.set_api_key(key)
        return json_response({"changed": True})

    # --- shared by both services -------------------------------------------------------------------
    def offline_reply(self):
        mode = self.config.offline_response
        if mode == "202-json":
            return json_response({"status": "ACCEPTED", "message": "The product is being restored from "
                                  "the long-term archive. Retry later."}, 202)
        if mode == "202-empty":
            return Response(b"", 202)
        if mode == "200-json-error":
            return json_response({"ErrorCode": 404, "ErrorMessage": "Product is not online: restoring from tape"},
                                 200)
        return json_response({"code": 503, "description": "Product being staged"}, 503,
                             {"Retry-After": str(self.config.retry_after_s)})

    def serve_download(self, service, request, product, environ):
        """A product body (206 on Range); for a product not online, GEODES' 410 (CS-SI/eodag #1776) or CDSE's
        configured reply, with no side effect; 429 when the service's connection cap is reached."""
        cap = self.config.max_connections
        fault = self.faults.take(f"{service}.download", product.id, kinds=BODY_FAULTS)
        with self.lock:
            state = product.refresh(self.clock())
        if state != "online":
            self.stats.offline_get(product.id)
            if cap is not None and self.stats.open_by_service[service] >= cap:
                return self.quota_reply(service)
            if service == "geodes":
                return json_response({"code": 410, "description": "Gone: the product is stored on tape (Tier 3)"},
                                     410)
            return self.offline_reply()
        product.ensure_archive()
        if not self.stats.try_open(service, cap):
            return self.quota_reply(service)
        if fault and fault.kind in HOSTILE_BODY_FAULTS:
            return hostile.download_reply(self, service, product, fault)
        size = product.size
        rng = None if (fault and fault.kind == "ignore_range") else parse_range(request.headers.get("Range"), size)
        if rng == "invalid":
            self.stats.close(service)
            return Response(b"", 416, {"Content-Range": f"bytes */{size}"})
        start, end = rng if rng else (0, size - 1)
        length = end - start + 1
        headers = {"Content-Type": "application/zip", "Accept-Ranges": "bytes",
                   "Content-Disposition": f'attachment; filename="{product.zip_name}"'}
        if fault and fault.kind == "truncate":
            length = min(length, int(fault.params.get("after_bytes", length // 2)))
        headers["Content-Length"] = str(length)
        status = 200
        if rng:
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        if fault and fault.kind == "slow_first_byte":
            time.sleep(float(fault.params.get("delay_s", 2.0)))
        if request.method == "HEAD":
            self.stats.close(service)
            return Response(b"", status, headers)
        body = FileBody(self, service, product, start, length, fault, environ)
        return Response(body, status, headers, direct_passthrough=True)

    def quota_reply(self, service):
        return quota_response(service, self.config.retry_after_s, self.config.max_connections)
