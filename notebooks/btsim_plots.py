"""The figures of btsim's notebooks and of `btsim report`: one function per figure.

Each function takes DataFrames read by btsim_results (columns as in docs/metrics.md) and
returns a matplotlib Figure with labelled axes and units; `save` writes it as PNG and SVG.
The notebooks are thin: a parameter cell, a read, a call here, so that the report draws
exactly what the notebooks draw.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.ticker as ticker
import numpy as np

import btsim_results as results

# Summary metrics: label and kind of unit ("time" picks s, min or h from the values).
METRICS = {
    "completion_ratio": ("completion ratio", "fraction"),
    "mean_download_s": ("mean download time", "time"),
    "median_download_s": ("median download time", "time"),
    "p95_download_s": ("95th-percentile download time", "time"),
    "last_finish_s": ("last finish", "time"),
    "swarm_lifetime_s": ("swarm lifetime, dead swarms only", "time"),
    "swarm_lifetime_capped_s": ("restricted mean lifetime", "time"),
    "swarm_survived": ("swarms alive at the horizon", "fraction"),
    "available_fraction": ("time with a full copy online", "fraction"),
    "btt_fees": ("chain fees", "BTT"),
    "btt_net": ("BTT net of fees", "BTT"),
    "mean_seeding_s": ("mean seeding time", "time"),
    "btt_volume": ("BTT paid", "BTT"),
    "durability": ("durability: files never lost", "fraction"),
    "availability": ("availability: time readable", "fraction"),
    "storage_cost_btt_per_tib_month": ("renters' cost", "BTT per TiB-month"),
    "host_earnings_btt_per_tib_month": ("hosts' earnings", "BTT per TiB-month held"),
}
STORAGE_METRICS = [
    "durability", "availability", "storage_cost_btt_per_tib_month", "host_earnings_btt_per_tib_month",
]
COMPARE_METRICS = [
    "completion_ratio", "mean_download_s", "p95_download_s", "swarm_lifetime_capped_s", "available_fraction",
    "mean_seeding_s", "btt_volume", "btt_fees",
]


def time_scale(seconds):
    """A divisor and unit that keep times readable: days from 3 d, hours from 3 h,
    minutes from 3 min."""
    largest = np.nanmax(np.abs(np.asarray(seconds, dtype=float))) if len(seconds) else 0
    if largest >= 3 * 86_400:
        return 86_400.0, "d"
    if largest >= 3 * 3600:
        return 3600.0, "h"
    if largest >= 3 * 60:
        return 60.0, "min"
    return 1.0, "s"


def metric_axis(metric, values):
    """A metric's divisor and axis label, e.g. (3600, "swarm lifetime (h)")."""
    label, kind = METRICS.get(metric, (metric, ""))
    if kind == "time":
        scale, unit = time_scale(values)
        return scale, f"{label} ({unit})"
    return 1.0, f"{label} ({kind})" if kind else label


