"""SVG writer: square modules as strokes of relative runs; rounded runs and dots as one filled path;
the logo embedded. The viewBox counts modules and the size is in pixels."""

import base64

from qr_service import fields as F
from qr_service.logo import load_logo, logo_box
from qr_service.matrix import DOT_INSET, FinderTest, Matrix, finder_test, rounded_corners, runs
from qr_service.request import QrRequest


def _short_color(color: str) -> str:
    """#rrggbb as #rgb when that says the same (#000000 -> #000)."""
    if color[1] == color[2] and color[3] == color[4] and color[5] == color[6]:
        return f"#{color[1]}{color[3]}{color[5]}"
    return color


def _stroke_runs(matrix: Matrix, finder: FinderTest | None = None) -> str:
    """Runs of dark modules (with a `finder`, only the finder patterns') as strokes one module thick,
    each written relative to where the last ended."""
    commands = []
    pen_x, pen_y = 0, None
    for y, start, end in runs(matrix, finder, in_finder=True):
        if pen_y is None:
            commands.append(f"M{start} {y}.5h{end - start}")
        else:
            commands.append(f"m{start - pen_x} {y - pen_y}h{end - start}")
        pen_x, pen_y = end, y
    return "".join(commands)


def _rounded_runs(matrix: Matrix, finder: FinderTest) -> str:
    """Each horizontal run outside the finder patterns as one shape; only its two ends can round.

    A corner rounds (radius half a module) when the modules on both its sides are light.
    """
    parts = []
    for y, start, end in runs(matrix, finder, in_finder=False):
        first, last = start, end - 1
        top_left, _, _, bottom_left = rounded_corners(matrix, first, y)
        _, top_right, bottom_right, _ = rounded_corners(matrix, last, y)
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


def svg(req: QrRequest, matrix: Matrix) -> bytes:
    side = len(matrix)
    fill = _short_color(req.fill_color)
    px = side * req.box_size
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{px}" height="{px}" viewBox="0 0 {side} {side}"'
        + (' shape-rendering="crispEdges">' if req.module_style == "square" else ">")
    ]
    if not req.transparent:
        parts.append(f'<rect width="{side}" height="{side}" fill="{_short_color(req.back_color)}"/>')
    if req.module_style == "square":
        parts.append(f'<path stroke="{fill}" d="{_stroke_runs(matrix)}"/>')
    else:
        finder = finder_test(side, req.border)
        shapes = _dots(matrix, finder) if req.module_style == "dots" else _rounded_runs(matrix, finder)
        parts.append(f'<path stroke="{fill}" d="{_stroke_runs(matrix, finder)}"/>')
        parts.append(f'<path fill="{fill}" d="{shapes}"/>')
    if req.logo is not None:
        load_logo(req.logo)  # the same checks as for a PNG, before anything is written
        x, y, width = logo_box(side, req.border)
        kind = next(kind for magic, kind in F.LOGO_TYPES.items() if req.logo.startswith(magic))
        data = base64.b64encode(req.logo).decode("ascii")
        parts.append(
            f'<image x="{x:g}" y="{y:g}" width="{width:g}" height="{width:g}" '
            f'preserveAspectRatio="xMidYMid meet" href="data:{kind};base64,{data}"/>'
        )
    parts.append("</svg>\n")
    return "".join(parts).encode()
