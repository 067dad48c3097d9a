"""One budget of connections per run and service: every request that opens a connection holds a token.

A service caps the connections a user opens at once (CDSE: 4, a fifth gets 429); the pipeline's downloads,
the extra connections of a segmented product (core/segments.py) and the requests that watch availability
all count. `hold()` waits for a token (FIFO among waiters); `reserve()` queues without waiting (the
pipeline's coordinator must not block); `try_extra()` takes a token only when one is free and nobody waits;
`should_yield()` tells one extra connection per waiter to give its token back at the end of its block.
"""
import collections
import threading

from .errors import Cancelled
from .i18n import tr


class Connections:
    """The connection budget shared by every request of a run to one service (the pipeline's cap)."""

    def __init__(self, capacity, block_s=2.0):
        self.capacity = self.cap = max(1, int(capacity))
        self.block_s = block_s
        self.threads = set()   # idents of the extra workers: the pipeline's cancel breaks their requests too
        self._cond = threading.Condition()
        self._in_use = 0
        self._queue = collections.deque()
        self._yielding = 0
        self.peak = 0

    def reserve(self, on_grant=None):
        """A place in the queue; `on_grant()` is called (under this budget's lock: keep it short) once granted."""
        ticket = _Ticket(on_grant)
        with self._cond:
            self._queue.append(ticket)
            self._grant()
        return ticket

    def cancel(self, ticket):
        """Give back a reserved ticket, granted or not."""
        with self._cond:
            if ticket in self._queue:
                self._queue.remove(ticket)
            elif ticket.granted and not ticket.released:
                ticket.released = True
                self._release_locked()

    def hold(self, cancelled=lambda: False):
        return _Held(self, cancelled)

    def acquire(self, cancelled=lambda: False):
        ticket = self.reserve()
        with self._cond:
            while not ticket.granted:
                if cancelled():
                    self._queue.remove(ticket)
                    raise Cancelled(tr("Cancelled by the user."))
                self._cond.wait(0.1)
        return ticket

    def try_extra(self):
        with self._cond:
            if self._queue or self._in_use >= self.capacity:
                return False
            self._take()
            return True

    def should_yield(self):
        with self._cond:
            if len(self._queue) > self._yielding:
                self._yielding += 1
                return True
            return False

    def release(self, yielded=False):
        with self._cond:
            if yielded:
                self._yielding -= 1
            self._release_locked()

    def quota_hit(self):
        """The service refused a connection (429): it allows fewer than we thought, for now."""
        with self._cond:
            self.capacity = max(1, min(self.capacity, self._in_use - 1))

    def success(self):
        with self._cond:
            self.capacity = min(self.cap, self.capacity + 1)
            self._grant()

    def free(self):
        with self._cond:
            return 0 if self._queue else max(0, self.capacity - self._in_use)

    def _take(self):
        self._in_use += 1
        self.peak = max(self.peak, self._in_use)

    def _release_locked(self):
        self._in_use -= 1
        self._grant()
        self._cond.notify_all()

    def _grant(self):
        while self._queue and self._in_use < self.capacity:
            ticket = self._queue.popleft()
            ticket.granted = True
            self._take()
            if ticket.on_grant is not None:
                ticket.on_grant()


class _Ticket:
    __slots__ = ("granted", "released", "on_grant")

    def __init__(self, on_grant=None):
        self.granted = self.released = False
        self.on_grant = on_grant


class _Held:
    def __init__(self, connections, cancelled):
        self.connections, self.cancelled, self.ticket = connections, cancelled, None

    def __enter__(self):
        self.ticket = self.connections.acquire(self.cancelled)
        return self

    def __exit__(self, *exc):
        self.connections.cancel(self.ticket)
