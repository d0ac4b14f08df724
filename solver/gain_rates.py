"""Objective gained per second by each kind of search move, decayed so that recent moves count
most: how a search splits its time between moves that pay differently on different problems
and at different stages (on Curtois' Instance20, CP-SAT steps gained 640 a second and rebuild
steps 130; at 100 agents, team neighbourhoods gain faster from the first roster, centre days
from a roster the search has already worked on)."""

from __future__ import annotations

from collections.abc import Iterable


class GainRates:
    def __init__(self, kinds: Iterable[str], decay: float = 0.8) -> None:
        self.decay = decay
        self.gain = {kind: 0.0 for kind in kinds}
        self.time = {kind: 0.0 for kind in self.gain}

    def add(self, kind: str, seconds: float, gained: float) -> None:
        self.gain[kind] = self.decay * self.gain[kind] + gained
        self.time[kind] = self.decay * self.time[kind] + seconds

    def ratio(self, kind: str, other: str, default: float, low: float, high: float) -> float:
        """Seconds for `kind` per second of `other`: the ratio of their recent gains per
        second, within [low, high]; `default` until both have run."""
        if self.time[kind] <= 0 or self.time[other] <= 0:
            return default
        # A kind that gained nothing lately still gets a little time: it may pay again later.
        mine = (self.gain[kind] + 1.0) / self.time[kind]
        theirs = (self.gain[other] + 1.0) / self.time[other]
        return min(high, max(low, mine / theirs))
