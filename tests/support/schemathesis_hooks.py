"""schemathesis hooks (SCHEMATHESIS_HOOKS=schemathesis_hooks): the rules between fields that a schema cannot express.

A request can match website/openapi.json and still be refused with a 400 for a documented reason:
a url too long for its error-correction level, colours too alike to scan (or a fill too light for a
transparent background, or lighter than its background), a PNG too wide, a box too small for
rounded modules or dots, a logo that is not a small readable PNG or JPEG, or a logo with an
error-correction level below H. The limits come from the request's definition (qr_service.fields).
`documented_rules` stands in for schemathesis' positive_data_acceptance and judges each refusal of
a schema-valid request: such a 400 passes only when the request really breaks one of these rules,
worked out here from the request's fields rather than taken from the answer, and the answer's
`code` is that rule's. Any other refusal fails the run.

Random colour pairs are mostly too alike, and random base64 is never an image, which would hide
every other option behind those two rules; `map_body`/`map_query` make half of those pairs readable
and put a real logo in half of the requests with one (chosen by the url, so a run repeats), and the
other half keep testing the rules.
"""

import base64
import binascii
import io
import re
import zlib

import schemathesis

from qr_service import fields as F
from qr_service import symbol
from qr_service.request import contrast_ratio, luminance

COLOR = re.compile(F.COLOR_PATTERN)
DEFAULTS = {name: spec.default for name, spec in F.FIELDS.items() if spec.default is not None}


def _sample_logo() -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (48, 48), (30, 90, 200)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


SAMPLE_LOGO = _sample_logo()


def _png_side(url: str, level: str, border: int, box_size: int) -> int:
    """segno's version for the link (an independent encoder, with the UTF-8 designator a non-ASCII link gets)."""
    import segno

    version = segno.make(
        url, error=level, mode="byte", eci=not url.isascii(), encoding="utf-8", boost_error=False, micro=False
    ).version
    return (17 + 4 * version + 2 * border) * box_size


def _contrast(fields: dict) -> float:
    fill, back = fields.get("fill_color", DEFAULTS["fill_color"]), fields.get("back_color", DEFAULTS["back_color"])
    if back.lower() == F.TRANSPARENT:
        back = F.CONTRAST_REFERENCE  # the code must scan on a white page
    return contrast_ratio(fill, back)


def _logo_problem(encoded: str) -> set[str]:
    """The codes an unusable logo may be answered with; empty for a small readable PNG or JPEG."""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return {"logo.base64"}
    if len(data) > F.MAX_LOGO_BYTES:
        return {"logo.bytes"}
    if not data.startswith(tuple(F.LOGO_TYPES)):
        return {"logo.image_type"}
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if max(image.size) > F.MAX_LOGO_SIDE:
                return {"logo.dimensions", "logo.pixels"}
            image.load()
    except Exception:  # any reason Pillow cannot read it is the documented "not readable"
        return {"logo.unreadable", "logo.dimensions", "logo.pixels"}
    return set()


