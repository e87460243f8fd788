"""The desktop window on a team server (issue 19): the meeting screen on a PostgreSQL
database, a draft edited and signed off by the demo chair, the decision signed on the
server (as the chair's own server login once the server enforces roles)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from ui_helpers import ScriptedPrompts, open_window, press

from mdt_app.paths import ServerURL
from mdt_app.security.demo_users import DEMO_CHAIR, DEMO_PASSWORD
from mdt_app.security.users import get_user
from mdt_app.store import open_store
from ui.app import build_main_window
from ui.sign_in import SignInDialog

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
PATIENT = "BJØRNSTAD, Ingrid"  # IVB, BRAF V600E positive: BRAF/MEK recommended
PLAN = "Dabrafenib and trametinib; restage at 8 weeks"


@pytest.fixture
def demo_server(pg_demo_url) -> str:
    """The demo on a fresh team database (a copy of the one `mdt-app demo --db URL` built)."""
    return pg_demo_url


def _in_progress(url: str):
    with open_store(url) as store:
        return next(m for m in store.list_meetings() if m.status == "in_progress")


def _sign_off_on(qtbot, window, chair: str) -> int:
    """Walk to PATIENT, pick BRAF/MEK, type the plan, sign off; the agenda item's id."""
    window.session.today = _in_progress(str(window.db_path.url)).date
    for _ in range(window.agenda.model.rowCount()):
        if window.banner.name.text() == PATIENT:
            break
        press(qtbot, window, Qt.Key.Key_Down, ALT)
    assert window.banner.name.text() == PATIENT
    qtbot.mouseClick(window.options.rows["BRAF_MEK"].box, Qt.MouseButton.LeftButton)
    form = window.findChild(object, "decisionForm")
    form.plan.setFocus()
    qtbot.keyClicks(form.plan, PLAN)
    window.prompts.answers["chair"] = "default"
    press(qtbot, window, Qt.Key.Key_S, CTRL_SHIFT)
    qtbot.waitUntil(lambda: form.status.text().startswith("✔ Signed off by " + chair), timeout=5000)
    return window.session.item.id


def _signed_on_server(url: str, item_id: int, chair: str):
    with open_store(url) as store:
        signed = store.effective_decision(item_id)
        assert signed is not None and signed.is_signed and signed.signed_by == chair
        assert signed.plan_text == PLAN and signed.chosen_options == ["BRAF_MEK"]
        return store.query(
            "SELECT actor, db_user FROM audit_log WHERE action = 'sign_decision' AND entity_id = ?",
            [signed.id],
        )


def test_the_window_signs_a_decision_on_the_server(qtbot, demo_server):
    window = open_window(qtbot, demo_server)
    assert isinstance(window.db_path, ServerURL)
    with open_store(demo_server) as store:
        window.set_user(get_user(store, DEMO_CHAIR))
    chair = _in_progress(demo_server).chair
    assert "server " in window.windowTitle() and window.db_path.name in window.windowTitle()
    item_id = _sign_off_on(qtbot, window, chair)
    window.close()
    (entry,) = _signed_on_server(demo_server, item_id, chair)
    assert entry["actor"] == DEMO_CHAIR


@pytest.fixture
def roles_server(pg_cluster, demo_server):
    """The demo database with the server's roles set up and the demo chair's login."""
    from mdt_app.store.pg.open import close_pools
    from mdt_app.store.pg.roles import save_login, set_up_server_roles

    with open_store(demo_server) as store:
        groups = set_up_server_roles(store)
        with store.atomic():
            save_login(store, DEMO_CHAIR, "chair", DEMO_PASSWORD)
    yield demo_server
    close_pools()
    pg_cluster.admin(f"DROP DATABASE IF EXISTS {ServerURL(demo_server).name} WITH (FORCE)")
    for role in [DEMO_CHAIR, *groups]:
        pg_cluster.admin(f'DROP ROLE IF EXISTS "{role}"')


