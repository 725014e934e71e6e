"""Cutting a file into fixed-length chunks (UPSTREAM.md §2.2 semantics) and the per-file level steps."""

from __future__ import annotations

import numpy as np

from after.data.midi import Note, clip_notes

SILENCE_PEAK = 0.05  # a chunk whose peak is below this is silence
NORMALIZE_MAX_GAIN_DB = 30.0
NORMALIZE_HEADROOM = 0.9


def normalize_peak(audio: np.ndarray) -> np.ndarray:
    """Peak-normalise: gain = min(30 dB, −peak dB), then × 0.9. Silent input is returned unchanged."""
    peak = float(np.abs(audio).max(initial=0.0))
    if peak <= 0.0:
        return audio
    gain_db = min(NORMALIZE_MAX_GAIN_DB, -20.0 * np.log10(peak))
    return (audio * (10.0 ** (gain_db / 20.0) * NORMALIZE_HEADROOM)).astype(np.float32)


def fit_to_chunks(audio: np.ndarray, num_signal: int, tile: bool) -> np.ndarray:
    """Make the length of `audio` [N] a whole, non-zero number of chunks.

    A file shorter than one chunk is tiled (repeated) when `tile`, else zero-padded; a longer file whose
    remainder exceeds half a chunk is zero-padded to the next chunk; the rest is truncated.
    Returns float32 [K, num_signal], K ≥ 1.
    """
    n = audio.shape[-1]
    if n < num_signal:
        if tile:
            audio = np.tile(audio, -(-num_signal // n))
        else:
            audio = np.pad(audio, (0, num_signal - n))
    elif n % num_signal > num_signal // 2:
        audio = np.pad(audio, (0, num_signal - n % num_signal))
    count = audio.shape[-1] // num_signal
    return np.ascontiguousarray(audio[:count * num_signal].reshape(count, num_signal), dtype=np.float32)


def split_file(audio: np.ndarray, sample_rate: int, num_signal: int, notes: list[Note] | None,
               cut_silences: bool) -> tuple[list[tuple[int, np.ndarray, list[Note] | None]], int]:
    """Chunks of one file that are worth keeping.

    `audio` float32 [N] at `sample_rate`. Without MIDI (`notes is None`) short files are tiled and, with
    `cut_silences`, chunks with peak < 0.05 are dropped. With MIDI the timing is kept (padding, no tiling) and
    chunks without any note are dropped; each kept chunk carries its notes rebased to the chunk start.
    Returns ([(chunk_index, waveform [num_signal], notes or None)], number of dropped chunks).
    """
    chunks = fit_to_chunks(audio, num_signal, tile=notes is None)
    duration = num_signal / sample_rate
    kept: list[tuple[int, np.ndarray, list[Note] | None]] = []
    for index, chunk in enumerate(chunks):
        if notes is None:
            if cut_silences and np.abs(chunk).max() < SILENCE_PEAK:
                continue
            kept.append((index, chunk, None))
        else:
            chunk_notes = clip_notes(notes, index * duration, (index + 1) * duration)
            if chunk_notes:
                kept.append((index, chunk, chunk_notes))
    return kept, len(chunks) - len(kept)
