"""E-mails to citizens, sent after commit (``paco.core.mail``).

The confirmation link is built inside the task from the user's id, so the task
queue never holds a usable token (as ``paco.accounts.tasks`` does for resets).
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django_tasks import task

from paco.accounts.models import User
from paco.core.mail import send_mail_on_commit, send_mail_task

SIGNATURE = "\n--\nEsta mensagem foi enviada automaticamente; não é preciso respondê-la.\n"


@task()
def send_verification(user_id: int, root: str) -> int:
    from paco.citizens import tokens

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    link = root + reverse("citizens:verify", args=[tokens.make(user)])
    body = (
        f"Olá, {user.get_full_name() or 'cidadão'}.\n\n"
        "Para confirmar o e-mail da sua conta, abra o link abaixo (vale por 3 dias):\n\n"
        f"{link}\n\n"
        "Se você não criou esta conta, ignore esta mensagem." + SIGNATURE
    )
    return int(send_mail_task.call("Confirme o seu e-mail", body, [user.email]))


def verify_email(user_id: int, root: str) -> None:
    transaction.on_commit(lambda: send_verification.enqueue(user_id, root))


def account_exists(email: str, root: str) -> None:
    body = (
        "Olá.\n\nAlguém (talvez você) tentou criar uma conta com este e-mail, mas já existe "
        "uma conta com ele.\n\n"
        f"Para entrar: {root}{reverse('citizens:login')}\n"
        f"Esqueceu a senha? {root}{reverse('citizens:password_reset')}\n\n"
        "Se não foi você, ignore esta mensagem: nada foi alterado." + SIGNATURE
    )
    send_mail_on_commit("Você já tem uma conta", body, [email])


def cpf_taken(email: str, root: str) -> None:
    body = (
        "Olá.\n\nNão foi possível criar a conta pedida com este e-mail: o CPF informado já "
        "está em uma conta.\n\n"
        f"Se a conta é sua, entre com o CPF e a senha ({root}{reverse('citizens:login')}), "
        "recupere a senha, ou entre com o gov.br. Se você não reconhece essa conta, procure "
        "a prefeitura." + SIGNATURE
    )
    send_mail_on_commit("Não foi possível criar a conta", body, [email])


def deletion_answered(email: str, status: str, answer: str) -> None:
    body = (
        "Olá.\n\nA prefeitura respondeu ao seu pedido de exclusão de dados pessoais.\n\n"
        f"Situação: {status}\n\nResposta:\n{answer}\n" + SIGNATURE
    )
    send_mail_on_commit("Resposta ao seu pedido de exclusão de dados", body, [email])
