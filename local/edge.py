"""CloudFront's stand-in: the site's files (contract/site.py: the page with its headers, config.json,
the OpenAPI document naming this server) and the images from the emulated
bucket. Anything else is a JSON 404; files are read-only."""

import json
import mimetypes

from contract import gateway
from contract.headers import content_security_policy, image_headers
from contract.site import INDEX, PAGE_FILES, site_files
from local.gateway import Answer, error
from local.service import LocalService
from qr_service import errors

READ_METHODS = ("GET", "HEAD")
IMAGE_PREFIX = gateway.API_PATH + "/"


def answer(service: LocalService, method: str, path: str) -> Answer:
    origin = service.origin
    image = path.startswith(IMAGE_PREFIX)
    # An image is read from the bucket alone; the site's files are assembled (read from website/, so an
    # edit shows at once) only for a request that may be one of them.
    files = {} if image else site_files(origin, "make run", service.settings)
    name = INDEX if path == "/" else path.removeprefix("/")
    if not image and name not in files:
        return error(404, gateway.error_body(errors.NO_SUCH_FILE), origin)
    if method not in READ_METHODS:
        message = f"{method} is not allowed here: this is a file, read it with GET."
        return error(405, json.dumps({"message": message}), origin, READ_METHODS)
    if image:
        found = service.image(path[1:])
        if found is None:
            return error(404, gateway.error_body(errors.NO_SUCH_FILE), origin)
        body, stored = found
        return Answer(200, {**stored, **image_headers()}, body)
    content = files[name]
    text = content if isinstance(content, str) else json.dumps(content)
    if name not in PAGE_FILES:  # config.json and openapi.json
        headers = {"Content-Type": "application/json"}
        if name == "config.json":
            headers["Cache-Control"] = "no-store"
        return Answer(200, headers, text.encode())
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    headers = {
        "Content-Type": f"{content_type}; charset=utf-8",
        # The deployed page's CSP, from the same definition.
        "Content-Security-Policy": content_security_policy(api_origin=origin, image_origin=origin),
        "X-Content-Type-Options": "nosniff",
    }
    return Answer(200, headers, text.encode())
