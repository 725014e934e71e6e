"""Shared CLI plumbing: error mapping and common options."""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import click

from after.errors import AfterError, NotReadyError


def run_command(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a click callback: `AfterError` → `error: <message>` on stderr and its exit code (no traceback);
    Ctrl-C → exit 130 with a note that work can be resumed where the command supports it."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
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


def not_ready(command: str, issue: int) -> None:
    """Raise the one-line 'not implemented yet' error for a command whose issue has not landed."""
    raise NotReadyError(f"`{command}` is not implemented yet (tracked in issue #{issue})")


def parse_gpu(gpu: int) -> str:
    """Seed semantics: `--gpu -1` = CPU, `--gpu N` = CUDA device N."""
    return "cpu" if gpu is None or gpu < 0 else f"cuda:{gpu}"
