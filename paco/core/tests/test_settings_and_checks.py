import pytest
from django.core.exceptions import ImproperlyConfigured

from paco.core import checks
from paco.env import env_bool, env_list


def test_env_bool_refuses_typos(monkeypatch):
    monkeypatch.setenv("PACO_X", "ture")
    with pytest.raises(ImproperlyConfigured, match="PACO_X"):
        env_bool("PACO_X")
    monkeypatch.setenv("PACO_X", "sim")
    assert env_bool("PACO_X") is True


def test_env_list(monkeypatch):
    monkeypatch.setenv("PACO_L", " a.gov.br, b.gov.br ,")
    assert env_list("PACO_L") == ["a.gov.br", "b.gov.br"]


def test_debug_is_off_by_default(settings):
    from paco import settings as paco_settings

    assert paco_settings.DEBUG is False


def test_production_refuses_insecure_configuration(settings):
    settings.PRODUCTION = True
    settings.DEBUG = True
    settings.SECRET_KEY = "curta"
    settings.ALLOWED_HOSTS = ["*"]
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0
    ids = {problem.id for problem in checks.production_settings()}
    assert {"paco.E001", "paco.E002", "paco.E003", "paco.E004", "paco.E005"} <= ids


def test_production_with_secure_configuration_is_clean(settings):
    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.SECRET_KEY = "k3y-" + "aZ9" * 20
    settings.ALLOWED_HOSTS = ["servicos.exemplo.sc.gov.br"]
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert checks.production_settings() == []


def test_development_mode_skips_production_checks(settings):
    settings.PRODUCTION = False
    settings.DEBUG = True
    assert checks.production_settings() == []
