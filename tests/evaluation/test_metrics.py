"""The judges of `after eval` on signals with known answers: a clean copy, silence, a transposed copy, known
gains and noise levels, and real GM instruments for the timbre classifier."""

from dataclasses import dataclass

import numpy as np
import pytest

from after.data.midi import Note
from after.data.synth import render
from after.evaluation.evaluate import Clip, find_clips, is_polyphonic, make_pairs
from after.evaluation.gm_benchmark import make_melody
from after.evaluation.judges import InstrumentClassifier, Transcriber, timbre_features
from after.evaluation.metrics import (
    frame_loudness_db,
    loudness_error_db,
    mrstft_distance,
    note_f1,
    si_sdr,
    spectral_convergence,
)
from tests.helpers.gm_data import small_benchmark

SR = 16000


@dataclass(frozen=True)
class Melody:
    notes: list
    audio: np.ndarray


@pytest.fixture(scope="module")
def melody():
    """A plucked-string melody of the benchmark's kind (exact notes known) and a copy of its notes played 3
    semitones higher."""
    notes = make_melody(np.random.default_rng(5), 4.0)
    shifted = [Note(n.pitch + 3, n.start, n.end, n.velocity) for n in notes]
    return Melody(notes, render(notes, "pluck", SR, 4.3)), render(shifted, "pluck", SR, 4.3)


def test_a_clean_copy_keeps_every_note_and_silence_keeps_none(melody):
    clip, _ = melody
    judge = Transcriber()
    source = judge.notes(clip.audio, SR)
    copy = judge.notes(clip.audio.copy(), SR)
    assert note_f1(source, copy) == 1.0
    assert note_f1(clip.notes, source) > 0.9, "basic-pitch hears the synthetic melody it was given"
    assert judge.notes(np.zeros_like(clip.audio), SR) == []
    assert note_f1(clip.notes, []) == 0.0 and note_f1(source, []) == 0.0


def test_a_transposed_copy_scores_a_low_note_f1(melody):
    clip, shifted = melody
    judge = Transcriber()
    assert note_f1(clip.notes, judge.notes(shifted, SR)) < 0.2


def test_transcriptions_are_cached_by_key_and_faint_notes_dropped(melody):
    clip, _ = melody
    judge = Transcriber(min_velocity=30)
    first = judge.notes(clip.audio, SR, key="a.wav")
    assert judge.notes(np.zeros(10, dtype=np.float32), SR, key="a.wav") is first
    assert all(n.velocity >= 30 for n in first)
    quiet = Transcriber(min_velocity=127).notes(0.05 * clip.audio, SR)
    assert quiet == []


def test_signal_distances_have_their_known_answers(melody):
    clip, _ = melody
    x = clip.audio
    assert mrstft_distance(x, x) == 0.0 and spectral_convergence(x, x) == 0.0
    assert si_sdr(x, x) == 100.0 and loudness_error_db(x, x, SR) == 0.0
    half = 0.5 * x
    assert si_sdr(x, half) == 100.0, "SI-SDR ignores the gain"
    assert loudness_error_db(x, half, SR) == pytest.approx(20 * np.log10(2), abs=0.05)
    assert mrstft_distance(x, half) > 0.1
    silence = np.zeros_like(x)
    assert spectral_convergence(x, silence) == pytest.approx(1.0)
    assert si_sdr(x, silence) == -100.0
    rng = np.random.default_rng(0)
    noise = rng.normal(size=len(x))
    noise *= np.sqrt(np.mean(x ** 2) / np.mean(noise ** 2)) / 10.0  # 20 dB below the signal
    assert si_sdr(x, x + noise) == pytest.approx(20.0, abs=0.5)
    late = np.concatenate([np.zeros(80, dtype=np.float32), x[:-80]])  # 5 ms late: same sound, other phase
    assert si_sdr(x, late) < 5.0 and mrstft_distance(x, late) < mrstft_distance(x, half)
    assert frame_loudness_db(silence, SR).max() == -100.0


def test_polyphony_and_pairs_of_different_instruments(tmp_path):
    assert not is_polyphonic([Note(60, 0.0, 0.5, 90), Note(62, 0.5, 1.0, 90)])
    assert is_polyphonic([Note(60, 0.0, 0.5, 90), Note(64, 0.0, 0.5, 90)])
    clips = [Clip(tmp_path / f"{label}{i}.wav", label, tmp_path / f"{label}{i}.mid" if i else None, f"{label}/{i}")
             for label in ("flute", "piano", "violin") for i in range(3)]
    pairs = make_pairs(clips, 10, seed=4, need_midi=True)
    assert len(pairs) == 10 and pairs == make_pairs(clips, 10, seed=4, need_midi=True)
    assert all(s.label != t.label and s.midi is not None for s, t in pairs)
    assert len({s.path for s, _ in pairs}) == 6, "every source with MIDI is used before any repeats"
    with pytest.raises(Exception, match="at least 2 instruments"):
        make_pairs([c for c in clips if c.label == "flute"], None, 0, need_midi=False)


def test_the_timbre_judge_separates_gm_instruments_on_held_out_clips(tmp_path_factory):
    info = small_benchmark(tmp_path_factory)
    from after.io import load_audio

    def features(clips):
        return np.stack([timbre_features(load_audio(c.path, SR)[0], SR) for c in clips])

    train, heldout = find_clips(info.root / "train"), find_clips(info.root / "heldout")
    judge = InstrumentClassifier.fit(features(train), [c.label for c in train], SR)
    predicted = judge.predict_features(features(heldout))
    accuracy = np.mean([p == c.label for p, c in zip(predicted, heldout)])
    assert len(judge.labels) == 6 and accuracy >= 0.9
