"""Staff task page: the citizens' requests to delete their data, for the town administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from paco.accounts.models import Role
from paco.accounts.permissions import has_role, refuse
from paco.citizens import actions
from paco.citizens.forms import DeletionAnswerForm
from paco.citizens.models import DeletionRequest, DeletionStatus
from paco.tenancy.access import current_municipality

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def deletion_requests(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    if not has_role(request.user, town, Role.ADMIN, None):
        refuse(request.user, town, Role.ADMIN)
    requests = DeletionRequest.objects.for_municipality(town)
    forms: dict[int, DeletionAnswerForm] = {}
    if request.method == "POST":
        try:
            chosen = requests.get(pk=int(request.POST.get("pedido", "")))
        except (ValueError, DeletionRequest.DoesNotExist):
            raise Http404("Pedido não encontrado.") from None
        form = DeletionAnswerForm(request.POST, prefix=f"p{chosen.pk}")
        if form.is_valid():
            try:
                actions.resolve_deletion_request(
                    request.user,  # type: ignore[arg-type]
                    chosen,
                    outcome=form.cleaned_data["outcome"],
                    answer=form.cleaned_data["answer"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(
                    None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                )
            else:
                messages.success(request, f"{chosen} respondido.")
                return redirect("citizens_staff:deletion_requests")
        forms[chosen.pk] = form
    pending = list(requests.pending().select_related("citizen"))
    for item in pending:
        forms.setdefault(item.pk, DeletionAnswerForm(prefix=f"p{item.pk}"))
    handled = Paginator(
        requests.exclude(status=DeletionStatus.PENDING).select_related("handled_by"), PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    context = {
        "pending": [(item, forms[item.pk]) for item in pending],
        "handled": handled,
        "title": "Pedidos de exclusão de dados",
    }
    return render(request, "citizens/staff_deletion_requests.html", context)
