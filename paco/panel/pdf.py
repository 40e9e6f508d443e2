"""The annual report as PDF, generated in pure Python (fpdf2; no system library).

The core PDF fonts (Helvetica) cover Latin-1, which holds every pt-BR letter; the few
typographic characters outside it (dashes, curly quotes, the ordinal "º" is inside)
are replaced by their plain equivalents. The PDF carries the same numbers as the HTML
report, from the same :class:`~paco.panel.report.AnnualReport`.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF
from fpdf.fonts import FontFace

from paco.panel.figures import Figures, Row
from paco.panel.report import AnnualReport
from paco.panel.templatetags.panel import num, pct, share

_PLAIN = str.maketrans({"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."})


def latin(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Report(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.report_title = title
        self.set_title(title)
        self.set_author("Paço")
        self.set_auto_page_break(auto=True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, latin(f"{self.report_title} - página {self.page_no()}"), align="C")


def _heading(doc: FPDF, text: str) -> None:
    doc.ln(3)
    doc.set_font("Helvetica", "B", 13)
    doc.multi_cell(0, 7, latin(text), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", size=10)


def _paragraph(doc: FPDF, text: str) -> None:
    doc.set_font("Helvetica", size=10)
    doc.multi_cell(0, 5, latin(text), new_x="LMARGIN", new_y="NEXT")
    doc.ln(1)


def _table(doc: FPDF, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    doc.set_font("Helvetica", size=8)
    with doc.table(
        headings_style=FontFace(emphasis="BOLD"), line_height=4.5, text_align="LEFT"
    ) as table:
        for line in [header, *rows]:
            row = table.row()
            for cell in line:
                row.cell(latin(str(cell)))
    doc.ln(2)


def _figure_rows(rows: Sequence[Row]) -> list[list[str]]:
    out = []
    for row in rows:
        f: Figures = row.figures
        out.append(
            [
                row.label,
                num(f.received),
                num(f.concluded),
                num(f.median_handling_days),
                num(f.p90_handling_days),
                f"{pct(f.on_time_ratio)} ({f.on_time} de {f.with_clock})",
                f"{num(f.satisfaction_avg, 2)} ({f.ratings_count})",
            ]
        )
    return out


FIGURE_HEADER = (
    "Grupo",
    "Recebidos",
    "Concluídos",
    "Mediana (dias)",
    "90% em até",
    "No prazo",
    "Satisfação (avaliações)",
)


def render(report: AnnualReport) -> bytes:
    town = report.panel.town.display_name
    t = report.panel.totals
    lai = report.lai
    doc = _Report(f"Relatório de atendimento {report.year} - {town}")
    doc.add_page()
    doc.set_font("Helvetica", "B", 16)
    doc.multi_cell(
        0, 8, latin(f"Relatório de atendimento de {report.year}"), new_x="LMARGIN", new_y="NEXT"
    )
    _paragraph(
        doc,
        f"{town}. Avaliação anual dos serviços (Lei nº 13.460/2017, art. 23), publicada na "
        "íntegra. Números dos atendimentos registrados, sem dados pessoais.",
    )
    _heading(doc, "Satisfação do usuário")
    _paragraph(
        doc,
        f"Satisfação média {num(t.satisfaction_avg, 2)} (de 1 a 5) em {t.ratings_count} "
        f"avaliações. Demanda resolvida: sim {share(t.resolved['sim'], t.ratings_count)} "
        f"({t.resolved['sim']}), parcialmente "
        f"{share(t.resolved['parcialmente'], t.ratings_count)} ({t.resolved['parcialmente']}), "
        f"não {share(t.resolved['nao'], t.ratings_count)} ({t.resolved['nao']}).",
    )
    _table(
        doc,
        ("Nota", "Avaliações", "Proporção"),
        [[s, str(n), share(n, t.ratings_count)] for s, n in t.ratings.items()],
    )
    _heading(doc, "Qualidade do serviço e prazos cumpridos")
    _paragraph(
        doc,
        f"{t.concluded} atendimentos concluídos; tempo mediano {num(t.median_handling_days)} "
        f"dias (média {num(t.avg_handling_days)}; 90% em até {num(t.p90_handling_days)}). "
        f"No prazo: {pct(t.on_time_ratio)} ({t.on_time} de {t.with_clock} com prazo; "
        f"{t.without_clock} sem prazo estimado).",
    )
    _table(doc, FIGURE_HEADER, _figure_rows(report.panel.kinds))
    if report.panel.services:
        _table(doc, FIGURE_HEADER, _figure_rows(report.panel.services))
    _heading(doc, "Manifestações recebidas")
    _paragraph(doc, f"{report.manifestations_total} manifestações de ouvidoria recebidas.")
    _table(doc, ("Tipo", "Recebidas"), [[lb, str(n)] for _c, lb, n in report.panel.manifestations])
    _heading(doc, "Unidades com mais reclamações")
    if report.ranking:
        _table(
            doc,
            ("Posição", "Unidade", "Reclamações", "Recebidos", "Por 100"),
            [
                [f"{r.position}º", r.unit, str(r.complaints), str(r.cases), num(r.per_hundred)]
                for r in report.ranking
            ],
        )
    else:
        _paragraph(doc, "Nenhuma reclamação recebida no ano.")
    _heading(doc, "Acesso à informação (Lei nº 12.527/2011)")
    rows = [
        ["Pedidos recebidos", str(lai.received)],
        ["Pedidos respondidos", str(lai.answered)],
        ["Acesso concedido (total ou parcial)", str(lai.granted)],
        ["Acesso negado", str(lai.refused)],
        ["Encaminhados ao órgão competente", str(lai.forwarded)],
        ["Respondidos no prazo", f"{lai.on_time} de {lai.with_clock}"],
    ]
    rows += [
        [
            f"Recursos em {a.level}ª instância",
            f"{a.filed} ({a.decided} decididos, {a.upheld} providos)",
        ]
        for a in lai.appeals
    ]
    _table(doc, ("Indicador", "Quantidade"), rows)
    return bytes(doc.output())
