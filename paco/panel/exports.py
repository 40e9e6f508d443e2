"""The panel as data: ``/painel.json`` (the shape of issue 10 §8) and ``/painel.csv``.

No personal data can reach these: they are built from :class:`~paco.panel.figures.Panel`,
which holds only counts and the names of services, units and kinds.
"""

from __future__ import annotations

import io
from typing import Any, TypedDict

from paco.core import csvsafe
from paco.panel.figures import SCORES, Figures, Panel, Row


class FiguresJson(TypedDict):
    in_progress: int
    concluded_by_year: dict[str, int]
    avg_handling_days: float | None
    median_handling_days: float | None
    p90_handling_days: int | None
    on_time_ratio: float | None
    ratings_count: int
    satisfaction_avg: float | None
    ratings: dict[str, int]
    resolved: dict[str, int]


class ServiceJson(FiguresJson):
    service_id: int | None
    service: str
    unit: str | None


class PanelJson(TypedDict):
    generated_at: str
    period: dict[str, str | None]
    services: list[ServiceJson]
    totals: FiguresJson


def figures_json(f: Figures) -> FiguresJson:
    return {
        "in_progress": f.in_progress,
        "concluded_by_year": f.concluded_by_year,
        "avg_handling_days": f.avg_handling_days,
        "median_handling_days": f.median_handling_days,
        "p90_handling_days": f.p90_handling_days,
        "on_time_ratio": f.on_time_ratio,
        "ratings_count": f.ratings_count,
        "satisfaction_avg": f.satisfaction_avg,
        "ratings": dict(f.ratings),
        "resolved": dict(f.resolved),
    }


def service_json(row: Row) -> ServiceJson:
    return {
        "service_id": row.service_id,
        "service": row.label,
        "unit": row.unit or None,
        **figures_json(row.figures),
    }


def as_json(panel: Panel) -> PanelJson:
    start, end = panel.period.start, panel.period.end
    return {
        "generated_at": panel.generated_at.isoformat(timespec="seconds"),
        "period": {
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
        },
        "services": [service_json(r) for r in panel.services],
        "totals": figures_json(panel.totals),
    }


#: one CSV row per group, every figure with the count it is computed over
CSV_COLUMNS = (
    "agrupamento",
    "grupo",
    "unidade_responsavel",
    "periodo_de",
    "periodo_ate",
    "recebidos",
    "em_andamento",
    "concluidos",
    "concluidos_por_ano",
    "tempo_medio_dias",
    "tempo_mediano_dias",
    "tempo_p90_dias",
    "concluidos_no_prazo",
    "concluidos_com_prazo",
    "concluidos_sem_prazo",
    "proporcao_no_prazo",
    "avaliacoes",
    "satisfacao_media",
    *(f"avaliacoes_nota_{s}" for s in SCORES),
    "resolvida_sim",
    "resolvida_parcialmente",
    "resolvida_nao",
)


def _csv_row(grouping: str, row: Row | None, panel: Panel) -> list[Any]:
    f = row.figures if row else panel.totals
    start, end = panel.period.start, panel.period.end
    return [
        grouping,
        row.label if row else "Todos os atendimentos",
        row.unit if row else "",
        start.isoformat() if start else "",
        end.isoformat() if end else "",
        f.received,
        f.in_progress,
        f.concluded,
        "; ".join(f"{y}: {n}" for y, n in f.concluded_by_year.items()),
        f.avg_handling_days,
        f.median_handling_days,
        f.p90_handling_days,
        f.on_time,
        f.with_clock,
        f.without_clock,
        f.on_time_ratio,
        f.ratings_count,
        f.satisfaction_avg,
        *(f.ratings[s] for s in SCORES),
        f.resolved["sim"],
        f.resolved["parcialmente"],
        f.resolved["nao"],
    ]


def csv_rows(panel: Panel) -> list[list[Any]]:
    """The total, then one row per kind, per unit and per Carta service."""
    rows = [_csv_row("total", None, panel)]
    for grouping, groups in (("tipo", panel.kinds), ("unidade", panel.units)):
        rows += [_csv_row(grouping, row, panel) for row in groups]
    rows += [_csv_row("servico", r, panel) for r in panel.services if r.service_id is not None]
    return rows


def as_csv(panel: Panel, *, excel: bool = False) -> str:
    out = io.StringIO()
    writer = csvsafe.writer(out, excel=excel, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(panel))
    return out.getvalue()
