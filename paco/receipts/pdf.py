"""The receipt as a PDF, drawn in pure Python with ReportLab (no system library).

A4, the town's name and brasão (``Municipality.logo``, when set and readable), the
number, the date and time, every line, how the deadline was computed, and a box
with the verification code, the content's SHA-256 and a QR code to ``/verificar/``.

Text uses the standard PDF fonts (Helvetica, nothing embedded: a receipt is a few
KB) in Windows-1252, which holds every Portuguese letter. Anything outside it — an
emoji, Arabic or Chinese script — is printed as ``?``, except a letter that fits
without its accent (``ő`` → ``o``; never a symbol: ``≠`` is not ``=``); the HTML
receipt and the stored, hashed content keep the exact text (docs/decisions.md).
Invisible characters are dropped. Long words break, long texts flow onto more
pages: nothing a citizen types can stop the rendering (``tests/test_pdf_hostile.py``).

The output is deterministic (ReportLab's ``invariant`` mode): the same receipt
always renders to the same bytes.

ReportLab is imported on first use only: a web process that never renders a PDF
does not carry it (it adds about 8 MB).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from django.http import HttpResponse

from paco.receipts import presentation
from paco.receipts.models import Receipt

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

logger = logging.getLogger(__name__)

ENCODING = "cp1252"
#: the brasão's box on the page, in points
LOGO_SIZE = 54
#: the QR code's side, in points (about 3.5 cm: a phone reads it at arm's length)
QR_SIDE = 100


def _fits(text: str) -> bool:
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """``text`` in the characters the standard fonts draw (see the module's docstring)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch == "\n":
            out.append(ch)
        elif ch == "\t":
            out.append("    ")
        elif unicodedata.category(ch) in ("Cf", "Cc", "Mn", "Me"):
            continue  # invisible: zero-width joiners, variation selectors, stray marks
        elif _fits(ch):
            out.append(ch)
        elif unicodedata.category(ch).startswith("L"):  # a letter: without its accent
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            out.append(base if base and _fits(base) else "?")
        else:  # a symbol: "≠" must never print as "="
            out.append("?")
    return "".join(out)


def _markup(text: str) -> str:
    """Plain text as a ReportLab paragraph: escaped, line breaks kept."""
    return escape(printable(text)).replace("\n", "<br/>")


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle(
        "base", fontName="Helvetica", fontSize=10.5, leading=14, splitLongWords=1, spaceAfter=2
    )
    return {
        "base": base,
        "town": ParagraphStyle("town", base, fontName="Helvetica-Bold", fontSize=13, leading=16),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=colors.black),
        "title": ParagraphStyle(
            "title", base, fontName="Helvetica-Bold", fontSize=15, leading=19, spaceBefore=10
        ),
        "number": ParagraphStyle(
            "number", base, fontName="Helvetica-Bold", fontSize=13, leading=17, spaceBefore=2
        ),
        "label": ParagraphStyle(
            "label", base, fontName="Helvetica-Bold", spaceBefore=6, spaceAfter=0
        ),
        "heading": ParagraphStyle(
            "heading", base, fontName="Helvetica-Bold", fontSize=12, leading=16, spaceBefore=12
        ),
        "mono": ParagraphStyle("mono", base, fontName="Courier", fontSize=8.5, leading=11),
        "code": ParagraphStyle(
            "code", base, fontName="Courier-Bold", fontSize=13, leading=17, spaceBefore=2
        ),
    }


