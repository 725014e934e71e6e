"""Synthesized harmonic-tone datasets for the codec tests (real LMDB through `after.data.prepare`)."""

from pathlib import Path

import numpy as np
import soundfile as sf

SAMPLE_RATE = 16000


def harmonic_tones(n_files: int, seconds: float, seed: int = 0) -> list[np.ndarray]:
    """Notes of random pitch (110–880 Hz), 1–8 harmonics with 1/k amplitudes and a decaying envelope."""
    rng = np.random.default_rng(seed)
    files = []
    for _ in range(n_files):
        audio = np.zeros(int(seconds * SAMPLE_RATE), np.float32)
        note = SAMPLE_RATE // 4
        for start in range(0, audio.size - note + 1, note):
            f0 = 110 * 2 ** rng.uniform(0, 3)
            t = np.arange(note) / SAMPLE_RATE
            harmonics = rng.integers(1, 9)
            tone = sum(np.sin(2 * np.pi * f0 * k * t + rng.uniform(0, 6.3)) / k for k in range(1, harmonics + 1)
                       if f0 * k < SAMPLE_RATE / 2)
            audio[start:start + note] = 0.4 * tone * np.exp(-3 * t) * np.minimum(1, t * 200)
        files.append(audio)
    return files


def make_tone_database(folder: Path, n_files: int = 8, seconds: float = 2.0, num_signal: int = 16384) -> Path:
    """Write WAVs of harmonic tones and prepare a waveform database from them; returns its path."""
    from after.data.prepare import PrepareOptions, prepare_dataset

    audio_dir = folder / "audio"
    audio_dir.mkdir(parents=True)
    for i, audio in enumerate(harmonic_tones(n_files, seconds)):
        sf.write(audio_dir / f"tone{i}.wav", audio, SAMPLE_RATE)
    db = folder / "db"
    prepare_dataset(PrepareOptions(input_path=audio_dir, output_path=db, num_signal=num_signal,
                                   sample_rate=SAMPLE_RATE, save_waveform=True, num_multiprocesses=1,
                                   cut_silences=False))
    return db
