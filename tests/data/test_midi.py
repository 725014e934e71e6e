"""MIDI reading, note clipping, piano rolls and chunking rules."""

from pathlib import Path

import numpy as np
import pytest

from after.data.chunking import fit_to_chunks, normalize_peak, split_file
from after.data.midi import Note, clip_notes, piano_roll, read_midi
from after.errors import InputError
from tests.helpers.data_synth import write_midi


def test_read_midi_round_trip(tmp_path: Path) -> None:
    notes = [Note(60, 0.0, 0.5, 100), Note(64, 0.25, 1.0, 64), Note(67, 1.5, 2.0, 1)]
    write_midi(tmp_path / "a.mid", notes, tempo_bpm=90)
    back = read_midi(tmp_path / "a.mid")
    assert [(n.pitch, n.velocity) for n in back] == [(n.pitch, n.velocity) for n in notes]
    for got, want in zip(back, notes):
        assert got.start == pytest.approx(want.start, abs=2e-3) and got.end == pytest.approx(want.end, abs=2e-3)
    (tmp_path / "bad.mid").write_bytes(b"MThd garbage")
    with pytest.raises(InputError, match="bad.mid: cannot read MIDI"):
        read_midi(tmp_path / "bad.mid")


def test_clip_and_piano_roll() -> None:
    notes = [Note(60, 0.5, 2.5, 127), Note(62, 2.1, 2.2, 64)]
    clipped = clip_notes(notes, 2.0, 4.0)
    assert clipped == [Note(60, 0.0, 0.5, 127), Note(62, pytest.approx(0.1), pytest.approx(0.2), 64)]
    roll = piano_roll(clipped, 8, frame_rate=4.0)  # 0.25 s frames
    assert roll.shape == (128, 8) and roll.dtype == np.float32
    assert list(roll[60]) == [1.0, 1.0, 0, 0, 0, 0, 0, 0]
    assert roll[62, 0] == pytest.approx(64 / 127) and roll[62, 1:].sum() == 0  # short note keeps its onset frame
    assert roll.sum() == pytest.approx(2 + 64 / 127)


def test_fit_to_chunks_rules() -> None:
    n = 100
    ramp = np.arange(1, 31, dtype=np.float32)
    tiled = fit_to_chunks(ramp, n, tile=True)
    assert tiled.shape == (1, n) and tiled[0, 30] == 1.0  # short file repeated
    padded = fit_to_chunks(ramp, n, tile=False)
    assert padded.shape == (1, n) and padded[0, 30:].sum() == 0
    assert fit_to_chunks(np.ones(260, np.float32), n, tile=True).shape == (3, n)  # remainder 60 > 50: pad
    assert fit_to_chunks(np.ones(240, np.float32), n, tile=True).shape == (2, n)  # remainder 40: truncate


def test_split_file_drops_silence_or_noteless_chunks() -> None:
    audio = np.concatenate([np.full(100, 0.5), np.full(100, 0.01), np.full(100, 0.5)]).astype(np.float32)
    kept, dropped = split_file(audio, 100, 100, None, cut_silences=True)
    assert [k[0] for k in kept] == [0, 2] and dropped == 1
    kept, dropped = split_file(audio, 100, 100, [Note(60, 1.2, 1.4, 90)], cut_silences=True)
    assert [k[0] for k in kept] == [1] and kept[0][2] == [Note(60, pytest.approx(0.2), pytest.approx(0.4), 90)]


def test_normalize_peak() -> None:
    assert np.abs(normalize_peak(np.array([0.5, -0.25], np.float32))).max() == pytest.approx(0.9)
    quiet = normalize_peak(np.array([0.001], np.float32))
    assert quiet[0] == pytest.approx(0.001 * 10 ** 1.5 * 0.9)  # gain capped at 30 dB
    assert normalize_peak(np.zeros(4, np.float32)).sum() == 0
