"""Normal-form policy games on the engine's baselines (``tradesim game SPEC.toml``).

A game spec names a base scenario (the world every profile starts from), players
and their strategies. A strategy is a set of measures -- the *own* measures of
scenario files from the library (their ``include`` lines are not followed, so the
base is never laid on twice) and/or inline ``[[...measures]]`` -- optionally
contingent on other players' choices (``when = {JPN = "align_us"}``: the measures
apply only in profiles where JPN plays ``align_us``; that makes a strategy a
response plan, the normal form of a move-after game). Each strategy profile is one
scenario = base measures + every player's active measures, solved by
:func:`tradesim.run`; payoffs are each player's welfare change (by default ``welfare_pct``, the
exact real-income change in percent, against the base scenario's reference). Pure-strategy Nash equilibria are found by
enumeration (:func:`is_nash`, QuantEcon vocabulary: ``payoff_array``,
``best_response``).

Spec::

    name = "Japan between the US and China"
    baseline = "icio2022"
    scenarios_dir = "../scenarios"   # relative to the spec file
    base = "us_japan_deal_2025_07"
    payoff = "welfare_pct"           # any column of Result.welfare(); welfare_pct = exact real income

    [[players]]
    name = "JPN"
    [[players.strategies]]
    name = "neutral"
    [[players.strategies]]
    name = "align_us"
    scenarios = ["japan_aligns_with_us"]
"""

from __future__ import annotations

import itertools
import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from tradesim.errors import ScenarioError
from tradesim.scenario.spec import Measure, Scenario, load_scenario, parse_scenario, scenario_from_dict


@dataclass(frozen=True)
class Strategy:
    name: str
    measures: tuple[Measure, ...]
    when: dict[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class Player:
    name: str
    strategies: tuple[Strategy, ...]


@dataclass(frozen=True)
class GameSpec:
    name: str
    base: Scenario
    players: tuple[Player, ...]
    payoff: str = "welfare_pct"
    baseline: str | None = None


def load_game(path: str | Path) -> GameSpec:
    """Parse a game TOML file; raise :class:`ScenarioError` naming the field at fault."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"game file not found: {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"game {path.name} is not valid TOML: {err}") from None
    unknown = set(raw) - {"name", "baseline", "scenarios_dir", "base", "payoff", "players", "description"}
    if unknown:
        raise ScenarioError(f"game {path.name}: unknown field(s) {', '.join(sorted(unknown))}")
    sdir = (path.parent / raw.get("scenarios_dir", ".")).resolve()
    if "base" not in raw:
        raise ScenarioError(f"game {path.name}: 'base' (the scenario every profile starts from) is missing")
    base = load_scenario(sdir / f"{raw['base']}.toml")
    if raw.get("baseline"):
        base = replace(base, baseline=raw["baseline"])
    players = []
    names = [p.get("name") for p in raw.get("players", [])]
    if len(names) < 2 or len(set(names)) != len(names) or not all(isinstance(n, str) for n in names):
        raise ScenarioError(f"game {path.name}: 'players' needs at least two players with distinct names")
    for p in raw["players"]:
        strategies = []
        for k, s in enumerate(p.get("strategies", [])):
            where = f"game {path.name}: player {p['name']} strategy {k + 1}"
            if "name" not in s:
                raise ScenarioError(f"{where}: 'name' is missing")
            bad = set(s) - {"name", "scenarios", "measures", "when", "description"}
            if bad:
                raise ScenarioError(f"{where}: unknown field(s) {', '.join(sorted(bad))}")
            measures: list[Measure] = []
            for sc in s.get("scenarios", []):
                f = sdir / f"{sc}.toml"
                if not f.exists():
                    raise ScenarioError(f"{where}: scenario '{sc}' not found in {sdir}")
                measures += parse_scenario(f.read_text(encoding="utf-8"), path=f).measures  # own measures only
            if s.get("measures"):
                measures += scenario_from_dict({"measures": s["measures"]}).measures
            when = dict(s.get("when", {}))
            for other, choice in when.items():
                if other not in names or other == p["name"]:
                    raise ScenarioError(f"{where}: 'when' names unknown player '{other}'")
            strategies.append(Strategy(s["name"], tuple(measures), when, s.get("description", "")))
        if not strategies:
            raise ScenarioError(f"game {path.name}: player {p['name']} has no strategies")
        players.append(Player(p["name"], tuple(strategies)))
    for pl in players:  # 'when' must name existing strategies
        for st in pl.strategies:
            for other, choice in st.when.items():
                opts = [x.name for x in next(q for q in players if q.name == other).strategies]
                if choice not in opts:
                    raise ScenarioError(f"game {path.name}: {pl.name}/{st.name}: 'when' {other} = '{choice}' "
                                        f"is not one of {opts}")
    return GameSpec(raw.get("name", path.stem), base, tuple(players), raw.get("payoff", "welfare_pct"),
                    raw.get("baseline"))


def profile_scenario(game: GameSpec, profile: tuple[str, ...]) -> Scenario:
    """The scenario of one strategy profile (one strategy name per player, in order)."""
    chosen = dict(zip([p.name for p in game.players], profile))
    measures = list(game.base.measures)
    for p, sname in zip(game.players, profile):
        st = next(s for s in p.strategies if s.name == sname)
        if all(chosen.get(o) == c for o, c in st.when.items()):
            measures += list(st.measures)
    measures = tuple(replace(m, index=i) for i, m in enumerate(measures))
    name = f"{game.name}: " + ", ".join(f"{p.name}={s}" for p, s in zip(game.players, profile))
    return replace(game.base, name=name, measures=measures, text="")


@dataclass(frozen=True)
class GameResult:
    spec: GameSpec
    payoffs: pd.DataFrame          # one row per profile: strategy columns + payoff per player (+ converged)
    equilibria: list[tuple[str, ...]]

    @property
    def converged(self) -> bool:
        """Whether every profile's equilibrium converged (a solve that does not raises
        :class:`NonConvergenceError`, so a finished game always has)."""
        return bool(self.payoffs["converged"].all())

    def payoff_array(self, player: str) -> np.ndarray:
        """Payoffs of ``player`` as an array indexed by each player's strategy number."""
        shape = [len(p.strategies) for p in self.spec.players]
        return self.payoffs[player].to_numpy().reshape(shape)

    def save(self, out: str | Path) -> Path:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        self.payoffs.to_parquet(out / "payoffs.parquet", index=False)
        (out / "summary.json").write_text(json.dumps({
            "game": self.spec.name, "payoff": self.spec.payoff,
            "players": {p.name: [s.name for s in p.strategies] for p in self.spec.players},
            "equilibria": [list(e) for e in self.equilibria], "converged": self.converged,
            "profiles": self.payoffs.to_dict(orient="records")}, indent=2))
        return out


