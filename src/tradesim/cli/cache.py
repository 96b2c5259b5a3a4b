"""``tradesim cache``: where the files that spare a process its rebuilding live
(:mod:`tradesim.diskcache`, :mod:`tradesim.model.cache`), and how to empty it."""

from __future__ import annotations

import typer

app = typer.Typer(help="The on-disk cache ($TRADESIM_CACHE, default ~/.cache/tradesim): baselines, reference "
                       "worlds, traced and compiled solver programs.", no_args_is_help=True)


def _size(folder) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@app.command()
def info() -> None:
    """Print the cache folder and the size of each part."""
    from tradesim.diskcache import cache_root, enabled
    from tradesim.model.cache import FOLDERS

    root = cache_root()
    print(f"{root}{'' if enabled() else ' (off: TRADESIM_CACHE=off)'}")
    for name in FOLDERS:
        folder = root / name
        if folder.is_dir():
            print(f"  {name:10s} {sum(1 for _ in folder.iterdir()):5d} files {_size(folder) / 1e6:8.1f} MB")


@app.command()
def clear() -> None:
    """Delete every cached baseline, reference world and solver program (the next run rebuilds them)."""
    from tradesim.diskcache import cache_root
    from tradesim.model.cache import clear as clear_cache

    removed = clear_cache()
    print(f"cleared {cache_root()}: " + (", ".join(p.name for p in removed) if removed else "nothing cached"))
