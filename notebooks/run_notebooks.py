"""`make notebooks`: runs a small scenario set, executes every notebook headless on its
results and checks the figures, then writes `btsim report` for each result folder.

    python3 notebooks/run_notebooks.py BTSIM [--out Results/notebooks] [--skip-runs]

Executed notebooks go to OUT/executed/, figures (PNG and SVG) to OUT/figures/, the
simulation results to OUT/data/. Parameters are injected as papermill does: a cell tagged
`injected-parameters` after the one tagged `parameters`, so the committed notebooks keep
their defaults. Exits 1 when a notebook fails or a figure or report is missing or empty,
which is how CI notices a CSV change that breaks a notebook.
"""

import argparse
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent
ROOT = NOTEBOOKS.parent

# The scenario set: small enough for CI (five and a half minutes on 2 cores with the test
# build, runs, notebooks and reports together; the strategy matrix about a minute), each
# run with 3 replications so that every interval has something to say; seed-and-store
# shrunk to two days and a 10 MiB file (its full size is a few minutes on its own), the
# strategy matrix (36 points) to a 4 MiB file and 2 replications, its pairings' fewest.
RUNS = [
    ["run", "Scenarios/quickstart.yaml"],
    ["compare", "Scenarios/speed-vs-tft.yaml"],
    ["sweep", "Scenarios/speed-vs-tft.yaml"],
    ["sweep", "Scenarios/swarm-size.yaml"],
    ["compare", "Scenarios/btfs-durability.yaml"],
    ["compare", "Scenarios/seed-and-store.yaml", "--set", "duration=2 d", "--set", "torrent.size=10 MiB"],
    ["sweep", "Scenarios/strategy-matrix.yaml", "--set", "torrent.size=4 MiB", "--replications", "2"],
]


def notebook_parameters(data):
    """Each notebook's parameters for the scenario set (paths absolute)."""
    return {
        "swarm-evolution": {"results": data / "quickstart/base"},
        "download-times": {"results": data / "speed-vs-tft", "variants": ["base", "speed-4", "speed-16", "tft-freeriders"]},
        "longevity-vs-price": {"results": data / "speed-vs-tft/sweep", "reference": data / "speed-vs-tft/base"},
        "strategy-comparison": {"results": data / "speed-vs-tft"},
        "speed-vs-swarm-size": {"results": data / "swarm-size/sweep"},
        "storage-market": {"durability": data / "btfs-durability", "funding": data / "seed-and-store"},
        "strategy-matrix": {"results": data / "strategy-matrix/sweep"},
    }


# Folders `btsim report` is run on, and the least number of figures each report embeds.
REPORTS = {
    "quickstart/base": 2, "speed-vs-tft": 3, "speed-vs-tft/sweep": 3, "swarm-size/sweep": 3, "btfs-durability": 2,
    "btfs-durability/base": 1, "seed-and-store": 4, "seed-and-store/base": 3,
}


def run_scenarios(btsim, data):
    for command, scenario, *extra in RUNS:
        replications = [] if "--replications" in extra else ["--replications", "3"]
        args = [btsim, command, scenario, *replications, "--jobs", "2", "--out", str(data), "--quiet", "--force", *extra]
        print("$", " ".join(args), flush=True)
        subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def injected(parameters):
    lines = ["# Injected by notebooks/run_notebooks.py"]
    for name, value in parameters.items():
        lines.append(f"{name} = {repr(str(value) if isinstance(value, Path) else value)}")
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    return cell


def execute(name, parameters, executed):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    if len(tagged) != 1:
        raise SystemExit(f"{name}.ipynb: expected one cell tagged 'parameters', found {len(tagged)}")
    cell = injected(parameters)
    cell["id"] = f"{name}-injected"
    nb.cells.insert(tagged[0] + 1, cell)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    executed.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, executed / f"{name}.ipynb")


def missing_figures(figures, names):
    """The expected figure files that are absent or empty."""
    expected = [figures / f"{n}.{ext}" for n in names for ext in ("png", "svg")]
    return [str(f) for f in expected if not f.exists() or f.stat().st_size == 0]


def check_report(btsim, folder, least):
    """Runs `btsim report` on `folder`; the problems with what it wrote, if any."""
    subprocess.run([btsim, "report", str(folder)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    html = folder / "report.html"
    if not html.exists():
        return [f"{html}: not written"]
    images = html.read_text().count('<img src="data:image/png;base64,')
    return [] if images >= least else [f"{html}: {images} figures embedded, expected at least {least}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("btsim", help="the btsim binary")
    parser.add_argument("--out", default="Results/notebooks", help="output folder (default: %(default)s)")
    parser.add_argument("--skip-runs", action="store_true", help="reuse OUT/data from an earlier call")
    args = parser.parse_args()
    btsim = str(Path(args.btsim).resolve())
    out = (ROOT / args.out).resolve()
    data, figures = out / "data", out / "figures"
    if not args.skip_runs:
        run_scenarios(btsim, data)
    parameters = notebook_parameters(data)
    for name, params in parameters.items():
        print(f"executing {name}.ipynb", flush=True)
        execute(name, {**params, "figures": figures}, out / "executed")
    problems = missing_figures(figures, parameters)
    for folder, least in REPORTS.items():
        problems += check_report(btsim, data / folder, least)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"{len(parameters)} notebooks executed: {out / 'executed'}; figures: {figures}; "
          f"{len(REPORTS)} reports under {data}")


if __name__ == "__main__":
    main()
