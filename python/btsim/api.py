"""`btsim.load` and `btsim.run`: a result folder or an experiment as typed pandas tables,
and btsim's commands launched from Python.

Types follow what the columns mean rather than what CSV gives: `variant` and `group` are
ordered categoricals in the order btsim wrote them (so plots and groupby keep the
scenario's order), `run`/`replication`/`point` are integers, and a sweep's `KEY [UNIT]`
columns are floats (btsim writes each swept key twice: as written, and as a number in a
canonical unit; docs/metrics.md). Each table carries the folder's manifest.json in
`table.attrs["manifest"]`, so a table taken out of its folder still says what produced it.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd

from . import results

ROOT = Path(__file__).resolve().parents[2]
_INTEGERS = ("run", "replication", "point", "n")


class _Tables:
    """Tables by name as attributes (`result.peers`), None for those btsim did not write."""

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)


class Result(_Tables):
    """One result folder (`<out>/<name>/base`, a sweep's `<out>/<name>/sweep`): each table
    of docs/metrics.md as an attribute (None when btsim did not write it)."""

    def __init__(self, folder):
        self.folder = results.resolve(folder)
        self.manifest = _manifest(self.folder)
        resolved = self.folder / "scenario.resolved.yaml"
        self.scenario = resolved if resolved.exists() else None
        self.tables = {name: _typed(t, self.manifest) for name, t in results.read_folder(self.folder).items()}
        for name in ("compare", "group_compare"):
            self.tables[name] = _typed(results._read(self.folder / f"{name}.csv"), self.manifest)

    def __repr__(self):
        present = [n for n, t in self.tables.items() if t is not None]
        return f"Result({self.folder}: {', '.join(present)})"


class Experiment(_Tables):
    """An experiment folder (`<out>/<name>`): its result folders in btsim's order, every
    table joined over them with a `variant` column, and compare.csv when there is one."""

    def __init__(self, folder):
        self.folder = results.resolve(folder)
        self.manifest = _manifest(self.folder)
        self.folders = {f.name: Result(f) for f in results.experiment_folders(self.folder)}
        order = list(self.folders)
        self.tables = {}
        for name in results.TABLES:
            parts = [r.tables[name].assign(variant=r.tables[name].get("variant", n)) for n, r in self.folders.items()
                     if r.tables[name] is not None]
            self.tables[name] = _typed(pd.concat(parts, ignore_index=True), self.manifest, order) if parts else None
        for name in ("compare", "group_compare"):
            self.tables[name] = _typed(results._read(self.folder / f"{name}.csv"), self.manifest, order)

    def __repr__(self):
        return f"Experiment({self.folder}: {', '.join(self.folders)})"


def load(path):
    """A `Result` for a result folder (it has summary.csv), an `Experiment` for an
    experiment folder (experiment.csv); FileNotFoundError naming the path otherwise."""
    folder = results.resolve(path)
    if (folder / "summary.csv").exists():
        return Result(folder)
    if (folder / "experiment.csv").exists():
        return Experiment(folder)
    what = "no such folder" if not folder.exists() else "neither summary.csv nor experiment.csv"
    raise FileNotFoundError(f"{folder}: {what}; give a btsim result or experiment folder such as Results/quickstart")


def run(scenario, command="run", out="Results", overrides=None, seed=None, replications=None, jobs=None,
        force=False, binary=None):
    """Runs `btsim COMMAND SCENARIO` (run, compare or sweep) quietly and returns `load()` of
    what it wrote: the experiment `<out>/<name>` (for run and compare) or `<out>/<name>/sweep`.
    `overrides` is a dict of keys to values or a list of "KEY=VALUE", as `--set` takes them.
    RuntimeError with btsim's message when it exits non-zero."""
    if command not in ("run", "compare", "sweep"):
        raise ValueError(f"command must be run, compare or sweep, got {command!r}")
    args = [_binary(binary), command, str(scenario), "--out", str(out), "--quiet"]
    pairs = overrides.items() if isinstance(overrides, dict) else [s.split("=", 1) for s in overrides or []]
    for key, value in pairs:
        args += ["--set", f"{key}={value}"]
    for option, value in (("--seed", seed), ("--replications", replications), ("--jobs", jobs)):
        if value is not None:
            args += [option, str(value)]
    if force:
        args.append("--force")
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"btsim exited {done.returncode}: {done.stderr.strip()}")
    folder = Path(out) / _scenario_name(scenario)
    return load(folder / "sweep" if command == "sweep" else folder)


def _binary(given):
    """The btsim to launch: `given`, $BTSIM, btsim on PATH, or this checkout's release build."""
    for candidate in (given, os.environ.get("BTSIM"), shutil.which("btsim"), ROOT / ".build/release/btsim"):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise FileNotFoundError("no btsim binary: pass binary=, set BTSIM, put btsim on PATH or run `make build`")


def _scenario_name(scenario):
    """The scenario's `name:` (the experiment folder's name), read without a YAML parser."""
    m = re.search(r"^name:\s*['\"]?([A-Za-z0-9._-]+)", Path(scenario).read_text(), re.MULTILINE)
    if not m:
        raise ValueError(f"{scenario}: no top-level `name:`")
    return m.group(1)


def _manifest(folder):
    path = folder / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else None


def _typed(table, manifest, variants=None):
    """The table with the types its columns mean (see the module's docstring)."""
    if table is None:
        return None
    table = table.copy()
    for column in _INTEGERS:
        if column in table.columns and table[column].notna().all():
            table[column] = table[column].astype("int64")
    for column in table.columns:
        if re.match(r"^.+ \[.+\]$", column):
            table[column] = pd.to_numeric(table[column], errors="coerce").astype("float64")
    if "variant" in table.columns:
        order = variants or list(dict.fromkeys(table["variant"].astype(str)))
        table["variant"] = pd.Categorical(table["variant"].astype(str), categories=order, ordered=True)
    if "group" in table.columns:
        order = list(dict.fromkeys(table["group"].dropna().astype(str)))
        table["group"] = pd.Categorical(table["group"], categories=order, ordered=True)
    table.attrs["manifest"] = manifest
    return table
