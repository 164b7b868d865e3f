"""`make smoke`: prove a running service end to end, deployed (`STACK=` or `SITE=`) or local (`make run`).

From the page's URL it finds the API through config.json, as the page does, then makes a code,
scans it, waits for the cache, fetches the image with GET as an <img> would, checks a bad request, a
refused method (the gateway's own 405) and a missing image (the distribution's 404). Against a deployment
with qr.access "key", it first checks that a request without a key is refused, then sends QR_API_KEY's key
(`QR_API_KEY=... make smoke`) with every API request. One line a step; the first failure stops it with exit
status 1.
"""

import argparse
import base64
import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import uuid
import zipfile
from collections.abc import Callable
from email.message import Message
from typing import Any, TextIO

from tools import probe


class SmokeFailure(Exception):
    """A step did not see what a working service gives."""


def http(
    method: str, url: str, body: dict[str, object] | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Message, bytes]:
    """(status, headers, body) without following redirects; a JSON body when given one."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
    sent = {**(headers or {}), **({"Content-Type": "application/json"} if data is not None else {})}
    try:
        return probe.http(method, url, data, sent)
    except (urllib.error.URLError, OSError) as error:
        raise SmokeFailure(f"{method} {url} failed: {getattr(error, 'reason', error)}") from None


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def json_body(raw: bytes, what: str) -> dict[str, Any]:
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise SmokeFailure(f"{what} is not JSON: {raw[:200]!r}") from None
    if not isinstance(parsed, dict):
        raise SmokeFailure(f"{what} is not a JSON object: {raw[:200]!r}")
    return parsed


class Smoke:
    def __init__(self, site: str, wait_seconds: float, api_key: str | None = None):
        self.site = site if site.endswith("/") else site + "/"
        parts = urllib.parse.urlsplit(self.site)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.wait_seconds = wait_seconds
        self.url = f"https://smoke.example/grüße/{uuid.uuid4().hex[:12]}?q=✓"
        self.endpoint = ""
        self.created: dict[str, Any] = {}
        self.image = b""
        self.api_key = api_key
        self.key_required = False
        self.hosts_limited = False

    def _api(self, method: str, url: str, body: dict[str, object] | None = None) -> tuple[int, Message, bytes]:
        """A request to the API, with the key when there is one."""
        headers = {"Origin": self.origin, **({"X-API-Key": self.api_key} if self.api_key else {})}
        return http(method, url, body, headers)

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("page", self.page),
            ("access", self.access),
            ("create", self.create),
            ("scan", self.scan),
            ("cache", self.cache),
            ("embed", self.embed),
            ("content", self.content),
            ("batch", self.batch),
            ("bad request", self.bad_request),
            ("method", self.method),
            ("expired", self.expired),
            ("dynamic code", self.dynamic_code),
        ]

    def page(self) -> str:
        status, headers, body = http("GET", self.site)
        expect(status == 200, f"the page answered {status}")
        expect(headers.get("content-type", "").startswith("text/html"), f"the page is {headers.get('content-type')}")
        expect(b"<form" in body, "the page has no form")
        csp = headers.get("content-security-policy", "")
        expect("frame-ancestors 'none'" in csp, f"the page's Content-Security-Policy is missing or loose: {csp!r}")
        status, _, raw = http("GET", urllib.parse.urljoin(self.site, "config.json"))
        expect(status == 200, f"config.json answered {status}")
        config = json_body(raw, "config.json")
        api = config.get("apiUrl")
        self.key_required = config.get("access") == "key"
        self.hosts_limited = bool(config.get("allowedHosts"))
        expect(isinstance(api, str) and api.startswith(("https://", "http://")), f"config.json apiUrl is {api!r}")
        self.endpoint = urllib.parse.urljoin(self.site, api).rstrip("/") + "/qr"
        return f"{self.site} (API {self.endpoint})"

    def access(self) -> str:
        """Public: nothing to check. With a key required: a request without one is the contract's 401."""
        if not self.key_required:
            return "public: no key needed"
        expect(bool(self.api_key), "this deployment needs an API key: QR_API_KEY=<key> make smoke ...")
        status, _, raw = http("POST", self.endpoint, {"url": self.url}, {"Origin": self.origin})
        payload = json_body(raw, f"the answer to POST {self.endpoint} without a key ({status})")
        expect((status, payload.get("code")) == (401, "auth.missing"), f"without a key: {status} {payload}")
        return "a key is needed (401 auth.missing without one); sending QR_API_KEY's"

    def _post(self, body: dict[str, object]) -> tuple[int, Message, dict[str, Any]]:
        status, headers, raw = self._api("POST", self.endpoint, body)
        return status, headers, json_body(raw, f"the answer to POST {self.endpoint} ({status})")

    def create(self) -> str:
        status, headers, payload = self._post({"url": self.url})
        expect(status == 200, f"POST answered {status}: {payload.get('message')}")
        expect(isinstance(payload.get("qr_code_url"), str), f"no qr_code_url in {payload}")
        expect(payload.get("cached") is False, f"a new URL should be a miss, got cached={payload.get('cached')}")
        expect(payload.get("verified") is True, f"the answer is not verified: {payload}")
        expect(headers.get("access-control-allow-origin") == self.origin, "the answer does not allow the page's origin")
        self.created = payload
        return str(payload["qr_code_url"])

    def content(self) -> str:
        """A Wi-Fi code, as a preview (nothing stored): its answer's text is the standard one, and its image reads
        back to it. Where allowed_hosts limits links, content is the contract's 400 instead."""
        secret = uuid.uuid4().hex[:12]
        wifi = {"type": "wifi", "ssid": "Smoke; test", "password": secret}
        status, _, payload = self._post({"content": wifi, "preview": True})
        if self.hosts_limited:
            expect((status, payload.get("code")) == (400, "content.not_allowed"), f"content: {status} {payload}")
            return "allowed_hosts is set: content is refused (400 content.not_allowed)"
        expect(status == 200, f"POST with content answered {status}: {payload.get('message')}")
        text = f"WIFI:T:WPA;S:Smoke\\; test;P:{secret};;"
        expect(payload.get("text") == text, f"the Wi-Fi text is {payload.get('text')!r}, not {text!r}")
        image = base64.b64decode(str(payload.get("data_uri", ",")).split(",", 1)[1])
        decoded = probe.decode(image)
        expect(decoded == [text], f"the Wi-Fi code decodes to {decoded}")
        return f"a Wi-Fi code reads back to {text.replace(secret, '<password>')}"

    def batch(self) -> str:
        """POST /qr/batch reaches the API through the distribution (its behaviour comes before the images' qr/*),
        answers each item, and its ZIP is served like an image."""
        items = [{"url": self.url, "name": "smoke"}, {"url": "ftp://smoke.example"}]
        status, _, raw = self._api("POST", f"{self.endpoint}/batch", {"items": items})
        payload = json_body(raw, f"the answer to POST {self.endpoint}/batch ({status})")
        expect(status == 200, f"POST /qr/batch answered {status}: {payload.get('message')}")
        codes = [r.get("error", {}).get("code") for r in payload.get("results", [])]
        expect(codes == [None, "url.scheme"], f"the batch's items were answered {codes}")
        status, headers, archive = http("GET", str(payload.get("zip_url")))
        expect(status == 200, f"the batch's ZIP answered {status}")
        expect(headers.get("content-type") == "application/zip", f"the ZIP is {headers.get('content-type')}")
        names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
        expect(names == ["smoke.png", "manifest.csv"], f"the ZIP holds {names}")
        return f"1 of 2 made, the other refused (url.scheme); the ZIP holds {', '.join(names)}"

    def scan(self) -> str:
        status, headers, self.image = http("GET", self.created["qr_code_url"])
        expect(status == 200, f"the image answered {status}")
        expect(headers.get("content-type") == "image/png", f"the image is {headers.get('content-type')}")
        image_csp = headers.get("content-security-policy", "")
        expect("default-src 'none'" in image_csp, f"the image's Content-Security-Policy is missing: {image_csp!r}")
        decoded = probe.decode(self.image)
        expect(decoded == [self.url], f"the code decodes to {decoded}, not [{self.url!r}]")
        return f"{len(self.image)} bytes, decodes to {self.url}"

    def cache(self) -> str:
        start = time.monotonic()
        while True:
            status, _, payload = self._post({"url": self.url})
            expect(status == 200, f"POST answered {status}: {payload.get('message')}")
            if payload.get("cached") is True:
                expect(payload["qr_code_url"] == self.created["qr_code_url"], "the hit names another image")
                return f"cached after {time.monotonic() - start:.1f} s"
            expect(time.monotonic() - start < self.wait_seconds, f"still not cached after {self.wait_seconds:.0f} s")
            time.sleep(0.5)

    def embed(self) -> str:
        """GET, as an <img src> does: one request, answered with the image itself."""
        query = urllib.parse.urlencode({"url": self.url})
        status, headers, image = self._api("GET", f"{self.endpoint}?{query}")
        expect(status == 200, f"GET answered {status}, not 200 with the image")
        expect(headers.get("content-type") == "image/png", f"GET answered {headers.get('content-type')}")
        expect(image == self.image, "GET answers other bytes than the stored image")
        decoded = probe.decode(image)
        expect(decoded == [self.url], f"the GET image decodes to {decoded}")
        cache_control = headers.get("cache-control", "")
        kept = "private" if self.key_required else "public"  # with keys, the edge keeps no answer a key paid for
        expect(cache_control.startswith(f"{kept}, max-age="), f"the image says Cache-Control: {cache_control!r}")
        expect(bool(headers.get("etag")), "the image has no ETag")
        status, headers, _ = self._api("GET", f"{self.endpoint}?{query}&format=svg")
        svg_csp = headers.get("content-security-policy", "")
        expect(status == 200 and "sandbox" in svg_csp, f"GET format=svg answered {status} with CSP {svg_csp!r}")
        return f"200 image/png, {len(image)} bytes, decodes; {cache_control}; the SVG carries the image CSP"

    def bad_request(self) -> str:
        status, headers, payload = self._post({"url": "ftp://smoke.example/file"})
        expect(status == 400, f"a bad url answered {status}, not 400")
        expect(bool(payload.get("message")), f"the 400 has no message: {payload}")
        # The handler's own answer, with its code and field: a gateway that checked the body itself would not say it.
        got = (payload.get("code"), payload.get("field"))
        expect(got == ("url.scheme", "url"), f"the 400 is not the handler's url.scheme answer: {payload}")
        expect(headers.get("access-control-allow-origin") == self.origin, "the 400 does not carry the CORS header")
        return f"400: {payload['message']}"

    def method(self) -> str:
        """A PUT is answered by API Gateway itself (a mock integration, deployed), in the contract's words."""
        status, headers, raw = self._api("PUT", self.endpoint)
        payload = json_body(raw, f"the answer to PUT {self.endpoint} ({status})")
        expect(status == 405, f"PUT answered {status}, not 405")
        expect(payload.get("code") == "route.method", f"the 405 is not the contract's: {payload}")
        expect("POST" in headers.get("allow", ""), f"the 405 says Allow: {headers.get('allow')!r}")
        return f"405: {payload['message']}"

    def expired(self) -> str:
        """An image that is gone (expired, here never made): the contract's JSON 404, not the bucket's 403."""
        missing = self.created["qr_code_url"].rsplit("/", 1)[0] + "/" + "0" * 64 + ".png"
        status, _, raw = http("GET", missing)
        payload = json_body(raw, f"the answer to GET {missing} ({status})")
        expect(status == 404, f"a missing image answered {status}, not 404")
        expect(payload.get("code") == "route.no_such_file", f"the 404 is not the contract's: {payload}")
        return f"404: {payload['message']}"

    def dynamic_code(self) -> str:
        """With a key: make a dynamic code, scan it, read its image, change its target, read its counts, delete it."""
        if not self.api_key:
            return "skipped: codes need a key (QR_API_KEY=<key> make smoke ...)"
        api = self.endpoint.removesuffix("/qr")
        status, _, raw = self._api("POST", f"{api}/codes", {"target": "https://smoke.example/before"})
        code = json_body(raw, f"the answer to POST {api}/codes ({status})")
        expect(status == 201, f"POST /codes answered {status}: {code.get('message')}")
        link = str(code["short_url"])
        try:
            status, headers, _ = http("GET", link)
            expect(status == 302, f"the link answered {status}, not 302")
            expect(headers.get("location") == "https://smoke.example/before", f"it sends to {headers.get('location')}")
            status, _, image = http("GET", str(code["png_url"]))
            decoded = probe.decode(image) if status == 200 else []
            expect(decoded == [link], f"the code's image answered {status} and decodes to {decoded}")
            status, _, _ = self._api("PATCH", f"{api}/codes/{code['id']}", {"target": "https://smoke.example/after"})
            expect(status == 200, f"PATCH answered {status}")
            after = http("GET", link)[1].get("location")
            expect(after == "https://smoke.example/after", f"after the edit the link sends to {after}")
            status, _, raw = self._api("GET", f"{api}/codes/{code['id']}")
            scans = json_body(raw, f"the answer to GET /codes/{code['id']}").get("scans", {})
            counted = scans.get("total", 0) + scans.get("bots", 0)
            expect(counted == 2, f"two scans were counted as {scans}")
        finally:
            status = self._api("DELETE", f"{api}/codes/{code['id']}")[0]
        expect(status == 204, f"DELETE answered {status}")
        gone = http("GET", link)[0]
        expect(gone == 410, f"a deleted code's link answered {gone}, not 410")
        return f"{link}: 302, image decodes, edit followed, 2 scans counted, deleted (410)"


