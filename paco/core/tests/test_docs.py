"""Docs that cannot drift from the code."""

import re
import sys
from pathlib import Path

import pytest

from paco.core import clidocs

ROOT = Path(__file__).resolve().parents[3]
ENV_READ = re.compile(r'(?:env_[a-z]+|environ\.get|getenv)\(\s*"([A-Z][A-Z0-9_]+)"')


@pytest.mark.skipif(
    sys.version_info[:2] != (3, 11), reason="docs/cli.md é gerado no Python 3.11 (argparse muda)"
)
def test_cli_reference_matches_the_commands():
    expected = clidocs.render()
    actual = (ROOT / "docs" / "cli.md").read_text()
    assert actual == expected, "docs/cli.md está desatualizado: rode `make docs`."


def test_every_environment_variable_is_documented():
    code = "\n".join(p.read_text() for p in (ROOT / "paco").rglob("*.py") if "tests" not in p.parts)
    names = set(ENV_READ.findall(code)) - {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    docs = (ROOT / "README.md").read_text() + "".join(
        p.read_text() for p in (ROOT / "docs").glob("*.md")
    )
    missing = sorted(name for name in names if name not in docs)
    assert names, "nenhuma variável encontrada: a expressão regular quebrou"
    assert not missing, f"variáveis de ambiente sem documentação: {missing}"


def test_the_deployment_guide_ships_the_balancer_config_the_scale_test_runs():
    """docs/deployment.md §7 points at scale/haproxy.cfg and explains every variable it reads."""
    config = (ROOT / "scale" / "haproxy.cfg").read_text()
    guide = (ROOT / "docs" / "deployment.md").read_text()
    variables = set(re.findall(r"\$\{([A-Z_]+)\}", config))
    assert {"PACO_LB_BIND", "PACO_LB_CERT", "PACO_WEB_A", "PACO_WEB_B"} <= variables
    assert "scale/haproxy.cfg" in guide
    assert sorted(v for v in variables if f"{v}=" not in guide) == []
    test = (ROOT / "scale" / "cluster.py").read_text()
    assert "HAPROXY_CFG" in test and all(v in test for v in variables)
