"""Paired comparisons between groups of a sweep that btsim's own tables do not pair: a
group against another group of the same run (entrants against residents), and a group
against the same group at another point of the same row (a strategy against the honest
point). Replication r has the same seed at every point, which is what makes both
pairings valid (docs/metrics.md, compare.csv).

Download times here are restricted means: each leecher's download time cut at τ, the
same for every run, where every leecher was observed for at least τ after it joined.
An unfinished download counts as τ, never dropped (a censored observation), and when
every leecher finishes within τ the value is the plain mean download time. τ defaults to
the shortest time any leecher was watched: min over runs of horizon − last join.
"""

import math

import numpy as np
import pandas as pd
from scipy import stats

from btsim.results import leechers


def restriction(peers, summary):
    """τ in seconds: the longest cut at which no leecher's download is censored."""
    last_join = peers.groupby(["point", "run"]).joined_s.max().rename("last_join")
    horizon = summary.set_index(["point", "run"]).horizon_s
    return float((horizon - last_join).min())


def restricted_downloads(peers, tau):
    """One row per point, run and group: `peers` (leechers), `unfinished` (not done by
    τ) and `restricted_download_s` (mean of min(download time, τ))."""
    mine = leechers(peers)
    cut = mine.download_s.where(mine.download_s.notna(), math.inf).clip(upper=tau)
    table = mine.assign(cut=cut, unfinished=~(mine.download_s < tau))
    return (table.groupby(["point", "run", "group"])
            .agg(peers=("cut", "size"), unfinished=("unfinished", "sum"), restricted_download_s=("cut", "mean"))
            .reset_index())


def paired_interval(differences, level=0.95):
    """Mean of paired differences with its Student-t interval and the two-sided p-value
    of no difference: (n, mean, low, high, p); no interval for fewer than two pairs."""
    d = np.asarray(differences, dtype=float)
    d = d[~np.isnan(d)]
    n = len(d)
    if n == 0:
        return n, math.nan, math.nan, math.nan, math.nan
    mean = float(d.mean())
    if n < 2:
        return n, mean, math.nan, math.nan, math.nan
    sd = float(d.std(ddof=1))
    if sd == 0:
        return n, mean, mean, mean, (1.0 if mean == 0 else 0.0)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n)
    p = 2 * stats.t.sf(abs(mean) / (sd / math.sqrt(n)), n - 1)
    return n, mean, mean - half, mean + half, float(p)


def within_runs(table, value, group, against):
    """Per point: `group` minus `against` in `value`, paired by run."""
    wide = table.pivot_table(index=["point", "run"], columns="group", values=value)
    rows = []
    for point, runs in wide.groupby(level="point"):
        rows.append((point, *paired_interval(runs[group] - runs[against])))
    return pd.DataFrame(rows, columns=["point", "n", "diff", "diff_ci_low", "diff_ci_high", "p_value"])


def against_points(table, value, group, reference_of):
    """Per point: `group`'s `value` minus the same group's at point `reference_of[point]`,
    paired by run (a point that is its own reference gets no row)."""
    by_run = table[table.group == group].set_index(["point", "run"])[value]
    rows = []
    for point, reference in reference_of.items():
        if point == reference:
            continue
        mine, theirs = by_run.xs(point, level="point"), by_run.xs(reference, level="point")
        rows.append((point, reference, *paired_interval((mine - theirs).dropna())))
    return pd.DataFrame(rows, columns=["point", "reference", "n", "diff", "diff_ci_low", "diff_ci_high", "p_value"])
