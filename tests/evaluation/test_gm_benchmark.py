"""The General MIDI benchmark: musical melodies in one shared range, a real FluidSynth render with its MIDI
beside it, deterministic and cached, and clear errors when the renderer is missing."""

import json
import os

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from after.cli.main import after_group
from after.data.midi import read_midi
from after.errors import InputError
from after.evaluation import gm_benchmark
from after.evaluation.gm_benchmark import (
    NOTE_LENGTHS,
    PITCH_HIGH,
    PITCH_LOW,
    VELOCITY_RANGE,
    make_chords,
    make_melody,
    render_benchmark,
)
from tests.helpers.gm_data import SMALL, require_fluidsynth, small_benchmark


def test_melodies_are_monophonic_musical_and_share_one_range():
    steps = leaps = 0
    for seed in range(30):
        notes = make_melody(np.random.default_rng(seed), 4.0)
        assert len(notes) >= 4
        for a, b in zip(notes, notes[1:]):
            assert a.end <= b.start, "a melody never overlaps itself"
            assert a.pitch != b.pitch
            interval = abs(a.pitch - b.pitch)
            steps += interval <= 2
            leaps += interval > 2
            gap = b.start - a.start
            assert min(NOTE_LENGTHS) - 1e-3 <= gap <= max(NOTE_LENGTHS) + 0.4 + 1e-3
        for note in notes:
            assert PITCH_LOW <= note.pitch <= PITCH_HIGH
            assert VELOCITY_RANGE[0] <= note.velocity <= VELOCITY_RANGE[1]
            assert 0.0 < note.start < note.end <= 4.0
    assert steps > leaps > 0.15 * steps, "mostly stepwise motion, with leaps"


def test_chord_clips_hold_three_note_chords_in_the_same_range():
    notes = make_chords(np.random.default_rng(3), 4.0)
    onsets = sorted({n.start for n in notes})
    assert len(onsets) >= 4
    for onset in onsets:
        chord = [n for n in notes if n.start == onset]
        assert len(chord) == 3 and len({n.pitch for n in chord}) == 3
        assert all(PITCH_LOW <= n.pitch <= PITCH_HIGH for n in chord)


def test_rendered_benchmark_layout_audio_and_midi(tmp_path_factory):
    info = small_benchmark(tmp_path_factory)
    manifest = json.loads((info.root / "benchmark.json").read_text())
    assert len(manifest["instruments"]) == 6 and manifest["sample_rate"] == 16000
    assert len({i["program"] for i in manifest["instruments"]}) == 6
    per_split = {"train": SMALL["clips_per_instrument_train"] + SMALL["chord_clips_train"],
                 "heldout": SMALL["clips_per_instrument_heldout"] + SMALL["chord_clips_heldout"]}
    assert len(info.clips) == 6 * sum(per_split.values())
    expected_samples = int(round((SMALL["clip_seconds"] + gm_benchmark.TAIL_SECONDS) * 16000))
    melodies = {}
    for clip in info.clips:
        wav, midi = info.root / clip.audio, info.root / clip.midi
        assert wav.parent == info.root / clip.split / clip.instrument and midi.with_suffix(".wav") == wav
        audio, rate = sf.read(str(wav), dtype="float32", always_2d=True)
        assert rate == 16000 and audio.shape == (expected_samples, 1)
        assert 0.02 < np.abs(audio).max() <= 1.0
        notes = read_midi(midi)
        assert len(notes) == clip.n_notes
        assert clip.polyphonic == clip.name.startswith("chord")
        assert all(PITCH_LOW <= n.pitch <= PITCH_HIGH and n.end <= SMALL["clip_seconds"] + 1e-3 for n in notes)
        # the instrument sounds where the MIDI plays and is (nearly) silent before the first note
        first = int(notes[0].start * 16000)
        if first > 400:
            assert np.abs(audio[:first - 160]).max() < 0.1 * np.abs(audio).max()
        if not clip.polyphonic:
            melodies[(clip.split, clip.instrument, clip.name)] = tuple(n.pitch for n in notes)
    train = {v for (split, _, _), v in melodies.items() if split == "train"}
    heldout = {v for (split, _, _), v in melodies.items() if split == "heldout"}
    assert not train & heldout, "held-out melodies are new"


def test_render_is_deterministic_and_reused(tmp_path):
    require_fluidsynth()
    params = dict(clips_per_instrument_train=1, clips_per_instrument_heldout=1, chord_clips_train=0,
                  chord_clips_heldout=0, clip_seconds=2.0, progress=False,
                  instruments=gm_benchmark.INSTRUMENTS[:2])
    first = render_benchmark(tmp_path / "a", seed=7, **params)
    second = render_benchmark(tmp_path / "b", seed=7, **params)
    assert not first.reused and not second.reused
    for clip in first.clips:
        assert (first.root / clip.audio).read_bytes() == (second.root / clip.audio).read_bytes()
        assert (first.root / clip.midi).read_bytes() == (second.root / clip.midi).read_bytes()
    stamp = os.stat(first.root / first.clips[0].audio).st_mtime_ns
    again = render_benchmark(tmp_path / "a", seed=7, **params)
    assert again.reused and os.stat(first.root / first.clips[0].audio).st_mtime_ns == stamp
    other_seed = render_benchmark(tmp_path / "a", seed=8, **params)
    assert not other_seed.reused and json.loads((tmp_path / "a" / "benchmark.json").read_text())["seed"] == 8


def test_a_folder_that_is_not_a_benchmark_is_refused(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(InputError, match="not a GM benchmark folder"):
        render_benchmark(tmp_path, progress=False)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_missing_fluidsynth_is_a_one_line_error_with_the_install_command(tmp_path):
    result = CliRunner().invoke(after_group, ["eval", "--render-benchmark", str(tmp_path / "gm")],
                                env={"PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "Traceback" not in result.output
    assert "fluidsynth: not installed" in result.output
    assert "apt-get install fluidsynth fluid-soundfont-gm" in result.output
    assert not (tmp_path / "gm").exists()


def test_cli_renders_the_benchmark(tmp_path):
    require_fluidsynth()
    result = CliRunner().invoke(after_group, ["eval", "--render-benchmark", str(tmp_path / "gm"),
                                              "--benchmark_train_clips", "1", "--benchmark_heldout_clips", "1"])
    assert result.exit_code == 0, result.output
    assert "6 instruments, 30 clips" in result.output
    assert (tmp_path / "gm" / "heldout" / "violin" / "melody_000.wav").exists()
