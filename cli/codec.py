"""`after train_autoencoder`, `after export_autoencoder`."""

import click

from after.cli.common import not_ready, run_command


@click.command("train_autoencoder")
@run_command
def train_autoencoder() -> None:
    """Train the streaming neural audio codec."""
    not_ready("after train_autoencoder", 3)


@click.command("export_autoencoder")
@run_command
def export_autoencoder() -> None:
    """Export a codec run to export.ts (offline) and export_stream.ts (streaming)."""
    not_ready("after export_autoencoder", 3)


COMMANDS = [train_autoencoder, export_autoencoder]
