"""The 200,000-row files of the corpus, made on the fly (too large to commit): a caseload file as CSV and
as XLSX, a partner register, and a division file that repeats its rows. Used by `tests/test_corpus.py`
(outcomes) and `benchmarks/bench_imports.py` (times)."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import numpy as np

ROWS = 200_000
REFERRERS = ("school/CLB", "huisarts", "ouders zelf")


def caseload_rows(wijken: list[str], n: int = ROWS, seed: int = 1) -> tuple[list[list], int]:
    """Rows (wijk, month, referrer, count) and the total of the counts."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 9, size=n)
    rows = []
    i = 0
    month = 0
    while i < n:
        label = f"{2020 + month // 12}-{month % 12 + 1:02d}"
        for code in wijken:
            for ref in REFERRERS:
                if i >= n:
                    break
                rows.append([code, label, ref, int(counts[i])])
                i += 1
            if i >= n:
                break
        month += 1
    return rows, int(counts.sum())


def csv_bytes(header: list[str], rows: list[list], sep: str = ";") -> bytes:
    lines = [sep.join(header)] + [sep.join(str(v) for v in r) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list], sheet: str = "aanmeldingen") -> bytes:
    """A minimal XLSX (one sheet; numbers as numbers, text inline) written directly: fast for big files."""

    def cell(v) -> str:
        if isinstance(v, int | float):
            return f'<c t="n"><v>{v}</v></c>'
        return f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'

    body = "".join(f"<row>{''.join(cell(v) for v in r)}</row>" for r in [header, *rows])
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',  # noqa: E501
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',  # noqa: E501
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',  # noqa: E501
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',  # noqa: E501
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{body}</sheetData></worksheet>',  # noqa: E501
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return buf.getvalue()


def partner_rows(n: int = ROWS, seed: int = 2) -> list[list]:
    rng = np.random.default_rng(seed)
    lat = 50.8 + rng.random(n) * 0.5
    lon = 3.5 + rng.random(n) * 1.5
    return [
        [f"Partner {i}", "CLB", f"{a:.5f}".replace(".", ","), f"{b:.5f}".replace(".", ",")]
        for i, (a, b) in enumerate(zip(lat, lon, strict=True))
    ]


def division_rows(codes: list[str], n: int = ROWS) -> list[list]:
    """Every code once with its area, then the same rows again until n rows (all duplicates)."""
    base = [[c, f"Gebied {i % 20}"] for i, c in enumerate(codes)]
    return [base[i % len(base)] for i in range(n)]
