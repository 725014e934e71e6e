"""Run `after` / `after-device` commands in-process from the demo, echoing each as the shell line a user
would type, and the time limit the demo puts on training."""

from __future__ import annotations

import shlex

import click

from after.errors import AfterError, NotReadyError


def echo_command(argv: list[str], note: str = "") -> None:
    """Print `argv` as a shell line (what a user would type), with an optional note."""
    click.echo("  $ " + shlex.join(argv) + (f"   # {note}" if note else ""))


def time_limit(seconds: float):
    """A Lightning callback that ends training (saving as at a normal end) once `seconds` of training have
    passed; its elapsed time is stored in checkpoints, so a resumed run only gets what is left."""
    from datetime import timedelta

    from lightning.pytorch.callbacks import Timer

    return Timer(duration=timedelta(seconds=seconds), interval="step", verbose=False)


def has_landed(program: str, command: str) -> bool:
    """False for the placeholder of a command whose issue has not landed yet (it takes no options at all)."""
    from after.cli.main import after_group, device_group

    found = {"after": after_group, "after-device": device_group}[program].commands.get(command)
    return found is not None and any(p.name != "help" for p in found.params)


def invoke(argv: list[str]) -> None:
    """Run `argv` (`["after", "train", "--name", …]`), echoing it as a shell line first.

    The command prints its own one-line error; here a failure becomes `AfterError` so the demo stops with the
    command named. A command whose issue has not landed yet (its placeholder takes no options) raises
    `NotReadyError` without running.
    """
    from after.cli.main import after_group, device_group

    groups = {"after": after_group, "after-device": device_group}
    echo_command(argv)
    if not has_landed(argv[0], argv[1]):
        raise NotReadyError(f"`{shlex.join(argv[:2])}` has not landed yet, so the demo stops here; finished "
                            f"stages are kept, rerun `after demo` once it has")
    try:
        groups[argv[0]].main(argv[1:], prog_name=argv[0], standalone_mode=False)
    except SystemExit as exc:
        if exc.code in (0, None):
            return
        raise AfterError(f"`{shlex.join(argv[:2])}` failed (exit code {exc.code}, message above); fix it and "
                         f"rerun `after demo` to resume") from None
    except click.ClickException as exc:
        raise AfterError(f"`{shlex.join(argv[:2])}` refused the demo's flags ({exc.format_message()}); the demo "
                         f"and the command disagree, please report it") from None
