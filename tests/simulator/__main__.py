"""Run the mirror simulator from the command line: `python -m tests.simulator --help`."""
import argparse
import datetime as dt
import shlex
import signal
import sys
import threading

from .config import OFFLINE_RESPONSES, S1_COLLECTIONS, S2_COLLECTIONS, SimConfig
from .server import MirrorSimulator


def _delay(text):
    parts = [float(v) for v in text.split(",")]
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2 and parts[0] <= parts[1]:
        return (parts[0], parts[1])
    raise argparse.ArgumentTypeError("use SECONDS or MIN,MAX")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        prog="python -m tests.simulator",
        description="Sentinel Mirror simulator: a local GEODES + CDSE mirror on 127.0.0.1 with a tape model, "
                    "bandwidth limits and faults. Prints the environment to point the plugin at it.")
    ap.add_argument("--port", type=int, default=8765, help="TCP port on 127.0.0.1 (0 = any free port)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tiles", default="31TCJ", help="comma-separated tile ids, e.g. 31TCJ,31TCH")
    ap.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2023, 6, 1))
    ap.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2023, 8, 31))
    ap.add_argument("--collections", default=",".join(S2_COLLECTIONS + S1_COLLECTIONS),
                    help="comma-separated collection ids (default: all six: the four Sentinel-2 ones, PEPS_S1_L1 "
                         "and sentinel-1-grd)")
    ap.add_argument("--offline-fraction", type=float, default=0.5, help="GEODES products starting on tape")
    ap.add_argument("--cdse-offline-fraction", type=float, default=0.0)
    ap.add_argument("--staging-delay", type=_delay, default=(20.0, 60.0), help="SECONDS or MIN,MAX")
    ap.add_argument("--order-after", type=float, default=None, metavar="SECONDS",
                    help="simulate the user's order in the web portal of every product on tape this long after the "
                         "start (default: never; or POST {base}/_sim/order with {\"ids\": [...]} or {} for all)")
    ap.add_argument("--offline-response", choices=OFFLINE_RESPONSES, default="202-json",
                    help="what CDSE answers to a download of an offline product (GEODES always answers 410)")
    ap.add_argument("--wrong-key-redirect-loop", action="store_true",
                    help="GEODES answers a wrong API key with redirects in a loop (pyGeodes FAQ)")
    ap.add_argument("--maja-mtd-in-data", action="store_true", help="THEIA zips keep _MTD_ALL.xml under DATA/")
    ap.add_argument("--cdse-totp", default=None, help="CDSE two-factor account: the one-time code to accept")
    ap.add_argument("--cdse-duplicate-baselines", type=float, default=0.0,
                    help="fraction of CDSE acquisitions also listed under an older processing baseline")
    ap.add_argument("--bandwidth", type=float, default=None, help="bytes/s per connection (default unlimited)")
    ap.add_argument("--max-connections", type=int, default=None, help="open downloads per service, then 429")
    ap.add_argument("--retry-after", type=int, default=5)
    ap.add_argument("--token-lifetime", type=float, default=600.0)
    ap.add_argument("--pad-to", type=int, default=None, help="pad every archive to this many bytes")
    ap.add_argument("--full-size", action="store_true",
                    help="full-size archives: S2 10980x10980 rasters, S1 zips of about 1 GB (slow to build)")
    ap.add_argument("--work-dir", default=None, help="archive cache (default: a temp dir removed on exit)")
    ap.add_argument("--prebuild", action="store_true", help="build every archive before serving")
    return ap.parse_args(argv)


def main(argv=None):
    a = parse_args(argv)
    cfg = SimConfig(seed=a.seed, tiles=a.tiles, start=a.start, end=a.end,
                    collections=tuple(c for c in a.collections.split(",") if c),
                    offline_fraction=a.offline_fraction, cdse_offline_fraction=a.cdse_offline_fraction,
                    staging_delay_s=a.staging_delay, offline_response=a.offline_response,
                    wrong_key_redirect_loop=a.wrong_key_redirect_loop, maja_mtd_in_data=a.maja_mtd_in_data,
                    cdse_totp=a.cdse_totp, cdse_duplicate_baselines=a.cdse_duplicate_baselines,
                    bandwidth_bps=a.bandwidth, max_connections=a.max_connections, retry_after_s=a.retry_after,
                    token_lifetime_s=a.token_lifetime, pad_to=a.pad_to, full_size=a.full_size,
                    work_dir=a.work_dir, port=a.port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with MirrorSimulator(cfg) as sim:
        if a.prebuild:
            sim.prebuild()
        print(f"# mirror simulator on {sim.base_url}: {len(sim.products)} products "
              f"({sum(1 for p in sim.products if not p.online)} offline)", file=sys.stderr)
        for k, v in sim.env().items():
            print(f"export {k}={shlex.quote(v)}")
        sys.stdout.flush()
        if a.order_after is not None:
            timer = threading.Timer(a.order_after, lambda: print(
                f"# simulated portal order: {sim.order()} product(s) on tape ordered", file=sys.stderr))
            timer.daemon = True
            timer.start()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
