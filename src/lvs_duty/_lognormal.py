"""A log-normal value distribution truncated at a cap, fitted to published moments.

Parcel values are skewed (many cheap parcels, a long tail) and bounded by the scope of the
statistic (the EU counts consignments of EUR 150 or less): a log-normal truncated at that cap
has two parameters, so a published mean and one published share by value band fix it exactly,
and a mean alone fixes it once the spread is assumed. Everything here is a statistic of the
distribution's shape, never an amount: amounts are drawn from it and rounded to minor units.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def _phi(z: float) -> float:
    """The standard normal distribution function."""
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@dataclass(frozen=True)
class TruncatedLogNormal:
    """Log-normal with log-mean ``mu`` and log-sd ``sigma``, conditioned on value <= ``cap``."""

    mu: float
    sigma: float
    cap: float

    def _mass(self) -> float:
        return _phi((math.log(self.cap) - self.mu) / self.sigma)

    def share_at_or_below(self, amount: float) -> float:
        """The share of values at or below ``amount``."""
        if amount >= self.cap:
            return 1.0
        return _phi((math.log(amount) - self.mu) / self.sigma) / self._mass()

    def moment(self, k: int) -> float:
        """E[X^k] under the truncation."""
        s = self.sigma
        shifted = (math.log(self.cap) - self.mu - k * s * s) / s
        return math.exp(k * self.mu + k * k * s * s / 2) * _phi(shifted) / self._mass()

    def mean(self) -> float:
        """The mean value."""
        return self.moment(1)

    def sd(self) -> float:
        """The standard deviation of values."""
        return math.sqrt(max(self.moment(2) - self.moment(1) ** 2, 0.0))

    def density(self, amount: float) -> float:
        """The probability density at ``amount`` (below the cap)."""
        z = (math.log(amount) - self.mu) / self.sigma
        return math.exp(-z * z / 2) / (amount * self.sigma * math.sqrt(2 * math.pi) * self._mass())

    def quantile(self, share: float) -> float:
        """The value with ``share`` of values at or below it."""
        low, high = math.log(self.cap) - 60 * self.sigma, math.log(self.cap)
        return math.exp(
            _bisect(lambda x: self.share_at_or_below(math.exp(x)) - share, low, high, True)
        )

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` values, redrawing those above the cap (deterministic for a given rng)."""
        values = rng.lognormal(self.mu, self.sigma, size=size)
        above = np.flatnonzero(values > self.cap)
        while above.size:
            values[above] = rng.lognormal(self.mu, self.sigma, size=above.size)
            above = above[values[above] > self.cap]
        return values


def _bisect(f: Callable[[float], float], lo: float, hi: float, rising: bool) -> float:
    """The root of a monotone ``f`` on [lo, hi] (rising: f < 0 left of the root)."""
    for _ in range(200):
        mid = (lo + hi) / 2
        if (f(mid) < 0) == rising:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def fit_mean_sigma(mean: float, sigma: float, cap: float) -> TruncatedLogNormal | None:
    """The distribution with this mean and log-sd, or None when the mean is not reachable."""
    if not 0 < mean < cap or sigma <= 0:
        return None
    low, high = math.log(mean) - 20 - sigma * sigma, math.log(cap) + 20 * sigma
    mu = _bisect(lambda m: TruncatedLogNormal(m, sigma, cap).mean() - mean, low, high, True)
    fitted = TruncatedLogNormal(mu, sigma, cap)
    return fitted if math.isclose(fitted.mean(), mean, rel_tol=1e-6) else None


def fit_mean_share(
    mean: float, amount: float, share: float, cap: float
) -> TruncatedLogNormal | None:
    """The distribution with this mean and this share at or below ``amount``, or None."""
    if not (0 < mean < cap and 0 < amount < cap and 0 < share < 1):
        return None

    def mu_for(sigma: float) -> float:
        def excess(m: float) -> float:
            return share - TruncatedLogNormal(m, sigma, cap).share_at_or_below(amount)

        low, high = math.log(amount) - 40 * sigma, math.log(cap) + 40 * sigma
        return _bisect(excess, low, high, True)

    def gap(sigma: float) -> float:
        return TruncatedLogNormal(mu_for(sigma), sigma, cap).mean() - mean

    low, high = 0.01, 5.0
    if gap(low) > 0 or gap(high) < 0:
        return None
    sigma = _bisect(gap, low, high, True)
    fitted = TruncatedLogNormal(mu_for(sigma), sigma, cap)
    close = math.isclose(fitted.mean(), mean, rel_tol=1e-5)
    return fitted if close and abs(fitted.share_at_or_below(amount) - share) < 1e-6 else None


__all__ = ["TruncatedLogNormal", "fit_mean_share", "fit_mean_sigma"]
