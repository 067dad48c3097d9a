#!/usr/bin/env python3
"""Download-and-watch pipeline benchmark: makespans side by side against the mirror simulator.

The user has ordered the products on tape in the portal (GEODES explorer) at time 0: the simulator brings each
back after its recall delay; no algorithm can speed that up (there is no API to order). For four workloads it
runs, each in its own process with its own simulator (all at the same time, so they share the machine
equally):
  (a) one-by-one      for each product in turn: wait until online (polling), download;
  (b) poll-then-fetch the seed: loop {re-query all; download one by one whatever is online; wait the poll
                      period} (the seed's real period was 60 s);
  (c) ours            plugin.core.pipeline.run_pipeline watching the tape products, its real-world defaults, a
                      product split into byte ranges on the free connections (core/segments.py);
  (c') ours, one stream the same without segments (one connection per product);
  (d) lower bound     max(max over products of recall + own transfer, total bytes / total bandwidth);
  (e) segmented bound max(max over products of (time online + size / (bw per connection x connections)),
                      total bytes / (bw per connection x connections)): what segmentation allows.
Every poll period is scaled EXACTLY like the recall times: a workload's simulated recall divided by the real
recall it stands for (REAL_RECALL_S; GEODES' real recall time is unverified, an hour or more is assumed).
All use the same GEODES client (plugin/core/providers/geodes.py) and downloader (plugin/core/download.py);
every product must be delivered and its MD5 checked. Then: availability requests per poll tick for ours,
and the peak RSS of a process running ours on one 2 GB product. Last line:
`pipeline: worst makespan/lower-bound = X.XX` (ours, worst workload), then
`pipeline: worst makespan/segmented-bound = X.XX, single-product speed-up = Y.Y` (ours against (e) on the worst
workload; the single 200 MB product's makespan on one stream over ours). "peak N connections" counts the
downloads and the other requests (availability) open at once at the simulator.

Time is scaled down uniformly for every algorithm (--scale): product sizes and staging delays are
multiplied by it at a fixed 5 MB/s per connection, which is the same as running the real workload with
a clock that goes 1/scale times faster.

    scripts/testenv.sh .venv/bin/python bench/bench_pipeline.py [--scale 0.15] [--skip-memory]
"""
import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MB = 1_000_000
GIB = 2 ** 30
BANDWIDTH = 5 * MB          # per connection
CONNECTIONS = 4
REAL_SEED_POLL_S = 60.0     # the seed's poll period
OUT = ROOT / "bench-output" / "pipeline"
COLLECTION = "THEIA_REFLECTANCE_SENTINEL2_L2A"


@dataclass(frozen=True)
class Workload:
    name: str
    n: int
    size: int               # bytes, before scaling
    offline: str            # "none" | "half" | "all-but-one"
    staging: tuple          # (min, max) simulated recall seconds after the order, before scaling
    real_staging: tuple = (3600.0, 7200.0)   # the real recall times this stands for (unverified; see DEPARTURES.md)

    def offline_indexes(self):
        if self.offline == "half":
            return list(range(1, self.n, 2))
        if self.offline == "all-but-one":
            return list(range(1, self.n))
        return []

    def time_factor(self):
        """Real recall → this workload's simulated recall (before --scale): how every poll period is scaled."""
        if self.staging[0] <= 0:
            return 60.0 / 3600.0   # nothing on tape: no poll is made; the same factor as tape-bound
        return self.staging[0] / self.real_staging[0]


WORKLOADS = (
    Workload("bandwidth-bound", 24, 20 * MB, "none", (0.0, 0.0)),
    Workload("tape-bound", 8, 20 * MB, "all-but-one", (60.0, 120.0), (3600.0, 7200.0)),
    Workload("mixed", 24, 20 * MB, "half", (20.0, 60.0), (1200.0, 3600.0)),
    Workload("single-product", 1, 200 * MB, "none", (0.0, 0.0)),
)
ALGOS = (("one-by-one", "(a) one-by-one"), ("poll-then-fetch", "(b) poll-then-fetch"), ("ours", "(c) ours"),
         ("ours-one-stream", "(c') ours, one stream"))


def sim_config(w, scale, cache):
    from tests.simulator import SimConfig
    start = dt.date(2023, 1, 1)
    return SimConfig(seed=7, tiles=("31TCJ",), start=start, end=start + dt.timedelta(days=5 * w.n + 10),
                     collections=(COLLECTION,), offline_fraction=0.0,
                     staging_delay_s=(w.staging[0] * scale, w.staging[1] * scale),
                     bandwidth_bps=BANDWIDTH, max_connections=CONNECTIONS, retry_after_s=1,
                     pad_to=int(w.size * scale), work_dir=str(cache))


