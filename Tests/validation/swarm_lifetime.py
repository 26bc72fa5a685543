#!/usr/bin/env python3
"""Swarm lifetime: btsim against an independent Monte Carlo of the same birth-death model.

Usage: swarm_lifetime.py [--quick] BTSIM OUT_DIR

The model (Guo et al., "Measurements, analysis, and modeling of BitTorrent-like systems",
IMC 2005): peers arrive as a Poisson process of rate lambda0 * exp(-t/tau); each downloads
the file (here one 256 KiB piece, taking about d seconds) if a seed is online, then seeds
for an exponential time; the publisher seeds from 0 to U0. The swarm dies the first time
no seed is online. This script runs btsim on Scenarios/validation/swarm-lifetime.yaml with
each parameter set (through --set), simulates the same model here with its own random
numbers, and compares the lifetime distributions: btsim's mean with its 95 % t interval
against the Monte Carlo mean, and a two-sample Kolmogorov-Smirnov test. Nothing here uses
btsim's code: only its command line and its CSV output. Each setting is run a second time
with the horizon at the Monte Carlo's median lifetime, so about half the swarms survive:
btsim's Kaplan-Meier P(alive at the horizon) and restricted mean lifetime are checked
against the Monte Carlo's.

Writes OUT_DIR/swarm-lifetime.csv and prints a table; exits 1 when a check fails.
"""
import csv
import math
import os
import random
import statistics
import subprocess
import sys

SCENARIO = os.path.join(os.path.dirname(__file__), "..", "..", "Scenarios", "validation", "swarm-lifetime.yaml")
HORIZON = 72 * 3600.0

# (label, lambda0 per hour, tau h, U0 h, mean seeding h)
SETTINGS = [
    ("short seeding", 20, 2, 1, 0.5),
    ("sparse arrivals", 5, 4, 0.5, 1),
    ("busy start", 60, 1, 2, 1 / 6),
]
# Critical values of the t distribution, 0.975 quantile, for the replication counts used.
T975 = {60: 2.001, 200: 1.972}


def monte_carlo_lifetime(rng, lam0, tau, u0, mean_seed, d):
    """One lifetime of the birth-death model, in seconds."""
    expected = lam0 * tau * (1 - math.exp(-HORIZON / tau))
    # Poisson count by inversion (expected is at most a few hundred here).
    n, p, u = 0, math.exp(-expected), rng.random()
    cumulative = p
    while u > cumulative:
        n += 1
        p *= expected / n
        cumulative += p
    scale = 1 - math.exp(-HORIZON / tau)
    arrivals = sorted(-tau * math.log(1 - rng.random() * scale) for _ in range(n))
    end = u0
    for a in arrivals:
        if a + d > end:
            break  # no seed is left by the time this peer would finish: the swarm is dead
        end = max(end, a + d + rng.expovariate(1 / mean_seed))
    return end


def ks_two_sample(a, b):
    """Kolmogorov-Smirnov statistic and asymptotic p-value."""
    a, b = sorted(a), sorted(b)
    i = j = 0
    distance = 0.0
    while i < len(a) and j < len(b):
        x = min(a[i], b[j])
        while i < len(a) and a[i] <= x:
            i += 1
        while j < len(b) and b[j] <= x:
            j += 1
        distance = max(distance, abs(i / len(a) - j / len(b)))
    n = len(a) * len(b) / (len(a) + len(b))
    lam = (math.sqrt(n) + 0.12 + 0.11 / math.sqrt(n)) * distance
    p = 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * lam * lam) for k in range(1, 101))
    return distance, min(1.0, max(0.0, p))


def run_btsim(btsim, out_dir, label, lam0, tau, u0, mean_seed, replications, horizon_s=None):
    """btsim's lifetimes (and mean download time) for one setting; with `horizon_s`, the
    runs end there instead and the folder's survival.csv and aggregate.csv are returned."""
    name = "swarm-lifetime-" + label.replace(" ", "-") + ("-censored" if horizon_s else "")
    overrides = [
        f"name={name}",
        f"peers.crowd.arrival={{decaying: {{rate: {lam0}/h, tau: {tau} h}}}}",
        f"peers.publisher.seeding={{for: {u0 * 3600} s}}",
        f"peers.crowd.seeding={{for: {{exponential: {{mean: {mean_seed * 3600} s}}}}}}",
    ]
    if horizon_s:
        overrides.append(f"duration={horizon_s} s")
    command = [btsim, "run", SCENARIO, "--replications", str(replications), "--out", out_dir, "--quiet", "--force"]
    for o in overrides:
        command += ["--set", o]
    subprocess.run(command, check=True)
    folder = os.path.join(out_dir, name, "base")
    if horizon_s:
        survival = list(csv.DictReader(open(os.path.join(folder, "survival.csv"))))
        aggregate = {r["metric"]: r for r in csv.DictReader(open(os.path.join(folder, "aggregate.csv")))}
        return survival, aggregate
    runs = list(csv.DictReader(open(os.path.join(folder, "summary.csv"))))
    alive = [r for r in runs if r["swarm_alive_at_end"] == "true"]
    if alive:
        sys.exit(f"{label}: {len(alive)} run(s) still alive after {HORIZON / 3600:.0f} h; lengthen the horizon")
    lifetimes = [float(r["swarm_lifetime_s"]) for r in runs]
    downloads = [float(p["download_s"]) for p in csv.DictReader(open(os.path.join(folder, "peers.csv"))) if p["download_s"]]
    return lifetimes, statistics.mean(downloads)


