"""A circuit breaker: a backend that keeps failing to connect is left alone for a while.

Without it every decision would wait out its own timeouts against a dead server; with
it the town plays on scripted minds at full speed and tries the server again after a
cooldown. Only connection failures and calls that outran their deadline count (a
slow-drip server is as good as a dead one); a server that answers badly is reachable.
"""

from __future__ import annotations

import time


class Breaker:
    def __init__(self, threshold: int, cooldown: float) -> None:
        self.threshold = threshold  # consecutive connection failures that open it
        self.cooldown = cooldown  # seconds it stays open
        self.consecutive_failures = 0
        self.open_until = 0.0  # time.monotonic() before which calls are not made

    def available(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self, *, connection: bool) -> bool:
        """Count a failed call; True if that opened the breaker."""
        if not connection:
            self.consecutive_failures = 0
            return False
        self.consecutive_failures += 1
        if self.consecutive_failures >= self.threshold:
            self.trip()
            return True
        return False

    def succeeded(self) -> None:
        self.consecutive_failures = 0

    def trip(self) -> None:
        """Open now, for one cooldown."""
        self.open_until = time.monotonic() + self.cooldown
