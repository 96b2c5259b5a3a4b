"""What every ``tradesim`` command prints through: its consoles and the one-line error.

A :class:`~tradesim.errors.TradesimError` (or any error a command reports) is printed as one
line, ``error: <message>``, on standard error with exit status 2; the message is escaped, so
labels in brackets (``['CAN']``, ``[options]``) are printed, not read as rich markup.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

err_console = Console(stderr=True)


def stdout_console(width: int = 160) -> Console:
    """The console a command prints its tables on: the terminal's width on a terminal,
    ``width`` columns when the output is piped or captured (so tables are not cut to 80)."""
    return Console() if sys.stdout.isatty() else Console(width=width)


def fail(err: Exception) -> NoReturn:
    """Print ``err`` as one line on standard error and exit with status 2."""
    err_console.print(f"[bold red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)
