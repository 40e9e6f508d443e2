"""Background work of the accounts app."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from paco.accounts.models import User
from paco.core.mail import send_mail_task

RESET_SUBJECT = "accounts/email/password_reset_subject.txt"
RESET_BODY = "accounts/email/password_reset.txt"


@task()
def send_password_reset(user_id: int, domain: str, protocol: str) -> int:
    """Build the reset link *inside the worker* and send it.

    Only the user's id travels through the queue, so the task table never holds
    a usable reset token.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    context = {
        "user": user,
        "domain": domain,
        "protocol": protocol,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = " ".join(loader.render_to_string(RESET_SUBJECT, context).splitlines()).strip()
    body = loader.render_to_string(RESET_BODY, context)
    return int(send_mail_task.call(subject, body, [user.email]))
