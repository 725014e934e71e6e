"""`after export`, `after export_midi`."""

import click

from after.cli.common import not_ready, run_command


@click.command("export")
@run_command
def export() -> None:
    """Export an audio→audio AFTER run for nn~."""
    not_ready("after export", 5)


@click.command("export_midi")
@run_command
def export_midi() -> None:
    """Export a MIDI→audio AFTER run for nn~."""
    not_ready("after export_midi", 5)


COMMANDS = [export, export_midi]
