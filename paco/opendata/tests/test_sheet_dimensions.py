"""Spreadsheet dimensions are checked before anything is materialized (issue 8, §5).

The reproduction: a 1.9 KB XLSX with cells at A1 and XFD1048576 made calamine ask for
the whole 16,384 × 1,048,576 rectangle (512 GB) and abort the process. The attempt now
ends with a pt-BR refusal, in a process whose peak memory stays small.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError
from paco.opendata.tabular.sheetsize import MAX_SHEET_CELLS
from paco.opendata.tests import make_corpus
from paco.opendata.tests.corpus_expectations import HOSTILE_DIMENSIONS

#: peak RSS of a Python process that imported the tabular library (DuckDB, calamine) and
#: refused the file: ~60–90 MB here. Allocating the rectangle would need 512 GB.
MAX_PEAK_MB = 200

_CHILD = """
import json, resource, sys
from pathlib import Path
from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError
try:
    to_parquet(Path(sys.argv[1]), Path(sys.argv[2]))
    outcome = "accepted"
except TabularError as exc:
    outcome = exc.message
# VmHWM: this process image's peak (ru_maxrss would carry the pytest parent's over exec)
try:
    status = Path("/proc/self/status").read_text()
    peak = int(next(l for l in status.splitlines() if l.startswith("VmHWM:")).split()[1]) // 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"outcome": outcome, "peak_mb": peak}))
"""


def _attempt(path: Path, tmp_path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(tmp_path / "out.parquet")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]  # not killed, not aborted
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: make_corpus.HOSTILE_XLSX, id="xlsx-a1-xfd1048576"),
        pytest.param(make_corpus.hostile_xlsx_implicit, id="xlsx-implicit-positions"),
        pytest.param(lambda: make_corpus.HOSTILE_ODS, id="ods-repeated"),
    ],
)
def test_hostile_dimensions_are_refused_without_allocating(tmp_path, build):
    content = build()
    assert len(content) < 16_000  # a few KB, as reported
    suffix = ".ods" if content.startswith(b"PK") and b"opendocument" in content else ".xlsx"
    path = tmp_path / f"planilha{suffix}"
    path.write_bytes(content)
    result = _attempt(path, tmp_path)
    assert result["outcome"] == HOSTILE_DIMENSIONS
    assert result["peak_mb"] < MAX_PEAK_MB, result
    assert not (tmp_path / "out.parquet").exists()


def test_the_limit_is_the_rectangle_not_the_file(tmp_path):
    """Just under and just over the limit: a wide sparse sheet is refused, a long one read."""
    rows = MAX_SHEET_CELLS // 1000  # 1000 columns (A..ALL) × this many rows fits exactly
    under = make_corpus.xlsx_bytes(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        f'<row r="{rows}"><c r="ALL{rows}"><v>1</v></c></row>'
    )
    over = make_corpus.xlsx_bytes(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        f'<row r="{rows + 1}"><c r="ALL{rows + 1}"><v>1</v></c></row>'
    )
    from paco.opendata.tabular.sheetsize import check_sheet_size

    (tmp_path / "under.xlsx").write_bytes(under)
    (tmp_path / "over.xlsx").write_bytes(over)
    check_sheet_size(tmp_path / "under.xlsx", "Plan1")
    with pytest.raises(TabularError) as caught:
        check_sheet_size(tmp_path / "over.xlsx", "Plan1")
    assert caught.value.message.startswith(
        f"A planilha declara 1.000 colunas × {rows + 1:,} linhas".replace(",", ".")
    )


def test_styled_empty_cells_and_libreoffice_repeats_do_not_count(tmp_path):
    """What real files carry: a styled empty cell far away (XLSX), and LibreOffice's
    repeated empty cells and rows up to the sheet's end (ODS)."""
    xlsx = make_corpus.xlsx_bytes(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>valor</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>'
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>',
        dimension="A1:XFD1048576",
    )
    ods = make_corpus.ods_raw(
        '<table:table table:name="Plan1">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>valor</text:p>'
        '</table:table-cell><table:table-cell table:number-columns-repeated="16383"/>'
        "</table:table-row>"
        '<table:table-row><table:table-cell office:value-type="float" office:value="1">'
        '<text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="'
        '16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        "</table:table>"
    )
    for name, content, rows in [("a.xlsx", xlsx, 2), ("b.ods", ods, 1)]:
        path = tmp_path / name
        path.write_bytes(content)
        result = to_parquet(path, tmp_path / f"{name}.parquet")
        assert result.rows == rows
