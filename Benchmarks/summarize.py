#!/usr/bin/env python3
"""Turns ordo-one/benchmark's influx export into Results/bench/benchmarks.csv and a table.

Micro benchmarks run 1,000 operations per measured iteration (`scalingFactor: .kilo` in
SimulatorBenchmarks.swift), so their times and allocation counts are divided by 1,000
to give per-operation figures. Whole runs ("Simulation ...") report per run, plus events
per second and allocations per event; two runs of one swarm with files of different sizes
give the allocations of a steady-state event (the difference over the extra events: set-up
allocations cancel). The last line compares the event loop's speed with the bare event
queue's at 100,000 pending events, measured in the same `make bench`, for every whole run.

usage: summarize.py INFLUX_CSV OUT_CSV
"""
import csv
import re
import sys
from collections import defaultdict

OPS_PER_ITERATION = 1000


def main(source, target):
    rows = [r for r in csv.reader(open(source)) if r and not r[0].startswith("#")]
    header, rows = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    median = defaultdict(dict)
    for r in rows:
        if float(r[col["percentile"]]) == 50.0:
            median[r[col["test"]]][r[col["metric"]]] = float(r[col["value"]])
    out = []
    for test, metrics in median.items():
        whole_run = test.startswith("Simulation")
        per = 1 if whole_run else OPS_PER_ITERATION
        time_ns = metrics.get("Time(wallclock)", float("nan"))
        row = {
            "benchmark": test,
            "unit": "run" if whole_run else "operation",
            "median_ns": time_ns / per,
            "mallocs": metrics.get("Malloc(total)", float("nan")) / per,
            "events": "",
            "events_per_s": "",
            "mallocs_per_event": "",
            "peak_rss_mib": "",
        }
        if whole_run:
            events = metrics.get("events", 0)
            row["events"] = int(events)
            row["events_per_s"] = events / (time_ns / 1e9) if time_ns else ""
            row["mallocs_per_event"] = row["mallocs"] / events if events else ""
            rss = metrics.get("Memory(resident peak)")
            row["peak_rss_mib"] = rss / 2**20 if rss else ""
        out.append(row)
    out.sort(key=lambda r: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", r["benchmark"])])
    with open(target, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(out[0].keys()))
        writer.writeheader()
        writer.writerows(out)

    def fmt(v, spec):
        return format(v, spec) if isinstance(v, (int, float)) else "-"

    print(f"{'benchmark':52} {'median':>14} {'mallocs':>10} {'events/s':>12} {'mallocs/event':>14}")
    for r in out:
        unit = "ns/op" if r["unit"] == "operation" else "ms/run"
        t = r["median_ns"] if r["unit"] == "operation" else r["median_ns"] / 1e6
        print(
            f"{r['benchmark']:52} {fmt(t, '10.1f')} {unit:>3} {fmt(r['mallocs'], '10.3f')} "
            f"{fmt(r['events_per_s'], '12,.0f')} {fmt(r['mallocs_per_event'], '14.4f')}"
        )
    queue = next((r for r in out if r["benchmark"] == "EventQueue push+pop, 100000 pending"), None)
    runs = [r for r in out if isinstance(r["events_per_s"], float)]
    if queue and runs:
        bare = 1e9 / queue["median_ns"]
        for r in runs:
            print(
                f"event loop vs bare queue (100,000 pending, {bare:,.0f} events/s): "
                f"{r['events_per_s'] / bare:.2f} in {r['benchmark']}"
            )
    small = next((r for r in runs if r["benchmark"] == "Simulation flash crowd 10 MiB, 300 peers"), None)
    large = next((r for r in runs if r["benchmark"] == "Simulation flash crowd 40 MiB, 300 peers"), None)
    if small and large and large["events"] > small["events"]:
        steady = (large["mallocs"] - small["mallocs"]) / (large["events"] - small["events"])
        print(f"allocations per steady-state event (300 peers, 40 MiB vs 10 MiB): {steady:.4f}")
    print(f"written: {target}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
