"""Background work of the citizens app: the password-reset e-mail (token built in the worker)."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from paco.accounts.models import User
from paco.citizens.notices import SIGNATURE
from paco.core.mail import send_mail_task


@task()
def send_password_reset(user_id: int, domain: str, protocol: str) -> int:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    path = reverse(
        "citizens:password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    body = (
        f"Olá, {user.get_full_name() or 'cidadão'}.\n\n"
        "Recebemos um pedido para criar uma nova senha para a sua conta. Para continuar, "
        f"abra o link abaixo:\n\n{protocol}://{domain}{path}\n\n"
        "Se você não pediu, ignore esta mensagem: a senha atual continua valendo." + SIGNATURE
    )
    return int(send_mail_task.call("Nova senha da sua conta", body, [user.email]))
