"""Build the tariff-war model's shipped dataset from ../shared/data.

    python scripts/build_tariffwar.py [--year 2022] [--shared ../shared/data] [--out src/tradesim/data/builtin/tariffwar_icio2022.nc]

Takes ``ICIO<year>.mat`` of ahmadlp/tariffwar as its code takes it: the flows ``Xjik_3D``
(read as tariff-inclusive spending, domestic sales on the diagonal) and the tariffs
``tjik_3D`` exactly as in the file (services and the US food line included), in tradesim's
order (importer, exporter, sector), and the eight elasticity sets (``epsilon_S = sigma_S - 1``).
Nothing is fixed or reconciled here: the model's preparation (one USD million on every
domestic cell, the deficit purge) runs at solve time, as in the authors' pipeline, because the
purge depends on the elasticity set. Writes NetCDF-3 with provenance attributes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import xarray as xr

from tradesim.data.sources.icio import read_mat
from tradesim.model.tariffwar.data import ELASTICITY_SETS, ELASTICITY_SOURCES

ROOT = Path(__file__).resolve().parents[1]


def build(shared: Path, year: int = 2022) -> xr.Dataset:
    """The tariff-war dataset of ``year`` with provenance attributes."""
    path = shared / "icio_tariffwar" / f"ICIO{year}.mat"
    tables = read_mat(path)
    eps = np.stack([tables.elasticities[k][0] for k in ELASTICITY_SETS])
    bil = ("importer", "exporter", "sector")
    return xr.Dataset(
        {
            "flows": (bil, tables.flows, {"units": "USD million",
                                          "long_name": "gross bilateral flows (intermediate + final), incl. "
                                                       "domestic sales; read as tariff-inclusive spending"}),
            "tariff": (bil, tables.tariff, {"units": "1", "long_name": "applied ad valorem tariff charged by the "
                                                                      "importer, as in the source file"}),
            "elasticity": (("elasticity_set", "sector"), eps,
                           {"units": "1", "long_name": "trade elasticity epsilon = sigma - 1"}),
        },
        coords={"importer": tables.countries, "exporter": tables.countries, "country": tables.countries,
                "sector": tables.sectors, "elasticity_set": list(ELASTICITY_SETS)},
        attrs={
            "source": f"OECD ICIO 2023 extended edition, {year}, with Teti Global Tariff Database tariffs and "
                      f"8 elasticity sets, as compiled in ahmadlp/tariffwar mat/ICIO{year}.mat "
                      "(../shared/data/icio_tariffwar/)",
            "year": str(year),
            "license": "OECD ICIO CC BY 4.0 (via ahmadlp/tariffwar, which states no license)",
            "version": f"tariffwar_icio{year}-1",
            "build_script": "scripts/build_tariffwar.py",
            "elasticity_sources": "; ".join(f"{k} ({tables.elasticities[k][1]}): {ELASTICITY_SOURCES[k]}"
                                            for k in ELASTICITY_SETS),
        },
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or ROOT / f"src/tradesim/data/builtin/tariffwar_icio{args.year}.nc"
    build(args.shared, args.year).to_netcdf(out, engine="scipy")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
