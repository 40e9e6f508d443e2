"""``paco import-resource``: dataset created as draft, JSON last line, exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from paco.cli import call
from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState, Resource, VersionStatus
from paco.opendata.testing import opendata_storage  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

KEYS = {
    "dataset",
    "dataset_state",
    "resource_id",
    "version",
    "version_state",
    "status",
    "published",
    "public",
    "visibility",
    "rows",
    "errors",
    "warnings",
    "personal_data",
    "review_required",
}


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def run(*args: str) -> tuple[dict, str]:
    out, err = io.StringIO(), io.StringIO()
    call("import-resource", *args, stdout=out, stderr=err)
    return last_json(out.getvalue()), err.getvalue()


def test_creates_draft_dataset_in_main_unit_and_publishes(town_x, unit_x_a, tmp_path: Path):
    f = tmp_path / "Obras 2025.csv"
    f.write_bytes(
        "obra;valor;início\nPonte “nova”;1.234,56;01/02/2025\nEscola;10,00;\n".encode("cp1252")
    )
    summary, err = run("obras", str(f), "--municipality", town_x.slug, "--title", "Obras públicas")
    assert set(summary) == KEYS
    dataset = Dataset.objects.get(municipality=town_x, name="obras")
    assert dataset.state == DatasetState.DRAFT and dataset.unit.parent is None
    assert dataset.title == "Obras públicas"
    resource = Resource.objects.get(pk=summary["resource_id"])
    assert resource.current_version is not None
    assert resource.name == "obras-2025" and resource.current_version.number == 1
    assert summary == {
        "dataset": "obras",
        "dataset_state": "draft",
        "resource_id": str(resource.pk),
        "version": 1,
        "version_state": "published",
        "status": "published",
        "published": True,
        "public": False,  # the version is current, but nobody sees a draft dataset
        "visibility": "A versão 1 foi publicada, mas o conjunto “obras” está em rascunho: o "
        "público não o vê. Publique o conjunto na gestão (ou use --publish ao criá-lo).",
        "rows": 2,
        "errors": [],
        "warnings": [],
        "personal_data": [],
        "review_required": "",
    }
    assert "rascunho" in err


def test_publish_publishes_the_dataset_it_created(town_x, unit_x_a, tmp_path, client):
    f = tmp_path / "obras.csv"
    f.write_text("obra;valor\nPonte;1.234,56\nEscola;10,00\n")
    summary, _ = run("obras", str(f), "--municipality", town_x.slug, "--publish")
    assert set(summary) == KEYS | {"public_url"}
    assert Dataset.objects.get(name="obras").state == DatasetState.PUBLISHED
    assert (summary["dataset_state"], summary["published"], summary["public"]) == (
        "published",
        True,
        True,
    )
    host = town_x.host_list()[0]
    assert summary["public_url"] == f"http://{host}/dataset/obras/"
    page = client.get("/dataset/obras/", HTTP_HOST=host)
    assert page.status_code == 200 and "Ponte" in page.content.decode()
    assert summary["visibility"] == "A versão 1 está publicada e visível para o público."


def test_publish_never_publishes_a_dataset_it_did_not_create(town_x, unit_x_a, tmp_path):
    actions.create_dataset(None, town_x, title="Frota", unit=unit_x_a, name="frota")
    f = tmp_path / "frota.csv"
    f.write_text("x;y\n1;2\n")
    summary, _ = run("frota", str(f), "--municipality", town_x.slug, "--publish")
    assert Dataset.objects.get(name="frota").state == DatasetState.DRAFT
    assert (summary["dataset_state"], summary["public"]) == ("draft", False)
    assert "public_url" not in summary


def test_a_version_held_for_review_is_reported_as_not_public(town_x, unit_x_a, tmp_path):
    """The truth comes from the version's stored status, whatever rule held it."""
    f = tmp_path / "servidores.csv"
    f.write_text(
        "nome;cpf;salario\nMaria da Silva;529.982.247-25;1.000,00\n"
        "João Souza;111.444.777-35;2.000,00\nAna Lima;935.411.347-80;3.000,00\n"
    )
    summary, _ = run("servidores", str(f), "--municipality", town_x.slug, "--publish")
    assert summary["version_state"] == VersionStatus.NEEDS_REVIEW
    assert (summary["published"], summary["public"]) == (False, False)
    assert "public_url" not in summary
    assert summary["visibility"] == (
        "A versão 1 aguarda a decisão sobre os dados pessoais encontrados: nada novo aparece "
        "para o público."
    )
    # --publish publishes a dataset only with a published version in it
    assert Dataset.objects.get(name="servidores").state == DatasetState.DRAFT


