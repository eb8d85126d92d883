"""How `--help` reads at 80 columns: each option once, with its values, in one table.

Click's default help repeats an option's metavar and wraps its choices badly; these two
classes give every command and group the same compact layout.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..errors import ExitCode


def _names(param: Any) -> str:
    """`-o, --output PATH`: short names first, then the metavar (none for a flag)."""
    names = ", ".join(sorted(param.opts, key=lambda name: name.startswith("--")))
    if param.param_type_name == "argument":
        return str(param.metavar or param.name.upper())
    if getattr(param, "is_flag", False):
        return names
    return f"{names} {param.metavar or param.name.upper()}"


def _param_help(param: Any) -> str:
    """The help text, then `[required]` or `[default: …]` where a user needs it."""
    text = " ".join((param.help or "").split())
    if param.required:
        return f"{text}  [required]"
    default = param.default
    shown = (isinstance(default, (int, float, str)) and not isinstance(default, bool)
             and default != "" and not getattr(param, "is_flag", False))
    return f"{text}  [default: {default}]" if shown else text


def _format_params(command: Any, ctx: Any, formatter: Any) -> None:
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [(_names(p), _param_help(p)) for p in params
                 if p.param_type_name == "argument"]
    options = [(_names(p), _param_help(p)) for p in params if p.param_type_name == "option"]
    for title, rows in (("Arguments", arguments), ("Options", options)):
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)


class Command(TyperCommand):
    """A command whose --help reads like the README.

    Plain text in 80 columns, metavars (FILE..., NAME, N) instead of types, and flags
    shown without a value.
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.params:
            if param.param_type_name == "argument":
                name = _names(param)
                pieces.append(name if param.required else f"[{name}]")
            elif param.required:
                pieces.append(_names(param).split(", ")[-1])
        return pieces

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        _format_params(self, ctx, formatter)
        self.format_epilog(ctx, formatter)


class Group(TyperGroup):
    """A command group with the same plain help as `Command`; its commands come first."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """No command given: this help on stdout, exit 2 (a usage error)."""
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            typer.echo(ctx.get_help())
            ctx.exit(int(ExitCode.ERROR))
        result: list[str] = super().parse_args(ctx, args)
        return result

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """Each command with its whole summary (wrapped, never cut off)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                summary = (command.short_help or command.help or "").split("\n\n")[0]
                rows.append((name, " ".join(summary.split())))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        self.format_commands(ctx, formatter)
        _format_params(self, ctx, formatter)
        self.format_epilog(ctx, formatter)
