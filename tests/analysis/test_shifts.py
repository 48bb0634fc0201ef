from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from riftwatch.analysis.dyads import DyadPeriod, DyadSeries
from riftwatch.analysis.shifts import detect_change_points, dyad_shifts, series_shifts


@pytest.mark.parametrize("seed", range(5))
def test_shifts_clear_step_gives_one_shift_near_the_step(seed):
    rng = np.random.default_rng(seed)
    x = np.r_[rng.normal(0.4, 0.2, 30), rng.normal(-0.5, 0.2, 30)]
    cps, stats, _ = detect_change_points(x)
    assert len(cps) == 1
    assert abs(cps[0] - 30) <= 2
    before, after, effect, p = stats[0]
    assert after < before and p < 0.01


@pytest.mark.parametrize("seed", range(20))
def test_shifts_pure_noise_gives_none(seed):
    rng = np.random.default_rng(100 + seed)
    assert detect_change_points(rng.normal(0.0, 0.4, 60))[0] == []


def test_shifts_heavy_tailed_noise_gives_none():
    rng = np.random.default_rng(42)
    x = np.clip(rng.standard_t(2, 80) * 0.3, -1, 1)
    assert detect_change_points(x)[0] == []


def test_shifts_small_step_relative_to_noise_is_not_kept():
    rng = np.random.default_rng(3)
    x = np.r_[rng.normal(0.05, 0.4, 30), rng.normal(-0.05, 0.4, 30)]
    assert detect_change_points(x)[0] == []


def _series(values):
    start = dt.date(2022, 1, 3)
    periods = [
        DyadPeriod(period=start + dt.timedelta(weeks=i), events=0 if v is None else 1, index=v)
        for i, v in enumerate(values)
    ]
    return DyadSeries("PAK", "AFG", "week", False, None, None, periods)


def test_shifts_sparse_series_does_not_turn_quiet_weeks_into_evidence():
    # one event every 8 weeks, alternating tone: carried forward this would look like long
    # stable segments; observed alone it is eight coin flips
    values: list[float | None] = [None] * 64
    for k in range(8):
        values[8 * k] = 1.0 if k % 2 == 0 else -1.0
    assert series_shifts(_series(values)).shifts == []


def test_shifts_positions_map_back_to_calendar_periods():
    rng = np.random.default_rng(1)
    values: list[float | None] = []
    for i in range(40):
        values.append(None if i % 3 == 2 else float(rng.normal(0.6 if i < 20 else -0.6, 0.15)))
    r = series_shifts(_series(values))
    assert len(r.shifts) == 1
    s = r.shifts[0]
    # week 20 has no event: the shift is dated at the first observed week of the new regime
    assert s.position == 21 and s.date == dt.date(2022, 1, 3) + dt.timedelta(weeks=21)
    assert s.before_end == dt.date(2022, 1, 3) + dt.timedelta(weeks=21, days=-1)
    assert r.segment_means[0] > 0 > r.segment_means[-1]


def test_shifts_story_shift_is_dated_at_the_turn(story_store):
    r = dyad_shifts(story_store, "PAK", "AFG", by="month")
    assert len(r.shifts) == 1
    s = r.shifts[0]
    assert abs((s.date - dt.date(2023, 3, 1)).days) <= 62
    assert s.delta < -1.0 and s.direction == "deterioration"
    assert s.before_end < s.after_start


def test_shifts_weak_turn_is_only_a_possible_shift():
    rng = np.random.default_rng(19)
    values = list(np.r_[rng.normal(0.1, 0.6, 12), rng.normal(-0.7, 0.6, 12)].clip(-1, 1))
    r = series_shifts(_series(values))
    assert r.shifts == [] and len(r.tentative) == 1
    assert not r.tentative[0].robust and 0.01 <= r.tentative[0].p_value < 0.05


def test_shifts_segment_means_are_weighted_by_events():
    rng = np.random.default_rng(4)
    x = np.r_[rng.normal(0.5, 0.1, 20), rng.normal(-0.5, 0.1, 20)]
    w = rng.integers(1, 10, 40).astype(float)
    cps, stats, _ = detect_change_points(x, w)
    assert cps == [20]
    assert stats[0][0] == pytest.approx(np.average(x[:20], weights=w[:20]))
    assert stats[0][1] == pytest.approx(np.average(x[20:], weights=w[20:]))


def test_shifts_reject_non_positive_weights():
    from riftwatch.errors import ConfigError

    with pytest.raises(ConfigError):
        detect_change_points([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1, 1, 0, 1, 1, 1])


