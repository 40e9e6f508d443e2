"""Citizens' pages under ``/conta/`` (mounted before the staff accounts' URLs, whose
addresses they leave alone) and the staff task page under ``/gestao/``."""

from django.urls import path

from paco.citizens import govbr_views, views

app_name = "citizens"

urlpatterns = [
    path("", views.account, name="account"),
    path("cadastro/", views.sign_up, name="signup"),
    path("cadastro/enviado/", views.sign_up_sent, name="signup_sent"),
    path("confirmar/<str:token>/", views.verify, name="verify"),
    path("acesso/", views.login, name="login"),
    path("acesso/sair/", views.logout, name="logout"),
    path("recuperar/", views.PasswordResetView.as_view(), name="password_reset"),
    path("recuperar/enviado/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "recuperar/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "recuperar/concluido/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("govbr/entrar/", govbr_views.start, name="govbr_start"),
    path("govbr/retorno/", govbr_views.callback, name="govbr_callback"),
    path("govbr/saiu/", govbr_views.logged_out, name="govbr_logged_out"),
    path("meus-dados/", views.my_data, name="my_data"),
    path("meus-dados/meus-dados.json", views.my_data_export, name="my_data_export"),
    path("meus-dados/exclusao/", views.deletion_request, name="deletion_request"),
]
