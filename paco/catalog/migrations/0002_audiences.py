from django.db import migrations

AUDIENCES = [
    ("cidadaos", "Cidadãos"),
    ("empresas", "Empresas"),
    ("orgaos-e-entidades-publicas", "Órgãos e entidades públicas"),
    ("demais-segmentos", "Demais segmentos (ONGs, organizações sociais, etc)"),
]


def create(apps, schema_editor):
    Audience = apps.get_model("catalog", "Audience")
    for order, (slug, name) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
