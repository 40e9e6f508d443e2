"""Hash chain and append-only triggers for the audit trail (issue 8, §3).

Adds ``seq``/``prev_digest``/``digest``, links the existing entries in the order
they were written, then installs the database triggers (``paco.audit.triggers``);
the backfill runs before the triggers exist. ``actor`` becomes ``PROTECT`` (a
``SET NULL`` would be an UPDATE of the trail) and ``at`` is set by ``record()``
before the digest is computed (instead of ``auto_now_add`` at insert time).
"""

from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def link_existing(apps: Any, schema_editor: Any) -> None:
    from paco.audit.chain import GENESIS, digest_of

    entry_model = apps.get_model("audit", "AuditEntry")
    previous = GENESIS
    for seq, entry in enumerate(entry_model.objects.order_by("at", "id").iterator(), start=1):
        entry.seq, entry.prev_digest = seq, previous
        entry.digest = previous = digest_of(entry)
        entry.save(update_fields=["seq", "prev_digest", "digest"])


def install_triggers(apps: Any, schema_editor: Any) -> None:
    from paco.audit import triggers

    triggers.install(schema_editor.connection)


def remove_triggers(apps: Any, schema_editor: Any) -> None:
    from paco.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="quando"
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to=settings.AUTH_USER_MODEL,
                verbose_name="quem",
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="nº na cadeia"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_digest",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="resumo do anterior"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="digest",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="resumo (SHA-256)"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(link_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="nº na cadeia"
            ),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={
                "ordering": ["-seq"],
                "verbose_name": "registro de auditoria",
                "verbose_name_plural": "trilha de auditoria",
            },
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
