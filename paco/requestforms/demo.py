"""Demo forms: street lighting and potholes (a place, Open311), tree pruning (a photo),
free neutering (documents and appointment slots). Loaded after the charter."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from paco.catalog.models import Service
from paco.requestforms import actions
from paco.requestforms.models import FieldKind, FormField, ServiceForm
from paco.tenancy.models import Municipality

#: slug → (settings, questions: (key, label, kind, required, choices, required_if))
FORMS: dict[str, tuple[dict[str, Any], list[tuple[str, str, str, bool, str, str]]]] = {
    "conserto-de-iluminacao-publica": (
        {
            "requires_location": True,
            "intro": "Diga onde está o poste. O número da plaqueta "
            "ajuda a equipe a achar mais rápido.",
        },
        [
            (
                "problema",
                "Qual é o problema?",
                FieldKind.CHOICE,
                True,
                "Lâmpada apagada\nLâmpada acesa de dia\nLâmpada piscando\nPoste ou fio danificado",
                "",
            ),
            ("numero-do-poste", "Número do poste (plaqueta)", FieldKind.TEXT, False, "", ""),
        ],
    ),
    "conserto-de-buraco-na-rua-tapa-buraco": (
        {"requires_location": True},
        [
            ("tem-foto", "Quer mandar uma foto do buraco?", FieldKind.YES_NO, True, "", ""),
            ("foto", "Foto do buraco", FieldKind.FILE, False, "", "tem-foto=sim"),
        ],
    ),
    "poda-ou-corte-de-arvore": (
        {"requires_location": True},
        [
            ("pedido", "O que você pede?", FieldKind.CHOICE, True, "Poda\nCorte (remoção)", ""),
            ("risco", "A árvore ameaça cair ou encosta na fiação?", FieldKind.YES_NO, True, "", ""),
        ],
    ),
    "castracao-gratuita-de-caes-e-gatos": (
        {"appointments": True},
        [
            ("especie", "Espécie do animal", FieldKind.CHOICE, True, "Cão\nGato", ""),
            ("nascimento", "Data de nascimento aproximada", FieldKind.DATE, False, "", ""),
            ("cpf-tutor", "CPF do tutor", FieldKind.CPF, True, "", ""),
        ],
    ),
}


def load(town: Municipality, units: dict[str, Any]) -> None:
    if ServiceForm.objects.for_municipality(town).exists():
        return
    services = Service.objects.for_municipality(town)
    for slug, (settings, questions) in FORMS.items():
        service = services.filter(slug=slug).first()
        if service is None:
            continue
        form = actions.create_form(None, service)
        for position, (key, label, kind, required, choices, condition) in enumerate(questions, 1):
            other, _, value = condition.partition("=")
            FormField.objects.create(
                form=form, position=position, key=key, label=label, kind=kind,
                required=required, choices=choices, required_if_key=other,
                required_if_value=value,
            )  # fmt: skip
        form.fields.filter(kind=FieldKind.FILE).update(file_types="jpeg,png")  # photos
        for name, value in {"enabled": True, **settings}.items():
            setattr(form, name, value)
        actions.save_form(None, form)
        if form.requires_location:  # the place and the photo are questions of the form
            form.documents.update(ask_online=False)
        if form.appointments:
            today = timezone.localdate()
            actions.create_slots(
                None,
                service.unit,
                first_day=today + datetime.timedelta(days=1),
                last_day=today + datetime.timedelta(days=28),
                weekdays=[1, 3],
                times=[datetime.time(8, 30), datetime.time(9, 30), datetime.time(14, 0)],
                capacity=4,
            )
