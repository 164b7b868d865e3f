"""schemathesis hooks (SCHEMATHESIS_HOOKS=schemathesis_hooks): the README's rules that a schema cannot express.

A request can match website/openapi.json and still be refused with a 400 for a documented reason:
a url too long for its error-correction level, colours too alike to scan, a PNG over 4000 px.
`documented_rules` stands in for schemathesis' positive_data_acceptance and judges each refusal of
a schema-valid request: such a 400 passes only when the request really breaks one of these rules,
worked out here independently of the handler, and the answer names that rule. Any other refusal
fails the run.

Random colour pairs are mostly too alike, which would hide every other option behind the contrast
rule; `map_body`/`map_query` make half of those pairs readable (chosen by the url, so a run repeats),
and the other half keep testing the rule.
"""

import re
import zlib

import schemathesis

CAPACITY_BYTES = {"L": 2953, "M": 2331, "Q": 1663, "H": 1273}  # QR version 40, byte mode (ISO/IEC 18004)
MIN_CONTRAST = 3.0
MAX_PNG_SIDE = 4000
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULTS = {"format": "png", "box_size": 10, "border": 4, "error_correction": "M"}


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
    dark, light = sorted((_relative_luminance(fill), _relative_luminance(back)))
    return (light + 0.05) / (dark + 0.05)


def broken_rules(fields: dict) -> dict[str, str]:
    """Each README rule a schema-valid request breaks, with words the service's answer must use for it."""
    options = {**DEFAULTS, **fields}
    url, level = options["url"], str(options["error_correction"]).upper()
    broken = {}
    if len(url.encode("utf-8")) > CAPACITY_BYTES[level]:
        broken["capacity"] = f"holds at most {CAPACITY_BYTES[level]}"
    if _contrast(options) < MIN_CONTRAST:
        broken["contrast"] = "too alike to scan"
    fits = "capacity" not in broken
    if fits and str(options["format"]).lower() == "png":
        side = _png_side(url, level, int(options["border"]), int(options["box_size"]))
        if side > MAX_PNG_SIDE:
            broken["png size"] = f"the limit is {MAX_PNG_SIDE}"
    return broken


def _readable_half(fields):
    """Make every other too-alike colour pair black on white (which half: a checksum of the url)."""
    if not isinstance(fields, dict) or not isinstance(fields.get("url"), str):
        return fields
    colours = [fields[name] for name in ("fill_color", "back_color") if name in fields]
    if not all(isinstance(c, str) and COLOR.fullmatch(c) for c in colours):
        return fields  # a negative case: leave it as drawn
    if _contrast(fields) < MIN_CONTRAST and zlib.crc32(fields["url"].encode("utf-8", "surrogatepass")) % 2 == 0:
        return {**fields, "fill_color": "#000000", "back_color": "#ffffff"}
    return fields


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
    if response.status_code == 400 and any(words in response.text for words in broken.values()):
        return True
    raise AssertionError(
        f"A schema-valid request was refused with {response.status_code} ({response.text[:300]}); "
        f"the documented rules it breaks: {', '.join(broken) or 'none'}"
    )
