"""The request-form cast (a published service about a place, private media) for Open311."""

from paco.requestforms.tests.conftest import _media, lighting  # noqa: F401 (fixtures)
