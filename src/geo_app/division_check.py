"""The editor's check panel: the 1G1P validity gate (`geo.divisions.validity`) on the division being edited.

`check_panel(state, data, go_to)` shows the rules' settings (type of division, relative band, splits that
are allowed, rules switched off), the summary and one line per finding with a "Ga naar" button that hands
the finding to `go_to` (the page selects its units and zooms the map to them), and downloads of the list.
`settings_for(state)` are the settings of the division being edited: the stored ones for a stored
division, else `validity.default_settings`, changed on the page until the division is saved (the save
stores them with the version). The absolute target band is typed beside the figures (`sync_band`), so
the figures' band column and the rule show the same band. The CLI `python -m geo division check` prints
the same findings for the same settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from geo import fmt as nl
from geo.divisions import store as division_store
from geo.divisions import validity
from geo.divisions.metrics import LABELS, UnitData
from geo.divisions.validity import FOUT, UITZONDERING, Finding, GateSettings
from geo.errors import UserFacingError
from geo_app import auth, workspace_defaults
from geo_app.editor_state import EditorState
from geo_app.text import md
from geo_app.widgets import download_pair

SETTINGS_KEY = "ind_gate_settings"  # session: identity of the division -> GateSettings
STORED_KEY = "ind_gate_stored"  # session: identity of a stored version -> the rules stored with it
ERROR_KEY = "ind_gate_error"  # session: why the form's last settings were refused (shown once)
ICONS = {FOUT: "🚫", UITZONDERING: "ℹ️", validity.INFO: "·"}
MAX_SHOWN = 60


def _identity(state: EditorState) -> tuple:
    d = state.current
    if d.meta.db_id is not None and state.opened_version is not None:
        return ("db", d.meta.db_id, state.opened_version)
    return ("nieuw", d.level, d.units[:1], len(d.units), d.name)


def _stored_rules(state: EditorState) -> dict:
    """The rules stored with the opened version (empty for a division that is not stored). A stored
    version never changes, so the database is read once per version and session."""
    key = _identity(state)
    if key[0] != "db":
        return {}
    known: dict = st.session_state.setdefault(STORED_KEY, {})
    if key not in known:
        known[key] = division_store.rules_of(key[1], version=key[2], actor=auth.actor()) or {}
    return known[key]


def _initial(state: EditorState, data: UnitData | None) -> GateSettings:
    """The settings a division starts with: its stored rules, else the default with the workspace's band."""
    stored = _stored_rules(state)
    try:
        if stored:
            return GateSettings.from_dict(stored)
    except Exception:  # noqa: BLE001 - settings written by another release: start from the default
        pass
    return with_workspace_band(validity.default_settings(state.current, data), data)


def settings_for(state: EditorState, data: UnitData | None = None) -> GateSettings:
    """Gate settings of the division being edited (stored, or the default; as changed in the panel)."""
    known: dict = st.session_state.setdefault(SETTINGS_KEY, {})
    key = _identity(state)
    if key not in known:
        known[key] = _initial(state, data)
    return known[key]


def with_workspace_band(settings: GateSettings, data: UnitData | None) -> GateSettings:
    """The workspace's default target band (saved beside the figures) on a division without its own."""
    default = workspace_defaults.current()
    if not default.has_band or (data is not None and default.doelband_op not in data.counts):
        return settings
    low, high = default.doelband_onder, default.doelband_boven
    return replace(settings, band_column=default.doelband_op, band_low=low, band_high=high)


def _remember(state: EditorState, settings: GateSettings) -> None:
    st.session_state.setdefault(SETTINGS_KEY, {})[_identity(state)] = settings


def sync_band(state: EditorState, data: UnitData, column: str, low: float | None, high: float | None):
    """The target band typed beside the figures becomes the rules' band (column and limits); returns the
    settings. The relative band (± %) stays as set in the check panel."""
    settings = settings_for(state, data)
    if column != settings.band_column and low is None and high is None:
        return settings  # only looking at another column: the band stays where it is
    if (settings.band_column, settings.band_low, settings.band_high) != (column, low, high):
        settings = replace(settings, band_column=column, band_low=low, band_high=high)
        _remember(state, settings)
    return settings


def band_defaults(state: EditorState, data: UnitData, column: str) -> tuple[float | None, float | None]:
    """(low, high) the figures' band fields start with for `column`: the rules' band when it is on
    `column`, else empty."""
    settings = settings_for(state, data)
    return (settings.band_low, settings.band_high) if settings.band_column == column else (None, None)


def identity_key(state: EditorState) -> str:
    """A short key for widgets that belong to the division being edited (they start fresh for another)."""
    return str(abs(hash(_identity(state))) % 10**8)