def best_response(payoffs: np.ndarray, player: int, profile: tuple[int, ...]) -> list[int]:
    """Strategies of ``player`` maximising its payoff given the others' in ``profile``
    (ties kept; 1e-9 tolerance). ``payoffs`` is that player's payoff array."""
    idx = list(profile)
    vals = []
    for k in range(payoffs.shape[player]):
        idx[player] = k
        vals.append(payoffs[tuple(idx)])
    best = max(vals)
    return [k for k, v in enumerate(vals) if v >= best - 1e-9]


def is_nash(arrays: list[np.ndarray], profile: tuple[int, ...]) -> bool:
    """Whether ``profile`` is a pure-strategy Nash equilibrium: every player's
    strategy is a best response to the others'."""
    return all(profile[i] in best_response(a, i, profile) for i, a in enumerate(arrays))


def pure_equilibria(arrays: list[np.ndarray]) -> list[tuple[int, ...]]:
    return [p for p in itertools.product(*[range(n) for n in arrays[0].shape]) if is_nash(arrays, p)]


def play(game: GameSpec, *, progress: Callable[[int, int, str], None] | None = None, run=None) -> GameResult:
    """Solve every strategy profile and find the pure-strategy equilibria."""
    if run is None:
        from tradesim.api import run
    players = [p.name for p in game.players]
    profiles = list(itertools.product(*[[s.name for s in p.strategies] for p in game.players]))
    rows = []
    for k, prof in enumerate(profiles):
        res = run(profile_scenario(game, prof), store=False)
        w = res.welfare()
        if game.payoff not in w.columns:
            raise ScenarioError(f"game {game.name}: payoff '{game.payoff}' is not one of {list(w.columns)}")
        missing = [p for p in players if p not in w.index]
        if missing:
            raise ScenarioError(f"game {game.name}: player(s) {missing} are not economies of the baseline")
        rows.append({**{f"{p}_strategy": s for p, s in zip(players, prof)},
                     **{p: float(w.loc[p, game.payoff]) for p in players},
                     "converged": bool(res.diagnostics()["converged"])})
        if progress:
            progress(k + 1, len(profiles), " / ".join(prof))
    df = pd.DataFrame(rows)
    shape = [len(p.strategies) for p in game.players]
    arrays = [df[p].to_numpy().reshape(shape) for p in players]
    eq = [tuple(game.players[i].strategies[k].name for i, k in enumerate(e)) for e in pure_equilibria(arrays)]
    df["nash"] = [tuple(prof) in eq for prof in profiles]
    return GameResult(game, df, eq)


def payoff_label(column: str) -> str:
    """What a payoff column is, in words, for titles and axes."""
    return {"welfare_pct": "welfare (exact real-income change, %)", "ev_usd": "equivalent variation (USD)",
            "welfare_first_order_pct": "one-step CP welfare (first order, %)"}.get(
        column, column.replace("_pct", " (%)"))


def figure(result: GameResult):
    """Plotly grouped bars: each player's payoff in each profile (equilibria starred)."""
    import plotly.graph_objects as go

    players = [p.name for p in result.spec.players]
    labels = [" / ".join(r[f"{p}_strategy"] for p in players) + (" ★" if r["nash"] else "")
              for _, r in result.payoffs.iterrows()]
    fig = go.Figure([go.Bar(name=p, x=labels, y=result.payoffs[p]) for p in players])
    label = payoff_label(result.spec.payoff)
    fig.update_layout(barmode="group", title=f"{result.spec.name}: {label} by strategy profile "
                                             "(★ = pure-strategy Nash equilibrium)",
                      yaxis_title=label, xaxis_tickangle=-30)
    return fig
