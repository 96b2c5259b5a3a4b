"""Build the shipped Ossa (2014) dataset from the author's files in ../shared/data/ossa2014.

    python scripts/build_ossa2014.py [--shared ../shared/data] [--out src/tradesim/data/builtin/ossa2014.nc]

Reads the files (:mod:`tradesim.data.sources.ossa2014`) and writes NetCDF-3 with
provenance attributes. Trade imbalances are *not* purged here: that is a model
solve (:meth:`tradesim.model.ossa.OssaModel.purged`) done when the model is set
up, as the paper does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tradesim.data.sources.ossa2014 import read_ossa2014

ROOT = Path(__file__).resolve().parents[1]
VERSION = "ossa2014-1"


def build(shared: Path):
    ds = read_ossa2014(shared / "ossa2014")
    ds.attrs.update(
        version=VERSION,
        build_script="scripts/build_ossa2014.py",
        source="Ossa (2014) AER 104(12) replication inputs via adamsconchallos/trade (Data/CSV files, Tables/DATA.mat)",
        year="2007 (GTAP-based)",
        license="none stated (author's replication files)",
    )
    return ds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src/tradesim/data/builtin/ossa2014.nc")
    args = parser.parse_args(argv)
    ds = build(args.shared)
    ds.to_netcdf(args.out, engine="scipy")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
