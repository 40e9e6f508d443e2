"""URLs of paco.opendata.portal (mounted by paco/opendata/urls.py).

CKAN's page addresses (``/dataset/``, ``/organization/``, ``/group/``) are kept so
links people already know from other portals work here too.
"""

from django.urls import URLPattern, URLResolver, path

from paco.opendata.portal import dataset_views, feeds, pages, views

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("dados/", views.home, name="home"),
    path("dados/inventario/", pages.inventory, name="inventory"),
    path("dados/novidades/", pages.news, name="news"),
    path("dados/feeds/conjuntos.atom", feeds.datasets_feed, name="feed"),
    path(
        "dados/feeds/organizacao/<slug:slug>.atom",
        feeds.organization_feed,
        name="feed_organization",
    ),
    path("dados/feeds/tema/<slug:key>.atom", feeds.theme_feed, name="feed_theme"),
    path("dados/feeds/servicos.atom", feeds.services_feed, name="feed_services"),
    path("dados/embed/<uuid:resource_id>/", dataset_views.embed, name="embed"),
    path("dados/visita/<uuid:dataset_id>.gif", views.visit, name="visit"),
    path("dataset/", views.dataset_search, name="search"),
    path("dataset/<slug:name>/", dataset_views.dataset_page, name="dataset"),
    path(
        "dataset/<slug:name>/recurso/<uuid:resource_id>/",
        dataset_views.resource_page,
        name="resource",
    ),
    path("organization/", views.organizations, name="organizations"),
    path("organization/<slug:slug>/", views.organization, name="organization"),
    path("group/", views.groups, name="groups"),
    path("group/<slug:key>/", views.group, name="group"),
]
