"""A batch of codes, the parts that need no AWS: the request's shape (1 to MAX_ITEMS items and a shared style),
each item's fields and size bound, the files' names in the ZIP, its manifest, and the ZIP itself (the same bytes
for the same images, so its key can be their digest). service.make_batch runs it.

A manifest names a content item's type only, never its text: a Wi-Fi password must not reach the bucket in the
clear.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from qr_service import fields as F
from qr_service import symbol
from qr_service.errors import BATCH_IMAGE_SIZE as IMAGE_SIZE
from qr_service.errors import BATCH_ITEM as ITEM
from qr_service.errors import BATCH_ITEMS as ITEMS
from qr_service.errors import BATCH_NAME as NAME
from qr_service.request import QrRequest, parse_field

MAX_ITEMS = 100
# The largest image a batch item may be, in pixels, so that 100 items of the heaviest style fit create_qr's
# timeout: bench/content.py measures them (at 4000 px they take 60 s on a laptop core).
MAX_SIDE = 600
MAX_BODY_BYTES = 256 * 1024  # 100 items with a logo each still fit; API Gateway takes 10 MiB
ITEMS_FIELD = "items"
NAME_FIELD = "name"
# What every item shares unless it says otherwise: the style, not what to encode or how to answer.
SHARED_FIELDS = tuple(name for name in F.FIELDS if name not in ("url", "content", "inline", "preview"))
ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # every entry's date: the same images make the same ZIP
MANIFEST = "manifest.csv"


@dataclass(frozen=True)
class Row:
    """One item's line in the manifest."""

    index: int
    name: str
    file: str  # empty when the item was not made
    kind: str  # "link" or the content's type
    url: str  # the link; empty for content
    qr_code_url: str
    error: str  # the error's code, when the item was not made


def parse(fields: dict[str, object]) -> tuple[dict[str, object], list[object]]:
    """(the shared style, the items as sent); each item is checked on its own later, so one bad item fails alone."""
    items = fields.get(ITEMS_FIELD)
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise ITEMS.error(ITEMS_FIELD, maximum=MAX_ITEMS)
    unknown = sorted(set(fields) - {ITEMS_FIELD, *SHARED_FIELDS})
    if unknown:
        raise F.UNKNOWN_FIELDS.error(fields=", ".join(unknown), allowed=", ".join((ITEMS_FIELD, *SHARED_FIELDS)))
    shared = {name: value for name, value in fields.items() if name != ITEMS_FIELD}
    for name in shared:  # each shared field on its own, once: a bad one fails the whole batch
        parse_field(name, shared)
    return shared, items


def item_fields(shared: dict[str, object], index: int, item: object) -> tuple[str | None, dict[str, object]]:
    """(its name, the /qr fields it stands for: the shared style, then its own). RequestError for a bad item."""
    if not isinstance(item, dict):
        raise ITEM.error(ITEMS_FIELD, index=index)
    name = item.get(NAME_FIELD)
    if name is not None and (not isinstance(name, str) or len(name) > 100):
        raise NAME.error(NAME_FIELD)
    own = {key: value for key, value in item.items() if key != NAME_FIELD}
    return name, {**shared, **own}


def check_side(req: QrRequest) -> None:
    """The item's image is at most MAX_SIDE pixels wide (its caption's band aside)."""
    version = symbol.version(len(req.url.encode("utf-8")), req.error_correction, req.url.isascii()) or 40  # fits
    pixels = req.size if req.size is not None else (17 + 4 * version + 2 * req.border) * req.box_size
    if pixels > MAX_SIDE:
        raise IMAGE_SIZE.error("size" if req.size is not None else "box_size", pixels=pixels, limit=MAX_SIDE)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")[:60]


def base_name(name: str | None, url: str | None, kind: str) -> str:
    """A file's name without extension: the item's own name, else its link's host and path, else its type."""
    if name and _safe(name):
        return _safe(name)
    if url:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        return _safe(f"{parts.hostname or ''}{parts.path}") or kind
    return kind


def unique_names(bases: list[tuple[str, str]]) -> list[str]:
    """(base, extension) to `menu.png`, `menu-2.png`: never two files of one name, and never the manifest's."""
    seen: set[str] = {MANIFEST}
    names = []
    for base, extension in bases:
        candidate, count = f"{base}.{extension}", 1
        while candidate.lower() in seen:
            count += 1
            candidate = f"{base}-{count}.{extension}"
        seen.add(candidate.lower())
        names.append(candidate)
    return names


def manifest(rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["index", "name", "file", "type", "url", "qr_code_url", "error"])
    for row in rows:
        writer.writerow([row.index, row.name, row.file, row.kind, row.url, row.qr_code_url, row.error])
    return out.getvalue().encode("utf-8")


def zip_of(files: list[tuple[str, bytes]], rows: list[Row]) -> bytes:
    """The images and the manifest, deflated, each entry dated ZIP_TIME: the same images, the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*files, (MANIFEST, manifest(rows))]:
            archive.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
