"""URLs of the requests to open a database (mounted in ``paco/urls.py``)."""

from django.urls import path

from paco.datarequests import staff_views, views

app_name = "datarequests"

urlpatterns = [
    path("dados/pedidos/", views.request_list, name="list"),
    path("dados/pedidos/novo/", views.new_request, name="new"),
    path("dados/pedidos/acompanhar/", views.resend_link, name="resend"),
    path("dados/pedidos/acompanhar/<str:token>/", views.track, name="track"),
    path("dados/pedidos/<str:protocol>/", views.request_detail, name="detail"),
    path("dados/gestao/pedidos/", staff_views.staff_list, name="staff_list"),
    path("dados/gestao/pedidos/<str:protocol>/", staff_views.staff_detail, name="staff_detail"),
]
