"""`after train`, `after transfer`."""

import click

from after.cli.common import not_ready, run_command


@click.command("train")
@run_command
def train() -> None:
    """Train an AFTER latent-diffusion model (audio→audio or MIDI→audio)."""
    not_ready("after train", 4)


@click.command("transfer")
@run_command
def transfer() -> None:
    """Offline timbre transfer: structure from one file, timbre from another."""
    not_ready("after transfer", 4)


COMMANDS = [train, transfer]
