"""URLs of Atendimento (mounted in ``paco/urls.py`` before the back office's catch-all)."""

from django.urls import path

from paco.atendimento import api, staff_views, views

app_name = "atendimento"

urlpatterns = [
    path("atendimento/", views.home, name="home"),
    path("atendimento/novo/<slug:kind_slug>/", views.new, name="new"),
    path("atendimento/meus-pedidos/", views.my_cases, name="mine"),
    path("atendimento/<str:number>/", views.case_page, name="case"),
    path("atendimento/<str:number>/arquivos/<int:pk>/", views.attachment, name="attachment"),
    path("atendimento/<str:number>/comprovante.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("protocolo/", views.lookup, name="lookup"),
    path("api/v1/atendimento/casos", api.cases, name="api-cases"),
    path("api/v1/atendimento/casos/<str:number>", api.case_detail, name="api-case"),
    path(
        "api/v1/atendimento/casos/<str:number>/documentos",
        api.case_documents,
        name="api-documents",
    ),
    path("api/v1/atendimento/casos/<str:number>/avaliacao", api.case_rating, name="api-rating"),
    path("api/v1/atendimento/caixa", api.inbox, name="api-inbox"),
    path("api/v1/atendimento/caixa/<str:number>", api.staff_case, name="api-staff-case"),
    path(
        "api/v1/atendimento/caixa/<str:number>/<slug:action>",
        api.staff_transition,
        name="api-transition",
    ),
    path("gestao/atendimento/", staff_views.inbox, name="inbox"),
    path("gestao/atendimento/registrar/", staff_views.walk_in, name="walk_in"),
    path("gestao/atendimento/<str:number>/", staff_views.case_page, name="staff_case"),
    path(
        "gestao/atendimento/<str:number>/arquivos/<int:pk>/",
        staff_views.staff_attachment,
        name="staff_attachment",
    ),
]
