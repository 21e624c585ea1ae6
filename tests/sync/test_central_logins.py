"""bng central add-user / remove-user / users, end to end on the real PostgreSQL.

The password a login gets is checked against the SCRAM-SHA-256 verifier the
server stored (RFC 5802/7677), so the password printed (or given on standard
input) is the one that opens the login; and it is searched for in every file
the desktop wrote. Logins are named ``t<random>_<who>`` and dropped after.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from bng_desktop.cli import main
from bng_desktop.settings import sample_reference_path

PASSWORD_LINE = "Its password, shown this once: "


@pytest.fixture
def login_names(central) -> Iterator[str]:
    """A unique prefix for this test's logins; every login under it is dropped after."""
    prefix = f"t{secrets.token_hex(4)}"
    yield prefix
    for name in central.rows("SELECT rolname FROM pg_roles WHERE rolname LIKE :p", p=f"{prefix}%"):
        with central.engine.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{name[0]}"'))


@pytest.fixture
def bng(tmp_path, capsys, monkeypatch):
    """Run a command on the admin's desktop; returns (status, stdout, stderr)."""
    monkeypatch.delenv("BNG_CENTRAL_URL", raising=False)

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        status = main(["--data-dir", str(tmp_path / "admin"), *args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def scram_opens(verifier: str, password: str) -> bool:
    """True when ``password`` is the one behind a SCRAM-SHA-256 verifier."""
    method, iterations_salt, keys = verifier.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    assert method == "SCRAM-SHA-256"
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


def stored_verifier(central, name: str) -> str:
    return central.scalar("SELECT rolpassword FROM pg_authid WHERE rolname = :n", n=name)


def groups_of(central, name: str) -> set[str]:
    rows = central.rows(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :n",
        n=name,
    )
    return {g for (g,) in rows}


def files_holding(folder, secret: str) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_add_user_prints_a_made_password_once_and_remove_user_drops_the_login(
    central, bng, login_names, tmp_path
):
    url = ("--url", central.url)
    name = f"{login_names}_Alice.Smith-2"  # quoted as an identifier, case kept
    status, out, err = bng("central", "add-user", name, "--role", "consultant", *url)
    assert status == 0, err
    password = out.split(PASSWORD_LINE)[1].split()[0]
    assert len(password) == 24 and out.count(password) == 1
    assert scram_opens(stored_verifier(central, name), password)
    assert not scram_opens(stored_verifier(central, name), password + "x")
    assert groups_of(central, name) == {"bng_consultant"}
    assert central.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = :n", n=name)

    status, out, _ = bng("central", "users", *url)
    assert status == 0 and f"{name}\tconsultant" in out.splitlines()

    status, out, err = bng("central", "remove-user", name, *url)
    assert status == 0, err
    assert f"Removed the consultant login '{name}'" in out
    assert central.scalar("SELECT count(*) FROM pg_roles WHERE rolname = :n", n=name) == 0
    status, _, err = bng("central", "remove-user", name, *url)
    assert status == 1 and f"There is no login named '{name}'" in err
    assert files_holding(tmp_path, password) == []


def test_add_user_takes_the_password_from_standard_input_and_never_prints_it(
    central, bng, login_names, tmp_path
):
    name = f"{login_names}_boss"
    password = "correct horse battery staple"
    status, out, err = bng(
        "central", "add-user", name, "--role", "admin", "--password-stdin",
        "--url", central.url, stdin=password + "\n",
    )  # fmt: skip
    assert status == 0, err
    assert password not in out + err and PASSWORD_LINE not in out
    assert scram_opens(stored_verifier(central, name), password)
    assert groups_of(central, name) == {"bng_admin"}
    assert files_holding(tmp_path, password) == []


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ('x"; DROP TABLE quote; --', "cannot be a login name"),
        ("pg_monitor2", "reserved by PostgreSQL"),
        ("public", "reserved by PostgreSQL"),
        ("bng_admin", "the name of a BNG group role"),
        ("a" * 64, "at most 63 characters"),
    ],
)
def test_a_bad_login_name_is_refused_and_nothing_is_made(central, bng, name, said):
    roles_before = central.scalar("SELECT count(*) FROM pg_roles")
    status, _, err = bng("central", "add-user", name, "--role", "consultant", "--url", central.url)
    assert status == 1 and said in err
    assert central.scalar("SELECT count(*) FROM pg_roles") == roles_before
    assert central.scalar("SELECT count(*) FROM quote_counter") == 1


def test_a_short_password_a_taken_name_and_a_login_that_is_not_the_teams_are_refused(
    central, bng, login_names
):
    url = ("--url", central.url)
    name = f"{login_names}_carol"
    status, _, err = bng(
        "central", "add-user", name, "--role", "consultant", "--password-stdin", *url,
        stdin="short\n",
    )  # fmt: skip
    assert status == 1 and "5 characters long: use at least 12" in err
    assert central.scalar("SELECT count(*) FROM pg_roles WHERE rolname = :n", n=name) == 0

    assert bng("central", "add-user", name, "--role", "consultant", *url)[0] == 0
    status, _, err = bng("central", "add-user", name, "--role", "admin", *url)
    assert status == 1 and f"already a login named '{name}'" in err
    assert groups_of(central, name) == {"bng_consultant"}

    outsider = f"{login_names}_dba"
    with central.engine.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{outsider}" LOGIN'))
    status, _, err = bng("central", "remove-user", outsider, *url)
    assert status == 1 and "is not a BNG login" in err and "left alone" in err
    assert central.scalar("SELECT count(*) FROM pg_roles WHERE rolname = :n", n=outsider) == 1


def test_a_consultant_cannot_add_logins(central, bng, login_names):
    name = f"{login_names}_alice"
    assert bng("central", "add-user", name, "--role", "consultant", "--url", central.url)[0] == 0
    as_alice = central.url.replace("postgres@", f"{name}@")
    status, _, err = bng("central", "add-user", f"{login_names}_eve", "--role", "admin",
                         "--url", as_alice)  # fmt: skip
    assert status == 1
    assert "Adding or removing logins needs a login that may create roles" in err
    assert (
        central.scalar("SELECT count(*) FROM pg_roles WHERE rolname = :n", n=f"{login_names}_eve")
        == 0
    )


def test_a_consultant_publishing_from_the_command_line_is_told_it_needs_an_admin(
    central, bng, login_names
):
    name = f"{login_names}_alice"
    assert bng("central", "add-user", name, "--role", "consultant", "--url", central.url)[0] == 0
    as_alice = central.url.replace("postgres@", f"{name}@")
    status, _, err = bng("central", "publish", str(sample_reference_path()), "--url", as_alice)
    assert status == 1
    assert err.startswith(f"bng: Publishing needs an admin login: the login '{name}' is not one.")
    assert "permission denied" not in err
    assert central.scalar("SELECT count(*) FROM reference_version") == 0
