"""A request-rate limit kept on our side, for APIs that publish theirs (the Wayback Machine's
CDX API, Transistor): refusing later is worse than waiting now."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Limiter:
    """At most ``requests`` requests in any ``window`` seconds, across threads: ``with
    limiter:`` around each one. A request counts from when it ends (its answer came), so
    however long it took to arrive, the server never sees more than ``requests`` in a window;
    ``clock`` and ``sleep`` are the real ones outside tests."""

    def __init__(
        self,
        requests: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.requests = requests
        self.window = window
        self.clock = clock
        self.sleep = sleep
        #: when the requests of the last window ended
        self.ended: deque[float] = deque()
        self.in_flight = 0
        self._cond = threading.Condition()

    def __enter__(self) -> Limiter:
        with self._cond:
            while True:
                now = self.clock()
                # compared as the sleep below computes it, so a wait never rounds to zero
                while self.ended and self.ended[0] + self.window - now <= 0:
                    self.ended.popleft()
                if len(self.ended) + self.in_flight < self.requests:
                    self.in_flight += 1
                    return self
                if len(self.ended) + self.in_flight >= self.requests and not self.ended:
                    self._cond.wait()  # every slot is a request in flight: wait for one
                    continue
                self._cond.release()
                try:
                    self.sleep(self.ended[0] + self.window - now)
                finally:
                    self._cond.acquire()

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self.in_flight -= 1
            self.ended.append(self.clock())
            self._cond.notify_all()
