#!/usr/bin/env python3
"""The scaling table of docs/performance.md: runs Scenarios/scale/ one by one and writes
Results/scale/scale.csv with, per scenario and fidelity tier, wall time, events per
second, events per peer, peak memory and memory per peer, and events per peer-piece
(which stays flat when the cost grows linearly in peers x pieces).

usage: scale.py [--reuse] BTSIM OUT_DIR SIZE... (a size is 1000, 3000, 10000, 30000 or
decaying, run in the scenario's own tier, block; or SIZE/piece for the same scenario
with --set fidelity=piece; 100000/piece is a scenario of its own, in the piece tier
only). With --reuse, a run whose OUT_DIR/runs/... summary.csv exists is not run again
(a 30,000-peer run in block fidelity takes about an hour and a half).
"""
import csv
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def scenario(size):
    """The scenario file, the results folder's name and the overrides of one SIZE."""
    size, _, tier = size.partition("/")
    name = "decaying-arrivals" if size == "decaying" else f"flash-crowd-{size}"
    path = os.path.join(ROOT, "Scenarios", "scale", name + ".yaml")
    if not os.path.exists(path):
        sys.exit(f"scale.py: no scenario {path} for size {size!r}")
    if tier not in ("", "block", "piece"):
        sys.exit(f"scale.py: unknown fidelity tier {tier!r} in {size}/{tier} (block or piece)")
    overrides = ["--set", "fidelity=piece"] if tier == "piece" else []
    return name, path, overrides


def fidelity_of(path, overrides):
    """The tier a run used: an override, else the scenario's own `fidelity:` key."""
    if overrides:
        return "piece"
    with open(path) as f:
        for line in f:
            if line.startswith("fidelity:"):
                return line.split(":", 1)[1].strip()
    return "block"


def main(btsim, out_dir, sizes, reuse):
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for size in sizes:
        name, path, overrides = scenario(size)
        tier = fidelity_of(path, overrides)
        runs = os.path.join(out_dir, "runs", tier)
        summary = os.path.join(runs, name, "base", "summary.csv")
        if not (reuse and os.path.exists(summary)):
            started = time.monotonic()
            # No --quiet: btsim shows its progress line when stderr is a terminal.
            subprocess.run([btsim, "run", path, "--out", runs, "--force"] + overrides, check=True)
            print(f"{name} ({tier}): {time.monotonic() - started:.0f} s", file=sys.stderr)
        run = next(csv.DictReader(open(summary)))
        peers, events = int(run["peers"]), int(run["events"])
        wall, rss = float(run["wall_s"]), float(run["peak_rss_mib"])
        pieces = 400  # 100 MiB in 256 KiB pieces, in every scale scenario
        rows.append({
            "scenario": name,
            "fidelity": tier,
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
