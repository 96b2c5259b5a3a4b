"""The reference worlds and traced programs kept on disk (:mod:`tradesim.model.worlds`,
:mod:`tradesim.model.cache`, :mod:`tradesim.diskcache`): read back, they give the numbers
a fresh build gives, to the bit; any change of what they depend on gives another entry;
a damaged or foreign file is rebuilt; concurrent writers never expose half a file; an
unwritable cache still runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

import tradesim
from tradesim import diskcache
from tradesim.data.baseline import Baseline
from tradesim.model import cache
from tradesim.model.counterfactual import counterfactual, reference_world
from tradesim.model.solve import ModelInputs, Shock, SolverOptions
from tradesim.model.worlds import load_world, world_key
from tradesim.scenario.apply import policy_from_scenario

ROOT = Path(__file__).resolve().parents[2]


def fresh(base: Baseline) -> Baseline:
    """The same baseline as another object: the in-process memory of reference worlds misses."""
    return Baseline(base.ds.copy(deep=False), base.name)


def assert_same_world(a, b):
    (ia, sa, ja), (ib, sb, jb) = a, b
    for f in fields(ModelInputs):
        assert np.array_equal(np.asarray(getattr(ia, f.name)), np.asarray(getattr(ib, f.name))), f.name
    assert np.array_equal(np.asarray(ja), np.asarray(jb))
    assert (sa is None) == (sb is None)
    if sa is not None:
        assert sa.values.keys() == sb.values.keys()
        for k in sa.values:
            assert np.array_equal(sa.values[k], sb.values[k]), k
        assert (sa.iterations, sa.residuals, sa.converged) == (sb.iterations, sb.residuals, sb.converged)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADESIM_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_world_from_disk_is_the_fresh_build_to_the_bit(cp2015, monkeypatch, cache_dir):
    scn = tradesim.load_scenario(ROOT / "scenarios" / "cp2015_nafta.toml")
    policy = policy_from_scenario(scn, cp2015)
    monkeypatch.setenv("TRADESIM_CACHE", "off")  # built in memory only, plain jax.jit
    built = reference_world(fresh(cp2015), "zero_deficit")
    solved = counterfactual(fresh(cp2015), policy, "zero_deficit")
    monkeypatch.setenv("TRADESIM_CACHE", str(cache_dir))
    first = reference_world(fresh(cp2015), "zero_deficit")  # built again, and written
    assert any((cache_dir / "worlds").iterdir())
    read = reference_world(fresh(cp2015), "zero_deficit")  # read from disk
    assert_same_world(first, built)
    assert_same_world(read, built)
    again = counterfactual(fresh(cp2015), policy, "zero_deficit")  # exported programs, world from disk
    for k, v in solved.equilibrium.values.items():
        assert np.array_equal(again.equilibrium.values[k], v), k
    assert again.equilibrium.residuals == solved.equilibrium.residuals


def test_a_change_of_baseline_option_or_version_is_another_entry(cp2015, monkeypatch):
    key = world_key(cp2015, "zero_deficit", None)
    assert world_key(fresh(cp2015), "zero_deficit", None) == key  # same content, another object
    assert world_key(cp2015, "zero_deficit", SolverOptions()) == key  # the defaults, spelled out
    ds = cp2015.ds.copy(deep=True)
    ds["tariff"][0, 1, 0] = ds["tariff"][0, 1, 0] + 1e-9
    others = [world_key(Baseline(ds, cp2015.name), "zero_deficit", None),
              world_key(cp2015, "fixed_deficit", None),
              world_key(cp2015, "zero_deficit", SolverOptions(tol=1e-11)),
              world_key(cp2015.with_elasticities("CP") if "trade_elasticity_sets" in cp2015.ds
                        else Baseline(cp2015.ds.assign(trade_elasticity=cp2015.ds["trade_elasticity"] * 1.01),
                                      cp2015.name), "zero_deficit", None)]
    for field, value in [("tradesim", "9.9.9"), ("jax", "0.0.1"), ("x64", False), ("code", "edited"),
                         ("backend", "gpu")]:
        env = {**cache.environment(), field: value}
        monkeypatch.setattr(cache, "environment", lambda env=env: env)
        others.append(world_key(cp2015, "zero_deficit", None))
        monkeypatch.undo()
    assert key not in others and len(set(others)) == len(others)


def test_damaged_or_foreign_entry_is_rebuilt(cp2015, cache_dir):
    base = fresh(cp2015)
    built = reference_world(base, "fixed_deficit")
    key = world_key(base, "fixed_deficit", None)
    path = diskcache.entry_path("worlds", key)
    whole = path.read_bytes()
    for damaged in (whole[: len(whole) // 2],                                 # truncated
                    whole[:-10] + bytes(10),                                  # bytes changed
                    diskcache.seal("another-key", whole.partition(b"\n")[2]),  # another entry's file
                    b"not a cache file"):
        path.write_bytes(damaged)
        assert load_world(key, None) is None
        rebuilt = reference_world(fresh(cp2015), "fixed_deficit")
        assert_same_world(rebuilt, built)
        assert_same_world(load_world(key, None), built)  # written again, whole
    # a sealed payload that is not an npz is ignored too
    diskcache.write_sealed("worlds", key, b"{}\nnot an npz")
    assert load_world(key, None) is None


WRITER = """
import sys, numpy as np
from tradesim import diskcache
value = int(sys.argv[1])
for i in range(25):
    diskcache.save_arrays("stress", "entry", {"x": np.full(400_000, value, dtype=np.float64)}, {"writer": value})
