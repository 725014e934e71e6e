"""Shared CLI plumbing: error mapping and common options."""

from __future__ import annotations

import functools
import sys
import warnings
from typing import Any, Callable, Optional, TextIO

import click

from after.errors import AfterError, AfterWarning


def _one_line_warnings(python_showwarning: Callable[..., None]) -> Callable[..., None]:
    """A `warnings.showwarning` that prints an `AfterWarning` as `warning: <message>` on stderr (one line, no
    source location: it is about the user's input, not our code) and hands other warnings to Python's."""

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: Optional[TextIO] = None, line: Optional[str] = None) -> None:
        if issubclass(category, AfterWarning):
            click.echo(f"warning: {message}", err=True)
        else:
            python_showwarning(message, category, filename, lineno, file, line)

    return show


def run_command(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a click callback: `AfterError` → `error: <message>` on stderr and its exit code (no traceback);
    `AfterWarning` → `warning: <message>` on stderr, each time it is raised; Ctrl-C → exit 130 with a note that
    work can be resumed where the command supports it."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", AfterWarning)
                warnings.showwarning = _one_line_warnings(warnings.showwarning)
                return func(*args, **kwargs)
        except AfterError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except OSError as exc:
            if exc.errno == 28:  # ENOSPC
                click.echo(f"error: {exc.filename or 'output'}: disk full; free space and run the command again "
                           f"(partial outputs were removed)", err=True)
                sys.exit(1)
            raise

    return wrapper


def train_overrides(overrides: tuple[str, ...], **flags: Any) -> tuple[str, ...]:
    """`--set` overrides followed by `train.<key>=<value>` for each training flag given (`--bsize` →
    `train.batch_size`, …): a flag wins over a `--set` of the same key."""
    return (*overrides, *(f"train.{key}={value}" for key, value in flags.items() if value is not None))


MANY_DEVICES_STRATEGY = "ddp_find_unused_parameters_true"  # both trainers leave parameters idle for a while


def hardware_options(default_gpu: Optional[int],
                     default_help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--gpu/--devices/--num_nodes/--strategy/--precision`, declared once for both trainers; turn their values
    into Trainer arguments with `lightning_hardware`. `default_gpu`/`default_help`: what runs without flags."""
    options = [
        click.option("--gpu", type=int, default=default_gpu,
                     help=f"-1: CPU; N: one CUDA device N (default: {default_help})."),
        click.option("--devices", default=None,
                     help="Lightning devices: a count (DDP on several), a list such as 0,1, or auto; overrides --gpu."),
        click.option("--num_nodes", type=click.IntRange(1), default=1, show_default=True, help="Machines (DDP)."),
        click.option("--strategy", default=None,
                     help=f"Lightning strategy (default: {MANY_DEVICES_STRATEGY} on several devices, else auto)."),
        click.option("--precision", default=None, help="Lightning precision: 32-true (default), bf16-mixed, 16-mixed."),
    ]

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def lightning_hardware(gpu: Optional[int], devices: Optional[str], num_nodes: int, strategy: Optional[str],
                       precision: Optional[str]) -> dict[str, Any]:
    """The `accelerator`, `devices`, `num_nodes`, `strategy` and `precision` fields of both trainers' options.

    `--devices` wins over `--gpu`: `4` → 4 devices, `0,1` → devices [0, 1], anything else (`auto`) goes to
    Lightning as typed. `--gpu -1` → CPU, `--gpu N` → [N]; neither → Lightning's `auto`. Several devices or
    nodes get `ddp_find_unused_parameters_true` unless `--strategy` says otherwise.
    """
    accelerator: str
    device_arg: Any
    if devices is not None:
        accelerator, text = "auto", devices.strip()
        try:
            device_arg = [int(d) for d in text.split(",")] if "," in text else \
                int(text) if text.lstrip("-").isdigit() else text
        except ValueError:
            raise click.BadParameter(f"{devices!r}: give a count, a comma-separated list of indices, or auto",
                                     param_hint="--devices") from None
    elif gpu is not None:
        accelerator, device_arg = ("cpu", 1) if gpu < 0 else ("gpu", [gpu])
    else:
        accelerator, device_arg = "auto", "auto"
    many = (isinstance(device_arg, int) and (device_arg > 1 or device_arg == -1)) or \
        (isinstance(device_arg, list) and len(device_arg) > 1) or num_nodes > 1
    return {"accelerator": accelerator, "devices": device_arg, "num_nodes": num_nodes,
            "strategy": strategy or (MANY_DEVICES_STRATEGY if many else "auto"), "precision": precision}
