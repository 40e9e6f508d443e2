"""Free text Paço publishes, as the public sees it: redacted by staff, personal data masked.

Requests to open a database today — case texts and documents of Atendimento and
Processos later — hold text written by citizens and servants that is published.
The text is kept as written (staff and the author need it); what the public
gets is computed from it, at read time, by one function:

1. every passage staff redacted (:attr:`PublicTextModel.redactions`) becomes
   :data:`REDACTED`;
2. every match of :func:`paco.privacy.mask_text` (CPF, e-mail… and whatever the
   detectors learn later) becomes its label.

Read time rather than save time, so a text published before a detector existed
is masked as soon as the detector ships, and a redaction applies everywhere at
once. Public surfaces never see the stored text: their QuerySets go through
:meth:`PublicTextQuerySet.public_texts`, which hands out copies whose text fields
already hold the public version and that refuse to be saved.

A model opts in with :class:`PublicTextModel` (an abstract model adding the
``redactions`` field) and lists its published texts in ``PUBLIC_TEXT_FIELDS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Self

from django.db import models
from django.db.models.query import ModelIterable

from paco.privacy import mask_text
from paco.tenancy.models import TenantQuerySet

#: what replaces a passage staff redacted
REDACTED = "[trecho ocultado]"


def public_text(text: str, redactions: Iterable[str] = ()) -> str:
    """``text`` as published: redacted passages replaced, then personal data masked."""
    if not text:
        return text
    for passage in sorted({p for p in redactions if p}, key=len, reverse=True):
        text = text.replace(passage, REDACTED)
    return mask_text(text)


class PublicCopyError(RuntimeError):
    """A public copy (masked texts) was about to overwrite the stored texts."""


class PublicTextModel(models.Model):
    #: passages staff hid from the public, by field: ``{"description": ["…"]}``
    redactions = models.JSONField("trechos ocultados", default=dict, blank=True, editable=False)

    #: the fields whose text is published (masked and redacted for the public)
    PUBLIC_TEXT_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if getattr(self, "_public_copy", False):
            raise PublicCopyError(f"{self._meta.label}: cópia pública (textos mascarados).")
        super().save(*args, **kwargs)

    def redacted_passages(self, field: str) -> list[str]:
        found = (self.redactions or {}).get(field) or []
        return [str(p) for p in found]

    def public_value(self, field: str) -> str:
        """What the public sees of ``field``."""
        return public_text(str(getattr(self, field) or ""), self.redacted_passages(field))

    def as_public(self) -> Self:
        """This object with every published text replaced by its public version (in place).

        The object then refuses to be saved, so a masked text never overwrites the
        stored one.
        """
        if not getattr(self, "_public_copy", False):
            for field in self.PUBLIC_TEXT_FIELDS:
                setattr(self, field, self.public_value(field))
            self._public_copy = True
        return self


class PublicTextIterable(ModelIterable):
    def __iter__(self) -> Iterator[Any]:
        for obj in super().__iter__():
            yield obj.as_public()


class PublicTextQuerySet(TenantQuerySet):
    """The QuerySet of a :class:`PublicTextModel` (every published text is a town's)."""

    def public_texts(self) -> Self:
        """Rows as the public sees them: every object comes out through ``as_public``."""
        clone = self.all()
        clone._iterable_class = PublicTextIterable
        return clone

    def _refuse_raw(self) -> None:
        if self._iterable_class is PublicTextIterable:
            raise PublicCopyError("values()/values_list() leriam os textos sem máscara.")

    def values(self, *fields: Any, **expressions: Any) -> Any:
        self._refuse_raw()
        return super().values(*fields, **expressions)

    def values_list(self, *fields: Any, **kwargs: Any) -> Any:
        self._refuse_raw()
        return super().values_list(*fields, **kwargs)