@pytest.mark.parametrize("seed", range(5))
def test_shifts_location_range_is_tight_for_a_sharp_step_and_holds_it(seed):
    from riftwatch.analysis.shifts import location_range

    rng = np.random.default_rng(seed)
    x = np.r_[rng.normal(0.6, 0.1, 20), rng.normal(-0.6, 0.1, 20)]
    lo, hi = location_range(x, np.ones_like(x), 3, 0.1)
    assert lo <= 20 <= hi and hi - lo <= 2


def test_shifts_location_range_widens_when_the_step_is_faint():
    from riftwatch.analysis.shifts import location_range

    rng = np.random.default_rng(7)
    sharp = np.r_[rng.normal(0.6, 0.1, 20), rng.normal(-0.6, 0.1, 20)]
    faint = np.r_[rng.normal(0.2, 0.4, 20), rng.normal(-0.2, 0.4, 20)]
    w = np.ones(40)
    lo_s, hi_s = location_range(sharp, w, 3, 0.1)
    lo_f, hi_f = location_range(faint, w, 3, 0.4)
    assert hi_f - lo_f > hi_s - lo_s


def test_shifts_report_where_the_change_could_have_happened(story_store):
    shift = dyad_shifts(story_store, "PAK", "AFG").shifts[0]
    assert shift.earliest <= shift.date <= shift.latest
    assert shift.to_dict()["earliest"] == shift.earliest.isoformat()


def test_shifts_permutation_p_depends_only_on_the_segment_data():
    from riftwatch.analysis.shifts import ShiftConfig, _permutation_p

    rng = np.random.default_rng(11)
    x, w = rng.normal(0, 0.4, 24), rng.integers(1, 6, 24).astype(float)
    other = rng.normal(0, 0.4, 30)
    config = ShiftConfig()
    first = _permutation_p(x, w, config)
    _permutation_p(other, np.ones(30), config)  # another test in between draws nothing here
    assert _permutation_p(x, w, config) == first


def test_shifts_permutation_p_of_a_clear_step_is_the_smallest_possible():
    from riftwatch.analysis.shifts import ShiftConfig, _permutation_p

    x = np.r_[np.full(10, 0.8), np.full(10, -0.8)] + np.linspace(0, 0.01, 20)
    config = ShiftConfig(permutations=199)
    assert _permutation_p(x, np.ones(20), config) == pytest.approx(1 / 200)


def test_shifts_permutation_blocks_give_the_same_p_as_one_block(monkeypatch):
    import riftwatch.analysis.shifts as shifts

    rng = np.random.default_rng(5)
    x = np.r_[rng.normal(0.2, 0.4, 15), rng.normal(-0.1, 0.4, 15)]
    config = shifts.ShiftConfig()
    whole = shifts._permutation_p(x, np.ones(30), config)
    monkeypatch.setattr(shifts, "PERMUTATION_CELLS", 30 * 7)
    p = shifts._permutation_p(x, np.ones(30), config)
    # blocks draw the stream in another shape, so only the decision must agree
    assert (p < 0.05) == (whole < 0.05) and abs(p - whole) < 0.05


def test_shifts_kept_shuffle_tables_give_the_p_values_of_fresh_draws(monkeypatch):
    import riftwatch.analysis.shifts as shifts

    rng = np.random.default_rng(21)
    series = [
        (rng.normal(0.1, 0.4, n), rng.integers(1, 9, n).astype(float)) for n in (12, 12, 37, 90)
    ]
    config = shifts.ShiftConfig()
    kept = [shifts._permutation_p(x, w, config) for x, w in series]
    monkeypatch.setattr(shifts, "SHUFFLE_MEMO_MAX_N", 0)  # every test draws its shuffles
    assert [shifts._permutation_p(x, w, config) for x, w in series] == kept


def test_shifts_tentative_selection_after_the_strict_one_matches_a_fresh_detection():
    from riftwatch.analysis.shifts import ShiftConfig, _Detection

    rng = np.random.default_rng(8)
    x = np.r_[rng.normal(0.2, 0.35, 14), rng.normal(-0.2, 0.35, 14), rng.normal(0.3, 0.35, 14)]
    w = rng.integers(1, 5, 42).astype(float)
    config = ShiftConfig()
    detection = _Detection(x, w, config)
    detection.kept(config.alpha)  # fills the shared p-values
    reused = detection.kept(config.alpha_tentative)
    assert reused == detect_change_points(x, w, config=config, alpha=config.alpha_tentative)