def check_panel(state: EditorState, data: UnitData, go_to: Callable[[Finding], None]) -> validity.CheckResult:
    """The settings form, the summary, the findings with "Ga naar", and the downloads."""
    st.subheader("Controle op de 1G1P-regels")
    settings = settings_for(state, data)
    with st.expander("Regels instellen: " + " ".join(settings.describe()[:2])):
        settings_form(state, data, settings)
    result = validity.check(state.current, data, settings)
    (st.success if result.ok else st.error)(result.summary(), icon="✅" if result.ok else "🚫")
    counts = result.split_counts
    if counts:
        parts = [f"{n} {validity.PARENT_LEVELS[lv][0 if n == 1 else 1]}" for lv, n in counts.items()]
        st.caption(f"Gesplitst over meer dan één gebied: {', '.join(parts)}.")
    shown = result.findings[:MAX_SHOWN]
    with st.container(height=min(420, 70 + 46 * len(shown)) if shown else None, border=bool(shown)):
        for i, f in enumerate(shown):
            c1, c2 = st.columns([9, 1.4], vertical_alignment="center")
            title = validity.RULES[f.rule].title
            c1.markdown(f"{ICONS[f.severity]} **{md(title)}** · {md(f.message)}")
            c2.button(
                "Ga naar",
                key=f"ind_goto_{i}",
                disabled=not f.units,
                on_click=go_to,
                args=(f,),
                help="Kies deze eenheden en zoom de kaart erop in."
                if f.units
                else "Geen eenheden om te tonen.",
            )
    if len(result.findings) > MAX_SHOWN:
        st.caption(
            f"De eerste {MAX_SHOWN} van {len(result.findings)} meldingen; de download bevat ze allemaal."
        )
    if result.findings:
        name = state.current.name
        download_pair(result.table(), "controle", "ind_dl_check", sheet="controle", name_parts=(name,))
    return result


def settings_form(state: EditorState, data: UnitData, settings: GateSettings) -> None:
    """The rules' settings. The form's button applies them in a callback, before the page runs again, so
    the figures above and the findings below use the same settings; they are stored with the next save."""
    ident = identity_key(state)
    k = f"ind_gate_{ident}_"
    split_options = _split_options(state, data, settings)
    with st.form(f"ind_gate_form_{ident}"):
        c1, c2 = st.columns(2)
        c1.selectbox(
            "Type indeling",
            list(validity.KINDS),
            index=list(validity.KINDS).index(settings.kind),
            format_func=validity.KINDS.get,
            key=k + "kind",
            help="Samenwerkingsverbanden zijn een unie van hele eerstelijnszones (oproep 2, 2020); "
            "wijkcontactpunten splitsen geen district of gemeente.",
        )
        c2.selectbox(
            "Wijkcontactpunten: niet splitsen",
            ["district", "gemeente"],
            index=0 if settings.parent_level == "district" else 1,
            format_func=lambda lv: {"district": "districten (anders gemeenten)", "gemeente": "gemeenten"}[lv],
            key=k + "parent",
        )
        b1, b2 = st.columns([1, 3], vertical_alignment="bottom")
        b1.text_input(
            "Doelband: ± % rond het gemiddelde",
            _show(settings.band_pct, 1),
            placeholder="bv. 25",
            key=k + "pct",
        )
        column = LABELS.get(settings.band_column, settings.band_column).lower()
        b2.caption(
            f"Onder- en bovengrens ({column}) typt u bij de cijfers per gebied. Oproep 1 (2017) vroeg "
            "200.000 tot 250.000 inwoners per samenwerkingsverband."
        )
        st.multiselect(
            "Splitsing toegestaan voor",
            list(split_options),
            default=[c for c in settings.allowed_splits if c in split_options],
            format_func=lambda c: split_options.get(c, c),
            key=k + "allowed",
        )
        st.multiselect(
            "Regels die niet meetellen",
            list(validity.RULES),
            default=list(settings.skip),
            format_func=lambda r: validity.RULES[r].title,
            key=k + "skip",
        )
        st.form_submit_button("Toepassen", on_click=_apply, args=(state, settings, k))
    if error := st.session_state.pop(ERROR_KEY, None):
        st.error(md(f"De regels zijn niet aangepast: {error}."), icon="🚫")  # echoes the typed text
    elif state.current.meta.db_id is not None and settings != _stored_settings(state, data):
        st.caption("Gewijzigde regels worden bewaard met de volgende 'Opslaan'.")


def _apply(state: EditorState, settings: GateSettings, k: str) -> None:
    """Form callback: the new settings from the widgets, or a Dutch error (shown in the form)."""
    ss = st.session_state
    settings = ss.get(SETTINGS_KEY, {}).get(_identity(state), settings)  # with the band typed meanwhile
    try:
        new = GateSettings(
            kind=ss[k + "kind"],
            band_column=settings.band_column,
            band_low=settings.band_low,
            band_high=settings.band_high,
            band_pct=nl.parse_number(ss[k + "pct"], kind="percent", minimum=0),
            zone_level=settings.zone_level,
            parent_level=ss[k + "parent"],
            allowed_splits=tuple(ss[k + "allowed"]),
            skip=tuple(ss[k + "skip"]),
        )
    except (ValueError, UserFacingError) as exc:
        ss[ERROR_KEY] = str(exc).rstrip(".")
        return
    _remember(state, new)


def _stored_settings(state: EditorState, data: UnitData) -> GateSettings | None:
    """What the opened version started with (None for a division that is not stored)."""
    return _initial(state, data) if _identity(state)[0] == "db" else None


def _show(value: float | None, decimals: int = 0) -> str:
    return "" if value is None else nl.number(value, decimals)


def _split_options(state: EditorState, data: UnitData, settings: GateSettings) -> dict[str, str]:
    """Codes that may be allowed to split: the parents split now, and those allowed before."""
    inp = validity.CheckInput(state.current, data, settings)
    out: dict[str, str] = {}
    for level in ("district", "gemeente", "elz", "elz57"):
        fallback = "gemeente" if level == "district" else None
        for s in validity.splits(inp, level, fallback):
            out.setdefault(s.code, s.name)
    for code in settings.allowed_splits:
        out.setdefault(code, code)
    return out
