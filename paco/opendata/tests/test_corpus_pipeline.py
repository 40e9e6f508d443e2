"""The whole corpus through the pipeline (upload → processing → auto-publication).

Each file either becomes a version with the expected rows and types (published,
or stopped at review when it holds personal data) or is REJECTED with the
pt-BR message naming its line — and after every failure the previously
published version is still the current one.
"""

from __future__ import annotations

import pytest

from paco.audit.models import AuditEntry
from paco.opendata.models import Resource, VersionStatus
from paco.opendata.pipeline.actions import submit_version
from paco.opendata.pipeline.processing import run_version
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.opendata.tests.corpus_expectations import EXPECTED
from paco.opendata.tests.test_corpus import CORPUS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_through_the_pipeline(town_x, unit_x_a, name):
    expected = EXPECTED[name]
    resource = publish_table(town_x, unit_x_a)
    before = resource.current_version_id
    with (CORPUS / name).open("rb") as fh:
        version = submit_version(
            None,
            resource,
            fh,
            name,
            sheet=expected.get("sheet", ""),
            auto_publish=True,
            accept_errors=True,
            enqueue=False,
        )
    version = run_version(version.pk)
    assert version is not None
    current = Resource.objects.get(pk=resource.pk).current_version_id
    if "reject" in expected:
        assert version.status == VersionStatus.REJECTED, version.report
        assert expected["reject"] in version.error
        if expected["line"] is not None:
            assert version.error.startswith(f"Linha {expected['line']}")
        assert version.report["errors"] == [version.error]
        assert not version.parquet
        assert current == before, "a rejected file never changes what is published"
        assert AuditEntry.objects.filter(
            action="version.process", object_id=str(version.pk), changes__error__1=version.error
        ).exists()
        return
    assert version.rows == expected["rows"]
    types = {f["name"]: f["type"] for f in version.schema["fields"]}
    for column, kind in expected.get("types", {}).items():
        assert types[column] == kind, column
    assert version.report["error_count"] >= len(expected.get("errors", []))
    if version.personal_data:
        assert version.status == VersionStatus.NEEDS_REVIEW
        assert current == before, "personal data is never published without a decision"
        for finding in version.personal_data:
            assert finding["column"] in types and finding["reason"]
    else:
        assert version.status == VersionStatus.PUBLISHED
        assert current == version.pk
    if "personal" in expected:
        kinds = {(p["column"], p["kind"], p["count"]) for p in version.personal_data}
        assert kinds == {tuple(k) for k in expected["personal"]}
