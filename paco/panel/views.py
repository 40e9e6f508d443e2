"""Public pages of the panel (art. 22) and the annual report (Lei 13.460 art. 23).

Anonymous and cached (:func:`paco.core.cache.public_page`): the figures hold no
personal data, and any change to a case (audited) invalidates the town's pages.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from paco.core import csvsafe
from paco.core.cache import public_page
from paco.panel import charts, exports, figures, pdf, report
from paco.panel.forms import PeriodForm
from paco.plans.dates import today_local
from paco.tenancy.access import current_municipality


def _panel(request: HttpRequest) -> tuple[PeriodForm, figures.Panel]:
    town = current_municipality(request)
    form = PeriodForm(request.GET or None)
    return form, figures.build(town, form.period(), now=timezone.now())


def _number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.{decimals}f}".replace(".", ",")


def _charts(panel: figures.Panel) -> dict[str, charts.BarChart | None]:
    totals = panel.totals
    years = [
        (year, float(n), f"{n} concluído{'s' if n != 1 else ''}")
        for year, n in totals.concluded_by_year.items()
    ]
    scores = [
        (f"{s} — {figures_label(s)}", float(n), f"{n} resposta{'s' if n != 1 else ''}")
        for s, n in totals.ratings.items()
    ]
    times = [
        (
            row.label,
            row.figures.median_handling_days or 0.0,
            f"mediana {_number(row.figures.median_handling_days)} dias",
        )
        for row in panel.kinds
        if row.figures.concluded
    ]
    types = [(label, float(n), str(n)) for _c, label, n in panel.manifestations if n]
    return {
        "years": charts.bar_chart("anos", "Atendimentos concluídos por ano", years),
        "scores": charts.bar_chart("notas", "Avaliações por nota (1 a 5)", scores),
        "times": charts.bar_chart("tempos", "Tempo mediano de atendimento por tipo", times),
        "types": charts.bar_chart("manifestacoes", "Manifestações de ouvidoria por tipo", types),
    }


def figures_label(score: str) -> str:
    from paco.atendimento.models import SCORE_LABELS

    return SCORE_LABELS[int(score)]


@public_page
def panel_page(request: HttpRequest) -> HttpResponse:
    form, panel = _panel(request)
    town = panel.town
    context = {
        "form": form,
        "panel": panel,
        "charts": _charts(panel),
        "years": report.years(town),
        "today": today_local(),
        "query": request.GET.urlencode(),
    }
    return render(request, "panel/panel.html", context)


@public_page
def panel_json(request: HttpRequest) -> HttpResponse:
    _form, panel = _panel(request)
    body = json.dumps(exports.as_json(panel), ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@public_page
def panel_csv(request: HttpRequest) -> HttpResponse:
    _form, panel = _panel(request)
    excel = csvsafe.wants_excel(request)
    response = HttpResponse(
        exports.as_csv(panel, excel=excel), content_type="text/csv; charset=utf-8"
    )
    name = "painel-de-atendimento-excel.csv" if excel else "painel-de-atendimento.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report(request: HttpRequest, year: int) -> report.AnnualReport:
    town = current_municipality(request)
    if year not in report.years(town):
        raise Http404("Não há atendimentos neste ano.")
    return report.build(town, year, now=timezone.now())


@public_page
def report_page(request: HttpRequest, year: int) -> HttpResponse:
    annual = _report(request, year)
    return render(request, "panel/report.html", {"report": annual, "panel": annual.panel})


@public_page
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    annual = _report(request, year)
    response = HttpResponse(pdf.render(annual), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="relatorio-atendimento-{year}.pdf"'
    return response
