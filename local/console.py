"""The local run's terminal: one line per request or event delivery."""

import threading
import time

_print_lock = threading.Lock()


def say(text: str) -> None:
    with _print_lock:  # request threads and the event worker share the terminal
        print(text, flush=True)


def log_line(method: str, path: str, status: object, cache: str, start: float) -> None:
    elapsed = (time.perf_counter() - start) * 1000
    say(f"{method:7s} {path[:60]:60s} {status!s:>6} {cache:6s} {elapsed:7.1f} ms")
