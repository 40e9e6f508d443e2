"""Top-level URLs. Each app owns its own ``urls.py``; this file only mounts them."""

from django.urls import include, path

from paco.core.admin import site as backoffice

urlpatterns = [
    # before the admin, whose catch-all would answer every /gestao/... address
    path("", include("paco.notifications.urls")),
    path("", include("paco.citizens.staff_urls")),
    path("", include("paco.atendimento.urls")),
    path("", include("paco.deadlines.urls")),
    path("gestao/", backoffice.urls),
    path("conta/", include("paco.accounts.urls")),
    path("conta/", include("paco.citizens.urls")),
    path("", include("paco.core.urls")),
    path("", include("paco.plans.urls")),
    path("", include("paco.requestforms.urls")),
    path("", include("paco.catalog.urls")),
    path("open311/v2/", include("paco.open311.urls")),
    path("", include("paco.datarequests.urls")),
    path("", include("paco.panel.urls")),
    path("", include("paco.receipts.urls")),
    path("", include("paco.opendata.urls")),
]

# JSON errors under /api/v1/ (the native API), HTML pages elsewhere (403 says why)
handler403 = "paco.core.http.permission_denied"
handler404 = "paco.core.http.page_not_found"
handler500 = "paco.core.http.server_error"
