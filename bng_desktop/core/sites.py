"""Completing a site from the reference data: offline neighbours."""

from __future__ import annotations

import dataclasses

from .model import Site
from .reference import ReferenceSnapshot


def with_known_neighbours(site: Site, snapshot: ReferenceSnapshot) -> Site:
    """Fill in LPA and NCA neighbours the caller did not give, from the
    neighbour lists stored with the reference data (districts come bundled),
    so a site located by name alone still gets correct adjacent tiers."""
    lpa_neighbours, nca_neighbours = site.lpa_neighbours, site.nca_neighbours
    if site.lpa.strip() and not lpa_neighbours:
        lpa_neighbours = snapshot.neighbours_of_lpa(site.lpa)
    if site.nca.strip() and not nca_neighbours:
        nca_neighbours = snapshot.neighbours_of_nca(site.nca)
    if (lpa_neighbours, nca_neighbours) == (site.lpa_neighbours, site.nca_neighbours):
        return site
    return dataclasses.replace(site, lpa_neighbours=lpa_neighbours, nca_neighbours=nca_neighbours)
