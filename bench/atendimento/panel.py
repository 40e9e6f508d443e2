"""Benchmark of ``/painel.json`` over a generated history (issue 10 §10: ≤ 1 s, 1,000,000 cases).

In a temporary ``PACO_DATA_DIR`` (SQLite; or the database of ``--database-url``, e.g.
``postgres://postgres@127.0.0.1:5432/paco_bench_panel``, created empty by the script):

1. migrate; one town, 12 units, 60 Carta services;
2. ``--cases`` historical cases written in bulk (``bulk_create``, not through
   ``open_case``: no NUP allocation, events or audit — the panel reads none of them),
   received over four years, 92% concluded (13% of those late), 6% open, 2% archived,
   30% of the concluded rated; their panel rows (:class:`paco.panel.models.CaseFigure`)
   computed by the same pure function the signals use (:func:`paco.panel.facts.figure_for`),
   and 1,000 of them checked against a fresh computation from their cases;
3. ``GET /painel.json`` (whole history, and one year), ``/painel/`` and ``/painel.csv``
   through Django's test client in this process, page cache off: each ``--repeat`` times,
   median and worst;
4. the figures and the machine into ``bench/RESULTS.md`` (its ``painel-<engine>`` section).

``make bench`` runs it only with ``PACO_BENCH_PANEL=1`` (about N/1,000,000 × 10 minutes
on the two-core machine); ``--cases 100000`` for a quick look.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT)]

from bench.run import loadavg, machine, write_section  # noqa: E402

START = datetime.date(2022, 12, 1)
DAYS = 4 * 365


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message} (carga {loadavg()})", flush=True)


def setup_django(data_dir: Path, database_url: str | None) -> None:
    for key in [k for k in os.environ if k.startswith("PACO_")]:
        del os.environ[key]
    os.environ.pop("DATABASE_URL", None)
    os.environ["PACO_DATA_DIR"] = str(data_dir)
    os.environ["PACO_PAGE_CACHE_SECONDS"] = "0"
    os.environ["PACO_ALLOWED_HOSTS"] = "bench.paco.test"
    os.environ["PACO_SELF_PUBLISH"] = "0"
    os.environ["PACO_LOG_LEVEL"] = "WARNING"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "paco.settings"
    import django

    django.setup()


def generate(n: int, seed: int = 7) -> tuple[object, float]:
    """``n`` cases, their ratings and their panel rows, by ``executemany`` (explicit ids)."""
    from django.db import connection, transaction

    from paco.atendimento.models import Case, Rating
    from paco.catalog.models import Service
    from paco.panel.facts import TOWN_TIME_ZONE
    from paco.panel.models import CaseFigure
    from paco.protocol.nup import format_nup
    from paco.tenancy.models import Municipality, Unit

    ops = connection.ops
    rng = random.Random(seed)
    town = Municipality.objects.create(
        name="Bancada",
        slug="bancada",
        uf="SC",
        ibge_code="4299995",
        cnpj="11.222.333/0001-81",
        hosts="bench.paco.test",
        email="b@bench.paco.test",
    )
    units = [
        Unit.objects.create(
            municipality=town, name=f"Secretaria {i:02d}", acronym=f"S{i:02d}", slug=f"s{i:02d}"
        )
        for i in range(12)
    ]
    services = Service.objects.bulk_create(
        Service(
            municipality=town, name=f"Serviço {i:02d}", slug=f"servico-{i:02d}", unit=units[i % 12]
        )
        for i in range(60)
    )
    days_of = {s.pk: rng.choice([5, 10, 15, 30, 45, 0]) for s in services}
    kinds = ["servico"] * 60 + ["ouvidoria"] * 25 + ["esic"] * 12 + ["dados"] * 3
    otypes = ["reclamacao"] * 4 + ["solicitacao", "sugestao", "elogio", "denuncia", "comunicacao"]
    outcomes = {
        "servico": ["deferido"] * 5 + ["indeferido"],
        "ouvidoria": ["respondido"],
        "esic": ["respondido"] * 8 + ["indeferido", "parcial"],
        "dados": ["deferido", "indeferido"],
    }

    # every column of the three tables, in model order; the varying ones filled per row
    def insert_sql(model: type) -> tuple[str, list[str]]:
        columns = [f.column for f in model._meta.concrete_fields]
        quoted = ", ".join(ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        table = ops.quote_name(model._meta.db_table)
        return f"INSERT INTO {table} ({quoted}) VALUES ({marks})", columns  # noqa: S608

    case_sql, case_cols = insert_sql(Case)
    rating_sql, rating_cols = insert_sql(Rating)
    fact_sql, fact_cols = insert_sql(CaseFigure)
    now = ops.adapt_datetimefield_value(datetime.datetime.now(datetime.UTC))
    constants = {
        "municipality_id": town.pk,
        "subject": "Pedido gerado",
        "description": "Texto gerado.",
        "channel": "internet",
        "identity_mode": "identificado",
        "citizen_id": None,
        "requester_name": "Pessoa Gerada",
        "requester_document": "",
        "requester_email": "",
        "requester_phone": "",
        "access_code_hash": "",
        "registered_by_id": None,
        "form_data": "{}",
        "address": "",
        "latitude": None,
        "longitude": None,
        "assigned_to_id": None,
        "extended_at": None,
        "extension_reason": "",
        "conclusion": "",
        "archived_at": None,
        "created_at": now,
        "modified_at": now,
        "dimension": "",
        "comment": "",
    }
    base_id = 1
    sequence: dict[int, int] = {}
    started = time.perf_counter()
    batch = 20_000
    made = 0
    rating_id = 1
    while made < n:
        size = min(batch, n - made)
        case_rows, rating_rows, fact_rows = [], [], []
        for i in range(size):
            pk = base_id + made + i
            kind = rng.choice(kinds)
            received = START + datetime.timedelta(days=rng.randrange(DAYS))
            service = rng.choice(services) if kind == "servico" else None
            unit = service.unit if service else rng.choice(units)
            allowed = days_of[service.pk] if service else {"ouvidoria": 30}.get(kind, 20)
            due = received + datetime.timedelta(days=allowed) if allowed else None
            roll = rng.random()
            status, concluded_at, outcome, done_on = "em_andamento", None, "", None
            if roll < 0.92:
                span = allowed or 12
                days = span + rng.randint(1, 40) if rng.random() < 0.13 else rng.randint(0, span)
                done_on = received + datetime.timedelta(days=days)
                concluded_at = datetime.datetime.combine(
                    done_on, datetime.time(14), tzinfo=TOWN_TIME_ZONE
                )
                status, outcome = "concluido", rng.choice(outcomes[kind])
            elif roll < 0.94:
                status = "arquivado"
            sequence[received.year] = sequence.get(received.year, 0) + 1
            submitted = datetime.datetime.combine(
                received, datetime.time(10), tzinfo=TOWN_TIME_ZONE
            )
            otype = rng.choice(otypes) if kind == "ouvidoria" else ""
            row = dict(constants)
            row.update(
                id=pk,
                number=format_nup("99999", sequence[received.year], received.year),
                kind=kind,
                ombudsman_type=otype,
                service_id=service.pk if service else None,
                unit_id=unit.pk,
                status=status,
                submitted_at=ops.adapt_datetimefield_value(submitted),
                received_on=ops.adapt_datefield_value(received),
                policy=kind,
                due_on=ops.adapt_datefield_value(due),
                concluded_at=ops.adapt_datetimefield_value(concluded_at),
                outcome=outcome,
            )
            case_rows.append([row[c] for c in case_cols])
            score, resolved = None, ""
            if done_on is not None and rng.random() < 0.3:
                score, resolved = rng.randint(1, 5), rng.choice(["sim", "parcialmente", "nao"])
                rating = dict(constants, id=rating_id, case_id=pk, score=score, resolved=resolved)
                rating_rows.append([rating[c] for c in rating_cols])
                rating_id += 1
            is_open = status == "em_andamento"
            fact = {
                "case_id": pk,
                "municipality_id": town.pk,
                "kind": kind,
                "ombudsman_type": otype,
                "service_id": row["service_id"],
                "unit_id": unit.pk,
                "received_on": row["received_on"],
                "is_open": is_open,
                "concluded_on": ops.adapt_datefield_value(done_on),
                "concluded_year": done_on.year if done_on else None,
                "handling_days": (done_on - received).days if done_on else None,
                "on_time": (done_on <= due) if done_on and due else None,
                "has_clock": due is not None,
                "score": score,
                "resolved": resolved,
            }
            fact_rows.append([fact[c] for c in fact_cols])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(case_sql, case_rows)
            if rating_rows:
                cursor.executemany(rating_sql, rating_rows)
            cursor.executemany(fact_sql, fact_rows)
        made += size
        if made % 100_000 == 0 or made == n:
            step(f"{made} atendimentos gerados")
    return town, time.perf_counter() - started


def check_sample(town: object, k: int = 1000) -> None:
    """The generated rows are what the signals would have written (1,000 random cases)."""
    from paco.atendimento.models import Case
    from paco.panel import facts
    from paco.panel.models import CaseFigure

    ids = list(
        Case.objects.filter(municipality=town).order_by("?").values_list("pk", flat=True)[:k]
    )
    for case in Case.objects.filter(pk__in=ids).select_related("rating"):
        expected = facts._from_case(case)
        got = CaseFigure.objects.get(case_id=case.pk)
        for field in ("is_open", "concluded_on", "handling_days", "on_time", "has_clock"):
            assert getattr(got, field) == getattr(expected, field), (case.pk, field)


def measure(path: str, repeat: int) -> tuple[float, float, int]:
    from django.test import Client

    client = Client(HTTP_HOST="bench.paco.test")
    times = []
    size = 0
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content)
    return statistics.median(times), max(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="paco-bench-painel-"))
    if args.database_url and args.database_url.startswith("postgres"):
        import psycopg

        base, name = args.database_url.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    setup_django(data_dir, args.database_url)
    from django.core.management import call_command
    from django.db import connection

    engine = connection.vendor
    try:
        step(f"migrando ({engine})")
        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        town, gen_seconds = generate(args.cases)
        step(f"gerados em {gen_seconds:.0f} s; conferindo 1.000 linhas do painel")
        check_sample(town)
        from paco.panel import aggregates

        t = time.perf_counter()
        aggregates.rebuild(town)  # type: ignore[arg-type]
        rebuild_seconds = time.perf_counter() - t
        step(f"agregados mensais recalculados do zero em {rebuild_seconds:.1f} s")
        if engine == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        last_year = START.year + 3
        paths = [
            ("/painel.json", "todo o histórico"),
            (f"/painel.json?de={last_year}-01-01&ate={last_year}-12-31", "um ano"),
            ("/painel/", "página HTML"),
            ("/painel.csv", "CSV"),
            (f"/painel/relatorio/{last_year}/", "relatório anual (HTML)"),
        ]
        rows = []
        # one change (a case concluded now): the next reading recomputes its months first
        from paco.atendimento.models import Case

        def change_one() -> None:
            case = Case.objects.filter(municipality=town, status="em_andamento").first()
            assert case is not None
            case.status = "concluido"
            case.concluded_at = datetime.datetime.now(datetime.UTC)
            case.save()

        measure("/painel.json", 1)
        after_change = []
        for _ in range(args.repeat):
            change_one()
            t = time.perf_counter()
            measure("/painel.json", 1)
            after_change.append(time.perf_counter() - t)
        changed_ms = statistics.median(after_change) * 1000
        step(f"/painel.json depois de uma mudança: mediana {changed_ms:.0f} ms")
        rows.append(
            f"| todo o histórico, logo depois de um atendimento mudar (recalcula 2 meses) | "
            f"`/painel.json` | {statistics.median(after_change) * 1000:.0f} | "
            f"{max(after_change) * 1000:.0f} | — |"
        )
        for path, label in paths:
            measure(path, 1)  # warm
            median, worst, size = measure(path, args.repeat)
            step(f"{path}: mediana {median * 1000:.0f} ms, pior {worst * 1000:.0f} ms")
            rows.append(
                f"| {label} | `{path}` | {median * 1000:.0f} | {worst * 1000:.0f} | {size} |"
            )
        info = machine()
        where = f"{info['CPU']}, {info['Núcleos (nproc)']} núcleos, {info['RAM']}"
        title = f"{args.cases:,}".replace(",", ".")
        section = "\n".join(
            [
                f"## Painel de atendimento: `/painel.json` com {title} atendimentos ({engine})",
                "",
                f"- **Data:** {info['Data']}; **máquina:** {where}, Python {info['Python']} "
                f"(compartilhada); **carga depois:** {loadavg()}",
                f"- **Método:** `bench/atendimento/panel.py --cases {args.cases}`: histórico "
                f"gerado em massa em {gen_seconds:.0f} s (quatro anos, 12 unidades, 60 serviços; "
                "92% concluídos, 30% avaliados), linhas do painel conferidas por amostra; "
                f"agregados mensais recalculados do zero em {rebuild_seconds:.1f} s (uma vez; "
                "depois, só os meses que uma mudança toca); cada endereço pedido "
                f"{args.repeat} vezes pelo cliente de teste do Django no mesmo processo, cache "
                "de páginas desligado (o custo de calcular, não o de servir do cache).",
                "",
                "| O quê | Endereço | mediana (ms) | pior (ms) | bytes |",
                "|---|---|---:|---:|---:|",
                *rows,
                "",
                "**Meta:** `/painel.json` ≤ 1 s. Pré-agregado por mês, incrementalmente (os meses "
                "que uma mudança toca são recalculados na leitura seguinte); os dias das bordas "
                "de um período vêm da tabela de fatos. Ver docs/decisions.md, “Painel”.",
            ]
        )
        write_section(Path(args.output), f"painel-{engine}", section)
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
