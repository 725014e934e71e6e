"""`after transfer` from a run folder and from its nn~ export, with an audio and a MIDI structure, and its
one-line errors."""

import numpy as np
import pytest
import soundfile as sf
import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.data.synth import write_midi
from after.diffusion.training.run import TrainOptions, train_diffusion
from after.export.exporter import export_run
from after.io import write_audio
from tests.helpers.diffusion_helpers import (
    LATENT_SIZE,
    RATIO,
    SAMPLE_RATE,
    SMALL_MODEL,
    melody,
    random_clips,
    render,
    write_latent_db,
)
from tests.helpers.export_models import make_streaming_codec

N_FRAMES = 64


@pytest.fixture(scope="module")
def runs(tmp_path_factory, dct_codec_path):
    """An audio→audio and a MIDI→audio run, two training steps each, and inputs for them."""
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("transfer")
    db = write_latent_db(root / "db", torch.jit.load(str(dct_codec_path)), random_clips(0, 2, N_FRAMES), N_FRAMES)
    out = {}
    for name, presets in (("audio", ("base", "tiny")), ("midi", ("midi", "tiny"))):
        overrides = (*SMALL_MODEL, "train.batch_size=2", "train.n_signal=16", "train.max_steps=2",
                     "train.phase_1_step=1", "train.val_every=1000", "train.val_batches=1")
        out[name] = train_diffusion(TrainOptions(name=name, db_paths=[db], codec_path=dct_codec_path,
                                                 presets=presets, overrides=overrides, out_path=root / "runs",
                                                 accelerator="cpu", devices=1, progress_bar=False)).run_dir
    notes = melody(np.random.default_rng(3), 100)
    write_audio(root / "structure.wav", render(notes, "square", 100), SAMPLE_RATE)
    write_midi(root / "structure.mid", notes)
    write_audio(root / "timbre.wav", render(melody(np.random.default_rng(4), 80), "saw", 80), SAMPLE_RATE)
    out["root"] = root
    return out


@pytest.fixture(scope="module")
def exports(runs):
    """Both runs exported with the streaming form of their codec; the timbre map comes from the training
    database the runs recorded (no --db_path)."""
    codec = make_streaming_codec(runs["root"] / "export_stream.ts", RATIO, LATENT_SIZE, SAMPLE_RATE)
    return {kind: export_run(runs[kind], codec, kind, n_poly=4, n_presets=2).path for kind in ("audio", "midi")}


def transfer(model, structure, timbre, out, *extra):
    return CliRunner().invoke(after_group, ["transfer", "--model", str(model), "--structure", str(structure),
                                            "--timbre", str(timbre), "--out", str(out), "--steps", "3", *extra])


def test_transfer_from_run_with_audio_structure(runs, tmp_path):
    out = tmp_path / "out.wav"
    result = transfer(runs["audio"], runs["root"] / "structure.wav", runs["root"] / "timbre.wav", out)
    assert result.exit_code == 0, result.output
    audio, sample_rate = sf.read(str(out))
    assert sample_rate == SAMPLE_RATE and len(audio) == 100 * 256 and np.isfinite(audio).all()
    again = tmp_path / "again.wav"
    assert transfer(runs["audio"], runs["root"] / "structure.wav", runs["root"] / "timbre.wav", again).exit_code == 0
    assert np.array_equal(sf.read(str(again))[0], audio)  # same seed, same output
    other = tmp_path / "other.wav"
    transfer(runs["audio"], runs["root"] / "structure.wav", runs["root"] / "timbre.wav", other, "--seed", "1")
    assert not np.array_equal(sf.read(str(other))[0], audio)


def test_transfer_from_run_with_midi_structure(runs, tmp_path):
    out = tmp_path / "out.wav"
    result = transfer(runs["midi"], runs["root"] / "structure.mid", runs["root"] / "timbre.wav", out,
                      "--guidance_timbre", "2", "--guidance_structure", "1.5")
    assert result.exit_code == 0, result.output
    audio, sample_rate = sf.read(str(out))
    # last note-off + 1 s tail, in whole latent frames
    assert sample_rate == SAMPLE_RATE and len(audio) > SAMPLE_RATE and np.isfinite(audio).all()


def test_transfer_errors_are_one_line(runs, tmp_path):
    result = transfer(runs["audio"], runs["root"] / "structure.mid", runs["root"] / "timbre.wav", tmp_path / "x.wav")
    assert result.exit_code == 1 and result.output.strip().startswith("error:") and "audio→audio" in result.output
    result = transfer(tmp_path, runs["root"] / "structure.wav", runs["root"] / "timbre.wav", tmp_path / "x.wav")
    assert result.exit_code == 1 and "not a diffusion run folder" in result.output
    result = transfer(runs["audio"], tmp_path / "missing.wav", runs["root"] / "timbre.wav", tmp_path / "x.wav")
    assert result.exit_code == 1 and "file not found" in result.output
    assert not (tmp_path / "x.wav").exists()


def test_transfer_from_export_with_audio_structure(runs, exports, tmp_path):
    out, again, other = tmp_path / "out.wav", tmp_path / "again.wav", tmp_path / "other.wav"
    structure, timbre = runs["root"] / "structure.wav", runs["root"] / "timbre.wav"
    result = transfer(exports["audio"], structure, timbre, out)
    assert result.exit_code == 0, result.output
    audio, sample_rate = sf.read(str(out))
    assert sample_rate == SAMPLE_RATE and len(audio) == 100 * RATIO and np.isfinite(audio).all()
    assert np.abs(audio).max() > 0
    assert transfer(exports["audio"], structure, timbre, again).exit_code == 0
    assert np.array_equal(sf.read(str(again))[0], audio)  # same seed, same output
    assert transfer(exports["audio"], structure, timbre, other, "--seed", "1").exit_code == 0
    assert not np.array_equal(sf.read(str(other))[0], audio)
    result = transfer(exports["audio"], runs["root"] / "structure.mid", timbre, tmp_path / "x.wav")
    assert result.exit_code == 1 and "audio→audio model" in result.output and not (tmp_path / "x.wav").exists()


def test_transfer_from_export_with_midi_structure(runs, exports, tmp_path):
    out = tmp_path / "out.wav"
    result = transfer(exports["midi"], runs["root"] / "structure.mid", runs["root"] / "timbre.wav", out,
                      "--guidance_timbre", "2", "--guidance_structure", "1.5")
    assert result.exit_code == 0, result.output
    audio, sample_rate = sf.read(str(out))
    last_note_off = max(n.end for n in melody(np.random.default_rng(3), 100))
    # last note-off (as the MIDI file stores it) + 1 s tail
    assert sample_rate == SAMPLE_RATE and abs(len(audio) - (last_note_off + 1.0) * SAMPLE_RATE) <= 1
    assert np.isfinite(audio).all() and np.abs(audio).max() > 0
