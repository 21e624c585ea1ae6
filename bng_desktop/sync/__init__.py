"""Team sync with the central PostgreSQL: reference data down, quotes up, offline first.

connection.py   the URL, TLS default, timeouts; failures as offline/refused
messages.py     failures in plain words ("Cannot reach the team database at …")
credentials.py  the password: OS keyring, or memory only; never on disk
schema.py       the central tables; central_migrations/ creates and upgrades them
migrate.py      bng central init|upgrade|status
logins.py       bng central add-user|remove-user|users: team logins in their roles
audit.py        the server-written audit log, read by admins
publish.py      an admin publishes a workbook or the local version (serialised)
pull.py         new reference versions, fetched whole, switched to in one transaction
numbering.py    provisional local references, confirmed or renumbered centrally
outbox.py       the local side of the push (the store's Outbox, as claims to place)
push.py         the outbox upserted by UUID, batch by batch
team.py         colleagues' quotes into the local history, read-only
status.py       the sync log and the status the header shows
service.py      TeamSync: one sync run, settings, admin actions
scheduler.py    the app's background sync thread

The local side (outbox, team quotes, pulled versions, sync log) lives in the
store and is used only through what ``bng_desktop.store`` exports.
"""

from .service import SyncReport, TeamSync
from .settings import SyncSettings
from .status import SyncStatus

__all__ = ["SyncReport", "SyncSettings", "SyncStatus", "TeamSync"]
