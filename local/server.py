"""`make run`: the whole service on 127.0.0.1, with moto in place of AWS and the handlers unmodified.

This file only wires the stand-ins together: the API's paths (/qr, /keys) go through API Gateway's
(local/gateway.py) to `create_qr` or `manage_keys`, everything else through CloudFront's (local/edge.py);
events a miss puts on the bus reach `store_url` as the rule's Lambda target would (local/delivery.py), over moto
(local/service.py, local/moto_thread.py).
"""

import argparse
import os
import re
import secrets
import signal
import sys
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from contract import LAMBDA_DIR
from contract.gateway import error_body, reaches_api, stage_path
from contract.settings import from_cdk_json
from local import edge, gateway
from local.console import log_line
from local.service import LocalService
from qr_service import errors, keys

MAX_DISCARD = 32 * 1024 * 1024
_LENGTH = re.compile(r"[0-9]{1,18}")


class Server(ThreadingHTTPServer):
    """A thread per connection; a listen backlog deep enough for a burst of clients (the default is 5)."""

    request_queue_size = 128
    daemon_threads = True


class Handler(BaseHTTPRequestHandler):
    server_version = "qr-code-generator-local"
    service: LocalService

    def __getattr__(self, name: str) -> Any:
        """Every method (PUT, DELETE, TRACE, anything) is routed, so each gets a JSON answer, not a 501 page."""
        if name.startswith("do_"):
            return self._route
        raise AttributeError(name)

    def _route(self) -> None:
        start = time.perf_counter()
        parts = urlsplit(self.path)
        answer, cache = self._dispatch(parts.path, parts.query)
        try:
            self._send(answer)
        except (BrokenPipeError, ConnectionResetError):
            log_line(self.command, self.path, "hung up", cache, start)  # the client left before the answer
            self.close_connection = True
            return
        log_line(self.command, self.path, answer.status, cache, start)

    def _dispatch(self, path: str, query: str) -> tuple[gateway.Answer, str]:
        origin = self.service.origin
        raw_length = self.headers.get("Content-Length") or "0"
        if not _LENGTH.fullmatch(raw_length.strip()):  # ASCII digits only: "²".isdigit() is true
            detail = "Content-Length must be a whole number of bytes."
            refusal = error_body(errors.GATEWAY_REFUSED, detail=detail)
            return gateway.error(400, refusal, origin), "-"
        length = int(raw_length)
        if not reaches_api(path):
            self._discard(length)
            from_bucket = edge.answer(self.service, self.command, path)
            if from_bucket.status != 404:
                return from_bucket, "-"
            # Deployed, a bucket without the object falls back to the stage (stacks/delivery.py), which answers
            # the path if it has a resource for it and its JSON 404 otherwise: so does the stand-in.
            length = 0
        path = stage_path(path)  # as the distribution's origin path makes it
        refused = gateway.refuses(path, self.command, length, origin)
        if refused:
            self._discard(length)
            return refused, "-"
        body = self.rfile.read(length) if length else None
        headers = dict(self.headers.items())
        return gateway.invoke(self.service, path, self.command, query, body, headers)

    def _discard(self, length: int) -> None:
        """Read a refused body (up to a bound) so the client sees the answer instead of a reset connection."""
        remaining = min(length, MAX_DISCARD)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)

    def _send(self, answer: gateway.Answer) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            if name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        """One line per request is printed by `log_line`; the default access log is silenced."""


def admin_key_from(environ: Mapping[str, str]) -> tuple[str, bool]:
    """QR_ADMIN_KEY when set (and whether it was), else a fresh key for this run, as the stack generates one."""
    chosen = environ.get("QR_ADMIN_KEY")
    if chosen is None:
        return secrets.token_hex(keys.ADMIN_KEY_LENGTH // 2), False
    if not keys.ADMIN_KEY.fullmatch(chosen):
        sys.exit("QR_ADMIN_KEY must be 32 to 128 letters and digits (a deployed admin key is 48 of them)")
    return chosen, True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")), help="0 picks a free port")
    parser.add_argument(
        "--cdk-json", type=Path, default=None, help="run with this file's qr settings (default cdk.json)"
    )
    args = parser.parse_args(argv)
    cdk_json = args.cdk_json or LAMBDA_DIR.parent / "cdk.json"
    try:
        settings = from_cdk_json(cdk_json)
    except (OSError, ValueError, KeyError) as error:  # unreadable, not JSON, no context, or a bad setting
        sys.exit(f"Cannot run with the qr settings of {cdk_json}: {error}")
    admin_key, chosen = admin_key_from(os.environ)
    # Ctrl-C and `kill` both stop cleanly, even when started in the background (where SIGINT is ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server = Server(("127.0.0.1", args.port), Handler)
    except OSError as error:
        sys.exit(f"Cannot listen on 127.0.0.1:{args.port} ({error.strerror}); try another port: PORT=8001 make run")
    port = server.server_address[1]
    service = LocalService(port, settings, admin_key)
    Handler.service = service
    service.start()
    print(f"Access: {settings.access} (cdk.json qr.access).", flush=True)
    if not chosen:
        print(f"Admin key for this run (X-API-Key on /keys; set QR_ADMIN_KEY to choose one): {admin_key}", flush=True)
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
