"""bng central init|upgrade|status|publish|add-user|remove-user|users|audit|promoter|credit-prices
(admins).

``--url`` names the central database (postgresql://server:5432/bng); without
it, BNG_CENTRAL_URL or the URL saved on the Sync page is used. ``add-user``
prints the password it made once (to standard output, nowhere else), or
reads one line from standard input with ``--password-stdin``.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ..core.errors import PolicyError
from ..core.exact import to_fraction
from ..core.policy import DISCOUNT_TYPES, Promoter
from ..sync.logins import TeamRole, make_password
from ..workspace import Workspace
from .credit_prices import add_credit_prices_parser, run_central
from .option_values import count

LOADS_REFERENCE = False
"""The central database is the subject here: the local sample is not loaded."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("central", help="the team's central PostgreSQL (admin)")
    sub = parser.add_subparsers(dest="action", required=True)
    for name, text in (
        ("init", "create the BNG schema in an empty database"),
        ("upgrade", "bring the central schema up to date"),
        ("status", "schema revision, reference versions and quotes"),
    ):
        _with_url(sub.add_parser(name, help=text))
    publish = _with_url(
        sub.add_parser("publish", help="publish a backend workbook as the team's version")
    )
    publish.add_argument("file", type=Path, nargs="?", help="the backend workbook (.xlsx)")
    publish.add_argument(
        "--local", action="store_true", help="publish this desktop's current version instead"
    )
    publish.add_argument("--label", default="")
    add_user = _with_url(sub.add_parser("add-user", help="create a team login"))
    add_user.add_argument("name", help="the login name")
    add_user.add_argument("--role", required=True, choices=[r.value for r in TeamRole])
    add_user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of making one",
    )
    remove_user = _with_url(sub.add_parser("remove-user", help="drop a team login"))
    remove_user.add_argument("name", help="the login name")
    _with_url(sub.add_parser("users", help="the team logins and their roles"))
    audit = _with_url(sub.add_parser("audit", help="who published or pushed what, newest first"))
    audit.add_argument("--limit", type=count, default=50, help="at most this many (default 50)")
    _promoter_parser(sub)
    add_credit_prices_parser(sub, scope="the team's", with_url=_with_url)


def _promoter_parser(sub) -> None:
    parser = sub.add_parser("promoter", help="the team's promoters (introducers) and discounts")
    actions = parser.add_subparsers(dest="promoter_action", required=True)
    add = _with_url(actions.add_parser("add", help="add a promoter, or change its discount"))
    add.add_argument("name")
    add.add_argument("--discount", choices=DISCOUNT_TYPES, default="none")
    add.add_argument("--value", default="0", help="the percentage, for --discount percentage")
    _with_url(actions.add_parser("list", help="the promoters and their discounts"))
    remove = _with_url(actions.add_parser("remove", help="remove a promoter"))
    remove.add_argument("name")


def _with_url(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--url", help="postgresql://server:5432/database (default: saved)")
    return parser


def run(workspace: Workspace, args: argparse.Namespace) -> int:
    sync = workspace.sync
    if args.action == "init":
        revision = sync.central_init(args.url)
        print(f"Created the BNG schema (revision {revision}) in {sync.target(args.url).display}")
    elif args.action == "upgrade":
        revision = sync.central_upgrade(args.url)
        print(f"The central schema is at revision {revision}")
    elif args.action == "status":
        return _status(workspace, args)
    elif args.action == "publish":
        return _publish(workspace, args)
    else:
        return USER_ACTIONS[args.action](workspace, args)
    return 0


def _add_user(workspace: Workspace, args: argparse.Namespace) -> int:
    role = TeamRole(args.role)
    password = _password_from_stdin(args.name) if args.password_stdin else make_password()
    login = workspace.sync.add_login(args.name, role, password, args.url)
    print(f"Created the {login.role} login {login.name!r}.")
    if not args.password_stdin:
        print(f"Its password, shown this once: {password}")
        print("Give it to its user; they type it on the Sync page (kept in the keyring).")
    return 0


def _password_from_stdin(name: str) -> str:
    """One line from standard input; typed at a terminal, not echoed."""
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {name}: ")
    text = sys.stdin.readline()
    return text.removesuffix("\n").removesuffix("\r")


def _remove_user(workspace: Workspace, args: argparse.Namespace) -> int:
    login = workspace.sync.remove_login(args.name, args.url)
    print(f"Removed the {login.role} login {login.name!r}; its pushed quotes stay.")
    return 0


def _users(workspace: Workspace, args: argparse.Namespace) -> int:
    found = workspace.sync.team_logins(args.url)
    for login in found:
        print(f"{login.name}\t{login.role}")
    if not found:
        print("No team logins yet: `bng central add-user NAME --role admin|consultant`.")
    return 0


def _promoter(workspace: Workspace, args: argparse.Namespace) -> int:
    sync = workspace.sync
    if args.promoter_action == "list":
        found = sync.promoters(args.url)
        for promoter in found:
            print(f"{promoter.name}\t{promoter.discount_words()}")
        if not found:
            print("No promoters yet: `bng central promoter add NAME --discount ...`.")
    elif args.promoter_action == "add":
        try:
            chosen = Promoter(args.name.strip(), args.discount, to_fraction(args.value))
        except (PolicyError, ValueError) as error:
            print(f"bng central promoter add: {error}", file=sys.stderr)
            return 2
        if not chosen.name:
            print("bng central promoter add: the name is blank", file=sys.stderr)
            return 2
        sync.add_promoter(chosen, args.url)
        print(f"Promoter {chosen.name!r}: {chosen.discount_words()}; desktops get it at next sync.")
    else:
        sync.remove_promoter(args.name, args.url)
        print(f"Removed the promoter {args.name!r}; quotes made with it keep it.")
    return 0


def _audit(workspace: Workspace, args: argparse.Namespace) -> int:
    for entry in workspace.sync.audit(args.url, args.limit):
        when = entry.at.isoformat(timespec="seconds")
        print(f"{when}\t{entry.login}\t{entry.action}\t{entry.subject}\t{entry.desktop_id}")
    return 0


USER_ACTIONS = {
    "add-user": _add_user,
    "remove-user": _remove_user,
    "users": _users,
    "audit": _audit,
    "promoter": _promoter,
    "credit-prices": run_central,
}


def _status(workspace: Workspace, args: argparse.Namespace) -> int:
    state = workspace.sync.central_state(args.url)
    where = workspace.sync.target(args.url).display
    if state.revision is None:
        print(f"{where}: no BNG schema yet (run `bng central init`)")
        return 1
    behind = "" if state.up_to_date else f" — behind {state.head}: run `bng central upgrade`"
    print(f"{where}: schema {state.revision}{behind}")
    print(f"reference versions: {state.versions} (current: {state.current_version or 'none'})")
    print(f"quotes: {state.quotes}")
    return 0 if state.up_to_date else 1


def _publish(workspace: Workspace, args: argparse.Namespace) -> int:
    if args.local == bool(args.file):
        print("bng central publish: give a workbook, or --local (not both)", file=sys.stderr)
        return 2
    if args.local:
        published = workspace.sync.publish_local(url=args.url)
    else:
        published = workspace.sync.publish_workbook(args.file, url=args.url, label=args.label)
    if published.unchanged:
        print(
            f"Central version {published.central_id} already has this content; "
            "nothing new was published."
        )
    else:
        print(
            f"Published {published.source} as central reference version "
            f"{published.central_id} ({published.rows} rows); desktops switch to it "
            "at their next sync."
        )
    return 0
