"""A request granted with a draft dataset is answered when that dataset is published.

Three ways a dataset becomes public: its catalogue entry is published
(``Dataset`` saved as published), a version is published with the dataset
(``version_published``), or another part sends ``dataset_changed``. Each checks,
after commit, for requests waiting on that dataset.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from paco.opendata.models import Dataset, DatasetState, Resource
from paco.opendata.signals import dataset_changed, version_published


def _answer_waiting(dataset_id: uuid.UUID) -> None:
    from paco.datarequests.actions import answer_on_publication
    from paco.datarequests.models import DataRequest

    if not DataRequest.objects.filter(dataset_id=dataset_id).exclude(pending_answer="").exists():
        return
    dataset = Dataset.objects.filter(pk=dataset_id).first()
    if dataset is not None:
        answer_on_publication(dataset)


@receiver(post_save, sender=Dataset, dispatch_uid="datarequests-dataset-saved")
def _dataset_saved(sender: Any, instance: Dataset, **kwargs: Any) -> None:
    if instance.state == DatasetState.PUBLISHED and not kwargs.get("raw"):
        dataset_id = instance.pk
        transaction.on_commit(lambda: _answer_waiting(dataset_id))


@receiver(dataset_changed, dispatch_uid="datarequests-dataset-changed")
def _dataset_changed(sender: Any, dataset: Dataset, **kwargs: Any) -> None:
    _answer_waiting(dataset.pk)


@receiver(version_published, dispatch_uid="datarequests-version-published")
def _version_published(sender: Any, resource: Resource, **kwargs: Any) -> None:
    _answer_waiting(resource.dataset_id)
