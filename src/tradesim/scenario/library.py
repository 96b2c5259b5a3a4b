"""The scenario library: where it is, what it lists, a scenario by name, and what pasted text may name.

The library is the folder ``scenarios/`` of the working copy (or of the current folder):
``library.toml`` lists the demo's scenarios in order; every other ``*.toml`` scenario file beside
it is in the library too, by its file stem (``cp2015_nafta``); the scenarios of another model
family live in ``scenarios/<family>/`` and are named ``<family>/<stem>``
(``liberation_day/ustr_tax_relief``). The command line (``tradesim run cp2015_nafta``,
``tradesim demo``) and the dashboard (``/api/library``, a run of a library scenario, a pasted
scenario that includes one) look scenarios up here, so a name means the same file in both.

Names are checked against :data:`KEY` and against the listing before any file is opened, so no
name becomes a path outside the library; a pasted scenario's ``include`` and ``reference`` name
library scenarios by name only (:func:`tradesim.scenario.spec.scenario_in_library`).

>>> lib = Library.find()                                   # doctest: +SKIP
>>> lib.path_of("cp2015_nafta")                            # doctest: +SKIP
PosixPath('.../scenarios/cp2015_nafta.toml')
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tradesim.errors import ScenarioError, TradesimError
from tradesim.scenario.spec import Scenario, parse_scenario, scenario_in_library

#: A library name: a file stem, or ``<family>/<stem>`` for another model family's scenario.
KEY = re.compile(r"[A-Za-z0-9_\-]{1,80}(/[A-Za-z0-9_\-]{1,80})?")
#: Where :meth:`Library.find` looks, after the current folder: the checkout this module is in.
CHECKOUT = Path(__file__).resolve().parents[3]


def find_folder() -> Path | None:
    """``scenarios/`` of the current folder, else of the checkout, if it holds ``library.toml``."""
    for base in (Path.cwd(), CHECKOUT):
        if (base / "scenarios" / "library.toml").exists():
            return base / "scenarios"
    return None


def _read(path: Path) -> dict | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def family_folders(folder: Path | None) -> list[str]:
    """The subfolders of ``folder`` that hold another model family's scenarios: a ``*.toml``
    file whose ``model`` is the subfolder's name (``scenarios/liberation_day/``)."""
    if folder is None or not folder.is_dir():
        return []
    return [d.name for d in sorted(folder.iterdir()) if d.is_dir() and KEY.fullmatch(d.name)
            and any((_read(p) or {}).get("model") == d.name for p in sorted(d.glob("*.toml")))]


@dataclass(frozen=True)
class Library:
    """A scenario library folder (``None``: no library; every name is unknown).

    Parameters
    ----------
    folder : the folder holding ``library.toml`` and the scenario files.
    families : the other model families whose folders ``folder/<family>/`` are listed
        (:meth:`find` finds them: every subfolder holding a scenario file that names the
        folder as its ``model``; the scenario layer does not import the model registry).
    """

    folder: Path | None
    families: tuple[str, ...] = ()

    @classmethod
    def find(cls, folder: str | Path | None = None, families=None) -> Library:
        """The library at ``folder``, else the one :func:`find_folder` finds (maybe none), with
        the given ``families`` or, by default, the family folders it holds (:func:`family_folders`)."""
        chosen = Path(folder) if folder is not None else find_folder()
        found = family_folders(chosen) if families is None else families
        return cls(chosen, tuple(sorted(set(found))))

    def required(self) -> Path:
        """The folder; a :class:`TradesimError` when there is no library."""
        if self.folder is None:
            raise TradesimError("cannot find scenarios/library.toml; run from the tradesim repository root")
        return self.folder

    def demo(self) -> list[str]:
        """The names ``library.toml`` lists, in its order (the demo's scenarios)."""
        raw = _read(self.required() / "library.toml")
        if raw is None or not isinstance(raw.get("scenarios"), list):
            raise TradesimError(f"{self.folder / 'library.toml'}: needs a list 'scenarios = [...]'")
        return [str(k) for k in raw["scenarios"]]

    def entries(self) -> list[dict]:
        """Every library scenario: ``key``, ``name``, ``baseline``, ``description``, ``demo`` (listed
        in ``library.toml``), and ``model`` for another family's; the demo's first, in its order,
        then the other files by name, then each family's folder. A file that is not TOML, or not a
        scenario (no measures, include or reference), is left out."""
        if self.folder is None:
            return []
        raw = _read(self.folder / "library.toml") or {}
        order = [str(k) for k in raw.get("scenarios", [])] if isinstance(raw.get("scenarios"), list) else []
        keys = order + sorted(p.stem for p in self.folder.glob("*.toml") if p.stem != "library" and p.stem not in order)
        out = []
        for k in keys:
            data = _read(self.folder / f"{k}.toml")
            if data is not None and (k in order or "measures" in data or "include" in data or "reference" in data
                                     or isinstance(data.get("model"), str)):  # another family's file (gravity)
                out.append({"key": k, "name": data.get("name", k), "baseline": data.get("baseline"),
                            "description": data.get("description", ""), "demo": k in order})
                if isinstance(data.get("model"), str) and data["model"] != "cp2015":
                    out[-1]["model"] = data["model"]
        for family in self.families:
            for path in sorted((self.folder / family).glob("*.toml")):
                data = _read(path)
                if data is not None and data.get("model") == family:
                    out.append({"key": f"{family}/{path.stem}", "name": data.get("name", path.stem),
                                "baseline": data.get("baseline"), "description": data.get("description", ""),
                                "demo": False, "model": family})
        return out

    def keys(self) -> list[str]:
        """The names of :meth:`entries`."""
        return [e["key"] for e in self.entries()]

    def path_of(self, name: str) -> Path:
        """The file of a library scenario named ``name`` (a :data:`KEY` the listing holds); a
        :class:`ScenarioError` naming the library's scenarios otherwise (a path is never opened)."""
        known = self.keys()
        if not isinstance(name, str) or not KEY.fullmatch(name) or name not in known:
            shown = ", ".join(known[:40]) + (" ..." if len(known) > 40 else "") if known else "none"
            raise ScenarioError(f"unknown library scenario {str(name)[:80]!r} (the library has: {shown})")
        return self.required() / f"{name}.toml"

    def file_or_name(self, given: str | Path) -> Path:
        """What ``tradesim run`` was given: an existing file, or anything ending ``.toml``, as it
        is (a missing file's reader says so); else a library name's file (:meth:`path_of`)."""
        path = Path(given)
        if path.exists() or str(given).endswith(".toml") or not KEY.fullmatch(str(given)):
            return path
        return self.path_of(str(given))

    def pasted(self, text: str, name: str = "pasted") -> Scenario:
        """Scenario text pasted or uploaded: its ``include`` and ``reference`` may name library
        scenarios by name only (:func:`scenario_in_library`); without a library, neither."""
        if self.folder is not None:
            return scenario_in_library(text, self.folder, name=name)
        scn = parse_scenario(text, name=name)
        if scn.reference is not None or "include" in tomllib.loads(text):
            raise ScenarioError("'include' and 'reference' need the scenario library, which this dashboard "
                                "does not have")
        return scn
