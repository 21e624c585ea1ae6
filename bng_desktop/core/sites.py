"""Completing a site from the reference data: offline neighbours."""

from __future__ import annotations

import dataclasses

from .model import Site
from .reference import ReferenceSnapshot


def with_known_neighbours(site: Site, snapshot: ReferenceSnapshot) -> Site:
    """Fill in LPA and NCA neighbours the caller did not give, from the
    neighbour lists stored with the reference data (districts come bundled),
    so a site located by name alone still gets correct adjacent tiers."""
    changes = {}
    if site.lpa.strip() and not site.lpa_neighbours:
        changes["lpa_neighbours"] = snapshot.neighbours_of_lpa(site.lpa)
    if site.nca.strip() and not site.nca_neighbours:
        changes["nca_neighbours"] = snapshot.neighbours_of_nca(site.nca)
    return dataclasses.replace(site, **changes) if changes else site
