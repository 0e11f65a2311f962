"""Number entry the Flemish way for every page: `0,3`, `24.000.000`, `€ 960.000`, `12,5 %`.

`number_field` is a text field read with `geo.fmt.parse_number`. A valid entry is shown back in its
canonical form (`24000000` becomes `24.000.000`); an ambiguous or out-of-range entry stays in the field
as typed with a Dutch error under it, and the page keeps computing with the last valid value (never a
clamped or silently reinterpreted one).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo.fmt import NumberInputError, format_input, parse_number
from geo_app.text import md

_OK = "{}__ok"
_BAD = "{}__bad"


def _spec(kind: str, minimum: float | None, maximum: float | None, decimals: int | None, integer: bool):
    return {"kind": kind, "minimum": minimum, "maximum": maximum, "decimals": decimals, "integer": integer}


def _parse(text: str, spec: dict[str, Any], allow_empty: bool) -> float | None:
    value = parse_number(text, **spec)
    if value is None and not allow_empty:
        raise NumberInputError("Vul een waarde in.")
    return value


def _normalise(key: str, spec: dict[str, Any], allow_empty: bool) -> None:
    """on_change: show a valid entry in canonical form; leave an invalid one as typed."""
    try:
        value = _parse(st.session_state.get(key, ""), spec, allow_empty)
    except NumberInputError:
        return
    st.session_state[key] = format_input(value, kind=spec["kind"], decimals=_shown(spec))


def _shown(spec: dict[str, Any]) -> int | None:
    return 0 if spec["integer"] else spec["decimals"]


def number_field(
    label: str,
    value: float | None = None,
    *,
    key: str,
    kind: str = "number",
    minimum: float | None = None,
    maximum: float | None = None,
    decimals: int | None = None,
    integer: bool = False,
    allow_empty: bool = False,
    help: str | None = None,
    placeholder: str | None = None,
    in_form: bool = False,
    container: Any = None,
) -> float | int | None:
    """A number typed the Flemish way; returns the last valid value (int when `integer`).

    `kind` "euro" accepts `€ 960.000`, "percent" accepts `12,5 %` (the value is in percent). `minimum` and
    `maximum` refuse, never clamp. Inside an `st.form` pass `in_form=True` (no live reformatting there).
    """
    box = container if container is not None else st
    spec = _spec(kind, minimum, maximum, decimals, integer)
    ok_key = _OK.format(key)
    if key not in st.session_state:  # first time, or the field was not drawn in the last run (closed tab)
        value = st.session_state.get(ok_key, value)
        st.session_state[key] = format_input(value, kind=kind, decimals=_shown(spec))
        st.session_state[ok_key] = value
    text = box.text_input(
        label,
        key=key,
        help=help,
        placeholder=placeholder
        or format_input(value if value is not None else 0, kind=kind, decimals=_shown(spec)),
        on_change=None if in_form else _normalise,
        args=None if in_form else (key, spec, allow_empty),
    )
    try:
        parsed = _parse(text, spec, allow_empty)
    except NumberInputError as exc:
        previous = st.session_state.get(ok_key, value)
        kept = format_input(previous, kind=kind, decimals=_shown(spec)) or "leeg"
        box.error(
            md(f"{exc} Niet overgenomen: er wordt verder gerekend met {kept}."), icon="🚫"
        )  # echoes the typed text
        parsed = previous
        st.session_state[_BAD.format(key)] = True
    else:
        st.session_state[ok_key] = parsed
        st.session_state[_BAD.format(key)] = False
    if parsed is not None and integer:
        return int(round(parsed))
    return parsed


def refused(*keys: str) -> bool:
    """True when one of these number fields holds an entry that was refused (e.g. to stop a form)."""
    return any(st.session_state.get(_BAD.format(k), False) for k in keys)


def set_number(key: str, value: float | None, *, kind: str = "number", decimals: int | None = None) -> None:
    """Put `value` into the number field `key` (e.g. from a button's on_click), shown the Flemish way."""
    st.session_state[key] = format_input(value, kind=kind, decimals=decimals)
    st.session_state[_OK.format(key)] = value
