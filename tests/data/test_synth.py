"""The built-in synthesis: pitch, notes, determinism, MIDI files and the dataset layout."""

from __future__ import annotations

import mido
import numpy as np
import pytest
import soundfile as sf

from after.data import synth
from after.data.midi import read_midi
from after.errors import InputError

SR = 16000


def _spectrum(audio: np.ndarray) -> np.ndarray:
    """Magnitude spectrum at 1 Hz resolution of the first second."""
    return np.abs(np.fft.rfft(audio[:SR] * np.hanning(SR)))


@pytest.mark.parametrize("timbre", synth.TIMBRES)
@pytest.mark.parametrize("pitch", [45, 69, 81])
def test_note_sounds_at_its_pitch(timbre, pitch):
    audio = synth.render([synth.Note(pitch, 0.0, 1.0, 100)], timbre, SR, 1.2)
    assert audio.dtype == np.float32 and audio.shape == (int(1.2 * SR),)
    assert np.isfinite(audio).all() and 0.05 < np.abs(audio).max() <= 0.9 + 1e-6
    spectrum = _spectrum(audio)
    f0 = synth.midi_to_hz(pitch)
    near_f0 = spectrum[int(f0 * 0.97):int(f0 * 1.03) + 2].max()
    below = spectrum[20:int(f0 * 0.8)].max()  # nothing strong below the fundamental
    assert near_f0 > 0.3 * spectrum.max()
    assert below < 0.3 * near_f0
    # silent after the note and its release tail
    assert np.abs(audio[int(1.1 * SR):]).max() < 1e-6


def test_velocity_scales_loudness():
    quiet = synth.render([synth.Note(60, 0.0, 0.5, 30)], "organ", SR, 0.6)
    loud = synth.render([synth.Note(60, 0.0, 0.5, 120)], "organ", SR, 0.6)
    assert np.abs(loud).max() / np.abs(quiet).max() == pytest.approx(4.0, rel=0.05)


