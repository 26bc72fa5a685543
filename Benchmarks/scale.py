#!/usr/bin/env python3
"""The scaling table of docs/performance.md: runs Scenarios/scale/ one by one and writes
Results/scale/scale.csv with, per scenario, wall time, events per second, events per peer,
peak memory and memory per peer, and events per peer-piece (which stays flat when the
cost grows linearly in peers x pieces).

usage: scale.py [--reuse] BTSIM OUT_DIR SIZE... (a size is 1000, 3000, 10000, 30000 or
decaying). With --reuse, a scenario whose OUT_DIR/runs/NAME/base/summary.csv exists is not
run again (a 30,000-peer run takes about an hour).
"""
import csv
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def scenario(size):
    name = "decaying-arrivals" if size == "decaying" else f"flash-crowd-{size}"
    return name, os.path.join(ROOT, "Scenarios", "scale", name + ".yaml")


def main(btsim, out_dir, sizes, reuse):
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for size in sizes:
        name, path = scenario(size)
        summary = os.path.join(out_dir, "runs", name, "base", "summary.csv")
        if not (reuse and os.path.exists(summary)):
            started = time.monotonic()
            # No --quiet: btsim shows its progress line when stderr is a terminal.
            subprocess.run([btsim, "run", path, "--out", os.path.join(out_dir, "runs")], check=True)
            print(f"{name}: {time.monotonic() - started:.0f} s", file=sys.stderr)
        run = next(csv.DictReader(open(summary)))
        peers, events = int(run["peers"]), int(run["events"])
        wall, rss = float(run["wall_s"]), float(run["peak_rss_mib"])
        pieces = 400  # 100 MiB in 256 KiB pieces, in every scale scenario
        rows.append({
            "scenario": name,
            "peers": peers,
            "wall_s": wall,
            "events": events,
            "events_per_s": round(events / wall),
            "events_per_peer": round(events / peers),
            "events_per_peer_piece": round(events / (peers * pieces), 1),
            "peak_rss_mib": rss,
            "rss_kib_per_peer": round(rss * 1024 / peers, 1),
            "mean_download_s": run["mean_download_s"],
        })
    with open(os.path.join(out_dir, "scale.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    print(" | ".join(rows[0].keys()))
    for r in rows:
        print(" | ".join(str(v) for v in r.values()))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    reuse = "--reuse" in arguments
    arguments = [a for a in arguments if a != "--reuse"]
    if len(arguments) < 3:
        sys.exit(__doc__)
    main(arguments[0], arguments[1], arguments[2:], reuse)
