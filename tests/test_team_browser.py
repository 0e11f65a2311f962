"""Team server in a real browser: sign-in through a local OpenID Connect provider, one workspace per network.

Needs PostgreSQL (a team server refuses SQLite): run through `make test-postgres`, which provides
GEO_TEST_DATABASE_URL. Users: Anna (planner, Groot Antwerpen), Lien (lezer, Groot Antwerpen),
Bert (beheerder, Konekti), Zoë (signed in, member of nothing) and Mo (in both networks).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.browser

PG = os.environ.get("GEO_TEST_DATABASE_URL", "")
W1, W2 = "groot-antwerpen", "konekti"
USERS = {
    "anna": ("anna@grootantwerpen.test", "Anna Planner", W1, "planner"),
    "lien": ("lien@grootantwerpen.test", "Lien Lezer", W1, "lezer"),
    "bert": ("bert@konekti.test", "Bert Beheerder", W2, "beheerder"),
    "zoe": ("zoe@elders.test", "Zoë Zonder", None, None),
    "mo": ("mo@beide.test", "Mo Beide", W1, "lezer"),  # also planner in Konekti (in its test)
}
ADMIN = "testbeheer@agentschap.test"


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    if not PG.startswith("postgresql"):
        pytest.skip("de teamserver-tests hebben PostgreSQL nodig: make test-postgres")
    import oidc_provider_mock
    import team as tm

    from geo.store import config, workspaces
    from geo.store.access import Actor
    from geo.store.engine import make_engine

    users = [
        oidc_provider_mock.User(sub=k, claims={"email": e, "name": n}) for k, (e, n, _, _) in USERS.items()
    ]
    config.activate(config.Settings(mode="team", database_url=PG, admins=(ADMIN,)))
    engine = make_engine(PG)
    try:
        workspaces.ensure_workspaces(engine)
        for email, _, wid, role in USERS.values():
            if wid:
                workspaces.set_member(Actor(ADMIN, wid), email, role, engine)
        with oidc_provider_mock.run_server_in_thread(user_claims=users) as oidc:
            oidc_url = f"http://localhost:{oidc.server_port}"
            server = tm.start_team_server(tmp_path_factory.mktemp("team"), PG, oidc_url)
            try:
                yield SimpleNamespace(url=server.url, oidc=oidc_url, engine=engine, server=server)
            finally:
                import browser as br

                br.stop(server.proc)
    finally:
        engine.dispose()
        config.activate(None)


@pytest.fixture
def new_page(chromium, page_log):
    """Pages in browser contexts of their own (one per user: separate sign-in cookies)."""
    import browser as br

    contexts = []

    def make():
        context = chromium.new_context(viewport={"width": 1400, "height": 900}, locale="nl-BE")
        br.block_external(context, page_log)
        contexts.append(context)
        return context.new_page()

    yield make
    for c in contexts:
        c.close()


def sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_sign_in_shows_only_the_users_own_workspaces(team, new_page, page_log):
    import team as tm

    anna, bert = new_page(), new_page()
    tm.sign_in(anna, team.url, "anna")
    anna.wait_for_selector('[data-testid="stSidebar"] >> text=Aangemeld als')
    side = sidebar_text(anna)
    assert "Anna Planner (anna@grootantwerpen.test)" in side
    assert "Groot Antwerpen (planner)" in side and "Konekti" not in side
    tm.sign_in(bert, team.url, "bert")
    bert.wait_for_selector('[data-testid="stSidebar"] >> text=Aangemeld als')
    side = sidebar_text(bert)
    assert "Konekti (beheerder)" in side and "Groot Antwerpen" not in side
    # the provider's own sign-in form asks for a stylesheet on the internet; the app asks for nothing
    assert [u for u in page_log.blocked if "picocss" not in u] == [] and not page_log.page_errors


def test_signed_in_non_member_sees_no_data_only_a_message(team, new_page):
    import team as tm

    zoe = new_page()
    tm.sign_in(zoe, team.url, "zoe")
    import browser as br

    zoe.wait_for_selector("text=nog geen lid van een werkruimte")
    zoe.get_by_role("button", name="Afmelden").wait_for()  # drawn after the message, in the same run
    br.wait_script_idle(zoe)
    assert zoe.locator('[data-testid="stSidebarNav"]').count() == 0  # no pages at all
    assert zoe.get_by_role("button", name="Afmelden").count() == 1


def test_not_signed_in_sees_only_the_sign_in_page(team, new_page):
    import browser as br

    page = new_page()
    br.open_app(page, team.url)
    page.get_by_role("button", name="Aanmelden").wait_for()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert "Budgetverdeling" not in page.locator('[data-testid="stApp"]').inner_text()


def test_beheerder_adds_a_member_and_the_audit_trail_shows_it_planner_sees_no_beheer(team, new_page):
    import browser as br
    import team as tm

    bert = new_page()
    tm.sign_in(bert, team.url, "bert")
    bert.get_by_role("link", name="Leden en auditlogboek").click()
    br.wait_script_idle(bert)
    bert.get_by_label("E-mailadres (zoals bij de aanmelding)").fill("Nieuw.Lid@Konekti.test")
    bert.get_by_role("button", name="Bewaren").click()
    bert.wait_for_selector("text=nieuw.lid@konekti.test: toegevoegd (lezer).")
    br.wait_script_idle(bert)
    frames = bert.locator('[data-testid="stDataFrame"]')
    frames.nth(1).wait_for()
    # the members table and the trail (glide data grid: read through the CSV download instead of pixels)
    with bert.expect_download() as dl:
        bert.get_by_role("button", name="Download CSV").click()
    text = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
    lines = [line.split(";") for line in text.splitlines()]
    header, rows = lines[0], lines[1:]
    added = [
        r for r in rows if r[header.index("handeling")] == "lid.toevoegen" and "nieuw.lid@konekti.test" in r
    ]
    assert added and added[0][header.index("gebruiker")] == "bert@konekti.test"
    assert {r[header.index("werkruimte")] for r in rows} == {W2}  # only Konekti's trail
    # the planner of the other network has no Beheer page, not even through its address
    anna = new_page()
    tm.sign_in(anna, team.url, "anna")
    assert anna.get_by_role("link", name="Leden en auditlogboek").count() == 0
    br.open_app(anna, team.url, "beheer")
    assert "Auditlogboek" not in anna.locator('[data-testid="stMain"]').inner_text()


def test_a_division_saved_in_one_network_is_invisible_to_the_other_and_read_only_for_a_lezer(team, new_page):
    import browser as br
    import team as tm

    from geo.divisions import store
    from geo.errors import UserFacingError
    from geo.store import audit
    from geo.store.access import AccessDenied, Actor

    name = "Voorstel Groot Antwerpen"
    anna = new_page()
    tm.sign_in(anna, team.url, "anna")
    br.open_app(anna, team.url, "indelingen")
    anna.locator(".st-key-ind_open_ref button").click()
    save_form = anna.locator('[data-testid="stForm"]').filter(has_text="Als nieuwe indeling opslaan")
    save_form.wait_for(timeout=120_000)
    save_form.get_by_label("Naam").fill(name)
    save_form.get_by_role("button", name="Opslaan").click()
    anna.wait_for_selector(f"text='{name}' opgeslagen (versie 1)", timeout=120_000)

    admin_w1 = Actor(ADMIN, W1)
    stored = store.list_divisions(team.engine, actor=admin_w1)
    assert name in stored["name"].tolist()
    trail = audit.read(admin_w1, team.engine)
    saved = trail[(trail["action"] == "indeling.nieuw") & (trail["target"] == name)]
    assert saved["actor"].tolist() == [USERS["anna"][0]] and saved["workspace_id"].tolist() == [W1]

    # the other network: not in its list, not openable, not changeable (not even through the store)
    bert = new_page()
    tm.sign_in(bert, team.url, "bert")
    br.open_app(bert, team.url, "indelingen")
    bert.get_by_role("tab", name="Opgeslagen").click()
    bert.wait_for_selector("text=Er zijn nog geen opgeslagen indelingen")
    bert_actor = Actor(USERS["bert"][0], W2)
    for attempt in (
        lambda: store.open_division(name, team.engine, actor=bert_actor),
        lambda: store.rename(name, "Gekaapt", team.engine, actor=bert_actor),
        lambda: store.delete(name, team.engine, actor=bert_actor),
    ):
        with pytest.raises(UserFacingError, match="Geen opgeslagen indeling"):
            attempt()

    # the lezer of the same network: sees and opens it, cannot save, rename or delete it
    lien = new_page()
    tm.sign_in(lien, team.url, "lien")
    br.open_app(lien, team.url, "indelingen")
    lien.get_by_role("tab", name="Opgeslagen").click()
    lien.locator(".st-key-ind_db_open button").wait_for()
    assert lien.locator(".st-key-ind_db_rename").count() == 0
    assert lien.locator(".st-key-ind_db_delete").count() == 0
    lien.locator(".st-key-ind_db_open button").click()
    lien.wait_for_selector(f"text='{name}' geopend", timeout=120_000)
    lien_form = lien.locator('[data-testid="stForm"]').filter(has_text="Als nieuwe indeling opslaan")
    assert lien_form.get_by_role("button", name="Opslaan").is_disabled()
    assert "Uw rol in deze werkruimte is lezer" in lien_form.inner_text()
    lien_actor = Actor(USERS["lien"][0], W1)
    with pytest.raises(AccessDenied, match="rol lezer"):
        store.rename(name, "Door de lezer", team.engine, actor=lien_actor)
    assert store.open_division(name, team.engine, actor=lien_actor).meta.version == 1
    after = audit.read(admin_w1, team.engine)
    assert USERS["lien"][0] not in set(after["actor"])  # refused writes leave nothing behind


def test_a_member_of_two_networks_chooses_the_workspace_to_start_in(team, new_page):
    import browser as br
    import team as tm

    from geo.store import audit, workspaces
    from geo.store.access import Actor

    workspaces.set_member(Actor(ADMIN, W2), USERS["mo"][0], "planner", team.engine)
    first = new_page()
    tm.sign_in(first, team.url, "mo")
    first.wait_for_selector('[data-testid="stSidebar"] >> text=Aangemeld als')
    picker = first.get_by_label("Werkruimte", exact=True)
    assert picker.input_value() == "Groot Antwerpen (lezer)"  # alphabetically first, nothing chosen yet
    picker.click()
    first.get_by_role("option", name="Konekti (planner)", exact=True).click()
    br.wait_script_idle(first)
    button = first.get_by_role("button", name="Altijd met deze werkruimte beginnen")
    button.click()
    button.wait_for(state="detached", timeout=30_000)  # gone: this is now the user's default
    assert workspaces.default_workspace(USERS["mo"][0], team.engine) == W2
    again = new_page()  # a new browser: signs in again and starts in Konekti
    tm.sign_in(again, team.url, "mo")
    again.wait_for_selector('[data-testid="stSidebar"] >> text=Aangemeld als')
    assert again.get_by_label("Werkruimte", exact=True).input_value() == "Konekti (planner)"
    trail = audit.read(Actor(ADMIN, W2), team.engine)
    assert USERS["mo"][0] in trail.loc[trail["action"] == "gebruiker.standaardwerkruimte", "actor"].tolist()
