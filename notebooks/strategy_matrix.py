"""The strategy matrix (Scenarios/strategy-matrix.yaml): each sweep point is a swarm (the
strategy its publisher and residents run), a share (entrants among the leechers) and the
entrants' strategy. The point of the same swarm and share where the entrants run the
swarm's own strategy is the honest reference of that row. Both pairings of
btsim.paired are used: entrants against residents of the same run, and entrants against
the honest point's entrants (same seeds, same arrivals).
"""

import matplotlib.pyplot as plt
import matplotlib.ticker as ticker
import numpy as np
import pandas as pd

import btsim_results  # noqa: F401 (puts this checkout's btsim package first on the path)
from btsim import paired

SWARM, STRATEGY = "peers.residents.strategy", "peers.entrants.strategy"
COUNTS = ("peers.residents.count", "peers.entrants.count")
SWARM_NAMES = {"bittorrent": "tit-for-tat swarm", "speed": "Speed swarm"}


def cells(groups):
    """One row per point: swarm, share (entrants' fraction of the leechers, %), strategy
    and the honest reference point of its row."""
    points = groups.drop_duplicates("point").set_index("point")
    residents, entrants = (points[c].astype(int) for c in COUNTS)
    table = pd.DataFrame({"swarm": points[SWARM], "share": (100 * entrants / (residents + entrants)).round().astype(int),
                          "strategy": points[STRATEGY]})
    honest = table[table.strategy == table.swarm].reset_index().set_index(["swarm", "share"]).point
    table["reference"] = [honest.get((r.swarm, r.share), np.nan) for r in table.itertuples()]
    if table.reference.isna().any():
        missing = table[table.reference.isna()][["swarm", "share"]].drop_duplicates().to_dict("records")
        raise ValueError(f"no honest point (entrants running the swarm's strategy) for {missing}")
    return table.astype({"reference": int})


def _interval(prefix, frame, ratio=False):
    """A pairing's columns under `prefix`; with `ratio`, the pairs were differences of
    logarithms, given back as the ratio of geometric means with its interval."""
    frame = frame.set_index("point").drop(columns="reference", errors="ignore")
    if ratio:
        frame[["diff", "diff_ci_low", "diff_ci_high"]] = np.exp(frame[["diff", "diff_ci_low", "diff_ci_high"]])
    return frame.rename(columns={"n": f"{prefix}_n", "diff": prefix, "diff_ci_low": f"{prefix}_low",
                                 "diff_ci_high": f"{prefix}_high", "p_value": f"{prefix}_p"})


def matrix(peers, groups, summary, tau=None):
    """The matrix table: per point, the entrants' restricted mean download time (τ as in
    btsim.paired) and its ratio to the residents' of the same runs and to the honest
    point's entrants (paired by run on logarithms, so a ratio and its interval: free-riders
    among free-riders are many times slower, which no difference in seconds would show
    beside a few per cent), the residents' download time over the honest point's
    residents' (what the entrants cost the others), the entrants' BTT net per peer with
    its paired differences to the same two as the entrants' time, and the leechers left
    unfinished at τ. Returns (table, τ)."""
    tau = paired.restriction(peers, summary) if tau is None else tau
    grid = cells(groups)
    downloads = paired.restricted_downloads(peers, tau)
    downloads = downloads.assign(log_download=np.log(downloads.restricted_download_s))
    per_peer = groups[groups.group.isin(["residents", "entrants"])].assign(
        btt_net_per_peer=lambda g: g.btt_net / g.peers.where(g.peers > 0))
    means = downloads[downloads.group == "entrants"].groupby("point").agg(
        download_s=("restricted_download_s", "mean"), unfinished=("unfinished", "sum"))
    nets = per_peer[per_peer.group == "entrants"].groupby("point").btt_net_per_peer.mean().rename("btt_net_per_peer")
    reference = grid.reference.to_dict()
    parts = [
        grid, means, nets,
        _interval("vs_residents", paired.within_runs(downloads, "log_download", "entrants", "residents"), ratio=True),
        _interval("vs_honest", paired.against_points(downloads, "log_download", "entrants", reference), ratio=True),
        _interval("residents_vs_honest", paired.against_points(downloads, "log_download", "residents", reference),
                  ratio=True),
        _interval("btt_vs_residents", paired.within_runs(per_peer, "btt_net_per_peer", "entrants", "residents")),
        _interval("btt_vs_honest", paired.against_points(per_peer, "btt_net_per_peer", "entrants", reference)),
    ]
    return pd.concat(parts, axis=1).rename_axis("point").reset_index(), tau


def _dots(ax, rows, column):
    y = np.arange(len(rows))
    mid, low, high = (rows[c].to_numpy() for c in (column, f"{column}_low", f"{column}_high"))
    ax.errorbar(mid, y, xerr=[mid - low, high - mid], fmt="o", mfc="white", capsize=2, color="C0", markersize=4)
    significant = (rows[f"{column}_p"] < 0.05).to_numpy()
    ax.plot(mid[significant], y[significant], "o", color="C0", markersize=4, zorder=4)
    ax.set_yticks(y, rows.strategy, fontsize=8)
    ax.grid(axis="x", alpha=0.3)


def figure(table, column, label, title=""):
    """One panel per swarm and share: each strategy's paired comparison in `column` with
    its 95 % interval (filled dot: p < 0.05). Ratios (download times) around 1, on a log
    axis when they span a wide range, differences (BTT) around 0; an empty row is the
    panel's reference."""
    ratio = not column.startswith("btt")
    panels = list(table[["swarm", "share"]].drop_duplicates().sort_values(["swarm", "share"]).itertuples(index=False))
    fig, axes = plt.subplots(1, len(panels), figsize=(3.0 * len(panels), 3.4), sharey=True, squeeze=False,
                             constrained_layout=True)
    order = list(dict.fromkeys(table.strategy))
    for ax, (swarm, share) in zip(axes[0], panels):
        rows = table[(table.swarm == swarm) & (table.share == share)].set_index("strategy").reindex(order)
        _dots(ax, rows.reset_index(), column)
        ax.axvline(1 if ratio else 0, color="0.5", linewidth=0.8)
        # A log axis only where the ratios span more than a factor three (free-riders
        # among free-riders); a narrow panel on a log axis would show one tick, at 1.
        if ratio and rows[f"{column}_high"].max() / rows[f"{column}_low"].min() > 3:
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1, 2, 5)))
            ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
            ax.xaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_title(f"{SWARM_NAMES.get(swarm, swarm)}\nentrants {share} %", fontsize="small")
    fig.supxlabel(f"{label}; 95 % CI, filled: p < 0.05")
    if title:
        fig.suptitle(title)
    return fig
