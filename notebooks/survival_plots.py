"""Survival curves of swarms: the Kaplan–Meier estimates of survival.csv (docs/metrics.md),
for the notebooks and `btsim report`.

A curve is P(the swarm has not died by t) over a folder's runs, censored runs included;
the band is its 95 % log-log interval, as btsim wrote it (nothing is recomputed here).
Up to six variants share one panel; more get one small panel each, so no two curves
share a colour.
"""

import math

import matplotlib.pyplot as plt

import btsim_plots as plots
import btsim_results as results

MAX_SHARED = 6


def survival_curves(survival, title=""):
    """One step curve per variant (or sweep point) with its interval as a band."""
    label = "variant"
    if "point" in survival.columns:
        keys = results.swept_keys(survival)
        survival = survival.assign(label=survival[keys].astype(str).agg(", ".join, axis=1) if keys else survival.point)
        label = "label"
    groups = list(dict.fromkeys(survival[label]))
    scale, unit = plots.time_scale(survival.t_s)
    shared = len(groups) <= MAX_SHARED
    columns = 1 if shared else min(4, len(groups))
    rows = 1 if shared else math.ceil(len(groups) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(9 if shared else 2.6 * columns, 4.5 if shared else 2.2 * rows),
                             sharex=True, sharey=True, squeeze=False, constrained_layout=True)
    flat = axes.ravel()
    for k, name in enumerate(groups):
        curve = survival[survival[label] == name].sort_values("t_s")
        ax = flat[0] if shared else flat[k]
        colour = f"C{k % 10}" if shared else "C0"
        t = curve.t_s / scale
        ax.step(t, curve.survival, where="post", color=colour, linewidth=1.4, label=str(name) or None)
        ax.fill_between(t, curve.ci_low, curve.ci_high, step="post", color=colour, alpha=0.15, linewidth=0)
        runs = int(curve.at_risk.iloc[0])
        if not shared:
            ax.set_title(f"{name} ({runs} runs)", fontsize="small")
    for ax in flat[len(groups) if not shared else 1:]:
        ax.set_visible(False)
    for ax in flat:
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    runs = int(survival.groupby(label).at_risk.first().max())
    caption = f"Kaplan–Meier over {runs} runs; band: 95 % log-log interval"
    if shared:
        flat[0].legend(fontsize="small", title=caption)
        flat[0].set_ylabel("P(swarm alive)")
        flat[0].set_xlabel(f"time since first full copy ({unit})")
    else:
        fig.supylabel("P(swarm alive)")
        fig.supxlabel(f"time since first full copy ({unit}); {caption}")
    if title:
        fig.suptitle(title)
    return fig
