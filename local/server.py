"""`make run`: the whole service on 127.0.0.1, with moto in place of AWS and the handlers unmodified.

Requests to /qr become API Gateway proxy events for `create_qr`; events it puts on the bus go
through moto's EventBridge rule to an SQS queue and are handed to `store_url`, as the rule's
Lambda target would: right after the miss that made them, and again by a worker thread when that
fails. Images are served from the emulated bucket.
"""

import argparse
import itertools
import json
import mimetypes
import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import Future
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from stacks.page_policy import content_security_policy

ROOT = Path(__file__).resolve().parent.parent
WEBSITE = ROOT / "website"
MAX_BODY = 1024 * 1024
_print_lock = threading.Lock()
STATIC = {
    "/": "index.html",
    "/index.html": "index.html",
    "/app.js": "app.js",
    "/style.css": "style.css",
    "/favicon.svg": "favicon.svg",
}


class MotoThread:
    """The one thread that calls into moto (which is not thread-safe), taking jobs in order of arrival.

    Urgent jobs (event deliveries) go before waiting requests, so a mapping is stored right after
    the miss that announced it and the requests behind that miss are hits. Requests among
    themselves are first come, first served.
    """

    URGENT, NORMAL = 0, 1

    def __init__(self):
        self.jobs: queue.PriorityQueue = queue.PriorityQueue()
        self.order = itertools.count()
        self.thread = threading.Thread(target=self._run, name="moto", daemon=True)
        self.thread.start()

    def post(self, fn, *args, urgent: bool = False) -> Future:
        future: Future = Future()
        self.jobs.put((self.URGENT if urgent else self.NORMAL, next(self.order), fn, args, future))
        return future

    def call(self, fn, *args, urgent: bool = False):
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


class LocalService:
    """moto, the resources, the handlers and the event worker; every moto call runs on one MotoThread."""

    def __init__(self, port: int):
        sys.path.insert(0, str(ROOT / "lambda"))
        origin = f"http://127.0.0.1:{port}"
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_REGION": "us-east-1",
                "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
                "POWERTOOLS_METRICS_DISABLED": "true",
            }
        )
        from moto import mock_aws

        from local import emulation

        self.mock = mock_aws()
        self.mock.start()
        self.moto = MotoThread()
        self.resources = self.moto.call(emulation.create)
        os.environ.update(self.resources.environment(origin, f"{origin},http://localhost:{port}"))
        self.api_url = origin
        # The deployed page's CSP, from the same definition; the page may be opened as localhost too.
        self.page_headers = {
            "Content-Security-Policy": content_security_policy(api_origin=origin, image_origin=origin),
            "X-Content-Type-Options": "nosniff",
        }
        self.stopping = threading.Event()
        self.retries: queue.Queue = queue.Queue()
        import create_qr
        import store_url

        self.create_qr, self.store_url = create_qr, store_url
        self.worker = threading.Thread(target=self._retry_events, name="store_url", daemon=True)

    def invoke_api(self, event: dict) -> tuple[dict, str]:
        """create_qr's proxy response, and whether it was a cache "hit", a "miss" or neither ("-")."""
        return self.moto.call(self._api, event)

    def _api(self, event: dict) -> tuple[dict, str]:
        """On the moto thread: create_qr, then, before any other request, the event a miss put on the bus."""
        from local.runtime import LambdaContext

        response = self.create_qr.handler(event, LambdaContext(function_name="create_qr"))
        outcome = "-"
        if response["statusCode"] in (200, 302):
            outcome = "hit" if json.loads(response["body"])["cached"] else "miss"
        if outcome == "miss":
            self.moto.post(self._deliver_pending, urgent=True)
        return response, outcome

    def image(self, key: str) -> tuple[bytes, str] | None:
        return self.moto.call(self._read_image, key)

    def _read_image(self, key: str) -> tuple[bytes, str] | None:
        from qr_service.aws import client

        s3 = client("s3")
        try:
            obj = s3.get_object(Bucket=self.resources.bucket, Key=key)
        except s3.exceptions.NoSuchKey:
            return None
        return obj["Body"].read(), obj["ContentType"]

    def _deliver_pending(self) -> None:
        """On the moto thread: hand each delivered envelope to store_url once; a failure goes to the retrier."""
        from local import emulation

        for envelope, receipt in emulation.receive_envelopes(self.resources.queue_url):
            if not self._deliver_once(envelope, receipt, "-"):
                self.retries.put((envelope, receipt))

    def _deliver_once(self, envelope: dict, receipt: str, attempt: str) -> bool:
        from local import emulation
        from local.runtime import LambdaContext

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
                self.moto.call(self._deliver_pending, urgent=True)
                continue
            self._deliver(envelope, receipt)

    def _deliver(self, envelope: dict, receipt: str, attempts: int = 3) -> None:
        """Like the rule's target: retry a failing store_url; an undelivered event stays queued."""
        for attempt in range(1, attempts + 1):
            if self.moto.call(self._deliver_once, envelope, receipt, f"try {attempt}", urgent=True):
                return
            self.stopping.wait(0.2 * attempt)
        with _print_lock:
            print("        the event stays queued and is retried when it becomes visible again", flush=True)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.stopping.set()
        self.worker.join(timeout=5)
        self.moto.stop()
        self.mock.stop()


