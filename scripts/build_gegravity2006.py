"""Build the shipped structural-gravity sample (gegravity's documented example data) from
../shared/data/gegravity/sample_data_set.dlm.

    python scripts/build_gegravity2006.py [--shared ../shared/data] [--out src/tradesim/data/builtin/gegravity2006.nc]

The panel (30 countries, 2006, every pair with domestic flows) is checked by
:meth:`tradesim.gravity.data.GravityData.check` and written as NetCDF-3 with one ``pair``
dimension in the file's row order (labels as strings, the year as an integer, every other number as float64) and the
provenance attributes; :func:`tradesim.model.gravity.data.load_gegravity2006` reads it back to
the same table.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import xarray as xr

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("exporter", "importer")


def build(shared: Path) -> xr.Dataset:
    from tradesim.gravity import GravityData

    data = GravityData.read(shared / "gegravity" / "sample_data_set.dlm")
    numbers = [c for c in data.frame.columns if c not in LABELS]
    data.check([c for c in numbers if c not in ("year", "trade", "Y", "E")], need_output=True)
    f = data.frame
    ds = xr.Dataset({c: ("pair", f[c].astype(str).to_numpy() if c in LABELS else
                         f[c].to_numpy(np.int32 if c == "year" else np.float64)) for c in f.columns})
    ds.attrs.update(
        build_script="scripts/build_gegravity2006.py",
        source="gegravity 0.3 (USITC, Peter R. Herman) examples/sample_data_set.dlm",
        year="2006", license="MIT (Copyright (c) 2021 Peter R. Herman)", family="gravity",
        columns=", ".join(f.columns))
    return ds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src/tradesim/data/builtin/gegravity2006.nc")
    args = parser.parse_args(argv)
    build(args.shared).to_netcdf(args.out, engine="scipy")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
