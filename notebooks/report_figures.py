"""The figures of `btsim report`, drawn by the notebooks' own plotting code.

    python3 notebooks/report_figures.py FOLDER OUTDIR

FOLDER is what `btsim report` was given: a result folder (`Results/x/base`, a sweep's
`Results/x/sweep`) or an experiment folder (`Results/x`, with compare.csv after `btsim
compare`). Writes each figure as OUTDIR/NAME.png and .svg, and OUTDIR/figures.csv with
`file,caption` rows in display order; btsim embeds the PNGs in report.html. Exits 3 when
pandas or matplotlib is missing, so btsim can say what to install.
"""

import csv
import sys
from pathlib import Path

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import btsim_plots as plots
    import btsim_results as data
    import survival_plots
    import variant_panels
except ImportError as missing:
    print(f"report_figures.py: {missing}", file=sys.stderr)
    sys.exit(3)


def folder_figures(tables, name):
    """Figures of one result folder: a sweep's metrics against each numeric swept key and
    its speed against swarm size, or a variant's swarm evolution; download times always."""
    figures = []
    aggregate, peers, ts = tables["aggregate"], tables["peers"], tables["timeseries"]
    keys = data.numeric_keys(aggregate) if aggregate is not None else []
    if keys:
        measured = set(aggregate.loc[aggregate.n > 0, "metric"])
        metrics = [m for m in ("mean_download_s", "swarm_lifetime_capped_s", "mean_seeding_s") if m in measured]
        for key, unit in keys:
            figures.append((f"{name}-vs-{key}", plots.metrics_vs_swept(aggregate, key, unit, metrics, title=name),
                            f"Means with 95 % intervals against {key}."))
        figures += group_figures(tables["group_aggregate"], keys, name)
        warmup = 0.1 * ts.t_s.max()
        speed = plots.speed_vs_swarm_size(peers, ts, warmup_s=warmup, title=name)
        # None when no leecher arrived after the warm-up (a flash crowd): nothing to draw.
        if speed is not None:
            figures.append((f"{name}-speed-vs-size", speed,
                            f"Mean download speed against swarm size, after the first {warmup / 60:.0f} min."))
    elif data.has_swarm(peers):
        figures.append((f"{name}-evolution", plots.swarm_evolution(ts, title=name), plots.evolution_caption(ts)))
    if tables["survival"] is not None:
        figures.append((f"{name}-survival", survival_plots.survival_curves(tables["survival"], title=name),
                        "Probability that the swarm has not died by t, over the runs (Kaplan–Meier, survivors "
                        "censored at the horizon), with its 95 % interval."))
    if tables["storage"] is not None:
        figures.append((f"{name}-storage", plots.storage_evolution(tables["storage"], title=name),
                        "Files readable and lost, and the fraction of held shards on online hosts, over time."))
    if len(data.renters(peers)) > 0:
        figures.append((f"{name}-storage-funding", plots.storage_funding(peers, tables["payments"], title=name),
                        "What renting peers earned seeding against what they paid for storage, and their files."))
    if not data.has_swarm(peers):
        return figures
    by = ("group",)
    varying = [k for k in data.swept_keys(peers) if peers[k].nunique() > 1]
    if varying:
        label = "; ".join(varying)
        peers = peers.assign(**{label: peers[varying].astype(str).agg("; ".join, axis=1)})
        by = (label, "group")
    figures.append((f"{name}-download-times", plots.download_cdf(peers, by=by, title=name),
                    "Fraction of each group's leechers finished within a given download time."))
    return figures


def group_figures(groups, keys, name):
    """A sweep with several leeching groups: each group's mean download time against each
    swept key, one line per group (groups are never pooled silently)."""
    if groups is None:
        return []
    downloads = groups[(groups.metric == "mean_download_s") & (groups.n > 0)]
    leeching = downloads.group.unique()
    if len(leeching) < 2:
        return []
    rows = groups[groups.group.isin(leeching)]
    return [(f"{name}-groups-vs-{key}",
             plots.metrics_vs_swept(rows, key, unit, ("mean_download_s",), title=name, line_by=lambda r: r.group),
             f"Each leeching group's mean download time with its 95 % interval against {key}.")
            for key, unit in keys]


def experiment_figures(folder):
    """Figures of an experiment folder: compare.csv as bars, the variants' swarms over
    time and their download times; without compare.csv, each of its result folders."""
    joined = data.read_experiment(folder)
    name = folder.name
    if joined["compare"] is None:
        figures = []
        for sub in data.experiment_folders(folder):
            figures += folder_figures(data.read_folder(sub), f"{name}/{sub.name}")
        return figures
    figures = [
        (f"{name}-compare",
         plots.compare_bars(joined["compare"], plots.COMPARE_METRICS + plots.STORAGE_METRICS, title=name),
         "Each variant's mean with its 95 % interval; * marks a paired difference to the base with p < 0.05."),
    ]
    if "survival" in joined:
        figures.append((f"{name}-survival", survival_plots.survival_curves(joined["survival"], title=name),
                        "Each variant's probability that the swarm has not died by t (Kaplan–Meier over its runs, "
                        "survivors censored at the horizon), with its 95 % interval."))
    if "storage" in joined:
        figures.append((f"{name}-storage", plots.storage_evolution(joined["storage"], title=name),
                        "The variants' storage markets over time (mean over runs)."))
    if len(data.renters(joined["peers"])) > 0:
        figures.append((f"{name}-storage-funding", plots.storage_funding(joined["peers"], joined.get("payments"), title=name),
                        "What renting peers earned seeding against what they paid for storage, and their files."))
    if data.has_swarm(joined["peers"]) and variant_panels.needs_panels(joined["timeseries"]):
        figures += [
            (f"{name}-evolution", variant_panels.evolution_by_variant(joined["timeseries"], title=name),
             "Leechers and seeds online over time, one panel per variant (mean over all runs, their range as "
             "a band)."),
            (f"{name}-download-times", variant_panels.download_cdf_by_variant(joined["peers"], title=name),
             "Fraction of each group's leechers finished within a given download time, one panel per variant."),
        ]
    elif data.has_swarm(joined["peers"]):
        figures += [
            (f"{name}-evolution", plots.swarm_evolution(joined["timeseries"], title=name),
             plots.evolution_caption(joined["timeseries"])),
            (f"{name}-download-times", plots.download_cdf(joined["peers"], title=name),
             "Fraction of each variant's and group's leechers finished within a given download time."),
        ]
    return figures


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    folder, out = data.resolve(sys.argv[1]), Path(sys.argv[2])
    single = (folder / "summary.csv").exists()
    label = f"{folder.parent.name}/{folder.name}"
    figures = folder_figures(data.read_folder(folder), label) if single else experiment_figures(folder)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "figures.csv", "w", newline="") as index:
        writer = csv.writer(index)
        writer.writerow(["file", "caption"])
        for name, fig, caption in figures:
            file = name.replace("/", "-").replace(" ", "_")
            plots.save(fig, out, file)
            plt.close(fig)
            writer.writerow([f"{file}.png", caption])


if __name__ == "__main__":
    main()
