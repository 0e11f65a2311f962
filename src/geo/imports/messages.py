"""Row-level messages in Dutch: "Rij 4: ..." with the row numbered as in the spreadsheet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

ERROR = "fout"
WARNING = "waarschuwing"
MAX_SHOWN = 200


@dataclass(frozen=True)
class Message:
    """One message; ``row`` is the spreadsheet row (None for the whole file), ``level`` fout/waarschuwing."""

    row: int | None
    level: str
    text: str
    row_word: str = "Rij"

    def __str__(self) -> str:
        prefix = f"{self.row_word} {self.row}: " if self.row is not None else ""
        return f"{prefix}{self.text}"

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def errors(messages: Iterable[Message]) -> list[Message]:
    return [m for m in messages if m.level == ERROR]


def warnings(messages: Iterable[Message]) -> list[Message]:
    return [m for m in messages if m.level == WARNING]


def sort_messages(messages: Iterable[Message]) -> list[Message]:
    """File-level messages first, then by row (stable within a row)."""
    return sorted(messages, key=lambda m: (m.row is not None, m.row or 0))


def messages_frame(messages: Iterable[Message]) -> pd.DataFrame:
    """Messages as a table with Dutch headers: ``Rij``, ``Soort``, ``Melding``."""
    messages = list(messages)
    return pd.DataFrame(
        {
            "Rij": pd.array([m.row for m in messages], dtype="Int64"),
            "Soort": [m.level for m in messages],
            "Melding": [m.text for m in messages],
        }
    )


def capped(messages: list[str], limit: int = MAX_SHOWN) -> list[str]:
    """At most ``limit`` messages plus one line that says how many more there are."""
    if len(messages) <= limit:
        return messages
    return messages[:limit] + [f"… en nog {len(messages) - limit} meldingen."]
