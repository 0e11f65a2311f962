"""What an import would store, shown before anything is stored, and whether it needs a confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from geo.imports.messages import Message, errors, messages_frame, warnings

SAMPLE_ROWS = 20


@dataclass
class Preview:
    """The outcome of checking a file: what would be stored and what the user must know first.

    ``refused`` is a reason nothing can be stored (errors, personal data, a file that would damage the
    stored data); ``confirm`` is a reason the user must confirm first (app) or pass ``--force`` (CLI),
    e.g. a replacement with fewer rows than are stored now.
    """

    kind: str
    source: str
    columns: list[tuple[str, str]] = field(default_factory=list)  # (column in the file, meaning)
    rows: int = 0
    valid: int = 0
    messages: list[Message] = field(default_factory=list)
    sample: pd.DataFrame = field(default_factory=pd.DataFrame)
    effect: str = ""
    confirm: str | None = None
    refused: str | None = None

    @property
    def errors(self) -> list[Message]:
        return errors(self.messages)

    @property
    def warnings(self) -> list[Message]:
        return warnings(self.messages)

    @property
    def can_store(self) -> bool:
        return self.refused is None and not self.errors and self.valid > 0

    def messages_frame(self) -> pd.DataFrame:
        return messages_frame(self.messages)

    def columns_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns, columns=["Kolom in het bestand", "Gelezen als"])

    def lines(self) -> list[str]:
        """The preview as plain Dutch lines (for the CLI)."""
        out = [f"Bestand: {self.source}."]
        if self.columns:
            out.append("Kolommen: " + "; ".join(f"'{a}' -> {b}" for a, b in self.columns) + ".")
        out.append(f"{self.rows} rij(en) gelezen, {self.valid} geldig.")
        if self.effect:
            out.append(self.effect)
        if self.confirm:
            out.append(f"Let op: {self.confirm}")
        if self.refused:
            out.append(f"Geweigerd: {self.refused}")
        return out


def column_list(
    table_columns: dict[str, str], labels: dict[str, str], ignored: list[str]
) -> list[tuple[str, str]]:
    """(column in the file, meaning) for used and ignored columns."""
    out = [(header, labels.get(key, key)) for key, header in table_columns.items()]
    out += [(c, "niet gebruikt") for c in ignored]
    return out
