#!/usr/bin/env python3
"""The same swarm in the simulator and as real btsim processes on 127.0.0.1 (`make interop`).

  sim_vs_live.py BTSIM OUT_DIR [--scenario FILE] [--replications N]

The scenario (default Tests/interop/sim-vs-live.yaml: one seed and ten rate-limited
leechers, a 20 MiB file) runs in the simulator with `--trace-peers all`, then N times
(default: the scenario's replications) as one `btsim live tracker`, one `live seed` and
one `live get` per leecher, all following the scenario's protocol (`--protocol FILE`) and
each limited to its simulated peer's rates (`--max-upload-rate`, `--max-download-rate`,
read from the simulation's peers.csv, so the two worlds cannot be given different
rates) and started at its simulated peer's arrival time in the same replication. Every Live peer writes `--events`, the trace the simulated peers write: the
comparison reads both worlds' traces with the same code.

The checks and their tolerances were fixed before the first run (docs/live.md,
"Simulator against Live"); each compares Live with the simulator as a relative
difference, pooled over the replications:

  mean and p90 download time (a leecher's `completed` time)          within 10 %
  choke<->unchoke transitions per peer (`choke` and `unchoke` sent),
    for the leechers and for the seed                                 within 15 %
  median and p90 of unchoke durations (unchoke to the next choke,
    disconnect or end of the trace, over every peer and remote)       within 15 %

Writes OUT_DIR/sim_vs_live.csv (metric, sim, live, difference, tolerance, result, n_sim,
n_live), prints the table, and exits 1 when a check fails, a Live download does not
complete with the right SHA-256, or any piece fails its SHA-1 check on the way.
"""
import csv
import glob
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from interop import free_port, sha256, stop, wait_listening  # noqa: E402  (the matrix's process helpers)
DEFAULT_SCENARIO = os.path.join(HERE, "sim-vs-live.yaml")
LIMIT = 600  # seconds for one Live replication: a stall, not a slow run, is what this catches

# (metric, tolerance as a relative difference): fixed before the first run.
CHECKS = [
    ("mean_download_s", 0.10),
    ("p90_download_s", 0.10),
    ("transitions_per_leecher", 0.15),
    ("transitions_of_seed", 0.15),
    ("median_unchoke_s", 0.15),
    ("p90_unchoke_s", 0.15),
]


