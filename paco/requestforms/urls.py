from django.urls import path

from paco.requestforms import staff_views, views

app_name = "requestforms"

urlpatterns = [
    path("servicos/horarios/gestao/", staff_views.slots, name="staff_slots"),
    path("servicos/gestao/<slug:slug>/formulario/", staff_views.form_edit, name="staff_form"),
    path("servicos/<slug:slug>/solicitar/", views.request_service, name="request"),
    path("servicos/<slug:slug>/solicitar/enviado/", views.sent, name="sent"),
]
