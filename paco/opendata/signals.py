"""Signals other parts of Paço listen to (webhooks, feeds, self-published datasets, the worker).

All are sent from inside ``transaction.on_commit`` callbacks, so receivers only
ever see committed data and may enqueue tasks or send requests freely.
"""

from django.dispatch import Signal

#: a version became the current one: ``sender=Resource``, ``resource``, ``version``
version_published = Signal()

#: a dataset's catalogue entry changed or was published: ``sender=Dataset``, ``dataset``
dataset_changed = Signal()

#: a version awaits processing: ``sender=ResourceVersion``, ``version_id`` (the pipeline's
#: tasks module enqueues the job, so the writes never import the job they start)
version_queued = Signal()
