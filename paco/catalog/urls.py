from django.urls import path

from paco.catalog import api, openapi, sitemaps, staff_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("servicos/", views.service_list, name="list"),
    path("servicos/categoria/<slug:slug>/", views.category, name="category"),
    path("servicos/publico/<slug:slug>/", views.audience, name="audience"),
    path("servicos/evento/<slug:slug>/", views.life_event, name="life_event"),
    path("servicos/unidade/<slug:slug>/", views.unit, name="unit"),
    path("servicos/gestao/", staff_views.service_list, name="staff_list"),
    path("servicos/gestao/<slug:slug>/", staff_views.service_edit, name="staff_edit"),
    path("servicos/gestao/<slug:slug>/etapas/<int:pk>/", staff_views.step_edit, name="staff_step"),
    path("servicos/<slug:slug>/", views.service_detail, name="service"),
    path("api/bnsp/servicos.json", api.service_list, name="bnsp_list"),
    path("api/bnsp/servicos/<int:pk>.json", api.service_detail, name="bnsp_detail"),
    path("api/bnsp/openapi.json", openapi.openapi_view, name="bnsp_openapi"),
    path("sitemap.xml", sitemaps.sitemap_view, name="sitemap"),
]
