"""Augmentation DSP: phase-vocoder stretch keeps pitch, resampling shift keeps length, modes, determinism."""

import numpy as np
import pytest

from after.data.augment import augment, shift_and_stretch, time_mask, time_stretch

SR = 16000


def sine(freq: float, seconds: float = 2.0) -> np.ndarray:
    t = np.arange(int(SR * seconds)) / SR
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def peak_hz(x: np.ndarray) -> float:
    return float(np.fft.rfftfreq(len(x), 1 / SR)[np.argmax(np.abs(np.fft.rfft(x * np.hanning(len(x)))))])


@pytest.mark.parametrize("rate", [0.7, 1.3, 1.6])
def test_time_stretch_changes_length_not_pitch(rate: float) -> None:
    x = sine(440.0)
    y = time_stretch(x, rate)
    assert len(y) == round(len(x) / rate)
    assert peak_hz(y) == pytest.approx(440.0, abs=3.0)
    assert np.abs(y[2048:-2048]).max() == pytest.approx(0.5, abs=0.05)  # steady level, no gaps


def test_time_stretch_identity() -> None:
    x = sine(300.0)
    assert np.abs(time_stretch(x, 1.0) - x)[2048:-2048].max() < 1e-4


def test_shift_moves_pitch_and_keeps_length() -> None:
    x = sine(440.0)
    y = shift_and_stretch(x, SR, 3, 1.0)
    assert abs(len(y) - len(x)) <= 2
    assert peak_hz(y) == pytest.approx(440.0 * 2 ** (3 / 12), abs=4.0)


def test_time_mask_silences_a_faded_span() -> None:
    x = np.ones(10000, np.float32)
    y = time_mask(x, SR, np.random.default_rng(0), 0.1, 0.1)
    zeros = np.flatnonzero(y == 0)
    assert 1000 - 2 * 160 <= len(zeros) <= 1000 and np.all(np.diff(zeros) == 1)
    assert np.all(np.diff(y[:zeros[0] + 1]) <= 0)  # fades out, no click


def test_modes_are_seeded_and_bounded() -> None:
    x = sine(220.0, 4.0)
    for mode, (low, high) in {"shift_stretch": (1 / 1.5, 1 / 0.75), "shift": (0.99, 1.01),
                              "stretch": (1 / 1.61, 1 / 0.69)}.items():
        a = augment(x, SR, mode, np.random.default_rng(7))
        b = augment(x, SR, mode, np.random.default_rng(7))
        assert np.array_equal(a, b)
        assert low * len(x) <= len(a) <= high * len(x), mode
    with pytest.raises(ValueError):
        augment(x, SR, "reverse", np.random.default_rng(0))
