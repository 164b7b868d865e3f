"""The one thread that calls into moto, which is not thread-safe."""

import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class MotoThread:
    """Takes jobs in order of arrival; urgent jobs (event deliveries) go before waiting requests.

    So a mapping is stored right after the miss that announced it and the requests behind that miss
    are hits. Requests among themselves are first come, first served.
    """

    URGENT, NORMAL = 0, 1

    def __init__(self) -> None:
        self.jobs: queue.PriorityQueue[tuple[int, int, Callable[..., Any] | None, tuple[Any, ...], Future[Any]]] = (
            queue.PriorityQueue()
        )
        self.order = itertools.count()
        self.thread = threading.Thread(target=self._run, name="moto", daemon=True)
        self.thread.start()

    def post(self, fn: Callable[..., Any] | None, *args: Any, urgent: bool = False) -> "Future[Any]":
        future: Future[Any] = Future()
        self.jobs.put((self.URGENT if urgent else self.NORMAL, next(self.order), fn, args, future))
        return future

    def call(self, fn: Callable[..., Any], *args: Any, urgent: bool = False) -> Any:
        """Run `fn(*args)` on the moto thread and wait for its result (or its exception)."""
        if threading.current_thread() is self.thread:
            return fn(*args)
        return self.post(fn, *args, urgent=urgent).result()

    def stop(self) -> None:
        self.post(None)
        self.thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            _, _, fn, args, future = self.jobs.get()
            if fn is None:
                future.set_result(None)
                return
            try:
                future.set_result(fn(*args))
            except BaseException as error:  # handed to the waiting request thread
                future.set_exception(error)
