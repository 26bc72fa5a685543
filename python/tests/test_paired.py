"""btsim.paired on hand-made tables: the pairing is by run, censored downloads count as τ,
and the interval is Student's."""

import math

import pandas as pd
import pytest

from btsim import paired


def peers_table():
    # Point 1, runs 1-2; a publisher (arrived with the file) and two groups of leechers.
    rows = [
        # point, run, group, joined_s, completed_s, download_s, seeding_s
        (1, 1, "publisher", 0.0, None, None, 1000.0),
        (1, 1, "a", 10.0, 110.0, 100.0, 60.0),
        (1, 1, "a", 20.0, None, None, 0.0),  # never finished: counts as τ
        (1, 1, "b", 30.0, 230.0, 200.0, 60.0),
        (1, 2, "publisher", 0.0, None, None, 1000.0),
        (1, 2, "a", 50.0, 350.0, 300.0, 60.0),
        (1, 2, "b", 40.0, 640.0, 600.0, 60.0),  # finished after τ: cut to τ
    ]
    return pd.DataFrame(rows, columns=["point", "run", "group", "joined_s", "completed_s", "download_s", "seeding_s"])


def test_tau_is_the_shortest_watch_after_the_last_join():
    summary = pd.DataFrame({"point": [1, 1], "run": [1, 2], "horizon_s": [550.0, 600.0]})
    # Run 1: 550 − 30 = 520; run 2: 600 − 50 = 550.
    assert paired.restriction(peers_table(), summary) == 520.0


def test_restricted_downloads_keep_unfinished_leechers_at_tau():
    table = paired.restricted_downloads(peers_table(), 520.0).set_index(["run", "group"])
    assert "publisher" not in table.index.get_level_values("group")
    assert table.loc[(1, "a")].restricted_download_s == pytest.approx((100 + 520) / 2)
    assert table.loc[(1, "a")].unfinished == 1 and table.loc[(1, "a")].peers == 2
    assert table.loc[(2, "b")].restricted_download_s == 520.0 and table.loc[(2, "b")].unfinished == 1
    assert table.loc[(1, "b")].restricted_download_s == 200.0 and table.loc[(1, "b")].unfinished == 0


def test_paired_interval_is_students():
    n, mean, low, high, p = paired.paired_interval([1.0, 2.0, 3.0, 6.0])
    sd = math.sqrt(((1 - 3) ** 2 + (2 - 3) ** 2 + 0 + (6 - 3) ** 2) / 3)
    half = 3.182446305284263 * sd / 2  # t(0.975, 3) = 3.1824...
    assert (n, mean) == (4, 3.0)
    assert low == pytest.approx(3 - half) and high == pytest.approx(3 + half)
    assert 0.05 < p < 0.1
    assert math.isnan(paired.paired_interval([2.0])[2])


def test_within_runs_pairs_groups_of_the_same_run():
    table = paired.restricted_downloads(peers_table(), 520.0)
    row = paired.within_runs(table, "restricted_download_s", "a", "b").iloc[0]
    # Run 1: 310 − 200 = 110; run 2: 300 − 520 = −220.
    assert row.n == 2 and row["diff"] == pytest.approx(-55.0)


def test_against_points_pairs_runs_of_two_points():
    table = pd.DataFrame({"point": [1, 1, 2, 2, 2], "run": [1, 2, 1, 2, 3], "group": ["a"] * 5,
                          "v": [10.0, 20.0, 13.0, 27.0, 99.0]})
    result = paired.against_points(table, "v", "a", {1: 1, 2: 1})
    assert list(result.point) == [2]  # the reference itself gets no row
    # Run 3 has no partner at point 1 and is left out of the pairs: (3 + 7) / 2.
    assert result.iloc[0].n == 2 and result.iloc[0]["diff"] == pytest.approx(5.0)
