"""CKAN's error types, with the HTTP status and the ``error`` dict CKAN answers with.

An action raises one of these; the dispatcher (:mod:`paco.opendata.ckan.views`)
turns it into CKAN's envelope ``{"help", "success": false, "error": {...}}``
with the same ``__type`` and status as CKAN 2.10 (``ckan/views/api.py``), so
clients such as ``ckanapi`` re-raise the matching exception:

=========================  ======  =========================
exception                  status  ``error.__type``
=========================  ======  =========================
:class:`ValidationError`   409     ``Validation Error``
:class:`NotFound`          404     ``Not Found Error``
:class:`NotAuthorized`     403     ``Authorization Error``
:class:`SearchError`       409     ``Search Error``
:class:`TryAgain`          503     ``Service Unavailable``
:class:`UnknownAction`     400     ``Bad Request``
=========================  ======  =========================

:class:`BadRequest` (400) is CKAN's "Bad request - …" answer for a malformed
body: CKAN sends it as a bare JSON string, not an envelope. An unknown action
(CKAN's "Action name not known") answers with the envelope and a pt-BR message
instead, so that people reading the answer in a browser understand it.

Messages are pt-BR. CKAN prefixes them ("Not found: …"); ``ckanapi`` keeps the
part after the first ``": "``, so the prefix is kept here too.
"""

from __future__ import annotations

from typing import Any


class CkanError(Exception):
    """Base class: an action failed in a way the client should see."""

    status: int = 500
    type_name: str = "Internal Server Error"
    prefix: str = "Erro interno"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def error_dict(self) -> dict[str, Any]:
        """The ``error`` member of CKAN's envelope."""
        text = f"{self.prefix}: {self.message}" if self.message else self.prefix
        return {"__type": self.type_name, "message": text}


class NotFound(CkanError):
    status = 404
    type_name = "Not Found Error"
    prefix = "Não encontrado"


class NotAuthorized(CkanError):
    status = 403
    type_name = "Authorization Error"
    prefix = "Acesso negado"


class ValidationError(CkanError):
    """Invalid parameters, by field: ``ValidationError({"rows": ["Deve ser no máximo 1000."]})``.

    CKAN's error dict is the field errors themselves plus ``__type``; a plain
    string is accepted and filed under ``message``.
    """

    status = 409
    type_name = "Validation Error"

    def __init__(self, errors: dict[str, Any] | str) -> None:
        self.errors: dict[str, Any] = {"message": errors} if isinstance(errors, str) else errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))

    def error_dict(self) -> dict[str, Any]:
        return {**self.errors, "__type": self.type_name}


class SearchError(CkanError):
    """A search that cannot run (e.g. a malformed ``fq``): 409, like CKAN's Solr errors."""

    status = 409
    type_name = "Search Error"
    prefix = "Erro na busca"


class BadRequest(CkanError):
    """CKAN's ``400 "Bad request - …"`` (unknown action, body that is not a JSON object)."""

    status = 400
    type_name = "Bad Request"
    prefix = "Bad request"

    def body(self) -> str:
        """CKAN answers these with a bare JSON string, not an envelope."""
        return f"{self.prefix} - {self.message}" if self.message else self.prefix


class UnknownAction(CkanError):
    """``/api/3/action/<name>`` with a name that is not an action: 400."""

    status = 400
    type_name = "Bad Request"
    prefix = "Ação desconhecida"

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"“{name}” não é uma ação desta API. Ações disponíveis: {', '.join(sorted(known))}."
        )


def missing(field: str) -> ValidationError:
    """CKAN's "Missing value" for a required parameter."""
    return ValidationError({field: ["Valor ausente"]})


class TryAgain(CkanError):
    """Paço is too busy for this request right now (e.g. every SQL worker is taken): 503."""

    status = 503
    type_name = "Service Unavailable"
    prefix = "Serviço ocupado"
