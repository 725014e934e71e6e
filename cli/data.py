"""`after prepare_dataset`, `after update_dataset`."""

import click

from after.cli.common import not_ready, run_command


@click.command("prepare_dataset")
@run_command
def prepare_dataset() -> None:
    """Cut an audio folder into chunks and store them (waveform, latents, MIDI) in an LMDB database."""
    not_ready("after prepare_dataset", 2)


@click.command("update_dataset")
@run_command
def update_dataset() -> None:
    """Re-encode the stored waveforms of a database into latents with a codec."""
    not_ready("after update_dataset", 2)


COMMANDS = [prepare_dataset, update_dataset]
