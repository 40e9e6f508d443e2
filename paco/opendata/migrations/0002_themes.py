"""Load the DCAT-BR theme vocabulary (data/dcat-br/vocabularies/themes)."""

from django.db import migrations


def load_themes(apps, schema_editor):
    from paco.opendata import vocab

    Theme = apps.get_model("opendata", "Theme")
    for term in vocab.themes():
        Theme.objects.update_or_create(key=term.key, defaults={"uri": term.uri, "label": term.label})


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]

    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]