def test_timbres_are_distinct():
    """The average spectral envelope of the same melody differs clearly between every pair of timbres."""
    notes = synth.melody(np.random.default_rng(3), 4.0)
    envelopes = {}
    for timbre in synth.TIMBRES:
        audio = synth.render(notes, timbre, SR, 4.0)
        frames = np.lib.stride_tricks.sliding_window_view(audio, 1024)[::512] * np.hanning(1024)
        bands = np.abs(np.fft.rfft(frames, axis=1)).mean(0)[:512].reshape(32, 16).sum(1)
        envelopes[timbre] = np.log(bands + 1e-6) - np.log(bands + 1e-6).mean()
    names = list(envelopes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert np.abs(envelopes[a] - envelopes[b]).mean() > 0.3, (a, b)


@pytest.mark.parametrize("generator", [synth.melody, synth.chords])
def test_generators_give_valid_notes(generator):
    notes = generator(np.random.default_rng(0), 10.0)
    assert len(notes) >= 4
    for note in notes:
        assert 0.0 <= note.start < note.end <= 10.0
        assert 0 <= note.pitch <= 127 and 1 <= note.velocity <= 127
    starts = [note.start for note in notes]
    assert starts == sorted(starts)


def test_chords_are_polyphonic_and_melodies_monophonic():
    chord_notes = synth.chords(np.random.default_rng(1), 12.0)
    melody_notes = synth.melody(np.random.default_rng(1), 12.0)

    def max_overlap(notes):
        times = np.linspace(0.0, 12.0, 1200, endpoint=False)
        return max(sum(n.start <= t < n.end for n in notes) for t in times)

    assert max_overlap(chord_notes) >= 3
    assert max_overlap(melody_notes) == 1


def test_clips_are_deterministic():
    a = synth.make_clip("pluck", "melody", 3.0, SR, seed=7)
    b = synth.make_clip("pluck", "melody", 3.0, SR, seed=7)
    c = synth.make_clip("pluck", "melody", 3.0, SR, seed=8)
    assert a.notes == b.notes and np.array_equal(a.audio, b.audio)
    assert a.notes != c.notes


def test_midi_file_round_trip(tmp_path):
    notes = synth.chords(np.random.default_rng(2), 6.0) + [synth.Note(60, 0.0, 0.25, 90),
                                                            synth.Note(60, 0.25, 0.5, 80)]
    path = tmp_path / "clip.mid"
    synth.write_midi(path, notes)
    read = read_midi(path)
    assert len(read) == len(notes)
    for got, want in zip(sorted(read), sorted(notes)):
        assert got.pitch == want.pitch and got.velocity == want.velocity
        assert got.start == pytest.approx(want.start, abs=2e-3)
        assert got.end == pytest.approx(want.end, abs=2e-3)


def test_write_dataset_layout(tmp_path):
    dataset = synth.write_dataset(tmp_path / "synth", minutes=0.8, sample_rate=SR, seed=0,
                                  timbres=("organ", "pluck", "breath"), clip_seconds=4.0)
    assert len(dataset.clips) == 12 and dataset.seconds == pytest.approx(48.0)
    labels = sorted({label for _, label, _, _ in dataset.clips})
    assert labels == ["breath", "organ", "pluck"]
    kinds = {kind for _, _, kind, _ in dataset.clips}
    assert kinds == {"melody", "chords"}
    for wav, label, kind, n_notes in dataset.clips:
        assert wav.parent.name == label and wav.name.startswith(f"{label}_{kind}_")
        audio, sr = sf.read(str(wav))
        assert sr == SR and audio.shape == (4 * SR,) and np.abs(audio).max() > 0.1
        assert len(mido.MidiFile(str(wav.with_suffix(".mid"))).tracks[0]) > 2 * n_notes
    assert not list(tmp_path.glob(".*partial"))


def test_write_dataset_is_deterministic_per_timbre(tmp_path):
    """Clip k of a timbre is the same whatever other timbres are written."""
    a = synth.write_dataset(tmp_path / "a", minutes=0.2, sample_rate=SR, seed=5, timbres=("bell",),
                            clip_seconds=4.0)
    b = synth.write_dataset(tmp_path / "b", minutes=0.4, sample_rate=SR, seed=5, timbres=("organ", "bell"),
                            clip_seconds=4.0)
    first_bell = next(path for path, label, _, _ in b.clips if label == "bell")
    assert np.array_equal(sf.read(str(a.clips[0][0]))[0], sf.read(str(first_bell))[0])


def test_unknown_timbre_is_a_one_line_error(tmp_path):
    with pytest.raises(InputError, match="unknown timbre"):
        synth.write_dataset(tmp_path / "x", minutes=0.1, sample_rate=SR, timbres=("kazoo",))
    assert not (tmp_path / "x").exists()


def test_parse_dataset_labels_clips_by_timbre(tmp_path):
    from after.data.prepare import PrepareOptions, prepare_dataset
    from after.data.store import database_info

    dataset = synth.write_dataset(tmp_path / "synth", minutes=0.4, sample_rate=SR, seed=0,
                                  timbres=("organ", "bell"), clip_seconds=4.0)
    sources = synth.parse_dataset(dataset.root, None, ("wav",), (), ())
    assert len(sources) == 6
    assert all(s.midi == s.audio.with_suffix(".mid") and s.metadata["label"] == s.audio.parent.name for s in sources)
    prepare_dataset(PrepareOptions(input_path=dataset.root, output_path=tmp_path / "db", num_signal=32768,
                                   sample_rate=SR, parser="after.data.synth:parse_dataset", save_waveform=True,
                                   waveform_augmentation="none", num_multiprocesses=1))
    info = database_info(tmp_path / "db")
    assert info.labels == ("bell", "organ") and info.has_midi and info.n_records >= 10
