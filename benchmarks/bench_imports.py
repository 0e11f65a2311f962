"""Benchmark: imports of 200,000-row files, the caseload protection, the export writer.

Measured (wall time, one run each; files made in memory by `tests/corpus/big.py`):
- caseload 200,000 rows as CSV and as XLSX: read (decode, header, every sheet screened for personal data)
  and validate (codes, months, counts, duplicates);
- a partner register of 200,000 rows (CSV): read and validate (coordinates, types, duplicates);
- a division file of 200,000 rows (2767 wijken, then repeats): read and validate (all row messages);
- protecting the caseload tables (small counts masked, secondary suppression with the interval audit) for the
  example data per gemeente (57 areas) and per wijk (60 areas), 12 months;
- the export writer: 2767 rows x 15 columns as CSV and as XLSX.
Target: each 200,000-row import under 30 s on the reference machine (2 cores); the protection under 5 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from common import write  # noqa: E402
from corpus import big  # noqa: E402

from geo import exports  # noqa: E402
from geo.caseload import cases as cl  # noqa: E402
from geo.caseload.example import example_caseload  # noqa: E402
from geo.caseload.io import read_caseload  # noqa: E402
from geo.caseload.published import publish  # noqa: E402
from geo.data import units  # noqa: E402
from geo.divisions import io as division_io  # noqa: E402
from geo.partners import coverage as cov  # noqa: E402
from geo.partners import io as partner_io  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return round(time.perf_counter() - t0, 2), out


def main() -> None:
    wijken = units.load_table("wijk")["code"].astype(str).tolist()
    results: dict = {"rijen": big.ROWS}

    rows, total = big.caseload_rows(wijken)
    header = ["wijk", "maand", "verwijzer", "aanmeldingen"]
    for fmt, data in (("csv", big.csv_bytes(header, rows)), ("xlsx", big.xlsx_bytes(header, rows))):
        t_read, table = timed(lambda data=data, fmt=fmt: read_caseload(data, f"groot.{fmt}"))
        t_val, res = timed(lambda table=table: cl.validate_caseload(table, {"wijk": wijken}))
        assert res.ok and int(res.cases["aanmeldingen"].sum()) == total
        results[f"caseload_{fmt}"] = {"mb": round(len(data) / 1e6, 1), "lezen_s": t_read, "controle_s": t_val}

    data = big.csv_bytes(["naam", "type", "lat", "lon"], big.partner_rows())
    places = partner_io.PlaceIndex.from_units()
    t_read, table = timed(lambda: partner_io.read_table(data, "partners.csv"))
    t_val, res = timed(lambda: partner_io.validate_partners(table, places))
    assert res.ok and len(res.partners) == big.ROWS
    results["partners_csv"] = {"mb": round(len(data) / 1e6, 1), "lezen_s": t_read, "controle_s": t_val}

    data = big.csv_bytes(["unit_code", "area"], big.division_rows(wijken))
    t_all, res = timed(lambda: division_io.import_division(data, "indeling.csv", "wijk", "groot"))
    assert not res.ok
    results["indeling_csv_herhaalde_rijen"] = {"mb": round(len(data) / 1e6, 1), "lezen_en_controle_s": t_all}

    for level, key in (("gemeente", "kolom:elz57"), ("wijk", "kolom:elz")):
        table = cl.load_case_units(level)
        mapping = cov.areas_for(key, level, units.load_table(level))
        cases = example_caseload(table, mapping, months=12, seed=1)
        population = dict(zip(table["code"].astype(str), table["pop_0_24"].astype(float), strict=True))
        t_pub, pub = timed(
            lambda cases=cases, mapping=mapping, population=population: publish(cases, mapping, population)
        )
        results[f"bescherming_{level}"] = {
            "seconden": t_pub,
            "gebieden": len(pub.summary),
            "extra_verborgen": pub.hidden,
        }

    frame = units.load_table("wijk").iloc[:, :15]
    t_csv, csv = timed(lambda: exports.csv_bytes(frame))
    t_xlsx, xlsx = timed(lambda: exports.xlsx_bytes([exports.Sheet("wijken", frame)]))
    results["export_2767_rijen"] = {
        "csv_s": t_csv,
        "xlsx_s": t_xlsx,
        "csv_kb": len(csv) // 1024,
        "xlsx_kb": len(xlsx) // 1024,
    }
    write("imports", results)


if __name__ == "__main__":
    main()