def main(arguments):
    quick = "--quick" in arguments
    arguments = [a for a in arguments if a != "--quick"]
    if len(arguments) != 2:
        sys.exit(__doc__)
    btsim, out_dir = arguments
    replications = 60 if quick else 200
    samples = 20_000 if quick else 100_000
    rows, failed = [], 0
    for label, lam0, tau, u0, mean_seed in SETTINGS[:2] if quick else SETTINGS:
        sim, d = run_btsim(btsim, out_dir, label, lam0, tau, u0, mean_seed, replications)
        rng = random.Random(f"{label}-{samples}")
        mc = [monte_carlo_lifetime(rng, lam0 / 3600, tau * 3600, u0 * 3600, mean_seed * 3600, d) for _ in range(samples)]
        mean, sd = statistics.mean(sim), statistics.stdev(sim)
        half = T975[replications] * sd / math.sqrt(len(sim))
        mc_mean = statistics.mean(mc)
        distance, p = ks_two_sample(sim, mc)
        mean_ok = mean - half <= mc_mean <= mean + half
        ks_ok = p >= 0.01
        failed += (not mean_ok) + (not ks_ok)
        # Censored: the same setting with the runs ending at the Monte Carlo's median
        # lifetime, so about half the swarms are still alive. btsim's Kaplan-Meier estimate
        # of P(alive at the horizon) and its restricted mean lifetime must hold the Monte
        # Carlo's values in their 95 % intervals.
        horizon = round(statistics.median(mc) / 60) * 60
        survival, aggregate = run_btsim(btsim, out_dir, label, lam0, tau, u0, mean_seed, replications, horizon)
        at_horizon = survival[-1]
        mc_alive = sum(1 for x in mc if x > horizon) / len(mc)
        km_ok = float(at_horizon["ci_low"]) <= mc_alive <= float(at_horizon["ci_high"])
        capped = aggregate["swarm_lifetime_capped_s"]
        mc_rmst = statistics.mean(min(x, horizon) for x in mc)
        rmst_ok = float(capped["ci_low"]) <= mc_rmst <= float(capped["ci_high"])
        failed += (not km_ok) + (not rmst_ok)
        quartiles = lambda xs: [statistics.quantiles(xs, n=4)[k] / 3600 for k in range(3)]
        rows.append({
            "setting": label, "lambda0_per_h": lam0, "tau_h": tau, "u0_h": u0, "mean_seeding_h": round(mean_seed, 4),
            "download_s": round(d, 3), "btsim_runs": len(sim), "btsim_mean_h": round(mean / 3600, 3),
            "btsim_ci_low_h": round((mean - half) / 3600, 3), "btsim_ci_high_h": round((mean + half) / 3600, 3),
            "mc_samples": samples, "mc_mean_h": round(mc_mean / 3600, 3),
            "btsim_quartiles_h": " ".join(f"{q:.2f}" for q in quartiles(sim)),
            "mc_quartiles_h": " ".join(f"{q:.2f}" for q in quartiles(mc)),
            "ks_distance": round(distance, 4), "ks_p": round(p, 4),
            "horizon_h": round(horizon / 3600, 3), "km_alive": at_horizon["survival"],
            "km_ci_low": at_horizon["ci_low"], "km_ci_high": at_horizon["ci_high"], "mc_alive": round(mc_alive, 4),
            "rmst_h": round(float(capped["mean"]) / 3600, 3), "rmst_ci_low_h": round(float(capped["ci_low"]) / 3600, 3),
            "rmst_ci_high_h": round(float(capped["ci_high"]) / 3600, 3), "mc_rmst_h": round(mc_rmst / 3600, 3),
            "verdict": "pass" if mean_ok and ks_ok and km_ok and rmst_ok else "FAIL",
        })
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "swarm-lifetime.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{'setting':18} {'btsim mean (95 % CI), h':28} {'MC mean, h':11} {'quartiles btsim / MC, h':34} {'KS D':7} {'p':7} verdict")
    for r in rows:
        ci = f"{r['btsim_mean_h']} ({r['btsim_ci_low_h']} … {r['btsim_ci_high_h']})"
        quart = f"{r['btsim_quartiles_h']} / {r['mc_quartiles_h']}"
        print(f"{r['setting']:18} {ci:28} {r['mc_mean_h']:<11} {quart:34} {r['ks_distance']:<7} {r['ks_p']:<7} {r['verdict']}")
    print(f"\ncensored at the MC median: {'setting':18} {'horizon h':10} {'KM alive (95 % CI)':28} {'MC alive':9} "
          f"{'restricted mean (95 % CI), h':30} MC")
    for r in rows:
        km = f"{float(r['km_alive']):.3f} ({float(r['km_ci_low']):.3f} … {float(r['km_ci_high']):.3f})"
        rmst = f"{r['rmst_h']} ({r['rmst_ci_low_h']} … {r['rmst_ci_high_h']})"
        print(f"{'':26} {r['setting']:18} {r['horizon_h']:<10} {km:28} {r['mc_alive']:<9} {rmst:30} {r['mc_rmst_h']}")
    print(f"{len(rows)} settings, 4 checks each, {failed} failed; table in {out_dir}/swarm-lifetime.csv")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