def save(fig, folder, name):
    """Writes `name`.png (150 dpi) and `name`.svg into `folder`; returns the PNG's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fig.savefig(folder / f"{name}.png", dpi=150, bbox_inches="tight")
    fig.savefig(folder / f"{name}.svg", bbox_inches="tight")
    return folder / f"{name}.png"


def swarm_evolution(timeseries, title=""):
    """Leechers and seeds, distributed copies and throughput over time: the mean over all
    runs as a line (every run's samples cover the whole duration, so a swarm that emptied
    counts as 0 online, not as missing) and the range over runs as a band, one colour
    per variant when there are several (a compare folder; bands only up to three
    variants, beyond that they hide each other: `evolution_caption` says which)."""
    ts = timeseries if "variant" in timeseries.columns else timeseries.assign(variant="")
    scale, unit = time_scale(ts.t_s)
    fig, axes = plt.subplots(3, 1, figsize=(9, 8), sharex=True, constrained_layout=True)
    panels = [
        (axes[0], [("leechers", "leechers", "-"), ("seeds", "seeds", "--")], "peers online"),
        (axes[1], [("distributed_copies", "distributed copies", "-")], "copies of the file"),
        (axes[2], [("throughput_bps", "throughput", "-")], "swarm throughput (Mbit/s)"),
    ]
    variants = list(dict.fromkeys(ts.variant))
    bands = ts.groupby("variant").run.nunique().max() > 1 and len(variants) <= 3
    for k, variant in enumerate(variants):
        runs = ts[ts.variant == variant]
        colour = f"C{k % 10}"
        for ax, columns, ylabel in panels:
            for column, label, style in columns:
                by_time = runs.groupby("t_s")[column]
                factor = 1e-6 if column == "throughput_bps" else 1.0
                t = by_time.mean().index / scale
                name = ", ".join(x for x in (variant, label) if x)
                ax.plot(t, by_time.mean() * factor, style, color=colour, label=name, linewidth=1.4)
                if bands:
                    ax.fill_between(t, by_time.min() * factor, by_time.max() * factor, color=colour, alpha=0.15)
            ax.set_ylabel(ylabel)
    n_runs = ts.groupby("variant").run.nunique().max()
    legend = f"line: mean of {n_runs} runs" + ("; band: their range" if bands else "") if n_runs > 1 else None
    axes[0].legend(ncol=2 if len(variants) > 1 else 1, fontsize="small", title=legend)
    axes[2].set_xlabel(f"simulated time ({unit})")
    return _finish(fig, axes, title)


def evolution_caption(timeseries):
    """The caption that says what `swarm_evolution` drew for this table."""
    variants = timeseries.variant.nunique() if "variant" in timeseries.columns else 1
    runs = timeseries.groupby("variant").run.nunique().max() if "variant" in timeseries.columns else timeseries.run.nunique()
    what = "Leechers, seeds, distributed copies and throughput over time"
    if runs < 2:
        return what + " (one run)."
    if variants <= 3:
        return what + f" (mean over all {runs} runs, range over runs as a band)."
    return what + f" (mean over all {runs} runs; with {variants} variants no bands, they would hide each other)."


def download_cdf(peers, by=("variant", "group"), title=""):
    """The fraction of a group's leechers that finished within t, per combination of `by`
    (those present): a curve that ends at the completion ratio, not at 1, when some never
    finish. Groups where nobody downloaded are left out."""
    leechers = results.leechers(peers)
    by = [c for c in by if c in leechers.columns and leechers[c].nunique() > 1] or ["group"]
    scale, unit = time_scale(leechers.download_s.dropna())
    fig, ax = plt.subplots(figsize=(8, 5), constrained_layout=True)
    for k, (key, group) in enumerate(leechers.groupby(by, sort=False)):
        done = np.sort(group.download_s.dropna().to_numpy()) / scale
        if len(done) == 0:
            continue
        fraction = np.arange(1, len(done) + 1) / len(group)
        label = " · ".join(str(x) for x in (key if isinstance(key, tuple) else (key,)))
        ax.step(np.r_[0, done], np.r_[0, fraction], where="post", color=f"C{k % 10}",
                label=f"{label} ({len(done)}/{len(group)} done)")
    ax.set_xlabel(f"download time ({unit})")
    ax.set_ylabel("fraction of leechers finished")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", title=" · ".join(by))
    if title:
        fig.suptitle(title)
    return fig


def _finish(fig, axes, title):
    """Grids, counts from zero, and the title: the common end of the time-series figures."""
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    if title:
        fig.suptitle(title)
    return fig


def _geometric_axis(ax, values, ticks_at_values=True):
    """A log x axis with plain tick labels when the values span a factor of 8 or more
    (prices 1, 4, 16; arrival rates 0.005 … 0.08), linear otherwise. Ticks sit at the
    values themselves when they were chosen (swept), at 1-2-5 steps when measured."""
    values = np.asarray(values, dtype=float)
    if (values > 0).all() and values.max() >= 8 * values.min():
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(ticker.NullFormatter())
        if ticks_at_values and len(set(values)) <= 8:
            ax.set_xticks(sorted(set(values)))
        else:
            ax.xaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))


def _error_bars(rows, scale):
    mean = rows["mean"].to_numpy() / scale
    low = rows.ci_low.to_numpy() / scale
    high = rows.ci_high.to_numpy() / scale
    return mean, np.vstack([mean - low, high - mean])


def compare_bars(compare, metrics=COMPARE_METRICS, title=""):
    """compare.csv as bars: each variant's mean with its 95 % interval, the base in grey.
    A star marks a paired difference to the base with p < 0.05; "k/n" under a bar says the
    metric had a value in only k of n runs (a swarm still alive has no lifetime)."""
    # Metrics without a value, or zero everywhere (no BTT paid in a storage-only run), say nothing.
    measured = set(compare.loc[(compare.n > 0) & (compare["mean"].abs() > 0), "metric"])
    metrics = [m for m in metrics if m in measured]
    columns = min(3, len(metrics))
    rows_n = -(-len(metrics) // columns)
    fig, axes = plt.subplots(rows_n, columns, figsize=(4.2 * columns, 3.6 * rows_n), squeeze=False,
                             constrained_layout=True)
    runs = compare.groupby("variant", sort=False).n.max()
    for ax, metric in zip(axes.flat, metrics):
        rows = compare[compare.metric == metric].set_index("variant").reindex(runs.index)
        scale, ylabel = metric_axis(metric, rows["mean"].dropna())
        mean, err = _error_bars(rows, scale)
        x = np.arange(len(rows))
        colours = ["0.6"] + ["C0"] * (len(rows) - 1)
        ax.bar(x, np.nan_to_num(mean), yerr=np.nan_to_num(err), capsize=3, color=colours)
        top = np.nanmax(mean + err[1]) if np.isfinite(mean).any() else 1
        for i, (variant, row) in enumerate(rows.iterrows()):
            if row.n < runs[variant]:
                ax.text(i, 0, f"{int(row.n)}/{int(runs[variant])}", ha="center", va="bottom", fontsize=7)
            if row.p_value == row.p_value and row.p_value < 0.05:
                ax.text(i, (mean[i] + err[1][i]) + 0.02 * top, "*", ha="center", fontsize=12)
        ax.set_ylim(0, 1.1 * top if top > 0 else 1)
        ax.set_xticks(x, rows.index, rotation=40, ha="right", fontsize=8)
        ax.set_ylabel(ylabel)
        ax.grid(axis="y", alpha=0.3)
    for ax in axes.flat[len(metrics):]:
        ax.set_visible(False)
    fig.suptitle(title + ("\n" if title else "")
                 + "mean and 95 % CI over runs; * paired difference to base, p < 0.05; k/n: runs with a value",
                 fontsize="medium")
    return fig


def metrics_vs_swept(aggregate, key, unit, metrics=("swarm_lifetime_capped_s", "mean_seeding_s"), reference=None,
                     reference_label="reference", title="", line_by=None):
    """Sweep means with 95 % intervals against the numeric swept `key` (x axis in `unit`),
    one line per combination of the other swept keys that vary, or per value of
    `line_by(row)` when given (linked points: "reserve = bid" is one line, though the
    reserve differs at each point). `reference`, another folder's aggregate.csv (plain
    tit-for-tat, say), is drawn as a grey band: its mean and 95 % interval."""
    if line_by is not None:
        aggregate = aggregate.assign(line=aggregate.apply(line_by, axis=1))
        others = ["line"]
    else:
        others = [k for k in results.swept_keys(aggregate) if k != key and aggregate[k].nunique() > 1]
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.2 * len(metrics), 4.2), squeeze=False,
                             constrained_layout=True)
    for ax, metric in zip(axes.flat, metrics):
        rows = aggregate[aggregate.metric == metric]
        scale, ylabel = metric_axis(metric, rows["mean"].dropna())
        lines = rows.groupby(others, sort=False) if others else [((), rows)]
        for k, (line_key, line) in enumerate(lines):
            line = line.assign(x=[results.quantity(v)[0] for v in line[key]]).sort_values("x")
            mean, err = _error_bars(line, scale)
            keys = line_key if isinstance(line_key, tuple) else (line_key,)
            label = (str(keys[0]) if line_by is not None else "; ".join(f"{o} = {v}" for o, v in zip(others, keys))) or None
            ax.errorbar(line.x, mean, yerr=err, marker="o", capsize=3, color=f"C{k % 10}", label=label)
            runs = aggregate[aggregate.metric == "completion_ratio"].n.max()
            for x, m, n in zip(line.x, mean, line.n):
                if n < runs:
                    ax.annotate(f"{n}/{runs}", (x, m), textcoords="offset points", xytext=(4, 4), fontsize=7)
        if reference is not None:
            ref = reference[reference.metric == metric].iloc[0]
            if ref.n > 0:
                ax.axhline(ref["mean"] / scale, color="0.4", linestyle=":", label=reference_label)
                ax.axhspan(ref.ci_low / scale, ref.ci_high / scale, color="0.6", alpha=0.2)
        ax.set_xlabel(f"{key} ({unit})" if unit else key)
        _geometric_axis(ax, [results.quantity(v)[0] for v in rows[key]])
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        if others or reference is not None:
            ax.legend(fontsize="small")
    fig.suptitle(title + ("\n" if title else "") + "mean and 95 % CI over runs; k/n: runs with a value",
                 fontsize="medium")
    return fig


def speed_vs_swarm_size(peers, timeseries, warmup_s=1800.0, title=""):
    """Mean download speed of the leechers that arrived after `warmup_s` against the
    time-average number of peers online after `warmup_s`, one point per sweep point with
    95 % t intervals over runs in both directions; thin lines per access-link class.
    Speed is bytes received × 8 / download time. None when no leecher that arrived after
    `warmup_s` completed: every arrival came before it (a flash crowd), so there is no
    steady state to measure."""
    from scipy import stats

    point = "point" if "point" in peers.columns else "variant"
    done = results.leechers(peers)
    done = done[(done.joined_s >= warmup_s) & done.download_s.notna()]
    done = done.assign(mbps=done.bytes_down * 8 / done.download_s / 1e6)
    size = timeseries[timeseries.t_s >= warmup_s].groupby([point, "run"]).online.mean()
    speed = done.groupby([point, "run"]).mbps.mean()
    per_run = size.to_frame("size").join(speed.to_frame("speed"), how="inner")
    if per_run.empty:
        return None

    def interval(values):
        n = len(values)
        half = stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n) if n > 1 else 0.0
        return values.mean(), half

    summary = per_run.groupby(level=0).agg(list)
    xs, xerr, ys, yerr = [], [], [], []
    for _, row in summary.iterrows():
        (x, dx), (y, dy) = interval(np.array(row["size"])), interval(np.array(row["speed"]))
        xs, xerr, ys, yerr = xs + [x], xerr + [dx], ys + [y], yerr + [dy]
    fig, ax = plt.subplots(figsize=(8, 5), constrained_layout=True)
    order = np.argsort(xs)
    ax.errorbar(np.array(xs)[order], np.array(ys)[order], xerr=np.array(xerr)[order], yerr=np.array(yerr)[order],
                marker="o", capsize=3, color="k", linewidth=2, label="all leechers (mean, 95 % CI over runs)")
    for k, (down, group) in enumerate(done.groupby("down_bps")):
        by_point = group.groupby([point, "run"]).mbps.mean().groupby(level=0).mean()
        x = size.groupby(level=0).mean().reindex(by_point.index)
        ax.plot(x, by_point, "--", marker=".", color=f"C{k % 10}", linewidth=1,
                label=f"download link {down / 1e3:g} kbit/s")
    _geometric_axis(ax, xs, ticks_at_values=False)
    ax.set_xlabel(f"swarm size: mean peers online after {warmup_s / 60:g} min")
    ax.set_ylabel("mean download speed (Mbit/s)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize="small")
    if title:
        fig.suptitle(title)
    return fig


def storage_evolution(storage, title=""):
    """The storage market over time: files stored, readable and lost, and shards on
    online hosts (mean over runs, one colour per variant)."""
    st = storage if "variant" in storage.columns else storage.assign(variant="")
    scale, unit = time_scale(st.t_s)
    fig, axes = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True, constrained_layout=True)
    for k, variant in enumerate(dict.fromkeys(st.variant)):
        by_time = st[st.variant == variant].groupby("t_s")
        t = by_time.size().index / scale
        colour = f"C{k % 10}"
        for column, style, label in [("files_readable", "-", "readable"), ("files_lost", ":", "lost")]:
            name = ", ".join(x for x in (variant, label) if x)
            axes[0].plot(t, by_time[column].mean(), style, color=colour, label=name)
        # No shard held (before the first upload, after every file is lost): no fraction, a gap.
        present = by_time.shards_present.mean()
        axes[1].plot(t, by_time.shards_online.mean() / present.where(present > 0), color=colour,
                     label=variant or None)
    axes[0].set_ylabel("files")
    axes[1].set_ylabel("shards on online hosts\n(fraction of shards held)")
    axes[1].set_xlabel(f"simulated time ({unit})")
    axes[0].legend(fontsize="small", ncol=2, title="mean over runs")
    return _finish(fig, axes, title)


def storage_funding(peers, payments=None, title=""):
    """Peers that seed and rent storage: per variant, what a renting peer earned seeding
    (Speed), paid in chain fees for its Speed transactions (from payments.csv, when given)
    and paid for storage (BTFS), and how many of its files it stored and kept. Bars are
    means over runs of the per-peer mean, whiskers the range of runs."""
    rent = results.renters(peers)
    rent = rent if "variant" in rent.columns else rent.assign(variant="")
    rent = rent.assign(kept=rent.storage_files - rent.storage_files_lost, speed_fees=0.0)
    money = [("btt_earned", "earned seeding (Speed)")]
    if payments is not None and len(payments):
        pay = payments if "variant" in payments.columns else payments.assign(variant="")
        fees = pay[pay.kind == "fee"].groupby(["variant", "run", "payer"]).amount_btt.sum()
        index = list(zip(rent.variant, rent.run, rent.peer.astype(float)))
        rent = rent.assign(speed_fees=fees.reindex(index).fillna(0).to_numpy())
        money.append(("speed_fees", "Speed chain fees"))
    money.append(("storage_btt", "paid for storage (BTFS)"))
    columns = [c for c, _ in money] + ["storage_files", "kept"]
    per_run = rent.groupby(["variant", "run"], sort=False)[columns].mean()
    variants = list(dict.fromkeys(rent.variant))
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    x = np.arange(len(variants))
    for ax, bars, ylabel in [
        (axes[0], money, "BTT per renting peer"),
        (axes[1], [("storage_files", "files stored"), ("kept", "files kept to the end")], "files per renting peer"),
    ]:
        width = 0.8 / len(bars)
        for k, (column, label) in enumerate(bars):
            by_variant = per_run[column].groupby(level="variant", sort=False)
            mean = by_variant.mean().reindex(variants).to_numpy()
            low = by_variant.min().reindex(variants).to_numpy()
            high = by_variant.max().reindex(variants).to_numpy()
            ax.bar(x + (k - (len(bars) - 1) / 2) * width, mean, width, yerr=np.vstack([mean - low, high - mean]),
                   capsize=3, color=f"C{k}", label=label)
        ax.set_xticks(x, variants, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel(ylabel)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize="small")
    fig.suptitle(title + ("\n" if title else "") + "mean over runs of the per-peer mean; whiskers: range over runs",
                 fontsize="medium")
    return fig
