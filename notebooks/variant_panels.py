"""Small multiples: one panel per variant, for experiments with more variants than one
panel can tell apart (more than six; matplotlib's palette repeats after ten, and bands
hide each other long before that). Panels share their axes, so heights compare across
variants; every panel draws the same thing, so one caption holds for all.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

import btsim_plots as plots
import btsim_results as results

MAX_SHARED = 6


def needs_panels(table):
    """True when `table` (with a `variant` column) has more variants than one panel holds."""
    return table is not None and "variant" in table.columns and table.variant.nunique() > MAX_SHARED


def _grid(count, width=2.6, height=2.2):
    columns = min(4, count)
    rows = math.ceil(count / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(width * columns, height * rows), sharex=True, sharey=True,
                             squeeze=False, constrained_layout=True)
    flat = axes.ravel()
    for ax in flat[count:]:
        ax.set_visible(False)
    return fig, flat[:count]


def evolution_by_variant(timeseries, title=""):
    """Leechers and seeds online over time, one panel per variant: the mean over all runs
    (a run whose swarm emptied counts as 0 online) with the range over runs as a band."""
    variants = list(dict.fromkeys(timeseries.variant))
    scale, unit = plots.time_scale(timeseries.t_s)
    fig, axes = _grid(len(variants))
    for ax, variant in zip(axes, variants):
        runs = timeseries[timeseries.variant == variant]
        for column, colour in (("leechers", "C0"), ("seeds", "C1")):
            by_time = runs.groupby("t_s")[column]
            t = by_time.mean().index / scale
            ax.plot(t, by_time.mean(), color=colour, linewidth=1.2, label=column)
            ax.fill_between(t, by_time.min(), by_time.max(), color=colour, alpha=0.15, linewidth=0)
        ax.set_title(f"{variant} ({runs.run.nunique()} runs)", fontsize="small")
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    axes[0].legend(fontsize="x-small")
    fig.supylabel("peers online")
    fig.supxlabel(f"simulated time ({unit}); line: mean over runs, band: their range")
    if title:
        fig.suptitle(title)
    return fig


def download_cdf_by_variant(peers, title=""):
    """Each variant's download-time CDF per group, one panel per variant."""
    leechers = results.leechers(peers)
    variants = list(dict.fromkeys(leechers.variant))
    scale, unit = plots.time_scale(leechers.download_s.dropna())
    fig, axes = _grid(len(variants))
    groups = list(dict.fromkeys(leechers.group))
    for ax, variant in zip(axes, variants):
        for k, group in enumerate(groups):
            mine = leechers[(leechers.variant == variant) & (leechers.group == group)]
            done = np.sort(mine.download_s.dropna().to_numpy()) / scale
            if len(done) == 0:
                continue
            ax.step(np.r_[0, done], np.r_[0, np.arange(1, len(done) + 1) / len(mine)], where="post",
                    color=f"C{k % 10}", label=f"{group} ({len(done)}/{len(mine)})")
        ax.set_title(variant, fontsize="small")
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="xx-small")
    fig.supylabel("fraction of leechers finished")
    fig.supxlabel(f"download time ({unit})")
    if title:
        fig.suptitle(title)
    return fig