def quantile(values, q):
    """Linear interpolation between order statistics (numpy's default)."""
    v = sorted(values)
    if not v:
        return float("nan")
    position = q * (len(v) - 1)
    low = int(position)
    high = min(low + 1, len(v) - 1)
    return v[low] + (v[high] - v[low]) * (position - low)


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def read_trace(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def unchoke_spells(events):
    """Durations from each unchoke to the next choke or disconnect of that remote; a
    spell still open at the end of the trace ends with the trace (the peer left)."""
    opened = {}
    spells = []
    for e in events:
        remote = e.get("peer")
        if e["event"] == "unchoke":
            opened[remote] = e["t"]
        elif e["event"] in ("choke", "disconnected") and remote in opened:
            spells.append(e["t"] - opened.pop(remote))
    end = events[-1]["t"] if events else 0
    spells += [end - t for t in opened.values()]
    return spells


def statistics(replications):
    """The compared quantities from traces: `replications` is a list of
    {"seed": [events], "leechers": [[events], ...]}."""
    downloads, leecher_transitions, seed_transitions, spells = [], [], [], []
    for rep in replications:
        for events in rep["leechers"]:
            done = [e["t"] for e in events if e["event"] == "completed"]
            if done:
                downloads.append(done[0])
            leecher_transitions.append(sum(e["event"] in ("choke", "unchoke") for e in events))
            spells += unchoke_spells(events)
        seed_transitions.append(sum(e["event"] in ("choke", "unchoke") for e in rep["seed"]))
        spells += unchoke_spells(rep["seed"])
    return {
        "mean_download_s": (mean(downloads), len(downloads)),
        "p90_download_s": (quantile(downloads, 0.9), len(downloads)),
        "transitions_per_leecher": (mean(leecher_transitions), len(leecher_transitions)),
        "transitions_of_seed": (mean(seed_transitions), len(seed_transitions)),
        "median_unchoke_s": (quantile(spells, 0.5), len(spells)),
        "p90_unchoke_s": (quantile(spells, 0.9), len(spells)),
    }


def simulate(btsim, scenario, out, replications):
    """Runs the scenario with every peer traced; returns the traces by replication and
    each replication's peers (group, rates) in peer order. The scenario's first group is
    the one seed (peer 0 of each run), the others are leechers."""
    subprocess.run(
        [btsim, "run", scenario, "--out", out, "--trace-peers", "all", "--replications", str(replications),
         "--quiet", "--force"],
        check=True)
    folder = glob.glob(os.path.join(out, "*", "base"))[0]
    peers = {}
    with open(os.path.join(folder, "peers.csv")) as f:
        for row in csv.DictReader(f):
            peers.setdefault(int(row["run"]), []).append(row)
    traces = []
    for run in sorted(peers):
        rows = peers[run]
        if rows[0]["group"] == rows[1]["group"] or any(r["group"] == rows[0]["group"] for r in rows[1:]):
            raise SystemExit(f"{scenario}: the first group must be the one seed, then the leechers' groups")
        trace = [read_trace(os.path.join(folder, "traces", f"run-{run}", f"peer-{r['peer']}.jsonl")) for r in rows]
        traces.append({"seed": trace[0], "leechers": trace[1:]})
    return traces, peers


def rate(bits_per_second):
    return f"{float(bits_per_second):.0f}bit/s"


def live_replication(btsim, scenario, folder, peers, data, piece_size, replication):
    """One Live replication: a tracker, the seed, then each leecher at its simulated
    arrival time, with its simulated peer's rates; returns the traces, or raises when a
    download fails."""
    os.makedirs(folder, exist_ok=True)
    tracker_port, seed_port = free_port(), free_port()
    torrent = os.path.join(folder, "shared.torrent")
    subprocess.run(
        [btsim, "live", "make-torrent", data, "-o", torrent, "--piece-size", f"{piece_size}B", "--tracker",
         f"http://127.0.0.1:{tracker_port}/announce"], check=True, stdout=subprocess.DEVNULL)
    common = ["--protocol", scenario]
    log = open(os.path.join(folder, "stderr.log"), "w")
    running = []
    try:
        tracker = subprocess.Popen([btsim, "live", "tracker", "--port", str(tracker_port)], stderr=log,
                                   stdout=subprocess.DEVNULL)
        running.append(tracker)
        if not wait_listening(tracker_port):
            raise RuntimeError("the tracker did not start")
        seed_row, leecher_rows = peers[0], peers[1:]
        seed = subprocess.Popen(
            [btsim, "live", "seed", torrent, "--data", data, "--port", str(seed_port),
             "--max-upload-rate", rate(seed_row["up_bps"]), "--max-download-rate", rate(seed_row["down_bps"]),
             "--events", os.path.join(folder, "seed.jsonl")] + common, stderr=log, stdout=subprocess.DEVNULL)
        running.append(seed)
        if not wait_listening(seed_port):
            raise RuntimeError("the seed did not start")
        leechers = []
        # Each leecher starts when its simulated peer arrived in the same replication
        # (peers.csv's joined_s, counted from the seed's start): both worlds share one
        # arrival schedule. Live cannot start ten processes at one instant, and who
        # reaches the seed first gets its first slots, so leaving the order to process
        # start-up (tens of milliseconds apart) made Live's choking its own experiment.
        started = time.time()
        for k in sorted(range(len(leecher_rows)), key=lambda k: float(leecher_rows[k]["joined_s"])):
            row = leecher_rows[k]
            time.sleep(max(0.0, started + float(row["joined_s"]) - time.time()))
            out = os.path.join(folder, f"leecher-{k}")
            os.makedirs(out, exist_ok=True)
            leechers.append((out, subprocess.Popen(
                [btsim, "live", "get", torrent, "--out", out,
                 "--max-upload-rate", rate(row["up_bps"]), "--max-download-rate", rate(row["down_bps"]),
                 "--events", os.path.join(folder, f"leecher-{k}.jsonl")] + common,
                stderr=log, stdout=subprocess.DEVNULL)))
        running += [p for _, p in leechers]
        deadline = time.time() + LIMIT
        for out, process in leechers:
            process.wait(timeout=max(1, deadline - time.time()))
            if process.returncode != 0:
                raise RuntimeError(f"{out}: live get exited {process.returncode} (see {log.name})")
        expected = sha256(data)
        for out, _ in leechers:
            if sha256(os.path.join(out, os.path.basename(data))) != expected:
                raise RuntimeError(f"{out}: the downloaded file differs from the seed's")
    finally:
        for process in reversed(running):
            stop(process)
        log.close()
    # Every peer is an honest btsim: a piece failing its check is a bug, not bad luck.
    with open(log.name) as f:
        failed_checks = sum("does not match its SHA-1" in line for line in f)
    if failed_checks:
        raise RuntimeError(f"{failed_checks} piece(s) failed their SHA-1 check (see {log.name})")
    return {
        "seed": read_trace(os.path.join(folder, "seed.jsonl")),
        "leechers": [read_trace(os.path.join(folder, f"leecher-{k}.jsonl")) for k in range(len(leecher_rows))],
    }


def main(argv):
    args = argv[1:]
    scenario, replications = DEFAULT_SCENARIO, None
    for flag in ("--scenario", "--replications"):
        if flag in args:
            i = args.index(flag)
            if i + 1 >= len(args):
                sys.exit(f"{flag} needs a value")
            value = args.pop(i + 1)
            args.pop(i)
            if flag == "--scenario":
                scenario = value
            else:
                replications = int(value)
    if len(args) != 2:
        sys.exit(__doc__)
    btsim, out = os.path.abspath(args[0]), os.path.abspath(args[1])
    scenario = os.path.abspath(scenario)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    if replications is None:
        with open(scenario) as f:
            replications = next(int(line.split(":")[1]) for line in f if line.startswith("replications:"))
    started = time.time()
    sim_traces, peers = simulate(btsim, scenario, os.path.join(out, "sim"), replications)
    sim_seconds = time.time() - started
    data = os.path.join(out, "shared.bin")
    folder = glob.glob(os.path.join(out, "sim", "*", "base"))[0]
    with open(data, "wb") as f:
        f.write(os.urandom(torrent_setting(folder, "size")))
    piece_size = torrent_setting(folder, "piece_size")
    live_traces = []
    started = time.time()
    for run in sorted(peers):
        print(f"live replication {run} of {len(peers)} …", file=sys.stderr, flush=True)
        live_traces.append(
            live_replication(btsim, scenario, os.path.join(out, "live", f"run-{run}"), peers[run], data, piece_size, run))
    live_seconds = time.time() - started
    sim, live = statistics(sim_traces), statistics(live_traces)
    rows, failed = [], 0
    for metric, tolerance in CHECKS:
        (s, n_sim), (l, n_live) = sim[metric], live[metric]
        difference = (l - s) / s if s else float("inf")
        ok = abs(difference) <= tolerance
        failed += not ok
        rows.append([metric, f"{s:.3f}", f"{l:.3f}", f"{difference:+.3f}", f"{tolerance:.2f}",
                     "pass" if ok else "FAIL", n_sim, n_live])
    header = ["metric", "sim", "live", "difference", "tolerance", "result", "n_sim", "n_live"]
    with open(os.path.join(out, "sim_vs_live.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for r in [header] + rows:
        print("  ".join(str(c).ljust(widths[i]) for i, c in enumerate(r)))
    print(f"{replications} replication(s): simulator {sim_seconds:.1f} s, Live {live_seconds:.1f} s; "
          f"{len(CHECKS) - failed} of {len(CHECKS)} checks within tolerance")
    return 1 if failed else 0


UNITS = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "kB": 10**3, "MB": 10**6, "GB": 10**9}


def torrent_setting(folder, key):
    """`torrent.<key>` of the resolved scenario (a size such as `20 MiB`), in bytes."""
    with open(os.path.join(folder, "scenario.resolved.yaml")) as f:
        lines = f.read().splitlines()
    start = lines.index("torrent:")
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        name, _, value = line.strip().partition(":")
        if name == key:
            number, unit = value.split()
            return int(float(number) * UNITS[unit])
    raise SystemExit(f"{folder}: no torrent.{key} in scenario.resolved.yaml")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
