"""What the benchmarks share to measure a contender: run it in a fresh process under /usr/bin/time -v, read
back its result line, its wall time, peak RSS and CPU; and warm the page cache so every contender reads the same
way.

A contender prints one line `RESULT {json}` on stdout (its own timings and notes).
"""
import json
import os
import subprocess
import time


def measure(cmd, env):
    """Run cmd in a fresh process, under /usr/bin/time -v when the machine has it: (child's result dict, process
    wall s, peak RSS MB, CPU s)."""
    timed = ["/usr/bin/time", "-v"] + cmd if os.path.exists("/usr/bin/time") else cmd
    t0 = time.perf_counter()
    proc = subprocess.run(timed, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:6])}... failed ({proc.returncode}):\n"
                         f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    result = next(json.loads(line[7:]) for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    # /usr/bin/time -v: the peak RSS and CPU of this process alone
    info = dict(line.strip().split(": ", 1) for line in proc.stderr.splitlines() if ": " in line)
    peak = int(info.get("Maximum resident set size (kbytes)", 0)) / 1024.0
    cpu = float(info.get("User time (seconds)", "nan")) + float(info.get("System time (seconds)", "nan"))
    return result, wall, peak, cpu


def warm_page_cache(paths):
    """Read every input once, so that no contender pays for (or profits from) a cold cache."""
    for p in paths:
        with open(p, "rb") as f:
            while f.read(1 << 24):
                pass