def log_line(method: str, path: str, status, cache: str, start: float) -> None:
    elapsed = (time.perf_counter() - start) * 1000
    with _print_lock:  # request threads and the event worker share the terminal
        print(f"{method:7s} {path[:60]:60s} {status!s:>6} {cache:6s} {elapsed:7.1f} ms", flush=True)


class Server(ThreadingHTTPServer):
    """A thread per connection; a listen backlog deep enough for a burst of clients (the default is 5)."""

    request_queue_size = 128
    daemon_threads = True


API_METHODS = ("GET", "POST", "OPTIONS")
READ_METHODS = ("GET", "HEAD")


class Handler(BaseHTTPRequestHandler):
    server_version = "qr-code-generator-local"
    service: LocalService

    def __getattr__(self, name: str):
        """Every method (PUT, DELETE, TRACE, anything) is routed, so each gets a JSON answer, not a 501 page."""
        if name.startswith("do_"):
            return self._route
        raise AttributeError(name)

    def _route(self) -> None:
        start = time.perf_counter()
        self._body_read = False
        parts = urlsplit(self.path)
        status, cache = self._dispatch(parts.path, parts.query)
        log_line(self.command, self.path, status, cache, start)

    def _dispatch(self, path: str, query: str) -> tuple[int, str]:
        if path == "/qr":
            if self.command not in API_METHODS:
                message = f"{self.command} is not allowed on /qr: use POST, or GET with ?url=."
                return self._error(405, message, API_METHODS), "-"
            return self._api(path, query)
        if not (path.startswith("/qr/") or path in ("/config.json", "/openapi.json", *STATIC)):
            return self._error(404, "Not found: the page is at /, the API at /qr."), "-"
        if self.command not in READ_METHODS:
            message = f"{self.command} is not allowed here: this is a file, read it with GET."
            return self._error(405, message, READ_METHODS), "-"
        if path.startswith("/qr/"):
            found = self.service.image(path[1:])
            if found is None:
                return self._error(404, "No such image: it may have expired; request the code again."), "-"
            body, content_type = found
            return self._send(200, {"Content-Type": content_type, "Cache-Control": "public, max-age=3600"}, body), "-"
        if path == "/config.json":
            config = json.dumps({"apiUrl": self.service.api_url}).encode()
            return self._send(200, {"Content-Type": "application/json", "Cache-Control": "no-store"}, config), "-"
        if path == "/openapi.json":
            contract = json.loads((WEBSITE / "openapi.json").read_text(encoding="utf-8"))
            contract["servers"] = [{"url": self.service.api_url, "description": "make run"}]
            return self._send(200, {"Content-Type": "application/json"}, json.dumps(contract).encode()), "-"
        file = WEBSITE / STATIC[path]
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        headers = {"Content-Type": f"{content_type}; charset=utf-8", **self.service.page_headers}
        return self._send(200, headers, file.read_bytes()), "-"

    def _error(self, status: int, message: str, allow: tuple[str, ...] = ()) -> int:
        """A JSON error with CORS, as the deployed API's gateway responses give (the first allowed origin)."""
        headers = {
            "Content-Type": "application/json",
            "Cache-Control": "no-store",
            "Access-Control-Allow-Origin": self.service.api_url,
        }
        if allow:
            headers["Allow"] = ", ".join(allow)
        if not self._body_read:
            self._discard(self._content_length() or 0)
        return self._send(status, headers, json.dumps({"message": message}).encode())

    def _api(self, path: str, query: str) -> tuple[int, str]:
        from local.apigw import proxy_event, response_headers

        length = self._content_length()
        self._body_read = True
        if length is None:
            return self._error(400, "Content-Length must be a whole number of bytes."), "-"
        if length > MAX_BODY:
            self._discard(length)
            return self._error(413, f"Request body too large: the limit is {MAX_BODY} bytes."), "-"
        body = self.rfile.read(length) if length else None
        headers = {name: value for name, value in self.headers.items()}
        event = proxy_event(self.command, path, query=query, body=body, headers=headers)
        response, cache = self.service.invoke_api(event)
        payload = (response.get("body") or "").encode("utf-8")
        return self._send(response["statusCode"], response_headers(response), payload), cache

    def _content_length(self) -> int | None:
        """The request's Content-Length (0 when absent), or None when it is not a whole number."""
        raw = self.headers.get("Content-Length") or "0"
        return int(raw) if raw.strip().isdigit() else None

    def _discard(self, length: int, limit: int = 32 * MAX_BODY) -> None:
        """Read a refused body (up to a bound) so the client sees the 413 instead of a reset connection."""
        remaining = min(length, limit)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)

    def _send(self, status: int, headers: dict, body: bytes) -> int:
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return status

    def log_message(self, format, *args):
        """One line per request is printed by `log_line`; the default access log is silenced."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")), help="0 picks a free port")
    args = parser.parse_args(argv)
    # Ctrl-C and `kill` both stop cleanly, even when started in the background (where SIGINT is ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server = Server(("127.0.0.1", args.port), Handler)
    except OSError as error:
        sys.exit(f"Cannot listen on 127.0.0.1:{args.port} ({error.strerror}); try another port: PORT=8001 make run")
    port = server.server_address[1]
    service = LocalService(port)
    Handler.service = service
    service.start()
    print(f"QR code generator running at http://127.0.0.1:{port}/ (AWS emulated by moto; Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopping.", flush=True)
    finally:
        server.server_close()
        service.stop()


if __name__ == "__main__":
    main()
