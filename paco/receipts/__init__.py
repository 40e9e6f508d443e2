"""Electronic receipts (Lei nº 14.129/2021 art. 8) and their public verification.

Any submission (an Atendimento case today, a Processos document later) gets a
:class:`~paco.receipts.models.Receipt`: what was received, when, the deadline and how
it was computed, a SHA-256 of that content and a verification code that anyone
types at ``/verificar/`` to confirm the receipt is genuine. The app knows nothing of
cases: callers hand it the lines to show (:func:`paco.receipts.actions.issue_receipt`)
and embed ``receipts/_receipt.html`` or serve :func:`paco.receipts.pdf.pdf_response`
behind their own access checks.
"""
