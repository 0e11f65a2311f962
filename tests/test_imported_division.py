"""An uploaded division file is read and checked once per file and choice, not again on every rerun."""

from __future__ import annotations

import uuid

from geo.divisions import io as division_io
from geo_app.loaders import imported_division


def test_same_file_is_read_once_and_another_choice_reads_again(monkeypatch):
    calls = []
    real = division_io.import_division
    monkeypatch.setattr(
        division_io, "import_division", lambda *a, **k: calls.append((a[2], k.get("scope"))) or real(*a, **k)
    )
    content = f"unit_code;area\n11002;A {uuid.uuid4().hex[:6]}\n11040;B\n".encode()
    first = imported_division(content, "indeling.csv", "gemeente", "Test")
    again = imported_division(content, "indeling.csv", "gemeente", "Test")
    assert first.ok and again.ok and again.division.same_assignment(first.division)
    assert calls == [("gemeente", "niveau")]
    imported_division(content, "indeling.csv", "gemeente", "Test", scope="bestand")
    assert calls == [("gemeente", "niveau"), ("gemeente", "bestand")]
