from django.urls import path

from paco.open311 import views

app_name = "open311"

urlpatterns = [
    path("services.json", views.services, name="services"),
    path("services/<str:code>.json", views.service_definition, name="service"),
    path("requests.json", views.requests, name="requests"),
    # the NUP has a slash (23037.001462/2021-65): the id is a path
    path("requests/<path:request_id>.json", views.request_detail, name="request"),
    # anything else under /open311/v2/: the spec's error array, not an HTML page
    path("<path:rest>", views.not_found, name="not_found"),
]
