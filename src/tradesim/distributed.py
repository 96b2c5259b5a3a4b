"""Chunks of work in this process or on Dask: the one place sweeps, Monte Carlo and
gravity draws go out to workers.

With ``workers`` > 0 the chunks run on a ``dask.distributed`` LocalCluster of that
many single-threaded worker processes; with ``scheduler`` (e.g. ``tcp://host:8786``)
on an existing cluster. Every chunk's inputs are made before anything goes out and
results come back in chunk order, so the answer does not depend on where it ran.

>>> map_chunks(partial(solve_points, spec), chunks, workers=2)   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def map_chunks(fn: Callable[[Any], Any], chunks: Sequence, *, scheduler: str | None = None, workers: int = 0,
               progress: Callable[[int, int], None] | None = None) -> list:
    """``[fn(chunk) for chunk in chunks]``, in this process or on Dask.

    fn : a picklable callable (a module-level function or a ``functools.partial`` of one).
    progress : called as ``progress(done, total)`` whenever a chunk finishes.
    """
    total = len(chunks)
    if scheduler is None and workers <= 0:
        out = []
        for k, chunk in enumerate(chunks):
            out.append(fn(chunk))
            if progress:
                progress(k + 1, total)
        return out
    from dask.distributed import Client, as_completed

    cluster = None if scheduler else local_cluster(workers)
    try:
        with Client(scheduler or cluster) as client:
            futures = [client.submit(fn, chunk, pure=False) for chunk in chunks]
            position = {f.key: k for k, f in enumerate(futures)}
            out: list = [None] * total
            for done, future in enumerate(as_completed(futures), 1):
                out[position[future.key]] = future.result()
                if progress:
                    progress(done, total)
            return out
    finally:
        if cluster is not None:
            cluster.close()


def local_cluster(workers: int):
    """A ``dask.distributed`` LocalCluster of ``workers`` single-threaded processes.

    Dask starts worker processes with ``MALLOC_TRIM_THRESHOLD_=65536``, which also
    fixes glibc's mmap threshold at 128 KiB: every (N, N, J) array of the solver is then
    mapped and unmapped afresh, and a worker solves ~60% slower than this process
    (measured: 25 scenarios on the 2022 world, 2.1 s against 1.35 s). The workers started
    here leave glibc its adaptive defaults. (Workers of an existing cluster: see
    docs/sweeps.md, a large ``MALLOC_TRIM_THRESHOLD_`` in the nanny's pre-spawn
    environment, or ``dask worker --no-nanny``.)
    """
    import dask
    from dask.distributed import LocalCluster

    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
               if k != "MALLOC_TRIM_THRESHOLD_"}
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)

