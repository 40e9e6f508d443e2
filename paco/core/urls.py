from django.urls import path
from django.views.generic import TemplateView

from paco.core import views
from paco.env import env_bool

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

if env_bool("PACO_BENCH_HELLO", False):  # only for `make bench` (bench/run.py)
    from paco.core.bench_views import hello

    urlpatterns.append(path("bench/hello", hello, name="bench-hello"))
