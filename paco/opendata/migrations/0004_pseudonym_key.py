"""The pseudonymization key becomes each municipality's own persisted secret.

Towns that exist when this runs get the key the "hash" treatment used until now
(derived from Django's SECRET_KEY), once: the pseudonyms they already published
stay the same. Towns created later get a random key (``actions.pseudonym_key``).
"""

import hashlib
import hmac
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def legacy_key(secret_key: str) -> str:
    # the derivation of paco.opendata.pipeline.actions.hash_secret before this migration
    return hmac.new(secret_key.encode(), b"paco.opendata.lgpd-hash", hashlib.sha256).hexdigest()


def keep_published_pseudonyms(apps: Any, schema_editor: Any) -> None:
    Municipality = apps.get_model("tenancy", "Municipality")
    PseudonymKey = apps.get_model("opendata", "PseudonymKey")
    key = legacy_key(settings.SECRET_KEY)
    for town_id in Municipality.objects.values_list("pk", flat=True):
        PseudonymKey.objects.get_or_create(
            municipality_id=town_id, defaults={"key": key, "origin": "secret_key"}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('opendata', '0003_resourceversion_csv_export'),
        ('tenancy', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PseudonymKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(editable=False, max_length=128, verbose_name='chave')),
                ('origin', models.CharField(editable=False, max_length=20, verbose_name='origem')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='criada em')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.municipality', verbose_name='município')),
            ],
            options={
                'verbose_name': 'chave de pseudonimização',
                'verbose_name_plural': 'chaves de pseudonimização',
                'constraints': [models.UniqueConstraint(fields=('municipality',), name='pseudonymkey_one_per_town')],
            },
        ),
        migrations.RunPython(keep_published_pseudonyms, migrations.RunPython.noop),
    ]
