from django.urls import path

from paco.accounts import totp_views, views

app_name = "accounts"

urlpatterns = [
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("sair/", views.LogoutView.as_view(), name="logout"),
    path("senha/", views.PasswordChangeView.as_view(), name="password_change"),
    path("senha/alterada/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("senha/esqueci/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "senha/esqueci/enviado/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "senha/redefinir/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "senha/redefinida/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("2fa/", totp_views.two_factor, name="two_factor"),
]