def test_signing_in_reconnects_as_the_chairs_own_login(qtbot, roles_server, monkeypatch):
    from ui.server_sign_in import sign_in_on_server

    def sign_in_as_chair(dialog):
        dialog.who.setCurrentIndex(dialog.who.findData(DEMO_CHAIR))
        dialog.password.setText(DEMO_PASSWORD)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SignInDialog, "exec", sign_in_as_chair)
    signed = sign_in_on_server(ServerURL(roles_server))
    assert signed is not None
    store, user = signed
    assert user.username == DEMO_CHAIR
    assert store.query("SELECT session_user AS who")[0]["who"] == DEMO_CHAIR
    assert DEMO_PASSWORD not in str(store.path)  # shown without its password
    window = build_main_window(store.path, store)
    qtbot.addWidget(window)
    window.prompts = ScriptedPrompts(window)
    window.set_user(user)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    assert DEMO_PASSWORD not in window.windowTitle()
    chair = _in_progress(roles_server).chair
    item_id = _sign_off_on(qtbot, window, chair)
    window.close()
    (entry,) = _signed_on_server(roles_server, item_id, chair)
    assert (entry["actor"], entry["db_user"]) == (DEMO_CHAIR, DEMO_CHAIR)  # the server says who


def test_a_login_the_server_refuses_is_one_line(qtbot, roles_server, monkeypatch):
    from mdt_app.store.pg.roles import save_login
    from ui import server_sign_in

    with open_store(roles_server) as store, store.atomic():  # the server's password differs
        save_login(store, DEMO_CHAIR, "chair", "changed on the server")
    refused: list[str] = []
    monkeypatch.setattr(server_sign_in, "refuse", lambda parent, why: refused.append(why))

    def sign_in_as_chair(dialog):
        dialog.who.setCurrentIndex(dialog.who.findData(DEMO_CHAIR))
        dialog.password.setText(DEMO_PASSWORD)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SignInDialog, "exec", sign_in_as_chair)
    assert server_sign_in.sign_in_on_server(ServerURL(roles_server)) is None
    (why,) = refused
    assert "cannot connect to the server" in why and "\n" not in why
    assert DEMO_PASSWORD not in why


def test_a_sign_off_by_another_client_shows_through_the_servers_change_feed(qtbot, demo_server):
    from mdt_app.security.signing import sign_off

    window = open_window(qtbot, demo_server)
    line = next(x for x in window.agenda.model.rows() if x.decision_status == "draft")
    window.agenda.select_item(line.item_id)
    assert window.decision.state.editable
    with open_store(demo_server, actor="colleague") as other:
        draft = other.current_draft(line.item_id)
        sign_off(other, draft.id, DEMO_CHAIR, DEMO_PASSWORD,
                 exception_reason="signed at the desk", version=draft.version)  # fmt: skip

    def signed_here() -> bool:
        rows = window.agenda.model.rows()
        return next(x.decision_status for x in rows if x.item_id == line.item_id) == "signed"

    qtbot.waitUntil(signed_here, timeout=5000)
    qtbot.waitUntil(lambda: not window.decision.state.editable, timeout=5000)
    window.close()


# --- File > Connect to team server… --------------------------------------------------------


def test_the_connect_dialog_remembers_the_server_without_its_password(qtbot, pg_url, monkeypatch):
    from ui import server_connect

    with_password = ServerURL(pg_url).with_login("mdt_test_admin", "never on disk")
    dialog = server_connect.ConnectServerDialog()
    qtbot.addWidget(dialog)
    dialog.pasted.setText(with_password.url)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.url == with_password
    remembered = server_connect.remembered_server()
    assert remembered is not None and remembered.name == ServerURL(pg_url).name
    assert "never" not in remembered.url
    assert "never" not in server_connect.settings_path().read_text()
    again = server_connect.ConnectServerDialog()  # offered again next time
    qtbot.addWidget(again)
    assert again.pasted.text() == remembered.url

    # The next start with no --db and no MDT_APP_DB opens the remembered server.
    import ui.app
    from ui.launch import main

    opened: list[object] = []
    monkeypatch.delenv("MDT_APP_DB")
    monkeypatch.setattr(ui.app, "run", lambda location, store=None: opened.append(location) or 0)
    assert main([]) == 0
    assert opened == [remembered]


