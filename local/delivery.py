"""EventBridge's rule invoking `store_url`: each event moto routed to the rule's queue is handed to
the handler right after the miss that made it, and retried with back-off when that fails, as
Lambda's asynchronous invocation would; an undelivered event stays queued."""

import queue
import threading
import time
from types import ModuleType

from local import emulation
from local.console import log_line, say
from local.moto_thread import MotoThread
from local.runtime import LambdaContext

Envelope = tuple[dict[str, object], str]


class EventDelivery:
    def __init__(self, moto: MotoThread, resources: emulation.Resources, store_url: ModuleType) -> None:
        self.moto, self.resources, self.store_url = moto, resources, store_url
        self.stopping = threading.Event()
        self.retries: queue.Queue[Envelope] = queue.Queue()
        self.worker = threading.Thread(target=self._retry_events, name="store_url", daemon=True)

    def deliver_pending(self) -> int:
        """On the moto thread: hand each delivered envelope to store_url once (a failure goes to the
        retrier); how many there were."""
        envelopes = emulation.receive_envelopes(self.resources.queue_url)
        for envelope, receipt in envelopes:
            if not self._deliver_once(envelope, receipt, "-"):
                self.retries.put((envelope, receipt))
        return len(envelopes)

    def _deliver_once(self, envelope: dict[str, object], receipt: str, attempt: str) -> bool:
        start = time.perf_counter()
        try:
            result = self.store_url.handler(envelope, LambdaContext(function_name="store_url"))
            emulation.delete_envelope(self.resources.queue_url, receipt)
        except Exception as error:
            log_line("EVENT", "qr_code -> store_url", f"failed ({type(error).__name__})", attempt, start)
            return False
        outcome = "stored" if result.get("stored") else f"not stored ({result.get('reason', 'newer kept')})"
        log_line("EVENT", "qr_code -> store_url", outcome, attempt, start)
        return True

    def _retry_events(self) -> None:
        """Retry failed deliveries with back-off; every second, also pick up events visible again in the queue."""
        while not self.stopping.is_set():
            try:
                envelope, receipt = self.retries.get(timeout=1.0)
            except queue.Empty:
                self.moto.call(self.deliver_pending, urgent=True)
                continue
            self.deliver(envelope, receipt)

    def deliver(self, envelope: dict[str, object], receipt: str, attempts: int = 3) -> None:
        """Like the rule's target: retry a failing store_url; an undelivered event stays queued."""
        for attempt in range(1, attempts + 1):
            if self.moto.call(self._deliver_once, envelope, receipt, f"try {attempt}", urgent=True):
                return
            self.stopping.wait(0.2 * attempt)
        say("        the event stays queued and is retried when it becomes visible again")

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.worker.is_alive():
            self.worker.join(timeout=5)
