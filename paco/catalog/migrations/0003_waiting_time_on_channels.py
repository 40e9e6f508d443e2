"""The waiting time is kept in one place: on each channel (``Channel.waiting_time``).

``Service.waiting_time`` duplicated it and the public page showed both. Before the
column goes, its text is moved without loss:

- no channel of the service states a waiting time and the service has exactly one
  channel: the text moves to that channel;
- no channel states one and there are several channels (or none): the text is
  appended to the notes on the deadline (``time_description``) as
  “Tempo de espera previsto: …”, still shown on the public page;
- some channel states one (the page showed the channels' times first, inside the
  steps): the channels' times are kept; the service's text is kept as well when it
  repeats none of them, appended to the notes on the deadline, and the migration
  reports it, so the editor can tidy it up.

Reverse: the service's field comes back, filled with the channels' summary.
"""

import sys

from django.db import migrations, models

NOTE = "Tempo de espera previsto: {}"


def _note(service, text):
    note = NOTE.format(text)
    current = service.time_description or ""
    if note not in current:
        service.time_description = f"{current}\n{note}" if current else note
        service.save(update_fields=["time_description"])


def merge(apps, schema_editor):
    Service = apps.get_model("catalog", "Service")
    Channel = apps.get_model("catalog", "Channel")
    kept = []
    for service in Service.objects.exclude(waiting_time="").order_by("pk").iterator():
        text = service.waiting_time.strip()
        if not text:
            continue
        channels = list(
            Channel.objects.filter(step__service=service).order_by("step__order", "step_id", "pk")
        )
        waits = {c.waiting_time.strip() for c in channels if c.waiting_time.strip()}
        if not waits and len(channels) == 1:
            channels[0].waiting_time = text[:200]
            channels[0].save(update_fields=["waiting_time"])
        elif not waits:
            _note(service, text)
        elif text not in waits:
            _note(service, text)
            kept.append(f"  - serviço {service.pk} “{service.name}”: “{text}”")
    if kept:
        sys.stdout.write(
            "\n  Tempo de espera: estes serviços tinham um texto próprio além do tempo de "
            "cada canal; o texto foi mantido nas observações sobre o prazo (revise-o):\n"
            + "\n".join(kept)
            + "\n"
        )


def unmerge(apps, schema_editor):
    Service = apps.get_model("catalog", "Service")
    Channel = apps.get_model("catalog", "Channel")
    labels = dict(Channel._meta.get_field("kind").choices)
    for service in Service.objects.order_by("pk").iterator():
        seen = []
        channels = Channel.objects.filter(step__service=service).order_by(
            "step__order", "step_id", "pk"
        )
        for channel in channels:
            wait = channel.waiting_time.strip()
            text = f"{labels.get(channel.kind, channel.kind)}: {wait}"
            if wait and text not in seen:
                seen.append(text)
        if seen:
            service.waiting_time = "; ".join(seen)[:200]
            service.save(update_fields=["waiting_time"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_audiences")]
    operations = [
        migrations.AlterField(
            model_name="channel",
            name="waiting_time",
            field=models.CharField(
                blank=True,
                help_text="Quanto a pessoa espera para ser atendida neste canal, por exemplo "
                "“até 15 minutos”. É o único lugar onde o tempo de espera do serviço é informado.",
                max_length=200,
                verbose_name="tempo estimado de espera",
            ),
        ),
        migrations.RunPython(merge, unmerge),
        migrations.RemoveField(model_name="service", name="waiting_time"),
    ]
