"""Promoters (introducers) in the team database: pulled by every desktop, kept by admins.

Each sync reads the whole central ``promoter`` table (a short list) and
replaces the local list with it (store/promoters.py), so the quote page
offers exactly the team's promoters. A child account (``parent_id``) is a
login of its parent's firm and quotes under the parent's name and discount:
only top-level promoters are listed. A row the engine could not use (a
percentage of 100 or more) is left out and named in the sync's report.

Adding, changing and removing promoters needs an admin login (c0002's grants).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from ..core.errors import PolicyError, SyncError
from ..core.exact import fraction_text, to_fraction
from ..core.policy import Promoter
from ..store import PromoterList, Store
from .audit import announced_transaction
from .connection import central_errors
from .messages import Guarded
from .schema import promoter


@dataclass
class PromotersPulled:
    count: int = 0
    left_out: list[str] = field(default_factory=list)
    """Each central promoter not usable here, and why."""


def fetch_promoters(engine: Engine) -> tuple[list[Promoter], list[str]]:
    """The team's top-level promoters, and the rows left out with why."""
    with central_errors(), engine.connect() as conn, conn.begin():
        rows = conn.execute(
            select(promoter.c.name, promoter.c.discount_type, promoter.c.discount_value)
            .where(promoter.c.parent_id.is_(None))
            .order_by(promoter.c.name)
        ).all()
    usable: list[Promoter] = []
    left_out: list[str] = []
    for row in rows:
        try:
            usable.append(Promoter(row.name, row.discount_type, to_fraction(row.discount_value)))
        except (PolicyError, ValueError) as error:
            left_out.append(f"promoter {row.name!r} left out: {error}")
    return usable, left_out


def pull_promoters(engine: Engine, store: Store) -> PromotersPulled:
    usable, left_out = fetch_promoters(engine)
    return PromotersPulled(PromoterList(store).replace(usable), left_out)


def add_promoter(engine: Engine, chosen: Promoter, desktop_id: str) -> Promoter:
    """Add a promoter, or change the discount of the one with that name."""
    values = {
        "name": chosen.name,
        "discount_type": chosen.discount_type,
        "discount_value": fraction_text(chosen.discount_value),
    }
    upsert = pg_insert(promoter).values(values)
    upsert = upsert.on_conflict_do_update(
        index_elements=[promoter.c.name],
        set_={"discount_type": values["discount_type"], "discount_value": values["discount_value"]},
    )
    with announced_transaction(engine, Guarded.PROMOTERS, desktop_id) as conn:
        conn.execute(upsert)
    return chosen


def remove_promoter(engine: Engine, name: str, desktop_id: str) -> None:
    """Remove the promoter ``name`` (quotes made with it keep it in their policy)."""
    with announced_transaction(engine, Guarded.PROMOTERS, desktop_id) as conn:
        children = select(promoter.c.id).where(promoter.c.name == name).scalar_subquery()
        conn.execute(delete(promoter).where(promoter.c.parent_id == children))
        removed = conn.execute(delete(promoter).where(promoter.c.name == name)).rowcount
    if not removed:
        raise SyncError(f"There is no promoter named {name!r}: `bng central promoter list`.")
