"""Build the shipped BACI 2023 dataset (the Liberation Day model's world) from ../shared/data/baci2023.

    python scripts/build_baci2023.py [--shared ../shared/data] [--out src/tradesim/data/builtin/baci2023.nc]

Reads the files (:mod:`tradesim.data.sources.baci2023`) and writes NetCDF-3 with
provenance attributes. No processing besides layout: the domestic sales, the
calibration of nu and the deficits are model set-up
(:func:`tradesim.model.liberation_day.inputs.calibrate`), done as the authors do.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tradesim.data.sources.baci2023 import read_baci2023

ROOT = Path(__file__).resolve().parents[1]
VERSION = "baci2023-1"


def build(shared: Path):
    ds = read_baci2023(Path(shared) / "baci2023")
    ds.attrs.update(
        version=VERSION,
        build_script="scripts/build_baci2023.py",
        family="liberation_day",
        source=("CEPII BACI HS22 V202501 total goods trade 2023 and the 2025 US applied tariff by partner "
                "(ahmadlp/us-tariff data/reciprocal_tariffs/); GDP: World Development Indicators 2023 "
                "(JIE replication package of Ignatenko, Lashkaripour, Macedoni & Simonovska 2025, "
                "mirrored in JoeLoera/liberation-day-replication data/base_data/)"),
        year="2023 (trade, GDP); 2025 (US tariffs)",
        license="BACI: none stated in the source repository (CEPII BACI is Etalab Open Licence 2.0); "
                "WDI CC BY 4.0",
    )
    return ds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src/tradesim/data/builtin/baci2023.nc")
    args = parser.parse_args(argv)
    ds = build(args.shared)
    ds.to_netcdf(args.out, engine="scipy")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
