"""Small real PDFs written object by object: pages with visible ink, and an OpenAction
JavaScript that Chromium's PDF viewer runs (what an attacker's upload would carry)."""

from __future__ import annotations

INK = (217, 51, 51)
"""The colour of the block drawn on every page (RGB), for checking a rendered image."""


def _literal(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: int = 2, *, script: str | None = None,
             size: tuple[float, float] = (595, 842)) -> bytes:
    """A PDF of `pages` pages (`size` in points), each with a coloured block and its number;
    with `script`, the document runs it on open (/OpenAction /JavaScript)."""
    width, height = size
    catalog = "<< /Type /Catalog /Pages 2 0 R" + (" /OpenAction 3 0 R" if script else "") + " >>"
    action = f"<< /Type /Action /S /JavaScript /JS {_literal(script or '')} >>"
    font_obj = 4 + 2 * pages
    objects = [catalog, f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(pages))}] "
               f"/Count {pages} >>", action]
    r, g, b = (c / 255 for c in INK)
    for i in range(pages):
        content = (f"{r:.3f} {g:.3f} {b:.3f} rg {width * 0.1:.1f} {height * 0.4:.1f} {width * 0.8:.1f} "
                   f"{height * 0.3:.1f} re f 0 0 0 rg BT /F1 24 Tf {width * 0.1:.1f} {height * 0.85:.1f} Td "
                   f"(Page {i + 1}) Tj ET")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:g} {height:g}] "
                       f"/Contents {5 + 2 * i} 0 R /Resources << /Font << /F1 {font_obj} 0 R >> >> >>")
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypted_pdf() -> bytes:
    """A PDF that needs a password to open (PDFium refuses it without one)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(1))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()
