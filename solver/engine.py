"""The search: greedy, priced flows (large rounds), LP, rounding, CP-SAT, neighbourhoods.

Determinism: every phase is charged in "work seconds", a deterministic estimate of its time
(CP-SAT's deterministic time divided by its usual rate on this kind of model, plus fixed
estimates for the LP and for building models), and the search stops when the time limit is
spent in work seconds. Same input and settings therefore
give the same answer, with any worker count (CP-SAT then runs `interleave_search`), as long as
the wall-clock guard does not stop the search first (a much slower or busy machine).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from solver import flow, neighbourhoods
from solver.cpsat import CpOptions, SubResult, solve_sub
from solver.instance import AssignSettings
from solver.lagrange import STEP_SECONDS, price_order, prices
from solver.lp import lagrangian_bound, relax
from solver.problem import IntArray, Problem, greedy

# Calibrated constants. The work-second charges (DTIME_RATE, BUILD_SECONDS, CALL_SECONDS,
# SCAN_SECONDS, the LP charge in `run`, lagrange.STEP_SECONDS) are wall times of a quiet
# 2-core benchmark machine, fitted to the `gen-*` rows of `make bench-solver` (results in
# bench/solver_results.md, 2026-11-25): they make "work seconds" track wall seconds there, so
# a deterministic solve stops about when the wall limit would. To re-measure on new hardware
# or a new OR-Tools: run `python -m bench.solver_bench --rows gen- --contention 0` on a quiet
# machine with AssignSettings(log=True) in bench/solver/runner.py (CP-SAT prints "dtime D wall
# W" per call: DTIME_RATE[level] is the median D / W; BUILD_SECONDS and CALL_SECONDS are the
# slope and intercept of the time to build a model against its variables), time `relax` on
# the LP's pairs for the LP charge, and compare the phases' wall seconds in AssignResult.phases
# with the work charged. DIRECT_LIMIT, LP_TOP_K, SUB_TOP_K and SUB_NEEDS were chosen on the same
# rows (the best gap at 5 s and 60 s); change them only with the table before and after.
DIRECT_LIMIT = 60_000  # up to this many pairs, CP-SAT also sees the whole round
LP_TOP_K = 20  # pairs per need (best weight first) given to the flows of a large round
LP_KS = (16, 8, 4)  # pairs per need (best flow-priced weight first) the LP of a large round
# may see, the most that fits the time (at 5,000 x 500: 16 quiet, 8 or 4 beside busy processes)
LP_FIT = 0.55  # of the time left, at most, expected for that LP
SUB_TOP_K = 10  # pairs per need (best reduced weight first) given to a neighbourhood
SUB_NEEDS = 600  # needs freed per neighbourhood at most (adapted down for hard rounds)
MARGIN = 0.35  # seconds kept for building the result (at least)
DTIME_RATE = {1: 0.6, 2: 0.3}  # CP-SAT deterministic time per wall second, by model kind
BUILD_SECONDS = 2.5e-5  # work seconds charged per variable of a CP-SAT model built in Python
CALL_SECONDS = 0.02  # work seconds charged per CP-SAT call (start-up, copying the answer)
SCAN_SECONDS = 2e-8  # work seconds charged per pair of the round for choosing a neighbourhood
PRICE_SHARE = 0.3  # of the time left, at most, for LP-free prices when the LP did not finish
FLOW_SHARE = 0.15  # of the time limit, at most, for the priced flows before the LP (large rounds)
FLOW_ROUNDS = 4  # priced flows before the LP (their answer stops improving after 3 or 4)
LP_SHARE = 0.75  # of the time left, at most, for the LP
LP_SECONDS = 1.7  # work seconds charged for an LP over 100k pairs (scaled as pairs ** 1.6)
BUSY = 0.6  # share of a core below which the machine is busy (LP size by wall time, not work)
RESULT_SECONDS = 5e-7  # CPU seconds per pair for building the result (margin on a busy machine)


@dataclass(slots=True)
class Search:
    """Incumbent, bound, work spent and timings of one solve; phases update it."""

    pr: Problem
    settings: AssignSettings
    should_stop: Callable[[], bool]
    start: float = field(default_factory=time.perf_counter)
    cpu_start: float = field(default_factory=time.process_time)
    best: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    best_value: int = -1
    bound: float = math.inf
    proven: bool = False
    work: float = 0.0
    phases: list[tuple[str, float]] = field(default_factory=list)
    method: str = "greedy"
    duals: list[np.ndarray] = field(default_factory=list)  # row prices seen, for the bounds

    def remaining(self) -> float:
        """Return the wall seconds left before the time limit, minus the result margin.

        The margin grows on a busy machine: building the result takes longer there too.
        """
        margin = max(MARGIN, RESULT_SECONDS * self.pr.need.size / self.share())
        return self.settings.time_limit - margin - (time.perf_counter() - self.start)

    def share(self) -> float:
        """Return the share of a core this solve has had so far (CPU over wall seconds, <= 1)."""
        wall = time.perf_counter() - self.start
        if wall < 0.05:
            return 1.0
        return min(1.0, max(0.05, (time.process_time() - self.cpu_start) / wall))

    def work_left(self) -> float:
        """Return the deterministic work left (infinite when determinism is off)."""
        if not self.settings.deterministic:
            return math.inf
        return self.settings.time_limit - MARGIN - self.work

    def stopped(self) -> bool:
        """Return whether the search should end now (proven, out of time or work, cancelled)."""
        out_of_time = self.remaining() <= 0.1 or self.work_left() <= 0.01
        return self.proven or out_of_time or self.should_stop()

    def offer(self, chosen: IntArray, method: str) -> None:
        """Keep `chosen` if it beats the incumbent on the maximised quantity."""
        value = self.pr.weighted(chosen)
        if value > self.best_value:
            self.best, self.best_value, self.method = np.sort(chosen), value, method
        self._check()

    def tighten(self, bound: float) -> None:
        """Record a valid upper bound on the maximised quantity."""
        self.bound = min(self.bound, bound)
        self._check()

    def _check(self) -> None:
        if self.best_value >= math.floor(self.bound + 1e-9):
            self.proven = True

    def mark(self, phase: str, since: float) -> float:
        """Log how long a phase took; return now."""
        now = time.perf_counter()
        self.phases.append((phase, round(now - since, 3)))
        return now

    def options(self, share: float, variables: int, linearization: int) -> CpOptions:
        """CP-SAT limits for a model of `variables`: `share` of the limit, at most what is left."""
        s = self.settings
        build = CALL_SECONDS + BUILD_SECONDS * variables + SCAN_SECONDS * self.pr.need.size
        self.work += build
        share_left = min(share * s.time_limit, self.work_left())
        if not s.deterministic:
            wall = min(share * s.time_limit, self.remaining()) - build
            return CpOptions(wall, None, s.workers, s.seed, s.log, linearization)
        work = DTIME_RATE[linearization] * share_left
        return CpOptions(self.remaining() - build, work, s.workers, s.seed, s.log, linearization)

    def cp_sat(
        self, free: IntArray, fixed: IntArray, hint: IntArray, share: float, linearization: int
    ) -> SubResult | None:
        """Run CP-SAT on `free` around `fixed`; charge its work; None when no time is left."""
        opts = self.options(share, free.size, linearization)
        if opts.time_limit < 0.05 or (opts.work_limit is not None and opts.work_limit < 0.01):
            return None
        sub = solve_sub(self.pr, free, fixed, hint, opts=opts, should_stop=self.should_stop)
        self.work += sub.work / DTIME_RATE[linearization]
        return sub


def run(search: Search) -> None:
    """Run the phases in order while time and work remain and nobody cancels."""
    pr = search.pr
    t = time.perf_counter()
    search.tighten(_trivial_bound(pr))
    search.offer(greedy(pr), "greedy")
    t = search.mark("greedy", t)
    if search.stopped():
        return
    direct = pr.need.size <= DIRECT_LIMIT
    pairs, found = np.arange(pr.need.size), None
    if not direct:  # priced flows: an answer near the LP's early, and the pairs the LP needs
        likely = _top_k(pr, pr.weight, LP_TOP_K, pr.pinned)
        found = _flows(search, likely, FLOW_SHARE * search.settings.time_limit)
        t = search.mark("flows", t)
        flow_reduced = pr.weight - found.prices[pr.offer] * pr.cost
        k = _lp_pairs_per_need(search)  # a busy machine: a smaller LP that still ends
        pairs = _top_k(pr, flow_reduced, k, np.union1d(pr.pinned, search.best))
        if search.stopped():
            return
    lp = relax(pr, LP_SHARE * search.remaining(), pairs)
    search.work += _lp_charge(pr, pairs.size)
    t = search.mark("lp", t)
    if search.stopped():
        return
    reduced, first = pr.weight.astype(float), pairs[:0]
    if not lp.solved and found is not None:  # a busy machine: the flows' prices guide
        reduced = pr.weight - found.prices[pr.offer] * pr.cost  # as flow_reduced
        _flow_bound(search, found.prices)
        t = search.mark("bound", t)
    elif not lp.solved:  # a busy machine: LP-free prices still guide the search and bound it
        reduced = _prices(search, pairs)
        t = search.mark("prices", t)
    else:
        search.duals.append(lp.duals)
        bound, reduced = lagrangian_bound(pr, lp.duals)
        search.tighten(min(bound, lp.value) if direct else bound)
        ones = pairs[lp.x > 1 - 1e-6]
        search.offer(greedy(pr, start=np.union1d(pr.pinned, ones)), "lp-rounding")
        first = neighbourhoods.unsettled(pr, pairs, lp.x)
        t = search.mark("rounding", t)
        if not direct:  # the LP saw the likely pairs only: its budget prices bound every pair
            _flow_bound(search, lp.duals[pr.n_needs + pr.n_offers : pr.n_needs + 2 * pr.n_offers])
            t = search.mark("bound", t)
    if direct:
        _whole(search, share=0.7)
        t = search.mark("cp-sat", t)
    _neighbourhoods(search, reduced, first, top_k=pr.n_offers if direct else SUB_TOP_K)
    search.mark("cp-sat-lns", t)


def _lp_pairs_per_need(search: Search) -> int:
    """Pairs per need for the LP after the flows: the most whose LP fits LP_FIT of the time left.

    On a quiet machine (a share of a core of BUSY or more) the LP's work charge is measured
    against the work left, so the choice, and the answer, stay deterministic; on a busy one its
    expected wall time (charge over share) against the wall time left.
    """
    pr, share = search.pr, search.share()
    left = search.work_left() if share >= BUSY else search.remaining() * share
    per_need = pr.need.size / max(1, pr.n_needs)
    for k in LP_KS:
        if _lp_charge(pr, int(min(k, per_need) * pr.n_needs)) <= LP_FIT * left:
            return k
    return LP_KS[-1]


def _lp_charge(pr: Problem, pairs: int) -> float:
    """Work seconds charged for the LP over `pairs` pairs (fitted on the `gen-*` rows, quiet)."""
    return LP_SECONDS * (pairs / 1e5) ** 1.6 + 1e-6 * pr.need.size


def _flows(search: Search, pairs: IntArray, seconds: float) -> flow.Flows:
    """Priced min-cost flows for at most `seconds`: a feasible answer, a bound and prices."""
    pr = search.pr
    one = flow.FLOW_SECONDS * pairs.size / search.share()  # wall seconds of a flow, about
    seconds = min(max(seconds, 1.5 * one), search.remaining())  # one at least, if it fits
    most = FLOW_ROUNDS
    if search.settings.deterministic:
        most = min(most, int(min(seconds, search.work_left()) / (flow.FLOW_SECONDS * pairs.size)))
    found = flow.improve(pr, pairs, search.best_value, seconds, stop=search.should_stop, most=most)
    search.work += flow.FLOW_SECONDS * pairs.size * found.rounds
    if pairs.size == pr.need.size:  # the flows' bound holds only for the pairs they saw
        search.tighten(found.bound)
    if found.chosen.size:
        search.offer(found.chosen, "flow")
    return found


def _flow_bound(search: Search, budget_prices: np.ndarray) -> None:
    """A bound over every pair: one flow (capacities and State caps kept) with budgets priced."""
    pr = search.pr
    expected = flow.FLOW_SECONDS * pr.need.size / search.share()  # wall seconds, about
    if search.stopped() or search.remaining() < 2 * expected:
        return
    everything = np.arange(pr.need.size)
    _, bound = flow.Network(pr, everything).solve(np.maximum(budget_prices, 0.0))
    search.work += flow.FLOW_SECONDS * everything.size
    search.tighten(bound)


def _prices(search: Search, pairs: IntArray) -> np.ndarray:
    """LP-free prices: a valid bound, reduced weights and a price-guided greedy."""
    pr = search.pr
    found = prices(pr, pairs, search.best_value, PRICE_SHARE * search.remaining())
    search.work += STEP_SECONDS * pairs.size * found.steps
    search.tighten(found.bound)
    search.duals.append(found.duals)
    search.offer(greedy(pr, order=price_order(pr, found.reduced)), "price-greedy")
    return found.reduced


def _whole(search: Search, share: float) -> None:
    """CP-SAT on every pair, warm-started from the incumbent (small rounds)."""
    if search.stopped():
        return
    everything = np.arange(search.pr.need.size)
    sub = search.cp_sat(everything, everything[:0], search.best, share, linearization=1)
    if sub is None:
        return
    if sub.chosen is not None:
        search.offer(sub.chosen, "cp-sat")
    if sub.status in ("OPTIMAL", "FEASIBLE"):
        search.tighten(sub.bound)
    if sub.optimal:
        search.proven = True


def _neighbourhoods(
    search: Search, reduced: np.ndarray, first: IntArray, top_k: int = SUB_TOP_K
) -> None:
    """Re-optimise parts of the incumbent with CP-SAT; adapt their size to how fast they close.

    A freed need may move to any of its `top_k` pairs by reduced weight (small rounds: all).
    """
    pr = search.pr
    rng = np.random.default_rng(search.settings.seed)
    candidates = _top_k(pr, reduced, top_k, search.best)
    if first.size and not search.stopped():
        _reoptimise(search, candidates, first, share=0.25)
    size = float(min(SUB_NEEDS, max(8, search.best.size // 4)))
    stale, kind = 0, 0
    while not search.stopped() and stale < 200:
        before = search.best_value
        free_needs = neighbourhoods.pick(pr, search.best, candidates, kind=kind, rng=rng, size=size)
        closed = _reoptimise(search, candidates, free_needs)
        size = min(size * 1.15, SUB_NEEDS) if closed else max(6.0, size * 0.7)
        stale = 0 if search.best_value > before else stale + 1
        kind += 1


def _reoptimise(
    search: Search, candidates: IntArray, free_needs: IntArray, share: float = 0.1
) -> bool:
    """Free `free_needs`, keep the rest, let CP-SAT re-place them; return whether it closed."""
    pr = search.pr
    is_free = np.zeros(pr.n_needs, dtype=bool)
    is_free[free_needs] = True
    in_free = is_free[pr.need[search.best]]
    fixed, hint = search.best[~in_free], search.best[in_free]
    free = np.union1d(candidates[is_free[pr.need[candidates]]], hint)
    sub = search.cp_sat(free, fixed, hint, share=share, linearization=2)
    if sub is None:
        return False
    if sub.chosen is not None:
        search.offer(np.concatenate([fixed, sub.chosen]), "lp+cp-sat-lns")
    return sub.optimal


def _top_k(pr: Problem, key: np.ndarray, k: int, extra: IntArray) -> IntArray:
    """Return the positions of each need's k pairs with the highest `key`, plus `extra`."""
    order = np.lexsort((np.arange(key.size), -key, pr.need))
    sorted_need = pr.need[order]
    first = np.searchsorted(sorted_need, sorted_need, side="left")
    rank = np.arange(order.size) - first
    return np.union1d(order[rank < k], extra)


def _trivial_bound(pr: Problem) -> float:
    """Each need's best weight, summed: valid whatever the capacities."""
    best = np.zeros(pr.n_needs)
    np.maximum.at(best, pr.need, pr.weight.astype(float))
    return float(best.sum())
