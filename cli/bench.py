"""`after bench`."""

import click

from after.cli.common import not_ready, run_command


@click.command("bench")
@run_command
def bench() -> None:
    """Measure an nn~ model: ms per buffer per method, real-time factor, memory, load time."""
    not_ready("after bench", 3)


COMMANDS = [bench]
