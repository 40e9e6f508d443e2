"""schema.org ``GovernmentService`` for a service page."""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from paco.catalog.models import Service
from paco.tenancy.models import Municipality

#: the same escaping Django's ``json_script`` applies: nothing can close the <script> element
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def government_service(service: Service, url: str, town: Municipality) -> dict[str, Any]:
    unit = service.unit
    channels = []
    for step in service.steps.all():
        for ch in step.channels.all():
            entry: dict[str, Any] = {
                "@type": "ServiceChannel",
                "name": ch.get_kind_display(),
                "description": ch.description,
            }
            if ch.is_link:
                entry["serviceUrl"] = ch.description
            channels.append(entry)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": service.name,
        "alternateName": service.popular_name_list(),
        "description": service.description,
        "url": url,
        "serviceType": ", ".join(c.name for c in service.categories.all()),
        "audience": [
            {"@type": "Audience", "audienceType": a.name} for a in service.audiences.all()
        ],
        "areaServed": {"@type": "City", "name": f"{town.name}/{town.uf}"},
        "provider": {
            "@type": "GovernmentOrganization",
            "name": f"{unit.name} — {town.display_name}",
            "address": unit.address,
            "telephone": unit.phone,
            "email": unit.email,
        },
        "serviceOperator": {"@type": "GovernmentOrganization", "name": town.display_name},
        "availableChannel": channels,
        "isAccessibleForFree": service.is_free,
        "keywords": ", ".join(service.keyword_list()),
    }
    if service.last_reviewed:
        data["dateModified"] = service.last_reviewed.isoformat()
    return data


def script_content(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308 - escaped above like django.utils.html.json_script
