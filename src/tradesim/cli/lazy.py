"""Sub-commands registered by name and imported only when called (or listed by ``--help``).

``tradesim run`` then imports neither the dashboard, the news reader, the games nor the
gravity estimator, whose command modules are registered here as ``"module:attribute"``
strings. A Typer sub-app is added as a group, a function as one command; ``--help``
still lists every command (listing imports the command modules, which are small).
"""

from __future__ import annotations

from importlib import import_module

import typer
from typer.core import TyperGroup

#: name -> (``"module:attribute"``, help or None), in registration order.
LAZY: dict[str, tuple[str, str | None]] = {}


def lazy(name: str, target: str, help: str | None = None) -> None:  # noqa: A002 - typer's own word
    """Register ``target`` (``"tradesim.cli.news:news"``: a Typer app or a command function)
    as the sub-command ``name`` of the ``tradesim`` command line."""
    LAZY[name] = (target, help)


def _command(name: str, target: str, help: str | None):
    module, _, attr = target.partition(":")
    obj = getattr(import_module(module), attr)
    if isinstance(obj, typer.Typer):
        cmd = typer.main.get_command(obj)
    else:
        single = typer.Typer()
        single.command(name=name, help=help)(obj)
        cmd = typer.main.get_command(single)
    cmd.name = name
    if help is not None:
        cmd.help = help
    return cmd


class LazyGroup(TyperGroup):
    """The top-level group: its own commands, then the lazy ones, imported on first use."""

    def list_commands(self, ctx) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in LAZY if n not in self.commands)]

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in LAZY:
            self.commands[cmd_name] = _command(cmd_name, *LAZY[cmd_name])
        return super().get_command(ctx, cmd_name)
