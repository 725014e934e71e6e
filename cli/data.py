"""`after prepare_dataset`, `after update_dataset`: thin click layer over `after.data`."""

from pathlib import Path
from typing import Any, Callable

import click

from after.cli.common import run_command
from after.data.augment import AUGMENTATION_MODES
from after.data.descriptors import DESCRIPTORS
from after.data.parsers import DEFAULT_EXTS


def bool_option(name: str, default: bool, help_text: str) -> Callable[[Any], Any]:
    """A seed-style boolean flag: `--flag` alone means true, `--flag True/False` (or yes/no/1/0) also works."""
    return click.option(name, type=click.BOOL, default=default, is_flag=False, flag_value=True,
                        show_default=True, help=help_text)


@click.command("prepare_dataset")
@click.option("--input_path", required=True, type=click.Path(path_type=Path),
              help="Folder of audio files (searched recursively).")
@click.option("--output_path", default="after_dataset", show_default=True, type=click.Path(path_type=Path),
              help="Database folder to create (written under a temporary name, renamed when complete).")
@click.option("--num_signal", default=524288, show_default=True, type=int,
              help="Chunk length in samples (a power of two).")
@click.option("--sample_rate", default=44100, show_default=True, type=int,
              help="Sample rate the audio is resampled to.")
@bool_option("--save_waveform", False,
             "Store the int16 waveform of each chunk (needed by train_autoencoder and update_dataset).")
@click.option("--waveform_augmentation", type=click.Choice(AUGMENTATION_MODES), default="shift_stretch",
              show_default=True,
              help="Timbre augmentation encoded into augment_* latents (only with --emb_model_path).")
@click.option("--num_augments", default=4, show_default=True, type=int, help="Augmented copies per chunk.")
@click.option("--emb_model_path", type=click.Path(path_type=Path), default=None,
              help="Codec .ts (nn~ encode/decode); latents are precomputed with it (ratio and size probed).")
@click.option("--gpu", default=-1, show_default=True, type=int, help="CUDA device for the codec, -1 = CPU.")
@bool_option("--basic_pitch_midi", False, "Transcribe MIDI from the audio with basic-pitch (offline).")
@click.option("--midi_path", type=click.Path(path_type=Path), default=None,
              help="Folder of MIDI files for MIDI parsers.")
@click.option("--parser", default="simple_audio", show_default=True,
              help="File parser: simple_audio, simple_midi, slakh, or package.module:function (docs/DATA.md).")
@click.option("--include", multiple=True, help="Keep only paths containing this text (case-insensitive; repeatable).")
@click.option("--exclude", multiple=True, help="Drop paths containing this text (case-insensitive; repeatable).")
@bool_option("--normalize", True, "Peak-normalise each file (gain ≤ 30 dB, then × 0.9).")
@bool_option("--cut_silences", True, "Drop chunks whose peak is below 0.05 (without MIDI).")
@click.option("--ext", multiple=True, default=DEFAULT_EXTS, show_default=True, help="Audio extensions (repeatable).")
@click.option("--batch_size", default=8, show_default=True, type=int, help="Chunks per codec batch and per write.")
@click.option("--num_multiprocesses", default=4, show_default=True, type=int,
              help="Worker processes for reading, transcription and augmentation.")
@click.option("--overwrite", is_flag=True, help="Replace an existing dataset at --output_path.")
@click.option("--descriptors", multiple=True, type=click.Choice(DESCRIPTORS),
              help="Per-frame descriptor stored at the latent frame rate (repeatable; needs --emb_model_path).")
@bool_option("--beat_track", False,
             "Store a beat clock per latent frame (librosa beat tracker; needs --emb_model_path).")
@run_command
def prepare_dataset(**kwargs: Any) -> None:
    """Cut an audio folder into chunks and store them (waveform, latents, MIDI) in an LMDB database."""
    from after.data.prepare import PrepareOptions
    from after.data.prepare import prepare_dataset as run

    for key in ("include", "exclude", "ext", "descriptors"):
        kwargs[key] = tuple(kwargs[key])
    summary = run(PrepareOptions(**kwargs))
    click.echo(summary.format())


@click.command("update_dataset")
@click.option("--db_path", required=True, type=click.Path(path_type=Path), help="Database made with --save_waveform.")
@click.option("--emb_model_path", required=True, type=click.Path(path_type=Path), help="Codec .ts to encode with.")
@click.option("--gpu", default=-1, show_default=True, type=int, help="CUDA device for the codec, -1 = CPU.")
@click.option("--batch_size", default=32, show_default=True, type=int, help="Chunks per codec batch.")
@click.option("--descriptors", multiple=True, type=click.Choice(DESCRIPTORS),
              help="Descriptor to add (repeatable); those already stored are recomputed at the new frame rate.")
@bool_option("--beat_track", False, "Add a beat clock (a stored one is always recomputed).")
@run_command
def update_dataset(db_path: Path, emb_model_path: Path, gpu: int, batch_size: int, descriptors: tuple[str, ...],
                   beat_track: bool) -> None:
    """Re-encode the stored waveforms of a database into latents with a codec (and recompute frame features)."""
    from after.data.update import update_dataset as run

    click.echo(run(db_path, emb_model_path, gpu, batch_size, tuple(descriptors), beat_track))


COMMANDS = [prepare_dataset, update_dataset]
