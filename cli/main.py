"""Entry points: `after` (training pipeline) and `after-device` (device kit)."""

from __future__ import annotations

import click

from after import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="after")
def after_group() -> None:
    """AFTER: train a streaming codec and a latent-diffusion timbre/structure model on your sounds, export
    them for nn~ (Max, Live, Pd), and play them.

    \b
    Pipeline:  prepare_dataset → train_autoencoder → export_autoencoder → prepare_dataset --emb_model_path
               → train --config base|midi → export | export_midi → after-device build
    Try it:    after demo
    """


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="after-device")
def device_group() -> None:
    """Build Max for Live devices (.amxd), Max patches (.maxpat) and Pd patches (.pd) with preset banks
    from an nn~ model (.ts), and inspect or validate them."""


def _register() -> None:
    from after.cli import bench, codec, data, demo, device, diffusion, export
    from after.cli import eval as eval_cli

    for module in (data, codec, diffusion, export, bench, eval_cli, demo):
        for command in module.COMMANDS:
            after_group.add_command(command)
    for command in device.COMMANDS:
        device_group.add_command(command)


_register()


if __name__ == "__main__":  # `python -m after.cli.main after|after-device ARGS…` (how the demo runs commands
    import sys  # when the console scripts are not beside the interpreter)

    {"after": after_group, "after-device": device_group}[sys.argv[1]](sys.argv[2:], prog_name=sys.argv[1])
