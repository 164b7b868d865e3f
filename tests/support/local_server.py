"""Start `python -m local.server` on a free loopback port for a test module, and stop it."""

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

from local.emulation import ADMIN_KEY
from support import ROOT
from tools import probe


class RunningServer:
    def __init__(self, *arguments: str, admin_key: str | None = ADMIN_KEY):
        """`arguments`: more of local.server's, such as --cdk-json PATH; `admin_key`: QR_ADMIN_KEY (None: unset,
        so the server makes one)."""
        environment = {k: v for k, v in os.environ.items() if k != "QR_ADMIN_KEY"}
        if admin_key is not None:
            environment["QR_ADMIN_KEY"] = admin_key
        self.admin_key = admin_key
        self.process = subprocess.Popen(
            [sys.executable, "-m", "local.server", "--port", "0", *arguments],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._first = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        try:
            line = self._first.get(timeout=60)
        except queue.Empty:
            self.process.kill()
            raise RuntimeError("the local server did not start within 60 s:\n" + "".join(self.lines)) from None
        self.base = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)
            if "running at" in line:
                self._first.put(line)

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body bytes) without following redirects (tools/probe.py)."""
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        return probe.http(method, self.base + path, data, headers)

    def post_qr(self, body):
        status, headers, raw = self.request("POST", "/qr", body, {"Content-Type": "application/json"})
        return status, headers, json.loads(raw)

    def wait_for_hit(self, body, seconds=5.0):
        """Repeat a request until it is a cache hit (the event has flowed) or time runs out."""
        deadline = time.monotonic() + seconds
        while True:
            status, headers, payload = self.post_qr(body)
            if payload.get("cached") or time.monotonic() > deadline:
                return status, headers, payload
            time.sleep(0.05)

    def stop(self, signum=signal.SIGINT) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode
