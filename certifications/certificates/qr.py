"""QR codes as inline SVG: sharp at any print size, no image library, and the same bytes every time."""

import qrcode
from django.utils.html import escape
from qrcode.constants import ERROR_CORRECT_M

# The quiet zone the QR standard asks for around the symbol, in modules.
QUIET_ZONE = 4


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR symbol for `data` (error correction M, smallest version that fits), without quiet zone:
    rows of modules, True for dark."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(data: str, *, colour: str = "#000000", label: str = "") -> str:
    """An `<svg>` element drawing the QR symbol for `data` with its quiet zone; it scales to the size
    CSS gives it. Dark modules are one path, one rectangle per horizontal run, so the markup stays
    small. `colour` must be a CSS colour from trusted code; `label` is escaped."""
    matrix = qr_matrix(data)
    size = len(matrix) + 2 * QUIET_ZONE
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h-{x - start}z")
    title = f"<title>{escape(label)}</title>" if label else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" '
        f'role="img">{title}<rect width="{size}" height="{size}" fill="#ffffff"/>'
        f'<path fill="{colour}" d="{"".join(runs)}"/></svg>'
    )
