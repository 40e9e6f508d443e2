"""Every audit action code has a pt-BR sentence, and people see the sentence."""

import ast
from pathlib import Path

import pytest

from paco.audit.labels import LABELS, action_name, describe
from paco.audit.models import AuditEntry
from paco.audit.services import record
from paco.opendata.models import DatasetState
from paco.tenancy.actions import save_unit

ROOT = Path(__file__).resolve().parents[2]

# Codes built at run time: what each f-string can produce. A new f-string code
# fails ``test_every_recorded_code_has_a_label`` until it is listed here.
DYNAMIC = {
    "{label}.create": ["category.create", "lifeevent.create"],
    "{label}.update": ["category.update", "lifeevent.update"],
    "{label}.delete": ["category.delete", "lifeevent.delete"],
    "dataset.{state}": [f"dataset.{state}" for state in DatasetState.values],
    "user.password_{via}": ["user.password_change", "user.password_reset"],
}


def _template(node: ast.JoinedStr) -> str:
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else "{" + ast.unparse(part.value) + "}"
        for part in node.values
        if isinstance(part, ast.Constant | ast.FormattedValue)
    )


def _codes(node: ast.expr, function: ast.AST | None, module: ast.Module) -> list[str]:
    """The codes an expression passed as ``action`` can hold."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _codes(node.body, function, module) + _codes(node.orelse, function, module)
    if isinstance(node, ast.JoinedStr):
        template = _template(node)
        if template in DYNAMIC:
            return DYNAMIC[template]
        names = [ast.unparse(p.value) for p in node.values if isinstance(p, ast.FormattedValue)]
        if len(names) == 1 and isinstance(function, ast.FunctionDef):
            head, tail = template.split("{" + names[0] + "}")
            return [head + v + tail for v in _argument_values(names[0], function, module)]
        raise AssertionError(f"código de auditoria dinâmico sem lista em DYNAMIC: {template!r}")
    if isinstance(node, ast.Name) and isinstance(function, ast.FunctionDef):
        assigned = [
            c
            for sub in ast.walk(function)
            if isinstance(sub, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in sub.targets)
            for c in _codes(sub.value, function, module)
        ]
        return assigned or _argument_values(node.id, function, module)
    raise AssertionError(f"código de auditoria que o teste não sabe ler: {ast.unparse(node)}")


def _argument_values(name: str, function: ast.FunctionDef, module: ast.Module) -> list[str]:
    """Constant values the module's calls of ``function`` pass for parameter ``name``."""
    params = [a.arg for a in function.args.args]
    position = params.index(name)
    values = []
    for call in ast.walk(module):
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == function.name):
            continue
        args = {k.arg: k.value for k in call.keywords}
        arg = call.args[position] if len(call.args) > position else args.get(name)
        if arg is None:
            continue
        values += _codes(arg, None, module)
    assert values, f"nenhuma chamada de {function.name} passa {name}"
    return values


def _recorded_codes() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        module = ast.parse(path.read_text())
        parents = {c: p for p in ast.walk(module) for c in ast.iter_child_nodes(p)}
        for call in ast.walk(module):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "record"):
                continue
            action = call.args[1] if len(call.args) > 1 else None
            action = action or next((k.value for k in call.keywords if k.arg == "action"), None)
            if action is None:
                continue
            function: ast.AST = call
            while function in parents and not isinstance(function, ast.FunctionDef):
                function = parents[function]
            for code in _codes(action, function, module):
                found[code] = f"{path.relative_to(ROOT.parent)}:{call.lineno}"
    return found


def test_every_recorded_code_has_a_label():
    codes = _recorded_codes()
    assert len(codes) > 40, "a leitura das chamadas de record() quebrou"
    missing = {code: where for code, where in codes.items() if code not in LABELS}
    assert not missing, f"ações de auditoria sem rótulo em paco/audit/labels.py: {missing}"
    for code in LABELS:
        assert action_name(code)


def test_record_refuses_a_code_without_a_label(admin_x, unit_x_a):
    with pytest.raises(ValueError, match="sem rótulo"):
        record(admin_x, "unit.teleport", unit_x_a)
    assert not AuditEntry.objects.filter(action="unit.teleport").exists()


@pytest.mark.parametrize(
    ("action", "changes", "sentence"),
    [
        ("version.publish", {"current_version": [1, 2]}, "Publicou a versão 2 de «Escolas»"),
        ("service.status", {"status": ["draft", "published"]}, "Publicou o serviço «Escolas»"),
        ("service.update", {"name": ["A", "B"]}, "Alterou o serviço «Escolas»"),
        ("plan.stages_replaced", {"stages": [7, 0]}, "(7 etapas removidas)"),
        ("version.process", {"status": ["processing", "failed"]}, "«Escolas» falhou"),
    ],
)
def test_sentences_use_the_entry(action, changes, sentence):
    entry = AuditEntry(action=action, object_repr="Escolas", changes=changes)
    assert sentence in describe(entry)


def test_the_back_office_shows_the_sentence(client_for, admin_x, town_x, unit_x_a):
    unit_x_a.name = "Secretaria de Obras"
    save_unit(admin_x, unit_x_a)
    client = client_for(admin_x, town_x)
    page = client.get("/gestao/audit/auditentry/").content.decode()
    assert "Alterou a unidade «Secretaria de Obras (SA)»" in page
    entry = AuditEntry.objects.for_object(unit_x_a).get()
    detail = client.get(f"/gestao/audit/auditentry/{entry.pk}/change/").content.decode()
    assert "Alterou a unidade «Secretaria de Obras (SA)»" in detail
    filtered = client.get("/gestao/audit/auditentry/?action=unit.update").content.decode()
    assert "Alterou a unidade «…»" in filtered
