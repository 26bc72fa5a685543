"""Reading btsim result folders into pandas: the functions the notebooks and `btsim report`
use (imported there as `btsim_results`), and what `btsim.load` builds on.

A *result folder* holds the CSVs of one variant (`Results/<name>/base/`) or of a whole
sweep (`Results/<name>/sweep/`); an *experiment folder* (`Results/<name>/`) holds
`experiment.csv` and one result folder per variant, plus `compare.csv` after `btsim
compare`. The columns are those of docs/metrics.md; nothing here recomputes what btsim
already wrote (means and confidence intervals come from aggregate.csv and compare.csv).
"""

from pathlib import Path
import re

import pandas as pd

TABLES = ("peers", "timeseries", "summary", "groups", "aggregate", "group_aggregate", "survival", "payments", "storage",
          "files", "hosts", "torrents", "torrent_timeseries", "users")


def resolve(folder):
    """`folder` as given, or relative to the repository root when the notebook runs from
    notebooks/ (Jupyter's working directory) and the path was written from the root."""
    path = Path(folder)
    if path.exists() or path.is_absolute():
        return path
    from_root = Path(__file__).resolve().parents[2] / path
    return from_root if from_root.exists() else path


def read_folder(folder):
    """The tables of one result folder as DataFrames (None for a table that is absent)."""
    folder = resolve(folder)
    if not (folder / "summary.csv").exists():
        raise FileNotFoundError(f"{folder}: no summary.csv — not a btsim result folder")
    return {name: _read(folder / f"{name}.csv") for name in TABLES}


def experiment_folders(experiment):
    """The result folders of an experiment folder, in the order btsim ran them. After
    `btsim compare` these are the variants of compare.csv, which a later `btsim sweep` or
    `btsim run` of the same scenario leaves in place while rewriting experiment.csv."""
    experiment = resolve(experiment)
    compare = experiment / "compare.csv"
    if compare.exists():
        variants = pd.read_csv(compare, dtype={"variant": str}).variant.unique()
        return [experiment / v for v in variants]
    manifest = experiment / "experiment.csv"
    if not manifest.exists():
        raise FileNotFoundError(f"{experiment}: no experiment.csv — not a btsim experiment folder")
    m = pd.read_csv(manifest, dtype=str)
    return [experiment / f for f in m.loc[m.key == "folder", "value"]]


def read_experiment(experiment):
    """Every result folder of an experiment joined into one table per kind, each with a
    `variant` column (peers.csv and timeseries.csv get it from the folder's name)."""
    joined = {}
    for folder in experiment_folders(experiment):
        tables = read_folder(folder)
        for name, table in tables.items():
            if table is None:
                continue
            if "variant" not in table.columns:
                table = table.assign(variant=folder.name)
            joined.setdefault(name, []).append(table)
    result = {name: pd.concat(parts, ignore_index=True) for name, parts in joined.items()}
    compare = resolve(experiment) / "compare.csv"
    result["compare"] = _read(compare)
    return result


def leechers(peers):
    """Peers that came to download: everyone except those that arrived with the file,
    who never complete but seed from their arrival (docs/metrics.md)."""
    arrived_with_file = peers.completed_s.isna() & (peers.seeding_s > 0)
    return peers[~arrived_with_file]


def has_swarm(peers):
    """Whether any peer came to download (a storage-only scenario has none)."""
    return peers is not None and len(leechers(peers)) > 0


def renters(peers):
    """Peers that rented BTFS storage (peers.csv's storage columns filled)."""
    if peers is None or "storage_files" not in peers.columns:
        return peers.iloc[0:0] if peers is not None else None
    return peers[peers.storage_files.notna()]


_NUMERIC_KEY = re.compile(r"^(.*) \[(.+)\]$")


def swept_keys(table):
    """The swept keys of a sweep table, as written: the columns after `point`, without the
    numeric `KEY [UNIT]` columns btsim appends for keys with units."""
    if "point" not in table.columns:
        return []
    after = list(table.columns[table.columns.get_loc("point") + 1 :])
    return [c for c in after if not (_NUMERIC_KEY.match(c) and _NUMERIC_KEY.match(c).group(1) in after)]


def numeric_key(table, key):
    """The column holding swept `key` as a number in its canonical unit (`KEY [UNIT]`),
    or None when btsim wrote none (plain numbers, names)."""
    for c in table.columns:
        m = _NUMERIC_KEY.match(c)
        if m and m.group(1) == key:
            return c
    return None


_QUANTITY = re.compile(r"^\s*([-+0-9.eE]+)\s*(.*)$")


def quantity(value):
    """A swept value as written in the scenario, split into number and unit:
    "4 BTT/GiB" -> (4.0, "BTT/GiB"), "0.02/s" -> (0.02, "/s"), "speed" -> (None, "")."""
    m = _QUANTITY.match(str(value))
    if not m:
        return None, ""
    try:
        return float(m.group(1)), m.group(2).strip()
    except ValueError:
        return None, ""


def numeric_keys(table):
    """Swept keys whose values are all numbers with one unit, with that unit."""
    keys = []
    for key in swept_keys(table):
        parsed = [quantity(v) for v in table[key].unique()]
        units = {u for _, u in parsed}
        if all(n is not None for n, _ in parsed) and len(units) == 1 and len(parsed) > 1:
            keys.append((key, units.pop()))
    return keys


def _read(path):
    return pd.read_csv(path, dtype={"variant": str}) if path.exists() else None
