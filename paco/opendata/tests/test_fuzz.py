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


def _imports_or_is_rejected_in_portuguese(source, target):
    try:
        result = to_parquet(source, target)
    except TabularError as error:
        assert error.message
        assert not target.exists()
    else:
        assert target.stat().st_size > 0
        assert result.report.rows > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_mangled_file_imports_or_is_rejected_in_portuguese(seed, tmp_path):
    rng = random.Random(seed)
    name = rng.choice(sorted(SMALL))
    source = tmp_path / "f.csv"
    source.write_bytes(_mangle(rng, SMALL[name]))
    _imports_or_is_rejected_in_portuguese(source, tmp_path / "out.parquet")


SHEETS = ["despesas.ods", "formulas.ods", "abas.ods"]


@pytest.mark.parametrize("seed", range(20))
def test_mangled_spreadsheet_imports_or_is_rejected_in_portuguese(seed, tmp_path):
    rng = random.Random(1000 + seed)
    if seed % 4 == 0:
        from paco.opendata.tests.make_corpus import write_xlsx

        write_xlsx(tmp_path / "base.xlsx")
        content, suffix = (tmp_path / "base.xlsx").read_bytes(), ".xlsx"
    else:
        content, suffix = SMALL[rng.choice(SHEETS)], ".ods"
    if seed % 2:  # flip bytes inside the XML only, keeping the zip readable
        content = content.replace(
            b"office:value=", b"office:value=" if seed % 3 else b"office:valeu="
        )
        content = content.replace(b"<text:p>", rng.choice([b"<text:p>", b"<text:p>\x00"]))
    else:
        content = _mangle(rng, content)
    source = tmp_path / f"f{suffix}"
    source.write_bytes(content)
    _imports_or_is_rejected_in_portuguese(source, tmp_path / "out.parquet")
