"""Host names move from a text field to their own table, unique in the database.

A host name that more than one municipality listed stays with the oldest of
them (lowest id); the others lose it, and the migration says so on its output
(each town's administrator can ask the installation superuser to fix it).
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def _split(text):
    hosts = []
    for line in (text or "").splitlines():
        host = line.strip().lower().rstrip(".")
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def forwards(apps, schema_editor):
    Municipality = apps.get_model("tenancy", "Municipality")
    MunicipalityHost = apps.get_model("tenancy", "MunicipalityHost")
    owner = {}
    for town in Municipality.objects.order_by("pk"):
        for position, host in enumerate(_split(town.hosts)):
            if host in owner:
                print(
                    f"\n  Aviso: o endereço {host} já pertence ao município {owner[host]}; "
                    f"removido do município {town.pk}."
                )
                continue
            owner[host] = town.pk
            MunicipalityHost.objects.create(municipality=town, host=host, position=position)


def backwards(apps, schema_editor):
    Municipality = apps.get_model("tenancy", "Municipality")
    MunicipalityHost = apps.get_model("tenancy", "MunicipalityHost")
    for town in Municipality.objects.all():
        rows = MunicipalityHost.objects.filter(municipality=town).order_by("position", "id")
        town.hosts = "\n".join(r.host for r in rows)
        town.save(update_fields=["hosts"])


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="MunicipalityHost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("host", models.CharField(max_length=253, unique=True, verbose_name="endereço (host)")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="ordem")),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="host_names",
                        to="tenancy.municipality",
                        verbose_name="município",
                    ),
                ),
            ],
            options={
                "verbose_name": "endereço do município",
                "verbose_name_plural": "endereços dos municípios",
                "ordering": ["position", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("host", Lower("host"))),
                        name="municipality_host_lowercase",
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="municipality", name="hosts"),
    ]
