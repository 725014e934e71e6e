"""Run an `after` / `after-device` command in-process, exactly as typed on a shell, from the demo."""

from __future__ import annotations

import shlex

import click

from after.errors import AfterError, NotReadyError


def invoke(argv: list[str]) -> None:
    """Run `argv` (`["after", "train", "--name", …]`), echoing it as a shell line first.

    The command prints its own one-line error; here a failure becomes `AfterError` (a command whose issue
    has not landed: `NotReadyError`) so the demo stops with the stage named.
    """
    from after.cli.main import after_group, device_group

    groups = {"after": after_group, "after-device": device_group}
    click.echo("  $ " + shlex.join(argv))
    try:
        groups[argv[0]].main(argv[1:], prog_name=argv[0], standalone_mode=False)
    except SystemExit as exc:
        if exc.code in (0, None):
            return
        if exc.code == NotReadyError.exit_code:
            raise NotReadyError(f"`{shlex.join(argv[:2])}` has not landed yet, so the demo stops here; finished "
                                f"stages are kept, rerun `after demo` once it has") from None
        raise AfterError(f"`{shlex.join(argv[:2])}` failed (exit code {exc.code}, message above); fix it and "
                         f"rerun `after demo` to resume") from None
    except click.ClickException as exc:
        raise AfterError(f"`{shlex.join(argv[:2])}` refused the demo's flags ({exc.format_message()}); the demo "
                         f"and the command disagree, please report it") from None
