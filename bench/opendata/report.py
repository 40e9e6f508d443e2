"""The open-data section of ``bench/RESULTS.md``.

``bench/opendata/run.py`` writes it between ``<!-- opendata:start -->`` and
``<!-- opendata:end -->`` with ``bench.run.write_section``, so the page benchmark's
section and hand-written analysis outside the markers survive a new run.
"""

from __future__ import annotations

import math
from typing import Any

TARGET_IMPORT = 2.0  # issue 12 (issue 3: 3×)
TARGET_EXPORT = 1.0  # issue 12 (issue 3: 2×)
TARGET_DATASETTE = 10.0
TARGET_P99_MS = 200.0
TARGET_THROUGHPUT = 3.0
TARGET_MIXED_P99_MS = 500.0
TARGET_RSS_MB = 500.0
SHAPE_LABELS = {
    "filtrada": "filtrada (secretaria) + `valor_pago desc`",
    "data": "tabela inteira por `data_empenho`",
    "valor": "tabela inteira por `valor_pago desc`",
    "cursor": "API nativa, cursor (`after`) por `valor_pago desc`",
}


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.{digits}f}"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("atingida" if ok else "**não atingida**")


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return None
    return a / b


def mb(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


class Table:
    def __init__(self) -> None:
        self.rows: list[str] = []
        self.misses: list[str] = []

    def add(self, name: str, paco: str, ref: str, rel: str, target: str, ok: bool | None) -> None:
        self.rows.append(f"| {name} | {paco} | {ref} | {rel} | {target} | {verdict(ok)} |")
        if ok is False:
            self.misses.append(f"{name}: {paco} (referência {ref}; {rel}; meta {target})")


def import_rows(table: Table, data: dict[str, Any], notes: list[str]) -> None:
    limit = data["limit"]
    label = f"Importação até publicado, {data['input']['rows']} linhas (s)"
    ref = (
        f"{fmt(limit['seconds'])} (iconv {fmt(limit['iconv_s'])} + DuckDB {fmt(limit['duckdb_s'])})"
    )
    paco = data.get("paco")
    if not data.get("has_import"):
        table.add(label, "não medido", ref, "—", "≤ 3×", None)
        notes.append(
            "`paco import-resource` ainda não existe neste checkout: importação não medida."
        )
        return
    assert paco is not None
    result = paco.get("result") or {}
    status = result.get("status", "falhou")
    r = ratio(paco["seconds"], limit["seconds"])
    ok = None if r is None else (r <= TARGET_IMPORT and status == "published")
    table.add(
        label,
        f"{fmt(paco['seconds'])} ({status})",
        ref,
        f"{fmt(r)}×" if r else "—",
        f"≤ {fmt(TARGET_IMPORT)}× o limite",
        ok,
    )
    errors = result.get("errors") or []
    if len(paco.get("times") or []) > 1:
        notes.append(
            f"Tempos da importação (melhor de {len(paco['times'])}, cada uma uma versão nova): "
            f"Paço {', '.join(fmt(t) for t in paco['times'])} s; limite "
            f"{', '.join(fmt(t) for t in limit.get('times') or [])} s."
        )
    if data.get("startup_s") is not None:
        start = data["startup_s"]
        net = ratio(paco["seconds"] - start, limit["seconds"])
        notes.append(
            f"Partida de `paco` (Python + Django, `paco help import-resource`): {fmt(start)} s; "
            f"sem ela a importação seria {fmt(net)}× o limite (a meta conta o comando inteiro)."
        )
    notes.append(
        f"Importação Paço: situação `{status}`, {result.get('rows', '?')} linhas, versão "
        f"{result.get('version', '?')}, {len(errors)} erro(s) listado(s), dados pessoais: "
        f"{result.get('personal_data') or 'nenhum'}."
    )
    if errors and status != "published":
        notes.append(f"Primeiro erro: {str(errors[0])[:300]}")
    elif paco.get("failure"):
        notes.append(f"Falha na importação/publicação: {paco['failure'][-300:]!r}")


def memory_rows(table: Table, data: dict[str, Any]) -> None:
    for label, key, limit_key in (
        (f"{data['input']['rows']} linhas", "paco", "limit"),
        ("arquivo de ~1 GiB", "big_paco", "big_limit"),
    ):
        limit = data.get(limit_key)
        if limit is None:
            continue
        paco = data.get(key)
        ref = f"DuckDB do limite {fmt(limit['duckdb_rss_mb'], 0)}"
        if paco is None:
            table.add(
                f"Pico de RSS da importação, {label} (MB)", "não medido", ref, "—", "≤ 500 MB", None
            )
            continue
        ok = paco["rss_mb"] <= TARGET_RSS_MB
        status = (paco.get("result") or {}).get("status", "falhou")
        table.add(
            f"Pico de RSS da importação, {label} (MB)",
            f"{fmt(paco['rss_mb'], 0)} ({status})",
            ref,
            "—",
            "≤ 500 MB",
            ok,
        )
    big, big_limit, big_paco = data.get("big_input"), data.get("big_limit"), data.get("big_paco")
    if big and big_limit:
        paco_s = (
            f"{fmt(big_paco['seconds'])} ({(big_paco.get('result') or {}).get('status', 'falhou')})"
            if big_paco
            else "não medido"
        )
        r = ratio(big_paco["seconds"], big_limit["seconds"]) if big_paco else None
        table.add(
            f"Importação do arquivo de {mb(big['bytes'])}, {big['rows']} linhas (s)",
            paco_s,
            f"limite {fmt(big_limit['seconds'])}",
            f"{fmt(r)}×" if r else "—",
            "(informativo)",
            None,
        )


def export_rows(table: Table, data: dict[str, Any], notes: list[str]) -> None:
    duck_all = data.get("duck_exports") or {"csv": data["duck_export"]}
    server, peers = data.get("server"), data.get("datasette")
    if server is None:
        table.add("Exportação completa por HTTP (s)", "não medido", "—", "—", "≤ 1×", None)
        return
    for fmt_name, info in server["exports"].items():
        duck = duck_all.get(fmt_name)
        dl = info["download"]
        ref = f"DuckDB COPY {fmt(duck['seconds'], 2)} ({mb(duck['bytes'])})" if duck else "—"
        r = ratio(dl.seconds, duck["seconds"]) if duck and dl.status == 200 else None
        length_ok = info["content_length"] == str(dl.size)
        paco = f"{fmt(dl.seconds, 2)} ({mb(dl.size)})" if dl.status == 200 else f"HTTP {dl.status}"
        table.add(
            f"Exportação {fmt_name.upper()} completa por HTTP (s)",
            paco,
            ref,
            f"{fmt(r, 2)}×" if r else "—",
            f"≤ {fmt(TARGET_EXPORT)}× o limite",
            None if r is None else r <= TARGET_EXPORT,
        )
        rng = info["range"]
        table.add(
            f"Exportação {fmt_name.upper()}: `Content-Length` exato e pedidos `Range`",
            f"Content-Length {info['content_length']}, Range "
            f"{rng['middle']['status']}/{rng['suffix']['status']}",
            f"{dl.size} bytes baixados",
            "—",
            "206 com Content-Range",
            length_ok and rng["ok"],
        )
        notes.append(
            f"Exportação {fmt_name}: tempos (melhor de {len(info['times'])}) Paço "
            f"{', '.join(fmt(t, 2) for t in info['times'])} s; DuckDB "
            f"{', '.join(fmt(t, 2) for t in duck['times']) if duck else '—'} s."
        )
    before = server.get("before_export")
    if before is not None:
        csv = server["exports"]["csv"]["download"]
        notes.append(
            f"Antes dos arquivos da versão (mesma execução), a exportação CSV em streaming "
            f"levou {fmt(before.seconds, 2)} s ({mb(before.size)}); servida do arquivo, "
            f"{fmt(csv.seconds, 2)} s."
        )
    dump = server.get("dump")
    if dump is not None:
        notes.append(
            f"Dump CKAN `/datastore/dump/<id>?format=csv` (com `_id`, ainda em streaming): "
            f"{fmt(dump.seconds, 2)} s ({mb(dump.size)}, HTTP {dump.status})."
        )
    if peers is not None:
        dl = peers["export"]
        paco_dl = server["exports"]["csv"]["download"]
        paco_s = paco_dl.seconds if paco_dl.status == 200 else None
        r = ratio(dl.seconds, paco_s)
        table.add(
            "Exportação CSV completa: Datasette `?_stream=on` (s)",
            fmt(paco_s, 2),
            f"Datasette {fmt(dl.seconds, 2)} ({mb(dl.size)}, HTTP {dl.status})",
            f"Paço {fmt(r)}× mais rápido" if r else "—",
            "> 10× mais rápido",
            None if r is None else r > TARGET_DATASETTE,
        )


def _load(load: Any) -> str:
    return f"{fmt(load.p50_ms)} / {fmt(load.p99_ms)}, {fmt(load.rps)}" + (
        f" ({load.errors} erros)" if load.errors else ""
    )


def latency_rows(table: Table, data: dict[str, Any], notes: list[str]) -> None:
    server, peers = data.get("server"), data.get("datasette")
    if server is None:
        table.add("Páginas, 4 clientes: p99 (ms)", "não medido", "—", "—", "p99 ≤ 200 ms", None)
        return
    before = server.get("before") or {}
    for shape, label in SHAPE_LABELS.items():
        after = server["after"][shape]
        base = before.get(shape)
        gain = ratio(after.rps, base.rps) if base else None
        table.add(
            f"Página {label}, offsets 0–100.000, wrk {after.connections} conexões "
            f"{after.seconds} s: p50 / p99 (ms), req/s",
            _load(after),
            f"antes (Parquet) {_load(base)}" if base else "—",
            f"{fmt(gain)}× req/s" if gain else "—",
            "p99 ≤ 200 ms e ≥ 3× req/s",
            after.p99_ms <= TARGET_P99_MS
            and after.errors == 0
            and (gain is None or gain >= TARGET_THROUGHPUT),
        )
    pg = data.get("postgres") or {}
    if pg.get("after"):
        for shape, label in SHAPE_LABELS.items():
            after = pg["after"][shape]
            sqlite = server["after"][shape]
            table.add(
                f"Idem em PostgreSQL: {label}: p50 / p99 (ms), req/s",
                _load(after),
                f"SQLite {_load(sqlite)}",
                "—",
                "p99 ≤ 200 ms",
                after.p99_ms <= TARGET_P99_MS and after.errors == 0,
            )
    elif pg.get("skipped"):
        notes.append(f"Implantação PostgreSQL não medida: {pg['skipped']}")
    ref = "—"
    if peers is not None:
        p = peers["sequential"]
        ref = f"Datasette {fmt(p.p50_ms)} / {fmt(p.p99_ms)}"
    s = server["sequential"]
    table.add(
        f"Página filtrada + ordenada, 1 cliente, {s.count} pedidos: p50 / p99 (ms)",
        f"{fmt(s.p50_ms)} / {fmt(s.p99_ms)}" + (f" ({s.errors} erros)" if s.errors else ""),
        ref,
        "—",
        "p99 ≤ 200 ms",
        s.p99_ms <= TARGET_P99_MS and s.errors == 0,
    )
    if peers is not None:
        peer_load = peers["load"]
        table.add(
            f"Datasette, página filtrada + ordenada, wrk {peer_load.connections} conexões: "
            "p50 / p99 (ms), req/s",
            _load(server["after"]["filtrada"]),
            f"Datasette {_load(peer_load)} (offsets ≤ 2.000)",
            "—",
            "(contexto)",
            None,
        )
    mixed = server.get("mixed")
    if mixed:
        page = mixed["pagina"]
        stalled = mixed.get("stalled") or []
        table.add(
            f"Carga mista: {page['clients']} clientes de páginas + {mixed['sql']['clients']} SQL "
            f"+ {mixed['exportacao']['clients']} exportação (+ {len(stalled)} parados), "
            f"{mixed['seconds']} s: páginas p50 / p99 (ms)",
            f"{fmt(page['p50_ms'])} / {fmt(page['p99_ms'])} ({page['count']} páginas"
            + (f", {page['errors']} erros" if page["errors"] else "")
            + ")",
            f"SQL p99 {fmt(mixed['sql']['p99_ms'])} ({mixed['sql']['count']}); exportações "
            f"{mixed['exportacao']['count']} ({fmt(mixed['exportacao']['mb'], 0)} MB)",
            "—",
            "p99 ≤ 500 ms",
            page["p99_ms"] <= TARGET_MIXED_P99_MS and page["errors"] == 0,
        )
        if stalled:
            notes.append(
                "Clientes parados na carga mista (pediram a exportação CSV e não leram): "
                + "; ".join(
                    f"respondido {'sim' if x['answered'] else 'não'}, conexão fechada pelo "
                    f"servidor {'sim' if x['closed_by_server'] else 'não'}"
                    for x in stalled
                )
                + "."
            )
    build = server.get("build") or {}
    if build:
        parts = build.get("seconds") if isinstance(build.get("seconds"), dict) else {}
        notes.append(
            f"Arquivos da versão (construídos uma vez após a publicação, pelo processador; "
            f"aqui pelo benchmark): {fmt(build.get('wall_s'))} s no total "
            f"(motor DuckDB + ordens {fmt(parts.get('engine'))} s, "
            f"exportações CSV/JSON {fmt(parts.get('exports'))} s, "
            f"índice de linhas {fmt(parts.get('row_index'))} s), "
            f"pico de RSS {fmt(build.get('rss_mb'), 0)} MB."
            + (f" Falhou: {build['failure'][-300:]!r}" if build.get("failure") else "")
        )
    cpu = data.get("cpu") or {}
    if "cpu_ms_p50" in cpu:
        table.add(
            f"Página filtrada em processo (sem servidor), {cpu['count']} pedidos: "
            "CPU p50 / p99 (ms)",
            f"{fmt(cpu['cpu_ms_p50'])} / {fmt(cpu['cpu_ms_p99'])}",
            f"parede {fmt(cpu['wall_ms_p50'])} / {fmt(cpu['wall_ms_p99'])}",
            "—",
            "(explica a latência)",
            None,
        )
    elif cpu:
        notes.append(f"CPU em processo não medida: {cpu.get('failure', '')[-200:]!r}")
    if peers is not None:
        same = server["pages"] == peers["pages"] and all(server["pages"])
        notes.append(
            "Primeira página de cada secretaria igual no Paço e no Datasette "
            f"(valores de `valor_pago`): {'sim' if same else '**não**'}."
        )


def render(data: dict[str, Any]) -> str:
    args = data["args"]
    table = Table()
    notes: list[str] = []
    import_rows(table, data, notes)
    export_rows(table, data, notes)
    latency_rows(table, data, notes)
    memory_rows(table, data)
    inp = data["input"]
    lines = ["## Dados abertos (issues 3 §8 e 12): `bench/opendata/run.py`", ""]
    lines += [f"- **{k}:** {v}" for k, v in data["machine"].items()]
    versions = f"DuckDB {data['limit']['duckdb']}"
    if data.get("peers_versions"):
        versions += "; " + "; ".join(data["peers_versions"])
    lines += [
        f"- **Versões:** {versions}",
        "- **Carga (loadavg 1/5/15 min):** "
        + "; ".join(f"{name}: {value}" for name, value in data["loads"]),
        f"- **Entrada:** {inp['rows']} linhas, {mb(inp['bytes'])} "
        "(`bench/opendata/gen_expenses.py`, semente 14129): Windows-1252, `;`, CRLF, "
        "`12.345,67`, `dd/mm/aaaa`, CNPJs com máscara, texto livre entre aspas com `“ ” –`, "
        f'`""` e `;`. Parquet exportado: {data.get("parquet_rows", "?")} linhas (fonte: '
        f"{data['export_source']}).",
        "- **Servidores:** `paco serve --no-worker` em modo produção (padrões: 2 processos × "
        "4 threads; SQLite, e PostgreSQL na segunda implantação) e Datasette (`-i`, uvicorn, "
        "sem índice, `sql_time_limit_ms=120000`, "
        "`suggest_facets off`, `max_csv_mb 0`), um de cada vez, clientes na mesma máquina.",
        "",
        "| Medida | Paço | Referência | Razão | Meta | Situação |",
        "|---|---:|---:|---:|---|---|",
        *table.rows,
        "",
    ]
    if data.get("peers_load"):
        load = data["peers_load"]
        notes.append(f"Carga no SQLite com sqlite-utils (não comparada): {fmt(load.seconds)} s.")
    lines += [f"- {n}" for n in notes]
    lines += [
        "",
        "*Tempos:* Paço e iconv em tempo de parede do processo (a importação inclui a "
        "partida do Django); os limites DuckDB contam só o trabalho dentro do DuckDB (sem a "
        "partida do Python), o que torna o limite mais estrito. Importações (as duas do "
        f"arquivo de 1M linhas) e exportações: o melhor de {args.repeat}, todas listadas; "
        "exportações HTTP com `curl` para /dev/null (Datasette: 1). *RSS:* "
        "`/usr/bin/time -v` (maior processo). *Latência:* cada pedido é uma consulta nova "
        "(secretaria × offset diferentes), numa conexão mantida; *CPU em processo:* cliente "
        "de teste do Django, CPU de todas as threads (DuckDB incluído), quase independe da "
        "carga da máquina.",
        "",
        "**Comandos:**",
        "",
        "```sh",
        f"python bench/opendata/gen_expenses.py despesas.csv --rows {args.rows}",
        "iconv -f cp1252 -t utf-8 despesas.csv > despesas.utf8.csv",
        "python bench/opendata/duck.py import despesas.utf8.csv limite.parquet"
        "  # read_csv(all_varchar) → CAST/strptime → COPY … (FORMAT parquet)",
        "/usr/bin/time -v paco import-resource despesas-bench despesas.csv --title Despesas",
        "paco shell -c '…set_dataset_state(None, dataset, \"published\")'  # fora do tempo",
        "python bench/opendata/duck.py export data.parquet limite.csv"
        "  # COPY (SELECT * FROM read_parquet(…)) TO … (FORMAT csv, HEADER)",
    ]
    if data.get("server"):
        s = data["server"]
        lines += [
            f"curl -s -o /dev/null 'http://127.0.0.1:PORTA{s['export_url']}'  # e .json, .parquet",
            "curl -r 1000-1999 …; curl -r -500 …  # 206 + Content-Range",
            *[f"GET {path}" for path in s["sample_paths"].values()],
            f"wrk -t 2 -c {args.connections} -d {args.duration}s --latency -s caminhos.lua …"
            f"  # {args.paths} caminhos diferentes por formato",
            "paco shell -c 'artifacts.build(versão)'  # arquivos da versão, entre antes e depois",
        ]
    if data.get("datasette"):
        p = data["datasette"]
        lines += [
            "sqlite-utils insert peers.db despesas limite.csv --csv  # tipos detectados (4.x)",
            "datasette serve -i peers.db --setting sql_time_limit_ms 120000 "
            "--setting suggest_facets off --setting max_csv_mb 0",
            f"curl -s -o /dev/null 'http://127.0.0.1:PORTA{p['export_url']}'",
            f"GET {p['sample_path']}",
        ]
    if data.get("big_input"):
        lines.append(
            f"python bench/opendata/gen_expenses.py grande.csv --bytes {args.big_bytes}"
            " && /usr/bin/time -v paco import-resource despesas-bench-grande grande.csv"
        )
    lines += ["```", ""]
    lines += (
        ["**Abaixo da meta:**", *[f"- {m}" for m in table.misses]]
        if table.misses
        else ["**Nenhuma meta medida ficou abaixo do alvo.**"]
    )
    return "\n".join(lines) + "\n"
