"""The Python API against real btsim runs: what `btsim.load` and `btsim.run` return.

Needs the binary in $BTSIM (make test passes the test build's); fails, never skips,
without it."""

import os
from pathlib import Path

import pandas as pd
import pytest

import btsim

SCENARIO = """\
name: pyapi
seed: 5
duration: 20 min
torrent: {size: 1 MiB, piece_size: 128 KiB}
peers:
  - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s}
  - {group: crowd, count: 8, arrival: {at: 0 s}, up: 1 Mbit/s, down: 4 Mbit/s, seeding: {for: 1 min}}
variants:
  - {name: slow, set: {peers.publisher.up: 1 Mbit/s}}
  - {name: paid, set: {peers.crowd.strategy: speed, peers.crowd.wallet: 10 BTT}}
sweep:
  reference: 1
  points:
    - {peers.crowd.strategy: speed, peers.crowd.wallet: 10 BTT, incentives.price: 16 BTT/GiB, incentives.reserve: 16 BTT/GiB}
    - {peers.crowd.strategy: speed, peers.crowd.wallet: 10 BTT, incentives.price: 4 BTT/GiB, incentives.reserve: 4 BTT/GiB}
    - {peers.crowd.strategy: speed, peers.crowd.wallet: 10 BTT, incentives.price: 1 BTT/GiB, incentives.reserve: 1 BTT/GiB}
"""


@pytest.fixture(scope="module")
def binary():
    path = os.environ.get("BTSIM")
    assert path and Path(path).is_file(), "set BTSIM to a built btsim binary (make test passes .build-test/debug/btsim)"
    return path


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("scenario") / "pyapi.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture(scope="module")
def compared(binary, scenario, tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    return btsim.run(scenario, command="compare", out=out, replications=2, seed=9, binary=binary)


def test_compare_is_an_experiment_in_btsims_order(compared):
    assert isinstance(compared, btsim.Experiment)
    assert list(compared.folders) == ["base", "slow", "paid"]
    summary = compared.summary
    assert list(summary.variant.cat.categories) == ["base", "slow", "paid"]
    assert summary.variant.cat.ordered
    assert summary.run.dtype == "int64" and sorted(summary.run.unique()) == [1, 2]
    assert list(compared.peers.group.cat.categories) == ["publisher", "crowd"]
    assert set(compared.compare.variant.unique()) == {"base", "slow", "paid"}


def test_the_manifest_says_what_produced_the_tables(compared):
    assert compared.manifest["master_seed"] == 9 and compared.manifest["replications"] == 2
    assert compared.manifest["kind"] == "compare"
    paid = compared.folders["paid"]
    assert paid.manifest["master_seed"] == 9
    assert paid.summary.attrs["manifest"] is paid.manifest
    assert paid.scenario is not None and "speed" in paid.scenario.read_text()


def test_a_sweeps_numeric_columns_sort_as_numbers(binary, scenario, tmp_path):
    sweep = btsim.run(scenario, command="sweep", out=tmp_path, replications=2, binary=binary)
    assert isinstance(sweep, btsim.Result)
    aggregate = sweep.aggregate
    column = btsim.numeric_key(aggregate, "incentives.price")
    assert column == "incentives.price [BTT/GiB]"
    assert aggregate[column].dtype == "float64"
    # Written as text, "16 BTT/GiB" < "4 BTT/GiB"; as numbers the order is 1, 4, 16.
    assert sorted(aggregate["incentives.price"].unique()) == ["1 BTT/GiB", "16 BTT/GiB", "4 BTT/GiB"]
    assert sorted(aggregate[column].unique()) == [1.0, 4.0, 16.0]
    volume = aggregate[aggregate.metric == "btt_volume"].groupby(column)["mean"].first()
    assert list(volume.index) == [1.0, 4.0, 16.0] and volume.is_monotonic_increasing
    assert sweep.compare is not None  # paired differences against the reference point


def test_a_folder_that_holds_no_results_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="neither summary.csv nor experiment.csv"):
        btsim.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="no such folder"):
        btsim.load(tmp_path / "nowhere")


def test_btsims_message_is_raised(binary, scenario, tmp_path):
    with pytest.raises(RuntimeError, match="peers.crowd.cont"):
        btsim.run(scenario, out=tmp_path, overrides={"peers.crowd.cont": 3}, binary=binary)
    with pytest.raises(ValueError, match="run, compare or sweep"):
        btsim.run(scenario, command="merge", binary=binary)


def test_a_run_loads_with_typed_columns(binary, scenario, tmp_path):
    done = btsim.run(scenario, out=tmp_path, overrides=["peers.crowd.count=4"], replications=2, binary=binary)
    assert isinstance(done, btsim.Experiment) and list(done.folders) == ["base"]
    assert len(done.peers[done.peers.group == "crowd"]) == 2 * 4
    assert isinstance(done.summary.variant.dtype, pd.CategoricalDtype)


def test_a_flash_crowd_sweep_gets_its_report_figures(binary, scenario, tmp_path):
    """Every peer of this sweep arrives at 0 s, so no leecher arrives after the warm-up of
    the speed-against-size figure: the report leaves that figure out instead of failing
    (it raised on an empty array before)."""
    import subprocess

    btsim.run(scenario, command="sweep", out=tmp_path, replications=2, binary=binary)
    folder = tmp_path / "pyapi" / "sweep"
    done = subprocess.run([binary, "report", str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    html = (folder / "report.html").read_text()
    assert "Means with 95 % intervals against incentives.price." in html
    assert "Mean download speed against swarm size" not in html


def test_a_sweep_with_two_leeching_groups_plots_each_group(binary, tmp_path):
    """Groups are not pooled silently: a sweep whose leechers come in two groups gets a
    figure of each group's download time against the swept key."""
    import subprocess

    scenario = tmp_path / "groups.yaml"
    scenario.write_text(SCENARIO.split("variants:")[0].replace("name: pyapi", "name: groups") + """\
  - {group: riders, count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 4 Mbit/s, strategy: freerider}
sweep:
  points:
    - {peers.riders.count: 2}
    - {peers.riders.count: 4}
""")
    btsim.run(scenario, command="sweep", out=tmp_path, replications=2, binary=binary)
    folder = tmp_path / "groups" / "sweep"
    done = subprocess.run([binary, "report", str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Each leeching group's mean download time with its 95 % interval against peers.riders.count." in (
        folder / "report.html").read_text()


CATALOGUE = """\
name: pycat
seed: 3
duration: 2 h
sample_interval: 10 min
catalog: {torrents: 4, size: 2 MiB, popularity: {zipf: 1}}
peers:
  - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s}
  - {group: fans, count: 6, arrival: {at: 0 s}, up: 1 Mbit/s, down: 4 Mbit/s, downloads: {count: 2, interval: 10 min}}
"""


def test_a_catalogue_loads_its_torrents_and_users(binary, tmp_path):
    path = tmp_path / "pycat.yaml"
    path.write_text(CATALOGUE)
    done = btsim.run(path, out=tmp_path / "out", replications=2, binary=binary)
    assert len(done.torrents) == 2 * 4 and sorted(done.torrents.torrent.unique()) == [1, 2, 3, 4]
    assert len(done.users) == 2 * 6 and (done.users.torrents_joined == 2).all()
    assert set(done.torrent_timeseries.torrent.unique()) == {1, 2, 3, 4}
    fans = done.peers[done.peers.group == "fans"]
    assert len(fans) == 2 * 6 * 2 and fans.user.notna().all()
