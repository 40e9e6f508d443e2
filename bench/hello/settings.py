"""Settings of the bare baseline project (``bench/hello``)."""

SECRET_KEY = "bench-hello-not-secret"  # noqa: S105 — a local benchmark, no sessions
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.hello.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