def _logo(receipt: Receipt) -> Flowable | None:
    """The town's brasão, or ``None`` (none set, missing or unreadable: the receipt goes on)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    logo = receipt.municipality.logo
    if not logo:
        return None
    try:
        with logo.open("rb") as handle:
            data = io.BytesIO(handle.read())
        width, height = ImageReader(data).getSize()
        data.seek(0)
        scale = LOGO_SIZE / max(width, height, 1)
        return Image(data, width=width * scale, height=height * scale)
    except Exception:  # a broken brasão must not cost the citizen the receipt
        logger.warning("brasão ilegível de %s", receipt.municipality, exc_info=True)
        return None


def _qr_flowable(url: str) -> Flowable:
    from reportlab.lib import colors
    from reportlab.platypus import Flowable

    matrix = presentation.qr_code(url).matrix

    class QRCode(Flowable):  # vector modules: sharp at any print size
        def wrap(self, *_: Any) -> tuple[float, float]:
            return QR_SIDE, QR_SIDE

        def draw(self) -> None:
            canvas = self.canv
            module = QR_SIDE / len(matrix)
            canvas.setFillColor(colors.black)
            for row_index, row in enumerate(matrix):
                y = QR_SIDE - (row_index + 1) * module
                start = None
                for col, dark in enumerate([*row, 0]):
                    if dark and start is None:
                        start = col
                    elif not dark and start is not None:
                        canvas.rect(
                            start * module, y, (col - start) * module, module, stroke=0, fill=1
                        )
                        start = None

    return QRCode()


def _header(receipt: Receipt, styles: dict[str, Any], width: float) -> Flowable:
    from reportlab.platypus import Paragraph, Table, TableStyle

    town = receipt.municipality
    lines = [Paragraph(_markup(f"{town.display_name} – {town.uf}"), styles["town"])]
    contact = " · ".join(x for x in (town.address, town.phone, town.email) if x)
    if contact:
        lines.append(Paragraph(_markup(contact), styles["small"]))
    logo = _logo(receipt)
    if logo is None:
        return Table([[lines]], colWidths=[width])
    table = Table([[logo, lines]], colWidths=[LOGO_SIZE + 10, width - LOGO_SIZE - 10])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
            ]
        )
    )
    return table


def _verification_box(receipt: Receipt, styles: dict[str, Any], width: float) -> Flowable:
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

    url = receipt.verification_url
    text = [
        Paragraph("Autenticidade", styles["label"]),
        Paragraph(
            _markup(
                "Confira este comprovante lendo o código QR ou em "
                f"{url.split('/verificar/')[0]}/verificar/ com o código:"
            ),
            styles["base"],
        ),
        Paragraph(escape(receipt.display_code), styles["code"]),
        Paragraph("Resumo SHA-256 do conteúdo:", styles["small"]),
        Paragraph(escape(receipt.content_sha256), styles["mono"]),
        Paragraph(
            "Comprovante eletrônico (Lei nº 14.129/2021, art. 8º).",
            styles["small"],
        ),
    ]
    table = Table([[text, _qr_flowable(url)]], colWidths=[width - QR_SIDE - 24, QR_SIDE + 24])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                # a quiet zone of four modules or more around the QR code
                ("LEFTPADDING", (1, 0), (1, 0), 12),
                ("RIGHTPADDING", (1, 0), (1, 0), 12),
            ]
        )
    )
    return KeepTogether([table])


def render_pdf(receipt: Receipt) -> bytes:
    """The receipt's PDF (A4), deterministic for a given receipt and town."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    buffer = io.BytesIO()
    town = receipt.municipality
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=printable(f"{receipt.title} {receipt.number}"),
        author=printable(town.display_name),
        subject="Comprovante eletrônico",
        creator="Paço",
        lang="pt-BR",
        invariant=1,
    )
    width = doc.width
    story: list[Flowable] = [
        _header(receipt, styles, width),
        Paragraph(_markup(receipt.title), styles["title"]),
        Paragraph(_markup(f"Número: {receipt.number}"), styles["number"]),
        Paragraph(
            _markup(f"Emitido em {presentation.local_moment(receipt.issued_at)}"), styles["base"]
        ),
    ]
    for line in receipt.lines:
        story.append(Paragraph(_markup(line["label"]), styles["label"]))
        story.append(Paragraph(_markup(line["value"]) or "—", styles["base"]))
    if receipt.explanation:
        story.append(Paragraph("Como o prazo foi calculado", styles["heading"]))
        story.extend(
            Paragraph(_markup(step), styles["base"], bulletText="•") for step in receipt.explanation
        )
    story += [Spacer(1, 14), _verification_box(receipt, styles, width)]
    footer = printable(f"Comprovante {receipt.number} · código {receipt.display_code}")

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(document.leftMargin, 10 * mm, footer[:120])
        canvas.drawRightString(
            document.leftMargin + document.width, 10 * mm, f"Página {document.page}"
        )
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _safe_filename(filename: str) -> str:
    """ASCII letters (accents dropped), digits, ``-_.``; slashes and spaces become hyphens."""
    kept = "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.") else "-" if c in "/\\ \t" else ""
        for c in unicodedata.normalize("NFKD", filename)
    )
    name = re.sub(r"-{2,}", "-", kept).strip("-.") or "comprovante"
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def pdf_response(receipt: Receipt, filename: str) -> HttpResponse:
    """The PDF as a download for whoever the caller already let see ``receipt``.

    Private and never cached by a shared cache (it may hold personal data).
    """
    safe_name = _safe_filename(filename)
    response = HttpResponse(render_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{safe_name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