# ---- the three algorithms (child process) --------------------------------------------------------------
def one_by_one(provider, products, folder, poll_s):
    from plugin.core.download import download_product
    from plugin.core.models import Availability
    for p in products:
        while provider.availability([p])[p.id] is not Availability.ONLINE:
            time.sleep(poll_s)
        download_product(provider.session, provider.download_request(p), dest(folder, p),
                         expected_size=p.size, expected_md5=p.checksum)


def poll_then_fetch(provider, products, folder, poll_s):
    from plugin.core.download import download_product
    from plugin.core.models import Availability
    remaining = list(products)
    while remaining:
        avail = provider.availability(remaining)
        for p in [p for p in remaining if avail[p.id] is Availability.ONLINE]:
            download_product(provider.session, provider.download_request(p), dest(folder, p),
                             expected_size=p.size, expected_md5=p.checksum)
            remaining.remove(p)
        if remaining:
            time.sleep(poll_s)


def ours_options(w, scale, segmented=True):
    from plugin.core.pipeline import PipelineOptions
    d = PipelineOptions()
    k = w.time_factor() * scale
    watch_s = 3 * 24 * 3600.0   # PluginConfig's "stop watching after"
    return PipelineOptions(segmented=segmented, poll_interval_s=d.poll_interval_s * k, poll_interval_max_s=d.poll_interval_max_s * k,
                           watch_s=watch_s * k, retry_backoff_s=d.retry_backoff_s * k,
                           default_retry_after_s=d.default_retry_after_s * k)


def dest(folder, p):
    from plugin.core import paths
    from plugin.core.pipeline import _unique_name
    return paths.inside(folder, _unique_name(p, set()))


def child_run(args):
    import requests
    from plugin.core.models import BBox, SearchQuery
    from plugin.core.pipeline import run_pipeline
    from plugin.core.providers.base import Credentials, Endpoints
    from plugin.core.providers.geodes import GeodesProvider
    from tests.simulator import MirrorSimulator, md5_file

    w = next(x for x in WORKLOADS if x.name == args.workload)
    cfg = sim_config(w, args.scale, args.cache)
    folder = tempfile.mkdtemp(prefix=f"bench-{args.algo}-", dir=args.work)
    with MirrorSimulator(cfg) as sim:
        # the simulator allows CONNECTIONS at once: the setting "GEODES parallel downloads" raised to it (default 3)
        provider = GeodesProvider(Endpoints(geodes=sim.geodes_url), Credentials(api_key=cfg.api_key),
                                  requests.Session(), max_connections=CONNECTIONS)
        found = provider.search(SearchQuery("geodes", COLLECTION, cfg.start, cfg.end,
                                            bbox=BBox(1.40, 43.55, 1.50, 43.65)))
        products = sorted(found, key=lambda p: p.acquired)[:w.n]
        assert len(products) == w.n, f"the simulator listed {len(products)} products, not {w.n}"
        offline = set(w.offline_indexes())
        for k, p in enumerate(products):
            sim.set_offline(p.id) if k in offline else sim.set_online(p.id)
        sim_products = [sim.product(p.id) for p in products]
        staging = [sp.staging_delay_s if k in offline else 0.0 for k, sp in enumerate(sim_products)]
        sizes = [sp.size for sp in sim_products]
        lower = max(max(s + b / BANDWIDTH for s, b in zip(staging, sizes)), sum(sizes) / (BANDWIDTH * CONNECTIONS))
        all_bw = BANDWIDTH * CONNECTIONS
        seg_lower = max(max(s + b / all_bw for s, b in zip(staging, sizes)), sum(sizes) / all_bw)
        poll_seed = REAL_SEED_POLL_S * w.time_factor() * args.scale
        sim.stats.reset()
        stats = {}
        t0 = time.monotonic()
        sim.order([products[k].id for k in offline])   # the user's order in the explorer, at time 0
        if args.algo == "one-by-one":
            one_by_one(provider, products, folder, poll_s=ours_options(w, args.scale).poll_interval_s)
        elif args.algo == "poll-then-fetch":
            poll_then_fetch(provider, products, folder, poll_s=poll_seed)
        else:
            options = ours_options(w, args.scale, segmented=args.algo == "ours")
            statuses = run_pipeline(provider, products, folder, options=options, stats=stats)
            failed = [s for s in statuses if s.path is None]
            assert not failed, failed
        makespan = time.monotonic() - t0
        # how long after coming online each tape product's download started (the watch's pickup delay)
        first_get = {}
        for r in sim.stats.log:
            if r.endpoint == "geodes.download" and r.status in (200, 206):
                first_get.setdefault(r.product_id, r.t)
        lags = [first_get[sp.id] - sp.ready_at for k, sp in enumerate(sim_products)
                if k in offline and sp.ready_at is not None and sp.id in first_get]
        verified = sum(1 for p, sp in zip(products, sim_products)
                       if os.path.exists(dest(folder, p)) and md5_file(dest(folder, p)) == sp.md5)
        result = dict(workload=w.name, algo=args.algo, makespan=makespan, lower_bound=lower, seg_bound=seg_lower, n=w.n,
                      offline=len(offline), verified=verified, stats=stats, max_pickup_lag=max(lags, default=0.0),
                      downloads_before_online=sim.stats.statuses[("geodes.download", 410)],
                      sim_availability_requests=sim.stats.count("availability"),
                      sim_requests=sim.stats.total(), peak_connections=sim.stats.peak_connections,
                      http_429=sum(n for (e, s), n in sim.stats.statuses.items() if s == 429))
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result))


