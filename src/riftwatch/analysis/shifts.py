"""Shifts: change points in a dyad's relation index, kept only when noise cannot explain them.

Detection uses ``ruptures`` (PELT, least-squares cost, a minimum segment size). A change
point is then kept only if it passes two checks, because news counts are noisy and an
analyst must not be shown a "shift" that is a coin flip:

1. Penalty by a BIC-like rule: ``penalty_scale * sigma**2 * log(n)``, with ``sigma`` the
   noise level estimated robustly from the first differences (MAD), so the penalty scales
   with the series' own noise rather than a magic constant.
2. A permutation test on the segment pair around each change point: the observed
   statistic is the largest standardised mean difference over every split position of
   the pair (the same search the detector made, so the test accounts for having picked the
   best split), compared with the same maximum over random shuffles. A change point with
   ``p >= alpha_tentative`` or an effect below ``min_effect`` noise standard deviations
   (and below ``min_delta`` in index units) is dropped, and its neighbours are re-tested.
   The shuffles of a test are drawn from a generator seeded by ``seed`` and the pair's
   length, so a p-value depends only on the data of its segment pair: a pair that a drop
   leaves unchanged keeps its p-value and is not tested again (PELT on a long, busy dyad
   proposes dozens of candidates, and re-testing all after each drop was quadratic).

Change points kept with ``p < alpha`` (1%) are *shifts*. Only when a series has none is the
selection rerun with ``alpha_tentative`` (5%): what it keeps is reported apart as *possible
shifts*, so a thin series can still point the analyst at a likely turn without presenting
it as established (and a series with real shifts is not cluttered with weak ones).

Periods with no event have no index and are left out of detection (only observed periods
count towards segment sizes and the test): filling them, with zeros or by carrying the last
value forward, would invent observations — a single event repeated over ten quiet weeks
looks like a stable segment and makes noise "significant".
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..errors import ConfigError
from .dyads import DyadRows, DyadSeries, dyad_series


@dataclass(frozen=True, slots=True)
class ShiftConfig:
    min_size: int = 3
    """Fewest periods on each side of a change point."""
    penalty_scale: float = 2.0
    """Multiplier of sigma^2 * log(n) (2: BIC for a mean shift). BIC proposes candidate
    change points; the permutation test and the effect-size floor decide which stay."""
    alpha: float = 0.01
    """Largest permutation p-value of a shift."""
    alpha_tentative: float = 0.05
    """Largest permutation p-value of a possible (tentative) shift."""
    min_effect: float = 1.0
    """Smallest |delta| in units of the noise standard deviation."""
    min_delta: float = 0.15
    """Smallest |delta| in index units (the index lies in [-1, 1])."""
    permutations: int = 999
    seed: int = 0
    """Seed of the permutation test (results are reproducible)."""


@dataclass(frozen=True, slots=True)
class Shift:
    """A kept change point between two segments of the series."""

    position: int
    """Index of the first period after the change."""
    date: dt.date
    """First day of the first period after the change."""
    before_start: dt.date
    before_end: dt.date
    after_start: dt.date
    after_end: dt.date
    before_mean: float
    after_mean: float
    delta: float
    """after_mean - before_mean (negative: relations worsened)."""
    effect: float
    """|delta| / noise sigma."""
    p_value: float
    robust: bool = True
    """False for a possible shift (``alpha <= p < alpha_tentative``)."""
    earliest: dt.date | None = None
    latest: dt.date | None = None
    """Where the change could as well have happened: the first days of the earliest and
    latest periods that fit as the start of the after segment (``location_range``)."""

    @property
    def direction(self) -> str:
        return "deterioration" if self.delta < 0 else "improvement"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for k, v in out.items():
            if isinstance(v, dt.date):
                out[k] = v.isoformat()
        out["direction"] = self.direction
        return out


@dataclass(frozen=True, slots=True)
class ShiftResult:
    series: DyadSeries
    shifts: list[Shift] = field(default_factory=list)
    """Robust shifts (p < alpha)."""
    tentative: list[Shift] = field(default_factory=list)
    """Possible shifts (alpha <= p < alpha_tentative)."""
    sigma: float = 0.0
    """Estimated noise standard deviation of the index series."""
    observed: list[int] = field(default_factory=list)
    """Positions of the periods with events (the only ones detection uses)."""
    segment_means: list[float | None] = field(default_factory=list)
    """Per period: the mean index of the segment it belongs to (for plotting)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "series": self.series.to_dict(),
            "sigma": self.sigma,
            "shifts": [s.to_dict() for s in self.shifts],
            "possible_shifts": [s.to_dict() for s in self.tentative],
        }

    @property
    def all_shifts(self) -> list[Shift]:
        """Robust and possible shifts in date order (the segments of ``segment_means``)."""
        return sorted(self.shifts + self.tentative, key=lambda s: s.date)


