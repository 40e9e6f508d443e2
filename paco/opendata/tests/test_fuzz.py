"""Mangled files never crash: they import or raise TabularError with a pt-BR message."""

import random

import pytest

from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError
from paco.opendata.tests.make_corpus import SMALL

SEEDS = range(40)


def _mangle(rng, content):
    data = bytearray(content or b"a;b\n1;2\n")
    for _ in range(rng.randint(1, 8)):
        op = rng.choice(["flip", "insert", "delete", "dup"])
        at = rng.randrange(len(data) or 1)
        if op == "flip" and data:
            data[at] = rng.randrange(256)
        elif op == "insert":
            data[at:at] = rng.choice(
                [b'"', b";", b",", b"\n", b"\r", b"\x00", b"\x93", b"\t", b"|"]
            )
        elif op == "delete" and data:
            del data[at]
        else:
            data[at:at] = data[at : at + rng.randint(1, 40)]
    return bytes(data)


@pytest.mark.parametrize("seed", SEEDS)
def test_mangled_file_imports_or_is_rejected_in_portuguese(seed, tmp_path):
    rng = random.Random(seed)
    name = rng.choice(sorted(SMALL))
    source = tmp_path / "f.csv"
    source.write_bytes(_mangle(rng, SMALL[name]))
    target = tmp_path / "out.parquet"
    try:
        result = to_parquet(source, target)
    except TabularError as error:
        assert error.message
        assert not target.exists()
    else:
        assert target.stat().st_size > 0
        assert result.report.rows > 0
