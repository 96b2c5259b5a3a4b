"""Aggregation and calibration: WIOD cost shares carried to the ICIO economies and
sectors, scaled to absorption, and the final-demand shares that clear goods markets
(steps 1-4 of the calibration in :mod:`tradesim.data.sources.icio`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tradesim.data.sources.icio.labels import WIOD_YEAR, icio_groups
from tradesim.data.sources.icio.read import wiod_cost_shares
from tradesim.errors import DataError


def world_cost_shares(shares: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Output-weighted average cost shares of all regions, shape (input group, using group).

    ``sum_r shares[r, g, h] * output[r, h] / sum_r output[r, h]``: world
    purchases of ``g`` by industry ``h`` per unit of world output of ``h``.
    """
    total = output.sum(axis=0)
    return np.divide((shares * output[:, None, :]).sum(axis=0), total[None, :],
                     out=np.zeros(shares.shape[1:]), where=total[None, :] > 0)


def economy_cost_shares(countries: list[str], regions: list[str], shares: np.ndarray,
                        output: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Group cost shares of each ICIO economy, shape (country, input group, using group).

    An economy in WIOD takes its own shares; an economy not in WIOD, and a
    group an economy does not produce in WIOD, take :func:`world_cost_shares`.
    Also returns the economies that took the fallback wholly.
    """
    world = world_cost_shares(shares, output)
    own = {c: i for i, c in enumerate(regions)}
    out = np.empty((len(countries),) + world.shape)
    fallback = []
    for n, c in enumerate(countries):
        if c in own:
            i = own[c]
            out[n] = np.where(output[i][None, :] > 0, shares[i], world)
        else:
            out[n] = world
            fallback.append(c)
    return out, fallback


def split_to_sectors(group_shares: np.ndarray, sectors: list[str], absorption: np.ndarray) -> np.ndarray:
    """ICIO cost shares (country, input sector, sector) from group shares.

    Parameters
    ----------
    group_shares : ndarray, shape (country, input group, using group)
    sectors : list of str
        ICIO sector codes, each in exactly one group of :data:`WIOD_TO_ICIO`.
    absorption : ndarray, shape (country, sector)
        Each economy's purchases of each sector (any valuation).

    Returns
    -------
    ndarray, shape (country, input sector, sector)
        A using sector takes its group's structure; an input group's share is
        split among its sectors by the economy's absorption of each (equally
        where the economy absorbs none of the group).
    """
    groups = icio_groups()
    group_of = {s: g for g, members in enumerate(groups) for s in members}
    missing = [s for s in sectors if s not in group_of]
    if missing:
        raise DataError(f"ICIO sectors without a WIOD concordance: {', '.join(missing)}")
    g_idx = np.array([group_of[s] for s in sectors])
    same = (g_idx[:, None] == g_idx[None, :]).astype(float)
    group_total = absorption @ same                      # (country, sector): its group's absorption
    equal = 1.0 / same.sum(axis=1)
    split = np.divide(absorption, group_total, out=np.broadcast_to(equal, absorption.shape).copy(),
                      where=group_total > 0)
    return group_shares[:, g_idx][:, :, g_idx] * split[:, :, None]


def scale_inputs_to_absorption(io_share: np.ndarray, output: np.ndarray,
                               absorption: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale input cost shares down where intermediate demand exceeds absorption.

    Parameters
    ----------
    io_share : ndarray, shape (country, input sector, sector)
    output : ndarray, shape (country, sector)
        Gross output ``Y``.
    absorption : ndarray, shape (country, sector)
        Spending on each sector gross of tariffs, ``X = sum_i (1 + t) trade``.

    Returns
    -------
    io_share : ndarray, shape (country, input sector, sector)
        ``io_share[n, k, :] * s[n, k]`` with ``s = min(1, X / sum_j io_share Y)``:
        intermediate demand of ``k`` in ``n`` at most its absorption, so final
        demand is non-negative; every sector using ``k`` gives up the same
        fraction, and value added (one minus the inputs) takes it up.
    scale : ndarray, shape (country, input sector)
        ``s``; one where nothing was scaled.
    """
    intermediate = np.einsum("nkj,nj->nk", io_share, output)
    scale = np.minimum(1.0, np.divide(absorption, intermediate, out=np.ones_like(absorption),
                                      where=intermediate > 0))
    return io_share * scale[:, :, None], scale