def test_second_import_is_a_new_version_of_the_only_resource(town_x, unit_x_a, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("x;y\n1;2\n")
    first, _ = run("frota", str(f), "--municipality", town_x.slug)
    g = tmp_path / "outro-nome.csv"
    g.write_text("x;y\n1;2\n3;4\n")
    second, _ = run("frota", str(g), "--municipality", town_x.slug)
    assert second["resource_id"] == first["resource_id"] and second["version"] == 2
    assert second["rows"] == 2
    named, _ = run("frota", str(g), "--municipality", town_x.slug, "--resource", "extra")
    assert named["resource_id"] != first["resource_id"] and named["version"] == 1


def test_existing_dataset_keeps_its_unit(town_x, unit_x_a, tmp_path):
    actions.create_dataset(None, town_x, title="Despesas", unit=unit_x_a, name="despesas")
    f = tmp_path / "d.csv"
    f.write_text("x;y\n1;2\n")
    run("despesas", str(f), "--municipality", town_x.slug)
    assert Dataset.objects.get(name="despesas").unit == unit_x_a


def test_personal_data_needs_review_and_exits_zero(town_x, unit_x_a, tmp_path):
    f = tmp_path / "servidores.csv"
    f.write_text(
        "nome;cpf;salario\nMaria da Silva;529.982.247-25;1.000,00\n"
        "João Souza;111.444.777-35;2.000,00\nAna Lima;935.411.347-80;3.000,00\n"
    )
    summary, _ = run("servidores", str(f), "--municipality", town_x.slug)
    assert summary["status"] == VersionStatus.NEEDS_REVIEW
    assert summary["review_required"].startswith("Não publicada automaticamente")
    assert "dados pessoais" in summary["review_required"]
    cpf = [p for p in summary["personal_data"] if p["column"] == "cpf"]
    assert cpf and cpf[0]["kind"] == "cpf" and cpf[0]["reason"]
    assert "529.982.247-25" not in json.dumps(summary)
    assert Resource.objects.get(pk=summary["resource_id"]).current_version is None


def test_type_errors_do_not_block_and_are_listed(town_x, unit_x_a, tmp_path):
    f = tmp_path / "valores.csv"
    f.write_text("item;valor\n" + "".join(f"i{n};{n},5\n" for n in range(30)) + "x;doze\n")
    summary, _ = run("valores", str(f), "--municipality", town_x.slug)
    assert summary["status"] == "published"
    assert any("Linha 32" in e and "valor" in e for e in summary["errors"])


def test_many_errors_are_summarized(town_x, unit_x_a, tmp_path):
    f = tmp_path / "ruins.csv"
    good = "".join(f"i{n};{n},5\n" for n in range(2000))
    bad = "".join(f"x{n};abc{n}\n" for n in range(150))
    f.write_text("item;valor\n" + good + bad)
    summary, _ = run("ruins", str(f), "--municipality", town_x.slug)
    assert len(summary["errors"]) == 101
    assert summary["errors"][-1].startswith("… e mais 50 problema(s)")


def test_rejected_file_exits_non_zero_after_the_json_line(town_x, unit_x_a, tmp_path):
    f = tmp_path / "quebrado.csv"
    f.write_text('a;b\n1;2\n3;"sem fim\n4;5\n')
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call("import-resource", "q", str(f), "--municipality", town_x.slug, stdout=out)
    assert exc.value.returncode == 1
    summary = last_json(out.getvalue())
    assert summary["status"] == "rejected" and summary["rows"] is None
    assert summary["errors"] and summary["errors"][0].startswith("Linha 3")


def test_missing_file_and_unknown_town(town_x, unit_x_a, tmp_path):
    with pytest.raises(CommandError, match="não encontrado"):
        run("x", str(tmp_path / "nada.csv"), "--municipality", town_x.slug)
    f = tmp_path / "a.csv"
    f.write_text("a\n1\n")
    with pytest.raises(CommandError, match="Município"):
        run("x", str(f), "--municipality", "nao-existe")


def test_progress_bar_only_on_a_terminal(town_x, unit_x_a, tmp_path):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    f = tmp_path / "a.csv"
    f.write_text("a;b\n" + "1;2\n" * 50)
    err, out = Tty(), io.StringIO()
    call("import-resource", "t", str(f), "--municipality", town_x.slug, stdout=out, stderr=err)
    assert "100%" in err.getvalue() or "99%" in err.getvalue()
    assert "\r[" in err.getvalue()
    assert "\r" not in out.getvalue()


def test_the_command_is_documented():
    from paco.core.clidocs import COMMANDS

    assert "import-resource" in COMMANDS