"""


def test_concurrent_writers_never_show_half_an_entry(cache_dir):
    env = {**os.environ, "TRADESIM_CACHE": str(cache_dir), "PYTHONPATH": str(ROOT / "src")}
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(v)], env=env, stderr=subprocess.PIPE)
               for v in (1, 2)]
    seen = set()
    while any(w.poll() is None for w in writers):
        found = diskcache.load_arrays("stress", "entry")
        if found is not None:
            arrays, meta = found
            x = arrays["x"]
            assert x.shape == (400_000,) and (x == meta["writer"]).all()  # one writer's whole entry
            seen.add(meta["writer"])
    assert all(w.wait() == 0 for w in writers), [w.stderr.read()[-500:] for w in writers]
    assert diskcache.load_arrays("stress", "entry") is not None
    assert not list((cache_dir / "stress").glob(".tmp-*"))  # no temporary file left behind
    assert seen  # the reader saw whole entries while they were being replaced


def test_unwritable_cache_still_solves(cp2015, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TRADESIM_CACHE", str(blocker / "cache"))  # cannot be created, even by root
    scn = tradesim.load_scenario(ROOT / "scenarios" / "cp2015_nafta.toml")
    with pytest.warns(RuntimeWarning, match="cache off"):
        solved = counterfactual(fresh(cp2015), policy_from_scenario(scn, cp2015), "fixed_deficit")
    assert solved.equilibrium.converged
    assert not blocker.is_dir()


def test_cache_clear_and_off(cp2015, cache_dir, monkeypatch):
    reference_world(fresh(cp2015), "fixed_deficit")
    assert (cache_dir / "worlds").is_dir()
    out = subprocess.run([sys.executable, "-m", "tradesim.cli.main", "cache", "clear"], cwd=ROOT, text=True,
                         capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.returncode == 0, out.stderr
    assert not (cache_dir / "worlds").exists() and str(cache_dir) in out.stdout
    monkeypatch.setenv("TRADESIM_CACHE", "off")
    assert not diskcache.enabled() and diskcache.load_arrays("worlds", "x") is None
    reference_world(fresh(cp2015), "fixed_deficit")
    assert not (cache_dir / "worlds").exists()


def test_programs_fall_back_to_jit_under_transformations(cache_dir):
    import jax
    import jax.numpy as jnp

    @cache.persistent_jit(static_argnames="power")
    def f(x, y, power):  # a tradesim record in and out, as the solver's loop state
        return {"value": (x * y) ** power, "pair": (x, y.sum()), "shock": Shock(x, y, x), "none": None}

    x, y = jnp.arange(3.0), jnp.ones(3)
    out = f(x, y, power=2)
    assert np.array_equal(out["value"], (x * y) ** 2) and float(out["pair"][1]) == 3.0
    assert len(list((cache_dir / "programs").iterdir())) == 1  # exported and stored, not plain jit
    f.programs.clear()  # as a new process: the program is read back, not exported again
    again = f(x, y, 2)
    assert np.array_equal(again["value"], out["value"]) and isinstance(again["shock"], Shock)
    assert jax.tree_util.tree_structure(again) == jax.tree_util.tree_structure(out)
    assert len(list((cache_dir / "programs").iterdir())) == 1
    grad = jax.grad(lambda v: f(v, y, power=2)["value"].sum())(x)  # tracers: plain jax.jit
    assert np.allclose(grad, 2 * x)
    assert np.array_equal(f(x, y * 2.0, 2)["value"], (x * 2.0) ** 2)


def test_version_changes_rename_programs(monkeypatch):
    sig = ("tree", ((3,), "float64", False), "[]")
    key = cache.entry_key("program", name="f", signature=sig)
    env = {**cache.environment(), "jax": "0.0.1"}
    monkeypatch.setattr(cache, "environment", lambda: env)
    assert cache.entry_key("program", name="f", signature=sig) != key
    assert json.loads(json.dumps(env)) == env  # every part of the key is plain JSON
