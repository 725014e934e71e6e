"""`after eval`: score an export with judges that are not the model; `--render-benchmark` renders the General
MIDI benchmark (FluidSynth) to score it on."""

from pathlib import Path
from typing import Optional

import click

from after.cli.common import run_command


@click.command("eval")
@click.option("--model", "model_path", type=click.Path(path_type=Path), default=None,
              help="Export to judge: export.ts / export_stream.ts (codec), after.audio.*.ts or after.midi.*.ts.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of clips, labelled by parent folder (DIR/<instrument>/<clip>.wav, MIDI beside it as "
                   "<clip>.mid). Default with --render-benchmark: its heldout/.")
@click.option("--reference", "reference_dir", type=click.Path(path_type=Path), default=None,
              help="Labelled clips to fit the instrument judge on (default: DATA's sibling train/ if any, else "
                   "DATA itself, scored leave-one-out).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: <model stem>_eval/ beside the model).")
@click.option("--steps", type=click.IntRange(1, 1000), default=10, show_default=True, help="Diffusion steps (AFTER).")
@click.option("--guidance_timbre", type=float, default=1.0, show_default=True, help="Timbre guidance (AFTER).")
@click.option("--guidance_structure", type=float, default=1.0, show_default=True, help="Structure guidance (AFTER).")
@click.option("--pairs", type=click.IntRange(1, 100000), default=None,
              help="Source/target pairs for AFTER exports (default: one per labelled clip).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Pairing and diffusion noise seed (and the melodies of --render-benchmark).")
@click.option("--min_velocity", type=click.IntRange(0, 127), default=30, show_default=True,
              help="Drop transcribed notes quieter than this (0-127), on every transcribed side.")
@click.option("--monophonic", "monophonic_only", is_flag=True, help="Skip clips whose MIDI has chords.")
@click.option("--sample_rate", type=int, default=None,
              help="Sample rate of a codec without after metadata (e.g. a RAVE export).")
@click.option("--render-benchmark", "--render_benchmark", "benchmark_dir", type=click.Path(path_type=Path),
              default=None, help="Render (or reuse) the GM benchmark into this folder first (needs fluidsynth and "
                                 "fluid-soundfont-gm); alone, only renders.")
@click.option("--benchmark_train_clips", type=click.IntRange(0, 1000), default=16, show_default=True,
              help="Benchmark melodies per instrument for training.")
@click.option("--benchmark_heldout_clips", type=click.IntRange(0, 1000), default=4, show_default=True,
              help="Benchmark held-out melodies per instrument.")
@click.option("--benchmark_sample_rate", type=int, default=16000, show_default=True,
              help="Sample rate of the benchmark renders.")
@run_command
def eval_command(model_path: Optional[Path], data_dir: Optional[Path], reference_dir: Optional[Path],
                 out_dir: Optional[Path], steps: int, guidance_timbre: float, guidance_structure: float,
                 pairs: Optional[int], seed: int, min_velocity: int, monophonic_only: bool, sample_rate: Optional[int],
                 benchmark_dir: Optional[Path], benchmark_train_clips: int, benchmark_heldout_clips: int,
                 benchmark_sample_rate: int) -> None:
    """Score an nn~ export on real clips with judges that are not the model: basic-pitch note F1 against the
    clips' MIDI, an MFCC instrument classifier fitted on labelled reference clips, and (codecs) MR-STFT,
    spectral convergence, SI-SDR and loudness error. Writes eval.json, eval.md and a spectrogram PNG + WAV per
    clip or pair.

    \b
    after eval --render-benchmark gm/                      # render the GM benchmark only
    after eval --model runs/codec/export.ts --data gm/heldout
    after eval --model after.audio.demo.ts --data gm/heldout --pairs 12
    """
    from after.errors import InputError

    if benchmark_dir is not None:
        from after.evaluation.gm_benchmark import render_benchmark

        info = render_benchmark(benchmark_dir, sample_rate=benchmark_sample_rate, seed=seed,
                                clips_per_instrument_train=benchmark_train_clips,
                                clips_per_instrument_heldout=benchmark_heldout_clips)
        minutes = info.audio_minutes
        state = "reused" if info.reused else f"rendered in {info.render_seconds:.1f} s"
        click.echo(f"GM benchmark {benchmark_dir} ({state}): {len(info.instruments)} instruments, "
                   f"{len(info.clips)} clips, train {minutes['train']:.1f} min, held out {minutes['heldout']:.1f} min")
        if data_dir is None:
            data_dir = benchmark_dir / "heldout"
    if model_path is None:
        if benchmark_dir is None:
            raise InputError("give --model X.ts and --data DIR (or --render-benchmark DIR to render the benchmark)")
        return
    if data_dir is None:
        raise InputError(f"{model_path}: give --data DIR, a folder of clips to evaluate on")

    from after.evaluation.evaluate import EvalSettings, evaluate

    settings = EvalSettings(steps=steps, guidance_timbre=guidance_timbre, guidance_structure=guidance_structure,
                            pairs=pairs, seed=seed, min_velocity=min_velocity, sample_rate=sample_rate,
                            monophonic_only=monophonic_only)
    report = evaluate(model_path, data_dir, out_dir, reference_dir, settings)
    click.echo(report.markdown)
    click.echo(f"wrote {report.paths['json']}, {report.paths['markdown']} and {len(report.items)} PNG + WAV in "
               f"{report.paths['items']}")


COMMANDS = [eval_command]
