"""schemathesis hooks (SCHEMATHESIS_HOOKS=schemathesis_hooks): the README's rules that a schema cannot express.

A request can match website/openapi.json and still be refused with a 400 for a documented reason:
a url too long for its error-correction level, colours too alike to scan (or a fill too light for a
transparent background, or lighter than its background), a PNG over 4000 px, a box too small for
rounded modules or dots, a logo that is not a small readable PNG or JPEG, or a logo with an
error-correction level below H.
`documented_rules` stands in for schemathesis' positive_data_acceptance and judges each refusal of
a schema-valid request: such a 400 passes only when the request really breaks one of these rules,
worked out here independently of the handler, and the answer names that rule. Any other refusal
fails the run.

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

CAPACITY_BYTES = {"L": 2953, "M": 2331, "Q": 1663, "H": 1273}  # QR version 40, byte mode (ISO/IEC 18004)
MIN_CONTRAST = 3.0
MAX_PNG_SIDE = 4000
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULTS = {"format": "png", "box_size": 10, "border": 4, "error_correction": "M", "module_style": "square"}
MIN_BOX_SIZE = {"square": 1, "rounded": 2, "dots": 5}
MAX_LOGO_BYTES = 8192
MAX_LOGO_SIDE = 1024
TRANSPARENT = "transparent"


def _sample_logo() -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (48, 48), (30, 90, 200)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


SAMPLE_LOGO = _sample_logo()


def _relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    channels = []
    for start in (1, 3, 5):
        value = int(color[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _png_side(url: str, level: str, border: int, box_size: int) -> int:
    import qrcode

    levels = {"L": qrcode.ERROR_CORRECT_L, "M": qrcode.ERROR_CORRECT_M, "Q": qrcode.ERROR_CORRECT_Q}
    code = qrcode.QRCode(error_correction=levels.get(level, qrcode.ERROR_CORRECT_H), border=border)
    code.add_data(qrcode.util.QRData(url.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE))
    code.make(fit=True)
    return (17 + 4 * code.version + 2 * border) * box_size


def _contrast(fields: dict) -> float:
    fill, back = fields.get("fill_color", "#000000"), fields.get("back_color", "#ffffff")
    if back.lower() == TRANSPARENT:
        back = "#ffffff"  # the code must scan on a white page
    dark, light = sorted((_relative_luminance(fill), _relative_luminance(back)))
    return (light + 0.05) / (dark + 0.05)


def _logo_problem(encoded: str) -> tuple[str, ...] | None:
    """Words the answer must use when the logo is unusable, or None for a small readable PNG or JPEG."""
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return ("not valid base64",)
    if len(data) > MAX_LOGO_BYTES:
        return (f"the limit is {MAX_LOGO_BYTES}",)
    if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return ("must be a PNG or JPEG",)
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if max(image.size) > MAX_LOGO_SIDE:
                return ("pixels", "more pixels than")
            image.load()
    except Exception:  # any reason Pillow cannot read it is the documented "not readable"
        return ("not a readable", "pixels", "more pixels than")
    return None


def broken_rules(fields: dict) -> dict[str, tuple[str, ...]]:
    """Each README rule a schema-valid request breaks, with the words the service's answer may use for it."""
    options = {**DEFAULTS, **fields}
    url, level = options["url"], str(options["error_correction"]).upper()
    broken = {}
    if "logo" in fields:
        problem = _logo_problem(fields["logo"])
        if problem:
            broken["logo"] = problem
        if "error_correction" in fields and level != "H":
            broken["logo level"] = ("must be H",)
        level = "H"
    if len(url.encode("utf-8")) > CAPACITY_BYTES[level]:
        broken["capacity"] = (f"holds at most {CAPACITY_BYTES[level]}",)
    if _contrast(options) < MIN_CONTRAST:
        broken["contrast"] = ("too alike to scan", "too light for a transparent")
    back = str(options.get("back_color", "#ffffff"))
    fill = options.get("fill_color", "#000000")
    if back.lower() != TRANSPARENT and _relative_luminance(fill) > _relative_luminance(back):
        broken["inverted"] = ("must be darker than back_color",)
    style = str(options["module_style"]).lower()
    if int(options["box_size"]) < MIN_BOX_SIZE[style]:
        broken["style size"] = (f"at least {MIN_BOX_SIZE[style]} pixels per module",)
    fits = "capacity" not in broken
    if fits and str(options["format"]).lower() == "png":
        side = _png_side(url, level, int(options["border"]), int(options["box_size"]))
        if side > MAX_PNG_SIDE:
            broken["png size"] = (f"the limit is {MAX_PNG_SIDE}",)
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
    colours = [steered[name] for name in ("fill_color", "back_color") if name in steered]
    drawable = all(isinstance(c, str) and (COLOR.fullmatch(c) or c.lower() == TRANSPARENT) for c in colours)
    if drawable and _contrast(steered) < MIN_CONTRAST:
        steered["fill_color"] = "#000000"
        if str(steered.get("back_color", "")).lower() != TRANSPARENT:
            steered["back_color"] = "#ffffff"
    return steered


@schemathesis.hook
def map_body(ctx, body):
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
    if response.status_code == 400 and any(w in response.text for words in broken.values() for w in words):
        return True
    raise AssertionError(
        f"A schema-valid request was refused with {response.status_code} ({response.text[:300]}); "
        f"the documented rules it breaks: {', '.join(broken) or 'none'}"
    )