def noise_sigma(x: np.ndarray, w: np.ndarray | None = None) -> float:
    """Robust noise SD per unit weight, from first differences (MAD / 0.6745).

    With weights (events per period), ``var(x_i) = sigma**2 / w_i``, so each difference is
    scaled by ``1 / sqrt(1/w_i + 1/w_i+1)`` first; without weights this is the usual
    MAD-of-differences / sqrt(2) estimate.
    """
    w = np.ones_like(x) if w is None else w
    if len(x) < 3:
        return float(np.std(x))
    d = np.diff(x) / np.sqrt(1 / w[:-1] + 1 / w[1:])
    mad = float(np.median(np.abs(d - np.median(d))))
    sigma = mad / 0.6745
    if sigma == 0.0:
        sigma = float(np.std(d))
    return sigma


def _max_split_stat(x: np.ndarray, w: np.ndarray, min_size: int) -> np.ndarray:
    """Per row of ``x``/``w`` (B x n): max over splits of the standardised weighted mean gap.

    ``|mean_L - mean_R| * sqrt(W_L * W_R / W)``: the statistic PELT's weighted least-squares
    cost maximises for a single split.
    """
    wx = w * x
    return _max_split(wx, w, wx.sum(axis=-1), w.sum(axis=-1), min_size)


def _max_split(
    wx: np.ndarray, w: np.ndarray, total_wx: Any, total_w: Any, min_size: int
) -> np.ndarray:
    """``_max_split_stat`` from weighted values and the row totals (equal for shuffles).

    With ``S_L``, ``W_L`` the weighted sum and weight left of a split, the statistic is
    ``|S_L * W - S * W_L| / sqrt(W * W_L * (W - W_L))``; its square is maximised first so
    the square root is taken once per row.
    """
    n = wx.shape[-1]
    if n - 2 * min_size < 0:
        return np.zeros(wx.shape[:-1])
    # cumulative sums at the last period left of each allowed split (k = min_size..n-min_size)
    cw = np.cumsum(w[..., : n - min_size], axis=-1)[..., min_size - 1 :]
    cs = np.cumsum(wx[..., : n - min_size], axis=-1)[..., min_size - 1 :]
    return _split_stat(cs, cw, total_wx, total_w)


def _split_stat(
    cs: np.ndarray, cw: np.ndarray, total_wx: Any, total_w: Any, axis: int = -1
) -> np.ndarray:
    """The statistic of ``_max_split`` from the cumulative sums at each allowed split
    (along ``axis``; the shuffles of a test put the splits first, see ``_permutation_p``).

    In place where it can be (the same operations in the same order, so the same bits):
    the shuffles of a permutation test make these arrays a thousand rows deep.
    """
    tw = np.asarray(total_w, dtype=float)[..., None]
    ts = np.asarray(total_wx, dtype=float)[..., None]
    gap = cs * tw
    gap -= ts * cw
    gap *= gap
    den = tw - cw
    den *= cw
    gap /= den
    best = gap.max(axis=axis)
    return np.sqrt(best / tw[..., 0])


PERMUTATION_CELLS = 1 << 20
"""Most shuffled values held at once (shuffles of a long series are tested in blocks)."""

SHUFFLE_MEMO_MAX_N = 256
"""Shuffle tables of series up to this length are kept (``_shuffle_table``)."""