def final_demand_shares(trade: np.ndarray, tariff: np.ndarray, io_share: np.ndarray,
                        value_added_share: np.ndarray) -> np.ndarray:
    """Final-demand shares ``alpha`` (country, sector) that clear goods markets.

    ``alpha[n, j] = (X[n, j] - sum_k io_share[n, j, k] Y[n, k]) / I[n]`` with
    absorption ``X`` gross of tariffs, gross output ``Y`` and income
    ``I = value added + tariff revenue + deficit``; these sum to one by the
    accounting identity. Round-off negatives (about 1e-17 where inputs were
    scaled to absorption) are set to zero.
    """
    output = trade.sum(axis=0)
    absorption = ((1 + tariff) * trade).sum(axis=1)
    final = absorption - np.einsum("njk,nk->nj", io_share, output)
    deficit = trade.sum(axis=(1, 2)) - trade.sum(axis=(0, 2))
    income = (value_added_share * output).sum(axis=1) + (tariff * trade).sum(axis=(1, 2)) + deficit
    if (income <= 0).any():
        raise DataError("ICIO economies with non-positive income (value added + tariff revenue + deficit)")
    alpha = np.maximum(final / income[:, None], 0.0)
    return alpha / alpha.sum(axis=1, keepdims=True)


def calibrated_shares(trade: np.ndarray, tariff: np.ndarray, countries: list[str], sectors: list[str],
                      wiod_folder: str | Path, wiod_year: int = WIOD_YEAR):
    """Input-output, value-added and final-demand shares consistent with the flows.

    Parameters
    ----------
    trade, tariff : ndarray, shape (importer, exporter, sector)
        Flows before tariffs (USD million) and tariffs (fractions).
    countries, sectors : list of str
    wiod_folder : path-like
    wiod_year : int

    Returns
    -------
    io_share : ndarray, shape (country, input sector, sector)
    value_added_share, final_demand_share : ndarray, shape (country, sector)
    attrs : dict of str to str
        ``wiod_fallback`` and ``inputs_scaled_to_absorption``.
    """
    regions, group_shares, wiod_output = wiod_cost_shares(wiod_folder, wiod_year)
    shares, fallback = economy_cost_shares(countries, regions, group_shares, wiod_output)
    wiod = split_to_sectors(shares, sectors, trade.sum(axis=1))
    output = trade.sum(axis=0)
    io_share, scale = scale_inputs_to_absorption(wiod, output, ((1 + tariff) * trade).sum(axis=1))
    va_share = 1.0 - io_share.sum(axis=1)
    if (va_share < 0).any():
        bad = [f"{countries[a]}/{sectors[b]}" for a, b in np.argwhere(va_share < 0)[:4]]
        raise DataError(f"WIOD cost shares exceed one (no value added) at {', '.join(bad)}")
    alpha = final_demand_shares(trade, tariff, io_share, va_share)
    moved = np.einsum("nkj,nj->", wiod - io_share, output) / np.einsum("nkj,nj->", wiod, output)
    return io_share, va_share, alpha, {
        "wiod_fallback": (f"{len(countries) - len(fallback)} economies use their own WIOD {wiod_year} cost shares; "
                          f"{len(fallback)} ({' '.join(fallback)}) and industries an economy does not produce "
                          f"use the output-weighted average of all {len(regions)} WIOD regions"),
        "inputs_scaled_to_absorption": (
            f"intermediate demand exceeded absorption in {int((scale < 1).sum())} of {scale.size} "
            f"country-sector cells; those inputs' cost shares were scaled down (final demand zero there), "
            f"moving {moved * 100:.2f}% of intermediate costs to value added; flows and deficits unchanged"),
    }
