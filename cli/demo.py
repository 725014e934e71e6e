"""`after demo`."""

from pathlib import Path

import click

from after.cli.common import run_command


@click.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("after_demo"),
              show_default=True, help="Folder for everything the demo makes (resumed when it holds a demo).")
@click.option("--minutes", type=float, default=10.0, show_default=True,
              help="Total time budget; the training stages get fixed shares of it.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the synthesis and training.")
@click.option("--force", is_flag=True, help="Start over: remove a previous demo's outputs in --out first.")
@run_command
def demo(out_dir: Path, minutes: float, seed: int, force: bool) -> None:
    """Synthesize a dataset, train small models on the CPU, export them and build every device.

    Stages: synthesize → prepare_dataset → train_autoencoder → export_autoencoder → prepare_dataset
    --emb_model_path → train (audio and MIDI, tiny) → export / export_midi → after-device build → transfer.
    Each stage is recorded in OUT/state.json; an interrupted demo resumes where it stopped.
    """
    import torch

    from after.demo.pipeline import DemoOptions, run_demo
    from after.demo.report import print_report
    from after.demo.stages import demo_stages

    # One intra-op thread: on a small shared CPU, threads that wait for each other make training several
    # times slower (measured: 6.6 s against 0.8 s per step on 2 busy cores).
    torch.set_num_threads(1)
    state = run_demo(out_dir, DemoOptions(minutes=minutes, seed=seed), demo_stages(), force=force)
    print_report(state)


COMMANDS = [demo]