def _draw_shuffles(seed: int, n: int, permutations: int) -> Iterator[np.ndarray]:
    """The shuffles of ``range(n)`` for a test, block by block, from one generator seeded
    by ``seed`` and ``n`` (so they depend on the series length only, never on the data)."""
    rng = np.random.default_rng([seed, n])
    block = max(1, PERMUTATION_CELLS // max(n, 1))
    dtype = np.int16 if n <= np.iinfo(np.int16).max else np.int64
    for start in range(0, permutations, block):
        rows = min(block, permutations - start)
        yield rng.permuted(np.broadcast_to(np.arange(n, dtype=dtype), (rows, n)), axis=1)


@functools.lru_cache(maxsize=128)
def _shuffle_table(seed: int, n: int, permutations: int) -> np.ndarray:
    """All shuffles of a short series in one read-only, period-major table, drawn once
    per length.

    Drawing is most of the cost of a test, and a busy dyad tests dozens of segment pairs,
    many of one length (and the next request tests the same lengths again). The tables of
    lengths up to ``SHUFFLE_MEMO_MAX_N`` take at most 512 kB each (64 MB for all kept).
    """
    (table,) = _draw_shuffles(seed, n, permutations)
    table = np.ascontiguousarray(table.T)
    table.setflags(write=False)
    return table


def _permutation_p(x: np.ndarray, w: np.ndarray, config: ShiftConfig) -> float:
    """Share of shuffles (periods with their weights) whose best split beats the data's.

    All shuffles are drawn at once (``Generator.permuted`` on a stack of index rows) and
    their split statistics computed together from cumulative sums; the generator is
    seeded by ``config.seed`` and ``len(x)``, so equal data give equal p-values (and the
    shuffles of a length are drawn once: ``_shuffle_table``).
    """
    n = len(x)
    if n < 2 * config.min_size:
        return 1.0  # no split allowed: every shuffle ties the data
    wx = w * x
    total_wx, total_w = float(wx.sum()), float(w.sum())
    observed = _max_split(wx, w, total_wx, total_w, config.min_size)
    # weighted values and weights side by side: one gather per block (np.take, much
    # cheaper than fancy indexing); only the periods left of the last allowed split
    # enter the cumulative sums
    both, m = np.stack([wx, w]), config.min_size
    if n <= SHUFFLE_MEMO_MAX_N and n * config.permutations <= PERMUTATION_CELLS:
        # a short series: its kept table, period-major, so the running sums of all the
        # shuffles advance a whole row at a time (np.cumsum down that axis is slower)
        sums = np.take(both, _shuffle_table(config.seed, n, config.permutations)[: n - m], axis=1)
        for i in range(1, n - m):
            np.add(sums[:, i - 1], sums[:, i], out=sums[:, i])
        null = _split_stat(sums[0, m - 1 :], sums[1, m - 1 :], total_wx, total_w, axis=0)
        return float((1 + int(np.sum(null >= observed - 1e-12))) / (1 + config.permutations))
    beaten = 0
    for order in _draw_shuffles(config.seed, n, config.permutations):
        sums = np.cumsum(np.take(both, order[:, : n - m], axis=1), axis=-1)[..., m - 1 :]
        null = _split_stat(sums[0], sums[1], total_wx, total_w)
        beaten += int(np.sum(null >= observed - 1e-12))
    return float((1 + beaten) / (1 + config.permutations))


LOCATION_LEVEL = 3.84
"""Likelihood-ratio allowance for the change location (chi-square, 1 df, 95%)."""


def location_range(
    x: np.ndarray, w: np.ndarray, min_size: int, sigma: float, level: float = LOCATION_LEVEL
) -> tuple[int, int]:
    """Split positions of ``x`` (one segment pair) that fit nearly as well as the best.

    A change point is found where the weighted squared error of a two-mean fit is least;
    splits whose error exceeds that least error by at most ``level * sigma**2`` (sigma:
    noise SD per unit weight) are not distinguishable from it, and between quiet months
    there are often several. Returns the first and last such position.
    """
    n = len(x)
    k = np.arange(min_size, n - min_size + 1)
    if len(k) == 0:
        return 0, 0
    cw, cs, cq = np.cumsum(w), np.cumsum(w * x), np.cumsum(w * x * x)
    wl, sl, ql = cw[k - 1], cs[k - 1], cq[k - 1]
    wr, sr, qr = cw[-1] - wl, cs[-1] - sl, cq[-1] - ql
    sse = (ql - sl * sl / wl) + (qr - sr * sr / wr)
    ok = k[sse - sse.min() <= level * max(sigma, 1e-9) ** 2]
    return int(ok.min()), int(ok.max())


def _weighted_l2_cost() -> Any:
    """A ruptures cost: weighted least squares on a (value, weight) signal."""
    from ruptures.base import BaseCost

    class CostWeightedL2(BaseCost):
        model = "weighted_l2"
        min_size = 1

        def fit(self, signal: np.ndarray) -> CostWeightedL2:
            self.signal = signal
            x, w = signal[:, 0], signal[:, 1]
            self.cw = np.r_[0.0, np.cumsum(w)]
            self.cs = np.r_[0.0, np.cumsum(w * x)]
            self.cq = np.r_[0.0, np.cumsum(w * x * x)]
            return self

        def error(self, start: int, end: int) -> float:
            wt = self.cw[end] - self.cw[start]
            st = self.cs[end] - self.cs[start]
            return float(self.cq[end] - self.cq[start] - st * st / wt)

    return CostWeightedL2()


def detect_change_points(
    values: Sequence[float],
    weights: Sequence[float] | None = None,
    *,
    config: ShiftConfig | None = None,
    alpha: float | None = None,
) -> tuple[list[int], list[tuple[float, float, float, float]], float]:
    """Kept change points of ``values``: (positions, [(before, after, effect, p)], sigma).

    ``weights`` (e.g. events per period) make a period of ten events count more than a
    period of one; ``before``/``after`` are weighted means, ``effect`` is
    ``|after - before|`` over the noise SD of a period of median weight. ``alpha``
    (default ``config.alpha``) is the largest p-value kept.
    """
    config = config or ShiftConfig()
    return _Detection(values, weights, config).kept(config.alpha if alpha is None else alpha)


class _Detection:
    """The candidates of one series and the tests made on them, for one or more ``alpha``.

    ``series_shifts`` selects with ``alpha`` and, when nothing is kept, again with
    ``alpha_tentative``: the candidates (PELT) and every p-value and segment mean are the
    same for both, so they are computed once and the second selection only redoes the
    cheap bookkeeping.
    """

    def __init__(
        self, values: Sequence[float], weights: Sequence[float] | None, config: ShiftConfig
    ) -> None:
        if config.min_size < 1:
            raise ConfigError("ShiftConfig.min_size must be >= 1")
        self.config = config
        self.x = x = np.asarray(values, dtype=float)
        self.w = w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
        if len(w) != len(x) or (len(w) and float(w.min()) <= 0):
            raise ConfigError("shift weights must be positive, one per value")
        self.candidates: list[int] | None = None
        self.period_sigma = 0.0
        self._p: dict[tuple[int, int], float] = {}
        self._mean: dict[tuple[int, int], float] = {}
        n = len(x)
        if n < 2 * config.min_size or np.allclose(x, x[0]):
            return
        import ruptures as rpt

        sigma = max(noise_sigma(x, w), 1e-6)
        penalty = config.penalty_scale * sigma**2 * math.log(n)
        signal = np.c_[x, w]
        algo = rpt.Pelt(custom_cost=_weighted_l2_cost(), min_size=config.min_size, jump=1)
        self.candidates = [c for c in algo.fit(signal).predict(pen=penalty) if c < n]
        self.period_sigma = sigma / math.sqrt(float(np.median(w)))

    def _segment_mean(self, lo: int, hi: int) -> float:
        if (lo, hi) not in self._mean:
            self._mean[lo, hi] = float(np.average(self.x[lo:hi], weights=self.w[lo:hi]))
        return self._mean[lo, hi]

    def _p_value(self, lo: int, hi: int) -> float:
        if (lo, hi) not in self._p:
            self._p[lo, hi] = _permutation_p(self.x[lo:hi], self.w[lo:hi], self.config)
        return self._p[lo, hi]

    def kept(
        self, alpha: float
    ) -> tuple[list[int], list[tuple[float, float, float, float]], float]:
        """Drop failing candidates, weakest first, re-testing the neighbours of each drop.

        A p-value depends only on the data of its segment pair, so a pair a drop leaves
        unchanged keeps its p-value and is not tested again.
        """
        if self.candidates is None:
            return [], [], 0.0
        config, cps, n = self.config, list(self.candidates), len(self.x)
        while True:
            bounds = [0, *cps, n]
            stats = []
            for i, c in enumerate(cps):
                lo, hi = bounds[i], bounds[i + 2]
                before, after = self._segment_mean(lo, c), self._segment_mean(c, hi)
                effect = abs(after - before) / self.period_sigma
                p = self._p_value(lo, hi)
                ok = (
                    p < alpha
                    and effect >= config.min_effect
                    and abs(after - before) >= config.min_delta
                )
                stats.append((before, after, effect, p, ok))
            failing = [i for i, s in enumerate(stats) if not s[4]]
            if not failing:
                return cps, [s[:4] for s in stats], self.period_sigma
            # drop the weakest failing change point, then re-test its neighbours
            worst = max(failing, key=lambda i: (stats[i][3], -stats[i][2]))
            cps = cps[:worst] + cps[worst + 1 :]


def series_shifts(series: DyadSeries, *, config: ShiftConfig | None = None) -> ShiftResult:
    """Shifts of a dyad series' relation index (periods without events left out)."""
    observed = [i for i, p in enumerate(series.periods) if p.index is not None]
    values = [series.periods[i].index for i in observed]
    weights = [float(series.periods[i].events) for i in observed]
    if not observed:
        return ShiftResult(series, [], [], 0.0, [], [None] * len(series.periods))
    config = config or ShiftConfig()
    detection = _Detection(values, weights, config)  # type: ignore[arg-type]
    cps, stats, sigma = detection.kept(config.alpha)
    robust = True
    if not cps:
        cps, stats, sigma = detection.kept(config.alpha_tentative)
        robust = False
    bounds = [0, *cps, len(values)]
    shifts = []
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    unit_sigma = sigma * math.sqrt(float(np.median(w))) if len(w) else 0.0
    for i, c in enumerate(cps):
        before, after, effect, p = stats[i]
        first_after = observed[c]
        lo, hi = bounds[i], bounds[i + 2]
        k_lo, k_hi = location_range(x[lo:hi], w[lo:hi], config.min_size, unit_sigma)
        shifts.append(
            Shift(
                position=first_after,
                date=series.periods[first_after].period,
                before_start=series.periods[observed[bounds[i]]].period,
                before_end=series.period_end(first_after - 1),
                after_start=series.periods[first_after].period,
                after_end=series.period_end(observed[bounds[i + 2] - 1]),
                before_mean=round(before, 4),
                after_mean=round(after, 4),
                delta=round(after - before, 4),
                effect=round(effect, 2),
                p_value=round(p, 4),
                robust=robust,
                earliest=series.periods[observed[lo + k_lo]].period,
                latest=series.periods[observed[lo + k_hi]].period,
            )
        )
    seg_mean = [
        float(np.average(values[lo:hi], weights=weights[lo:hi]))
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    starts = [observed[c] for c in cps]
    means: list[float | None] = [
        seg_mean[sum(1 for st in starts if j >= st)] for j in range(len(series.periods))
    ]
    robust = [x for x in shifts if x.robust]
    tentative = [x for x in shifts if not x.robust]
    return ShiftResult(series, robust, tentative, sigma, observed, means)


def dyad_shifts(
    store_or_con: Any,
    a: str,
    b: str,
    *,
    by: str = "month",
    since: dt.date | None = None,
    until: dt.date | None = None,
    directed: bool = False,
    config: ShiftConfig | None = None,
    rows: DyadRows | None = None,
) -> ShiftResult:
    """The dyad series of ``a`` and ``b`` and its shifts (``rows``: see ``dyad_series``)."""
    series = dyad_series(
        store_or_con, a, b, by=by, since=since, until=until, directed=directed, rows=rows
    )
    return series_shifts(series, config=config)