def child_memory(args):
    import requests
    from plugin.core.models import Availability, Product
    from plugin.core.pipeline import PipelineOptions, run_pipeline
    from plugin.core.providers.base import Credentials, Endpoints
    from plugin.core.providers.geodes import GeodesProvider
    spec = json.loads(args.product)
    provider = GeodesProvider(Endpoints(geodes=spec["geodes_url"]), Credentials(api_key=spec["api_key"]),
                              requests.Session())
    p = Product("geodes", spec["id"], spec["title"], COLLECTION, "S2A",
                dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc), "31TCJ", 51, 1.0, spec["size"], spec["md5"],
                Availability.ONLINE, download_url=spec["url"])
    print("READY", flush=True)
    statuses = run_pipeline(provider, [p], args.work, options=PipelineOptions())
    print(json.dumps({"state": statuses[0].state.value, "reason": statuses[0].reason}), flush=True)


# ---- parent ---------------------------------------------------------------------------------------------
def prebuild(w, scale, cache):
    from tests.simulator import MirrorSimulator
    with MirrorSimulator(sim_config(w, scale, cache)) as sim:
        sim.prebuild(sorted(sim.products_of("geodes"), key=lambda p: p.acquired)[:w.n])


def run_children(w, scale, cache, work):
    procs = {}
    for algo, _ in ALGOS:
        procs[algo] = subprocess.Popen(
            [sys.executable, __file__, "--child", algo, "--workload", w.name, "--scale", str(scale),
             "--cache", str(cache), "--work", str(work)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=ROOT)
    results = {}
    for algo, proc in procs.items():
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"{w.name}/{algo} failed:\n{err[-3000:]}")
        results[algo] = json.loads(out.strip().splitlines()[-1])
    return results