def run(site: str, wait_seconds: float = 20.0, out: TextIO = sys.stdout, api_key: str | None = None) -> bool:
    smoke = Smoke(site, wait_seconds, api_key)
    for name, step in smoke.steps():
        start = time.perf_counter()
        try:
            detail = step()
        except SmokeFailure as failure:
            print(f"FAIL {name:12s} {failure}", file=out, flush=True)
            return False
        print(f"ok   {name:12s} {detail} ({(time.perf_counter() - start) * 1000:.0f} ms)", file=out, flush=True)
    print("smoke test passed", file=out, flush=True)
    return True


def site_of_stack(stack: str) -> str:
    """The SiteUrl output of a deployed stack, with the caller's AWS credentials and region."""
    import boto3

    outputs = boto3.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    for output in outputs:
        if output["OutputKey"] == "SiteUrl":
            return str(output["OutputValue"])
    raise SmokeFailure(f"stack {stack} has no SiteUrl output")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("site", nargs="?", help="the page's URL, such as https://d111.cloudfront.net/")
    where.add_argument("--stack", help="read the page's URL from this stack's SiteUrl output")
    parser.add_argument("--wait", type=float, default=20.0, help="seconds to wait for the cache (default 20)")
    args = parser.parse_args(argv)
    try:
        site = args.site or site_of_stack(args.stack)
    except SmokeFailure as failure:
        sys.exit(f"FAIL stack        {failure}")
    sys.exit(0 if run(site, args.wait, api_key=os.environ.get("QR_API_KEY") or None) else 1)


if __name__ == "__main__":
    main()
