"""`after-device build | inspect | validate`."""

import click

from after.cli.common import not_ready, run_command


@click.command("build")
@run_command
def build() -> None:
    """Build devices and patches from an nn~ model."""
    not_ready("after-device build", 6)


@click.command("inspect")
@run_command
def inspect() -> None:
    """Show parameters, nn~ objects and wiring of a device or patch."""
    not_ready("after-device inspect", 6)


@click.command("validate")
@run_command
def validate() -> None:
    """Check a device or patch against the nn~ contract and the formats."""
    not_ready("after-device validate", 6)


COMMANDS = [build, inspect, validate]