def memory_peak(cache, work):
    import psutil
    from tests.simulator import MirrorSimulator, SimConfig
    start = dt.date(2023, 1, 1)
    cfg = SimConfig(seed=11, tiles=("31TCJ",), start=start, end=start + dt.timedelta(days=3),
                    collections=(COLLECTION,), pad_to=2 * GIB, work_dir=str(cache))
    with MirrorSimulator(cfg) as sim:
        sp = sorted(sim.products_of("geodes"), key=lambda p: p.acquired)[0]
        sp.ensure_archive()
        spec = dict(geodes_url=sim.geodes_url, api_key=cfg.api_key, id=sp.id, title=sp.title, size=sp.size,
                    md5=sp.md5, url=sp.download_url)
        folder = tempfile.mkdtemp(prefix="bench-memory-", dir=work)
        proc = subprocess.Popen([sys.executable, __file__, "--child-memory", "--product", json.dumps(spec),
                                 "--work", folder], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=ROOT)
        ps = psutil.Process(proc.pid)
        proc.stdout.readline()                       # READY: imports done
        baseline = ps.memory_info().rss
        peak, t0 = baseline, time.monotonic()
        while proc.poll() is None:
            try:
                peak = max(peak, ps.memory_info().rss)
            except psutil.Error:
                break
            time.sleep(0.02)
        elapsed = time.monotonic() - t0
        out, err = proc.communicate()
        shutil.rmtree(folder, ignore_errors=True)
        if proc.returncode != 0:
            raise SystemExit(f"memory run failed:\n{err[-3000:]}")
        state = json.loads(out.strip().splitlines()[-1])
        return peak, baseline, sp.size, elapsed, state


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=0.15, help="time scale for every algorithm (default 0.15)")
    ap.add_argument("--skip-memory", action="store_true", help="skip the 2 GB peak-memory run")
    ap.add_argument("--only", help="run only this workload")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--child-memory", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--workload", help=argparse.SUPPRESS)
    ap.add_argument("--cache", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--product", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        args.algo = args.child
        return child_run(args)
    if args.child_memory:
        return child_memory(args)

    cache, work = OUT / "sim-cache", OUT / "work"
    cache.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    s = args.scale
    print(f"Pipeline benchmark: time scaled x{s:g} for every algorithm (product sizes and recall delays x{s:g}, "
          f"{BANDWIDTH / MB:.0f} MB/s per connection, {CONNECTIONS} connections; the four algorithms of a workload "
          "run at the same time, each with its own simulator). The user orders the tape products in the portal at "
          "time 0. Poll periods are scaled exactly like the recall times (simulated recall / real recall).")
    workloads = [w for w in WORKLOADS if not args.only or w.name == args.only]
    rows, worst, worst_seg, speedup = [], 0.0, 0.0, None
    for w in workloads:
        prebuild(w, s, cache)
        res = run_children(w, s, cache, work)
        lb, sb = res["ours"]["lower_bound"], res["ours"]["seg_bound"]
        for algo, r in res.items():
            if r["verified"] != r["n"]:
                raise SystemExit(f"{w.name}/{algo}: only {r['verified']} of {r['n']} products delivered and verified")
        ratio = res["ours"]["makespan"] / lb
        worst = max(worst, ratio)
        worst_seg = max(worst_seg, res["ours"]["makespan"] / sb)
        if w.n == 1:
            speedup = res["ours-one-stream"]["makespan"] / res["ours"]["makespan"]
        rows.append((w, res, lb, ratio))
        k = w.time_factor() * s
        stg = (f"recall {w.staging[0] * s:g}-{w.staging[1] * s:g} s standing for {w.real_staging[0] / 60:g}-"
               f"{w.real_staging[1] / 60:g} min" if w.offline != "none" else "all online")
        print(f"\n{w.name}: {w.n} products of {w.size * s / MB:g} MB, {res['ours']['offline']} on tape ({stg}); "
              f"time factor {k:.5f}: seed poll {REAL_SEED_POLL_S * k:.3f} s, ours {60 * k:.3f} s backing off to "
              f"{900 * k:.2f} s")
        for algo, label in ALGOS:
            r = res[algo]
            print(f"  {label:22s} {r['makespan']:7.2f} s  = {r['makespan'] / lb:5.2f} x lower bound "
                  f"= {r['makespan'] / sb:5.2f} x segmented bound   "
                  f"{r['verified']}/{r['n']} verified, {r['sim_requests']} requests, "
                  f"peak {r['peak_connections']} connections, {r['http_429']} x 429")
        print(f"  (d) lower bound        {lb:7.2f} s")
        print(f"  (e) segmented bound    {sb:7.2f} s")
        if res["ours"]["offline"]:
            print(f"  ours picked each tape product up at most {res['ours']['max_pickup_lag']:.2f} s after it came online "
                  f"({res['ours']['downloads_before_online']} download GETs answered 410)")
    print("\nAvailability requests per watch tick (ours; one batched POST /fastavailability per tick is the goal):")
    for w, res, lb, ratio in rows:
        st = res["ours"]["stats"]
        ticks = st.get("poll_ticks", 0)
        if ticks:
            print(f"  {w.name:16s} {st['availability_requests'] / ticks:.2f} per tick (max {st['max_requests_per_tick']}) "
                  f"over {ticks} ticks for up to {res['ours']['offline']} waiting products; "
                  f"{res['ours']['sim_availability_requests']} availability requests in all (incl. the first check)")
        else:
            print(f"  {w.name:16s} no poll needed (nothing on tape); "
                  f"{res['ours']['sim_availability_requests']} availability request(s) in all")
    if not args.skip_memory:
        peak, base, size, elapsed, state = memory_peak(cache, work)
        print(f"\nPeak memory of ours downloading one {size / GIB:.1f} GiB product (separate process, RSS sampled "
              f"every 20 ms): {peak / 2**20:.0f} MB (after imports: {base / 2**20:.0f} MB; goal < 150 MB); "
              f"{state['state']} in {elapsed:.1f} s")
        if state["state"] != "done":
            raise SystemExit(f"the 2 GB product was not delivered: {state['reason']}")
    shutil.rmtree(work, ignore_errors=True)
    print(f"pipeline: worst makespan/lower-bound = {worst:.2f}")
    tail = f"{speedup:.1f}" if speedup is not None else "n/a (single-product workload not run)"
    print(f"pipeline: worst makespan/segmented-bound = {worst_seg:.2f}, single-product speed-up = {tail}")


if __name__ == "__main__":
    main()
