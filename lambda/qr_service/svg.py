"""SVG writer: square modules as strokes, a row at a time; rounded runs and dots as one filled path;
the logo embedded, the caption on the PNG's baseline. The viewBox counts modules and the size is in pixels."""

import base64
import math
from xml.sax.saxutils import escape

from qr_service import fields as F
from qr_service.caption_font import SVG_FAMILIES
from qr_service.layout import EYE_SHAPES, caption_baseline, layout
from qr_service.logo import load_logo, logo_placement
from qr_service.matrix import DOT_INSET, FinderTest, Matrix, finder_test, finders, row_corners, runs
from qr_service.request import QrRequest

# SVG 1.1's xlink:href for the logo, not SVG 2's bare href, which Inkscape 1.2 ignores (a blank square) and
# keeps on export; browsers, cairosvg, librsvg and resvg all read xlink:href. Declared only with a logo.
XLINK = ' xmlns:xlink="http://www.w3.org/1999/xlink"'


def _short_color(color: str) -> str:
    """#rrggbb as #rgb when that says the same (#000000 -> #000)."""
    if color[1] == color[2] and color[3] == color[4] and color[5] == color[6]:
        return f"#{color[1]}{color[3]}{color[5]}"
    return color


def _stroke_runs(matrix: Matrix, finder: FinderTest | None = None) -> str:
    """Runs of dark modules (with a `finder`, only the finder patterns') as strokes one module thick: each
    row starts with an absolute move and goes on relative to where the last run ended."""
    commands = []
    pen_x, pen_y = 0, None
    for y, start, end in runs(matrix, finder, in_finder=True):
        if y != pen_y:
            commands.append(f"M{start} {y}.5h{end - start}")
        else:
            commands.append(f"m{start - pen_x} 0h{end - start}")
        pen_x, pen_y = end, y
    return "".join(commands)


def _outside(finder: FinderTest) -> FinderTest:
    """Modules outside the finder patterns, as a finder test for `_stroke_runs` (which keeps the inside)."""
    return lambda x, y: not finder(x, y)


def _rounded_runs(matrix: Matrix, finder: FinderTest) -> str:
    """Each horizontal run outside the finder patterns as one shape; only its two ends can round.

    A corner rounds (radius half a module) when the modules on both its sides are light (matrix.row_corners).
    """
    parts = []
    corners_of = {}
    for y, start, end in runs(matrix, finder, in_finder=False):
        if y not in corners_of:
            corners_of[y] = row_corners(matrix, y)
        first, last = start, end - 1
        top_left, _, _, bottom_left = corners_of[y][first]
        _, top_right, bottom_right, _ = corners_of[y][last]
        inner = last - first
        parts.append(
            f"M{first} {y}.5"
            + ("a.5 .5 0 0 1 .5-.5" if top_left else "v-.5h.5")
            + (f"h{inner}" if inner else "")
            + ("a.5 .5 0 0 1 .5 .5" if top_right else "h.5v.5")
            + ("a.5 .5 0 0 1-.5 .5" if bottom_right else "v.5h-.5")
            + (f"h-{inner}" if inner else "")
            + ("a.5 .5 0 0 1-.5-.5" if bottom_left else "h-.5v-.5")
            + "z"
        )
    return "".join(parts)


def _dots(matrix: Matrix, finder: FinderTest) -> str:
    radius = 0.5 - DOT_INSET
    r = f"{radius:g}".lstrip("0")
    diameter = f"{2 * radius:g}".lstrip("0")
    return "".join(
        f"M{x + DOT_INSET:g} {y}.5a{r} {r} 0 1 0 {diameter} 0a{r} {r} 0 1 0-{diameter} 0"
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark and not finder(x, y)
    )


def _eyes(req: QrRequest, side: int) -> str:
    """The three finder patterns as one even-odd path: ring, hole and centre (layout.EYE_SHAPES)."""
    return "".join(
        _shape(left + inset, top + inset, size, radius)
        for left, top in finders(side, req.border)
        for inset, size, radius in EYE_SHAPES[req.eye_style]
    )


def _shape(x: float, y: float, size: float, r: float) -> str:
    """A square of `size` at (x, y) with corners of radius r: rounded while r is at most half the size (a
    circle at half), and beyond that a circle of radius r cut by the square's sides, flat where they meet."""
    if not r:
        return f"M{x:g} {y:g}h{size:g}v{size:g}h-{size:g}z"
    flat = size - 2 * r if 2 * r <= size else 2 * math.sqrt(r * r - size * size / 4)
    step = (size - flat) / 2  # the arc's run across and down, from the end of one flat side to the next
    arc = f"a{r:g} {r:g} 0 0 1"
    return (
        f"M{x + step:g} {y:g}h{flat:g}{arc} {step:g} {step:g}v{flat:g}{arc} -{step:g} {step:g}"
        f"h-{flat:g}{arc} -{step:g} -{step:g}v-{flat:g}{arc} {step:g} -{step:g}z"
    )


def svg(req: QrRequest, matrix: Matrix) -> bytes:
    """The viewBox counts modules from the code's corner; `size`'s leftover pixels and a caption's band
    extend it, so the code keeps whole-pixel modules at the given width."""
    place = layout(req, len(matrix))
    side, box, width, band = place.side, place.box, place.width, place.band
    fill = _short_color(req.fill_color)
    offset = place.offset / box
    framed = place.framed  # the code alone keeps the plain viewBox it always had
    view = f"{-offset:g} {-offset:g} {width / box:g} {(width + band) / box:g}" if framed else f"0 0 {side} {side}"
    plain = req.plain_shapes
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg"{XLINK if req.logo is not None else ""} width="{width}" '
        f'height="{width + band}" viewBox="{view}"' + (' shape-rendering="crispEdges">' if plain else ">")
    ]
    if not req.transparent:
        if framed:
            frame = f'x="{-offset:g}" y="{-offset:g}" width="{width / box:g}" height="{(width + band) / box:g}"'
        else:
            frame = f'width="{side}" height="{side}"'
        parts.append(f'<rect {frame} fill="{_short_color(req.back_color)}"/>')
    finder = finder_test(side, req.border)
    if plain:
        parts.append(f'<path stroke="{fill}" d="{_stroke_runs(matrix)}"/>')
    else:
        if req.module_style == "square":
            parts.append(f'<path stroke="{fill}" d="{_stroke_runs(matrix, _outside(finder))}"/>')
        else:
            shapes = _dots(matrix, finder) if req.module_style == "dots" else _rounded_runs(matrix, finder)
            parts.append(f'<path fill="{fill}" d="{shapes}"/>')
        parts.append(f'<path fill="{_short_color(req.eye)}" fill-rule="evenodd" d="{_eyes(req, side)}"/>')
    if req.caption:
        parts.append(
            f'<text x="{(width / 2) / box - offset:g}" y="{caption_baseline(place) / box - offset:g}" '
            f'font-family="{SVG_FAMILIES}" font-size="{place.font_px / box:g}" text-anchor="middle" '
            f'fill="{fill}">{escape(req.caption)}</text>'
        )
    if req.logo is not None:
        left, top, logo_width, logo_height = logo_placement(load_logo(req.logo).size, side, req.border, box)
        kind = next(kind for magic, kind in F.LOGO_TYPES.items() if req.logo.startswith(magic))
        data = base64.b64encode(req.logo).decode("ascii")
        parts.append(
            f'<image x="{left / box:g}" y="{top / box:g}" width="{logo_width / box:g}" '
            f'height="{logo_height / box:g}" xlink:href="data:{kind};base64,{data}"/>'
        )
    parts.append("</svg>\n")
    return "".join(parts).encode()
