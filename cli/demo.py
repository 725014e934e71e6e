"""`after demo`."""

from pathlib import Path

import click

from after.cli.common import run_command


@click.command("demo")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("after_demo"),
              show_default=True, help="Folder for everything the demo makes (resumed when it holds a demo).")
@click.option("--minutes", type=float, default=10.0, show_default=True,
              help="Total time budget; the training stages get fixed shares of it (30: the full CPU recipe).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the sounds' melodies and of both trainings.")
@click.option("--force", is_flag=True, help="Start over: remove a previous demo's outputs in --out first.")
@run_command
def demo(out_dir: Path, minutes: float, seed: int, force: bool) -> None:
    """Train the CPU recipe on instrument sounds, export the models, build every device, and judge them.

    Stages: sounds (General MIDI renders, or synthesized timbres without FluidSynth) → prepare_dataset →
    train_autoencoder --config ddspAE → export_autoencoder → prepare_dataset --emb_model_path → train (audio
    and MIDI, side by side) → export / export_midi → after-device build → transfer → after eval. Each command
    is printed and run as typed. OUT/state.json records the stages; an interrupted demo resumes. Exits with
    status 4 when the independent judges find the models below the demo's bars.
    """
    from after.demo.pipeline import DemoOptions, run_demo
    from after.demo.report import print_report
    from after.demo.stages import demo_stages
    from after.errors import QualityCheckError

    state = run_demo(out_dir, DemoOptions(minutes=minutes, seed=seed), demo_stages(), force=force)
    if not print_report(state):
        raise QualityCheckError(f"demo check failed: the models in {out_dir} miss the bars listed above "
                                f"({out_dir}/renders/check.json)")


COMMANDS = [demo]
