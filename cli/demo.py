"""`after demo`."""

import click

from after.cli.common import not_ready, run_command


@click.command("demo")
@run_command
def demo() -> None:
    """Synthesize a dataset, train small models on the CPU, export them and build every device."""
    not_ready("after demo", 7)


COMMANDS = [demo]
