"""The package rules of docs/ARCHITECTURE.md, checked on the source: who may import whom, no Streamlit in
the domain, pages stay short."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
HELPERS = {"geo.errors", "geo.fmt", "geo.paths", "geo.exports", "geo.imports", "geo.faults"}
#: Packages that may import only some of the helpers (docs/ARCHITECTURE.md: the import pipeline is below
#: the writer and the paths).
HELPERS_OF = {"geo.imports": {"geo.errors", "geo.fmt"}}
#: Package -> the other `geo` packages it may import (besides the shared helpers).
ALLOWED = {
    "geo.data": set(),
    "geo.store": set(),
    "geo.imports": set(),
    "geo.maps": set(),
    "geo.divisions": {"geo.data", "geo.store"},
    "geo.budget": {"geo.data", "geo.divisions"},
    "geo.partners": {"geo.data", "geo.divisions", "geo.store", "geo.maps"},
    "geo.caseload": {"geo.data", "geo.partners", "geo.store"},
    "geo.settings": {"geo.budget", "geo.data", "geo.divisions", "geo.store"},
    "geo.reports": {
        "geo.data",
        "geo.store",
        "geo.maps",
        "geo.divisions",
        "geo.budget",
        "geo.partners",
        "geo.caseload",
    },
}
UI_LIBRARIES = ("streamlit", "streamlit_folium", "altair")
MAX_PAGE_LINES = 280  # "about 250": beyond it, move pieces to geo_app and logic to geo


def owner(path: Path) -> str:
    """`geo.<package>` (or `geo.<module>` for a top-level module) of a source file."""
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


def imported(path: Path) -> set[str]:
    """Every module name imported anywhere in the file, as `top.second` (e.g. `geo.data`, `streamlit`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "geo":  # `from geo import fmt` names the module geo.fmt
                names.update(f"geo.{alias.name}" for alias in node.names)
            else:
                names.add(node.module)
    return {".".join(n.split(".")[:2]) for n in names}


def domain_files() -> list[Path]:
    return sorted((SRC / "geo").rglob("*.py"))


def test_domain_packages_import_only_what_they_may():
    breaches = []
    for path in domain_files():
        pkg = owner(path)
        if pkg not in ALLOWED:
            continue
        for name in imported(path):
            helpers = HELPERS_OF.get(pkg, HELPERS)
            if name.startswith("geo.") and name != pkg and name not in helpers and name not in ALLOWED[pkg]:
                breaches.append(f"{path.relative_to(REPO)} imports {name}")
    assert breaches == []


def test_no_streamlit_in_the_domain_and_nothing_imports_the_app_or_the_cli():
    breaches = []
    for path in domain_files():
        names = imported(path)
        ui = [n for n in names if n.split(".")[0] in UI_LIBRARIES or n.split(".")[0] == "geo_app"]
        cli = [n for n in names if n == "geo.cli" and owner(path) not in ("geo.cli", "geo.__main__")]
        breaches += [f"{path.relative_to(REPO)} imports {n}" for n in ui + cli]
    for path in sorted((SRC / "geo_app").rglob("*.py")):
        if "geo.cli" in imported(path):
            breaches.append(f"{path.relative_to(REPO)} imports geo.cli")
    assert breaches == []


def test_the_editor_state_is_plain_python():
    names = imported(SRC / "geo_app" / "editor_state.py")
    assert not [n for n in names if n.split(".")[0] in UI_LIBRARIES]


def test_pages_live_in_views_import_no_other_page_and_stay_short():
    assert not (REPO / "pages").exists()  # Streamlit would serve its files outside st.navigation
    pages = sorted((REPO / "views").glob("*.py"))
    assert len(pages) >= 7
    long = [f"{p.name}: {n} lines" for p in pages if (n := len(p.read_text().splitlines())) > MAX_PAGE_LINES]
    assert long == []
    assert not [p.name for p in pages if any(n.startswith("views") for n in imported(p))]


def test_every_module_is_named_in_its_package_docstring():
    """A package docstring says what each of its modules holds (a new module is added to it)."""
    missing = []
    for init in sorted((SRC / "geo").glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        missing += [
            f"{init.parent.name}.{p.stem}"
            for p in sorted(init.parent.glob("*.py"))
            if p.stem != "__init__" and f"`{p.stem}`" not in doc
        ]
    assert missing == []
