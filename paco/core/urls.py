from django.urls import path
from django.views.generic import TemplateView

from paco.core import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("contraste/", views.toggle_contrast, name="contrast"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "acessibilidade/",
        TemplateView.as_view(template_name="core/accessibility.html"),
        name="accessibility",
    ),
]
