#!/usr/bin/env python3
"""Golden outputs: btsim's CSVs for a few scenarios, byte for byte.

Usage: golden.py BTSIM OUT_DIR [--update]

Runs each case below with BTSIM into OUT_DIR, removes what depends on the machine rather
than on the model (the wall-clock columns `wall_s` and `peak_rss_mib`, and their rows in
aggregate tables), and compares every CSV the run wrote with the committed copy under
Tests/golden/CASE/ (cmp: byte for byte). A missing, extra or different file fails.

With --update the committed copies are replaced by this run's: do that only for a change
meant to alter results, and say in the commit which golden files changed and why.
`btsim regress` (make regress) stays the statistical check; this one catches any change.
"""
import csv
import filecmp
import io
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")

# (case, scenario, extra arguments): the scenario's own settings unless said otherwise.
CASES = [
    ("quickstart", "Scenarios/quickstart.yaml", []),
    ("dying-swarm", "Scenarios/dying-swarm.yaml", []),
    # speed-vs-tft's speed-4 variant, one run.
    ("speed-4", "Scenarios/speed-vs-tft.yaml", ["--set", "peers.crowd.strategy=speed", "--replications", "1"]),
    ("btfs-durability", "Scenarios/btfs-durability.yaml", ["--replications", "2"]),
]

WALL_CLOCK = {"wall_s", "peak_rss_mib"}


def normalized(path):
    """The CSV's text without wall-clock columns, or rows naming a wall-clock metric."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        return ""
    header = rows[0]
    keep = [i for i, name in enumerate(header) if name not in WALL_CLOCK]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for k, row in enumerate(rows):
        if k > 0 and header and header[0] == "metric" and row and row[0] in WALL_CLOCK:
            continue
        writer.writerow([row[i] for i in keep if i < len(row)])
    return out.getvalue()


def csv_files(folder):
    found = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".csv"):
                found.append(os.path.relpath(os.path.join(dirpath, name), folder))
    return sorted(found)


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv[1:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    btsim, out_dir = args
    failures = 0
    for case, scenario, extra in CASES:
        run_root = os.path.join(out_dir, case)
        shutil.rmtree(run_root, ignore_errors=True)
        command = [btsim, "run", os.path.join(ROOT, scenario), "--out", run_root, "--quiet"] + extra
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print("%s: btsim exited %d: %s" % (case, done.returncode, done.stderr.strip()))
            failures += 1
            continue
        (produced,) = [os.path.join(run_root, d) for d in os.listdir(run_root)]
        normal = os.path.join(out_dir, case + ".normalized")
        shutil.rmtree(normal, ignore_errors=True)
        for name in csv_files(produced):
            os.makedirs(os.path.dirname(os.path.join(normal, name)), exist_ok=True)
            with open(os.path.join(normal, name), "w", newline="") as f:
                f.write(normalized(os.path.join(produced, name)))
        golden = os.path.join(HERE, case)
        if update:
            shutil.rmtree(golden, ignore_errors=True)
            shutil.copytree(normal, golden)
            print("%s: %d golden files written" % (case, len(csv_files(golden))))
            continue
        want, got = csv_files(golden), csv_files(normal)
        for name in sorted(set(want) | set(got)):
            if name not in got:
                print("%s/%s: not written any more" % (case, name))
            elif name not in want:
                print("%s/%s: new file, not in the golden set" % (case, name))
            elif filecmp.cmp(os.path.join(golden, name), os.path.join(normal, name), shallow=False):
                continue
            else:
                print("%s/%s: differs (diff %s %s)" % (case, name, os.path.join(golden, name), os.path.join(normal, name)))
            failures += 1
    if update:
        return 0
    if failures:
        print("golden outputs: %d file(s) differ; if the change is meant to alter results, run `make golden` "
              "and commit the new files with the reason" % failures)
        return 1
    print("golden outputs: %d cases, every CSV identical" % len(CASES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