def broken_rules(fields: dict) -> set[str]:
    """The codes of each documented rule a schema-valid request breaks, worked out here from the definition."""
    options = {**DEFAULTS, **fields}
    url, level = options["url"], str(options["error_correction"]).upper()
    broken = set()
    if "content" in fields:  # beside a url: refused before anything else is looked at
        return {"content.with_url"}
    if "logo" in fields:
        broken |= _logo_problem(fields["logo"])
        if "error_correction" in fields and level != F.LOGO_LEVEL:
            broken.add("error_correction.logo")
        level = F.LOGO_LEVEL
    if len(url.encode("utf-8")) > symbol.capacity_bytes(level, url.isascii()):
        broken.add("url.capacity")
    if _contrast(options) < F.MIN_CONTRAST:
        broken |= {"colors.contrast", "colors.transparent_contrast"}
    back = str(options["back_color"])
    fill = options["fill_color"]
    if back.lower() != F.TRANSPARENT and luminance(fill) > luminance(back):
        broken.add("colors.inverted")
    eye = fields.get("eye_color")
    if isinstance(eye, str) and COLOR.fullmatch(eye):
        against = F.CONTRAST_REFERENCE if back.lower() == F.TRANSPARENT else back
        if contrast_ratio(eye, against) < F.MIN_CONTRAST:
            broken |= {"colors.eye_contrast", "colors.eye_transparent_contrast"}
        if back.lower() != F.TRANSPARENT and luminance(eye) > luminance(back):
            broken.add("colors.eye_inverted")
    caption = fields.get("caption")
    if isinstance(caption, str) and not caption.isprintable():
        broken.add("caption.printable")
    minimum = F.min_box(str(options["module_style"]).lower(), str(options.get("eye_style", "square")).lower())[0]
    if "size" in fields and "box_size" in fields:
        broken.add("size.with_box_size")
    fits = "url.capacity" not in broken
    if "size" in fields:
        if fits and int(fields["size"]) // _png_side(url, level, int(options["border"]), 1) < minimum:
            broken.add("size.too_small")
    elif int(options["box_size"]) < minimum:
        broken.add("box_size.style_minimum")
    elif fits and str(options["format"]).lower() == "png":
        side = _png_side(url, level, int(options["border"]), int(options["box_size"]))
        if side > F.MAX_PNG_SIDE:
            broken.add("box_size.image_size")
    return broken


def _readable_half(fields):
    """In every other request, make a too-alike colour pair black on white and a logo a real image.

    Which half: a checksum of the url, so a run with the same seed repeats.
    """
    if not isinstance(fields, dict) or not isinstance(fields.get("url"), str):
        return fields
    if zlib.crc32(fields["url"].encode("utf-8", "surrogatepass")) % 2:
        return fields
    steered = dict(fields)
    if isinstance(steered.get("logo"), str):
        steered["logo"] = SAMPLE_LOGO
    steered.pop("eye_color", None)  # the other half keeps testing its rules
    colours = [steered[name] for name in ("fill_color", "back_color") if name in steered]
    drawable = all(isinstance(c, str) and (COLOR.fullmatch(c) or c.lower() == F.TRANSPARENT) for c in colours)
    if drawable and _contrast(steered) < F.MIN_CONTRAST:
        steered["fill_color"] = DEFAULTS["fill_color"]
        if str(steered.get("back_color", "")).lower() != F.TRANSPARENT:
            steered["back_color"] = DEFAULTS["back_color"]
    return steered


@schemathesis.hook
def map_body(ctx, body):
    if isinstance(body, dict) and isinstance(body.get("items"), list) and len(body["items"]) > 3:
        body = {**body, "items": body["items"][:3]}  # a batch: three items tell what a hundred would, faster
    return _readable_half(body)


@schemathesis.hook
def map_query(ctx, query):
    return _readable_half(query)


@schemathesis.check
def documented_rules(ctx, response, case):
    """Schema-valid requests are accepted, unless they break a rule the README documents (then a 400)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return None
    if response.status_code == 429 or response.status_code >= 500:
        return None  # throttling is not a verdict on the request; not_a_server_error judges 5xx
    fields = case.body if case.method.upper() == "POST" else case.query
    if not isinstance(fields, dict) or not isinstance(fields.get("url"), str):
        return None  # not a request object this rule set can judge; other checks look at it
    broken = broken_rules(fields)
    if case.method.upper() == "HEAD" and response.status_code == 400 and broken:
        return True  # a HEAD answer has no body to name the rule; GET, with the same query, is judged in full
    try:
        code = response.json().get("code")
    except ValueError:
        code = None
    if response.status_code == 400 and code in broken:
        return True
    raise AssertionError(
        f"A schema-valid request was refused with {response.status_code} ({response.text[:300]}); "
        f"the documented rules it breaks: {', '.join(sorted(broken)) or 'none'}"
    )