def test_the_connect_dialog_builds_the_url_from_its_fields():
    from ui.server_connect import server_url

    url = server_url("", " db.hospital.example ", 6432, "mdt team", "ines")
    assert url.url == "postgresql://ines@db.hospital.example:6432/mdt%20team"
    assert server_url("postgresql://a@b/c", "ignored", 1, "x").url == "postgresql://a@b/c"


def test_a_wrong_address_is_one_line_and_nothing_is_remembered(qtbot, monkeypatch):
    from ui import server_connect

    refused: list[str] = []
    monkeypatch.setattr(server_connect, "refuse", lambda parent, why: refused.append(why))
    dialog = server_connect.ConnectServerDialog()
    qtbot.addWidget(dialog)
    dialog.pasted.setText("postgresql://nobody@/nodb?host=/nonexistent-socket-dir&port=1")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.url is None
    (why,) = refused
    assert "cannot connect to the server" in why and "\n" not in why
    dialog.pasted.setText("/home/me/mdt.db")
    dialog.accept()
    assert "not a team server address" in refused[-1]
    assert server_connect.remembered_server() is None


def test_file_connect_opens_the_server_in_its_own_window(
    qtbot, demo_server, monkeypatch, demo_file
):
    from ui import server_connect

    def sign_in_as_chair(dialog):
        dialog.who.setCurrentIndex(dialog.who.findData(DEMO_CHAIR))
        dialog.password.setText(DEMO_PASSWORD)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SignInDialog, "exec", sign_in_as_chair)
    monkeypatch.setattr(server_connect, "ask_server", lambda parent: ServerURL(demo_server))
    window = open_window(qtbot, demo_file)  # the file on this computer
    assert "connectServerAction" in window.actions
    window.connect_team_server()
    (other,) = window._other_windows  # deleted on close, so not qtbot's to close
    assert isinstance(other.db_path, ServerURL) and other.user.username == DEMO_CHAIR
    assert other.session.meeting is not None
    other.close()

    # Forgetting the server: the next start opens the file again.
    server_connect.remember_server(ServerURL(demo_server))
    dialog = server_connect.ConnectServerDialog()
    qtbot.addWidget(dialog)
    assert dialog.forget.isEnabled()
    dialog.forget.click()
    assert server_connect.remembered_server() is None


def test_a_signed_care_programme_prints_from_the_server(qtbot, demo_server, tmp_path):
    from test_care_programme_dialog import PrintToFile, click_and_wait

    import ui.care_programme_dialog as pcp

    with open_store(demo_server) as store:
        meeting = next(m for m in store.list_meetings() if m.status == "in_progress")
        item = store.agenda(meeting.id)[0]  # signed in the demo
        signed = store.effective_decision(item.id)
    assert signed is not None and signed.is_signed
    parent = QWidget()
    qtbot.addWidget(parent)
    pcp.open_care_programme(parent, ServerURL(demo_server), item.case_id, signed.id)
    dialog = parent.findChild(pcp.CareProgrammeDialog, "careProgrammeDialog")
    dialog.confirm_checks = lambda parent, found: True  # the checks: tested on their own
    dialog.choose_printer = PrintToFile(tmp_path / "printed.pdf")
    assert click_and_wait(qtbot, dialog, "pcpPrintButton") == str(tmp_path / "printed.pdf")
    assert (tmp_path / "printed.pdf").stat().st_size > 0
    with open_store(demo_server) as store:
        printed = [e for e in store.audit_log("decision") if e.action == "print_care_programme"]
    assert [e.entity_id for e in printed] == [signed.id]  # recorded on the server
    dialog.close()
