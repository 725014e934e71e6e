"""The project's own instrument-like synthesis with exactly known MIDI, for tests and the demo.

Four synthesis families give clearly different timbres:

| timbre | family | character |
|---|---|---|
| `organ` | additive | steady drawbar harmonics, fast attack and release |
| `strings` | additive | sawtooth-like spectrum, slow attack, vibrato |
| `bell` | FM, inharmonic (ratio 3.5) | bright metallic strike, long decay |
| `epiano` | FM, harmonic (ratio 1) + tine | percussive, brightness falling fast |
| `pluck` | Karplus–Strong plucked string | bright attack, string-like decay |
| `breath` | noise-excited | filtered noise peaked on the harmonics, breathy |

Melodies and chord progressions are generated on a musical scale; every function returns float32 audio and
the exact note list (`Note(pitch, start, end, velocity)`: MIDI numbers, seconds, velocity 1–127).
Everything is deterministic given a seed and vectorised with numpy (minutes of audio in seconds).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from tqdm import tqdm

from after.data.midi import Note
from after.errors import InputError
from after.io import atomic_path, write_audio


def midi_to_hz(pitch: float) -> float:
    """Frequency in Hz of a MIDI pitch (A4 = 69 = 440 Hz)."""
    return 440.0 * 2.0 ** ((pitch - 69.0) / 12.0)


def _envelope(n: int, sample_rate: int, attack: float, release: float, decay: float | None = None) -> np.ndarray:
    """Amplitude envelope of `n` samples: linear attack (s), optional exponential decay time constant (s),
    linear release (s) at the end. Returns float64 [n]."""
    t = np.arange(n) / sample_rate
    env = np.minimum(1.0, t / max(attack, 1.0 / sample_rate))
    if decay is not None:
        env *= np.exp(-t / decay)
    n_release = min(n, max(1, int(release * sample_rate)))
    env[n - n_release:] *= np.linspace(1.0, 0.0, n_release)
    return env


def _harmonic_sum(phase: np.ndarray, amps: np.ndarray, f0: float, sample_rate: int) -> np.ndarray:
    """Sum of sin(k * phase) * amps[k-1] for the harmonics k below Nyquist. phase: [n] radians of the
    fundamental. Returns float64 [n]."""
    k = np.arange(1, len(amps) + 1)
    keep = k * f0 < 0.45 * sample_rate
    k, amps = k[keep], amps[keep]
    return np.sin(phase[:, None] * k[None, :]) @ amps


def _organ(f0: float, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    drawbars = np.array([1.0, 0.8, 0.6, 0.5, 0.0, 0.35, 0.0, 0.25])
    phase = 2 * np.pi * f0 * np.arange(n) / sample_rate + rng.uniform(0, 2 * np.pi)
    return _harmonic_sum(phase, drawbars, f0, sample_rate) * _envelope(n, sample_rate, 0.01, 0.03) / 2.5


def _strings(f0: float, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(n) / sample_rate
    vibrato = 1.0 + 0.004 * np.sin(2 * np.pi * 5.5 * t + rng.uniform(0, 2 * np.pi)) * np.minimum(1.0, t / 0.3)
    phase = 2 * np.pi * f0 * np.cumsum(vibrato) / sample_rate
    amps = 1.0 / np.arange(1, 41)
    return _harmonic_sum(phase, amps, f0, sample_rate) * _envelope(n, sample_rate, 0.12, 0.12) / 2.0


def _fm(f0: float, n: int, sample_rate: int, ratio: float, index: float, index_decay: float,
        amp_decay: float) -> np.ndarray:
    """Two-operator FM: sin(2π f0 t + I(t) sin(2π ratio f0 t)), I(t) = index · exp(-t / index_decay)."""
    t = np.arange(n) / sample_rate
    modulator = np.sin(2 * np.pi * ratio * f0 * t) * index * np.exp(-t / index_decay)
    return np.sin(2 * np.pi * f0 * t + modulator) * _envelope(n, sample_rate, 0.002, 0.05, amp_decay)


def _bell(f0: float, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    return _fm(f0, n, sample_rate, ratio=3.5, index=1.5, index_decay=0.5, amp_decay=0.9)


def _epiano(f0: float, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    body = _fm(f0, n, sample_rate, ratio=1.0, index=2.5, index_decay=0.15, amp_decay=0.7)
    tine_ratio = 14.0 if 14.0 * f0 < 0.45 * sample_rate else 4.0
    tine = _fm(f0 * tine_ratio, n, sample_rate, ratio=1.0, index=0.5, index_decay=0.05, amp_decay=0.03)
    return 0.8 * body + 0.2 * tine


def _pluck(f0: float, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Karplus–Strong: a noise burst recirculated through a delay of one period with a two-point average.

    Vectorised by period: with period L, y[kL + i] = g/2 (y[(k-1)L + i] + y[(k-1)L + i - 1]), so each period
    is one numpy expression of the previous one.
    """
    period = max(2, int(round(sample_rate / f0)))
    n_periods = int(np.ceil(n * f0 / sample_rate)) + 2
    decay_per_period = np.exp(-(period / sample_rate) / 0.8)
    blocks = np.empty((n_periods, period))
    blocks[0] = rng.uniform(-1.0, 1.0, period)
    blocks[0] -= blocks[0].mean()
    previous_last = 0.0
    for k in range(1, n_periods):
        shifted = np.concatenate(([previous_last], blocks[k - 1][:-1]))
        previous_last = blocks[k - 1][-1]
        blocks[k] = 0.5 * decay_per_period * (blocks[k - 1] + shifted)
    string = blocks.reshape(-1)
    # The two-point average delays by half a sample: the loop's period is `period + 0.5` samples. Reading
    # the string faster or slower lands it on f0 exactly.
    positions = np.arange(n) * (f0 * (period + 0.5) / sample_rate)
    out = np.interp(positions, np.arange(string.size), string)
    return out * _envelope(n, sample_rate, 0.001, 0.03)


def _breath(f0: float, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """White noise shaped in the frequency domain by Gaussian peaks on the first harmonics plus a low
    broadband floor: a breathy, flute-like pitched noise."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1.0 / sample_rate)
    shape = np.full(freqs.shape, 0.04)
    for k in range(1, 9):
        if k * f0 > 0.45 * sample_rate:
            break
        width = 0.015 * k * f0 + 4.0
        shape += np.exp(-0.5 * ((freqs - k * f0) / width) ** 2) / k ** 1.5
    audio = np.fft.irfft(spectrum * shape, n)
    audio /= np.abs(audio).max() + 1e-9
    return audio * _envelope(n, sample_rate, 0.06, 0.08)


SYNTHS: dict[str, Callable[[float, int, int, np.random.Generator], np.ndarray]] = {
    "organ": _organ,
    "strings": _strings,
    "bell": _bell,
    "epiano": _epiano,
    "pluck": _pluck,
    "breath": _breath,
}
TIMBRES: tuple[str, ...] = tuple(SYNTHS)
# Extra time a note keeps sounding after its MIDI end (its release/decay tail), in seconds.
_TAIL_S = 0.05


def render(notes: list[Note], timbre: str, sample_rate: int, duration: float,
           seed: int = 0) -> np.ndarray:
    """Render `notes` with `timbre` into float32 audio [round(duration * sample_rate)], peak ≤ 0.9.

    Each note sounds from `start` to `end` (plus a 50 ms release tail), scaled by velocity / 127.
    """
    if timbre not in SYNTHS:
        raise InputError(f"unknown timbre {timbre!r}; choose one of: {', '.join(TIMBRES)}")
    rng = np.random.default_rng(seed)
    total = int(round(duration * sample_rate))
    audio = np.zeros(total)
    for note in notes:
        begin = int(round(note.start * sample_rate))
        length = min(total - begin, int(round((note.end - note.start + _TAIL_S) * sample_rate)))
        if length <= 0:
            continue
        voice = SYNTHS[timbre](midi_to_hz(note.pitch), length, sample_rate, rng)
        audio[begin:begin + length] += voice * (note.velocity / 127.0)
    peak = np.abs(audio).max()
    if peak > 0.9:
        audio *= 0.9 / peak
    return audio.astype(np.float32)


_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_MINOR = (0, 2, 3, 5, 7, 8, 10)


def _scale_pitches(rng: np.random.Generator, low: int, high: int) -> np.ndarray:
    """All pitches in [low, high] of a random major or minor scale (random tonic)."""
    tonic = int(rng.integers(0, 12))
    steps = _MAJOR if rng.random() < 0.5 else _MINOR
    return np.array([p for p in range(low, high + 1) if (p - tonic) % 12 in steps])


def melody(rng: np.random.Generator, duration: float, low: int = 55, high: int = 79,
           tempo: float = 120.0) -> list[Note]:
    """A monophonic melody filling `duration` seconds: a random walk on a scale in [low, high] with note
    lengths of 1/2, 1, 3/2 or 2 beats at `tempo` BPM, occasional rests, legato 90 %."""
    pitches = _scale_pitches(rng, low, high)
    beat = 60.0 / tempo
    index = int(rng.integers(len(pitches) // 4, 3 * len(pitches) // 4 + 1))
    notes: list[Note] = []
    time = 0.0
    while True:
        length = beat * float(rng.choice([0.5, 1.0, 1.0, 1.5, 2.0]))
        if time + length > duration:
            break
        if rng.random() < 0.1:  # a rest
            time += length
            continue
        index = int(np.clip(index + rng.choice([-2, -1, -1, 0, 1, 1, 2, 3]), 0, len(pitches) - 1))
        velocity = int(rng.integers(60, 121))
        notes.append(Note(int(pitches[index]), time, time + 0.9 * length, velocity))
        time += length
    return notes


def chords(rng: np.random.Generator, duration: float, low: int = 48, high: int = 76,
           tempo: float = 120.0) -> list[Note]:
    """A chord progression filling `duration` seconds: triads or seventh chords built on scale degrees in
    [low, high], each held 2 or 4 beats at `tempo` BPM (legato 95 %); sometimes arpeggiated."""
    pitches = _scale_pitches(rng, low, high)
    beat = 60.0 / tempo
    notes: list[Note] = []
    time = 0.0
    while True:
        length = beat * float(rng.choice([2.0, 4.0]))
        if time + length > duration:
            break
        root = int(rng.integers(0, len(pitches) - 6))
        size = 3 if rng.random() < 0.6 else 4
        chord = pitches[root:root + 2 * size:2]
        arpeggio = beat / 4 if rng.random() < 0.3 else 0.0
        velocity = int(rng.integers(50, 111))
        for k, pitch in enumerate(chord):
            notes.append(Note(int(pitch), time + k * arpeggio, time + 0.95 * length, velocity))
        time += length
    return notes


@dataclass(frozen=True)
class Clip:
    """One synthesized clip: float32 audio [N] at `sample_rate`, its exact notes, timbre label, and
    whether the notes are a melody or chords."""

    audio: np.ndarray
    notes: list[Note]
    timbre: str
    kind: str
    sample_rate: int


def make_clip(timbre: str, kind: str, duration: float, sample_rate: int, seed: int) -> Clip:
    """Synthesize one `duration`-second clip of `kind` ("melody" | "chords") played with `timbre`."""
    generators = {"melody": melody, "chords": chords}
    if kind not in generators:
        raise InputError(f"unknown clip kind {kind!r}; choose melody or chords")
    rng = np.random.default_rng(seed)
    tempo = float(rng.uniform(90.0, 140.0))
    notes = generators[kind](rng, duration, tempo=tempo)
    audio = render(notes, timbre, sample_rate, duration, seed=int(rng.integers(2 ** 31)))
    return Clip(audio, notes, timbre, kind, sample_rate)


def write_midi(path: str | os.PathLike, notes: list[Note]) -> None:
    """Write `notes` as a type-0 MIDI file (120 BPM, 480 ticks per beat), atomically."""
    import mido

    ticks_per_beat, tempo = 480, 500_000
    events = []  # (tick, order, message); note-offs sort before note-ons at the same tick
    for note in notes:
        start = int(round(mido.second2tick(note.start, ticks_per_beat, tempo)))
        end = max(start + 1, int(round(mido.second2tick(note.end, ticks_per_beat, tempo))))
        events.append((start, 1, mido.Message("note_on", note=note.pitch, velocity=note.velocity)))
        events.append((end, 0, mido.Message("note_off", note=note.pitch, velocity=0)))
    events.sort(key=lambda event: (event[0], event[1]))
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=tempo, time=0)])
    now = 0
    for tick, _, message in events:
        track.append(message.copy(time=tick - now))
        now = tick
    midi = mido.MidiFile(type=0, ticks_per_beat=ticks_per_beat, tracks=[track])
    with atomic_path(path) as tmp:
        midi.save(str(tmp))


@dataclass(frozen=True)
class SynthDataset:
    """A synthesized dataset on disk: `root/<timbre>/<timbre>_<kind>_<k>.wav` with a `.mid` of the same
    stem beside each WAV; `clips` lists (wav path, timbre label, kind, number of notes)."""

    root: Path
    clips: list[tuple[Path, str, str, int]]
    sample_rate: int
    seconds: float


def write_dataset(out_dir: str | os.PathLike, minutes: float, sample_rate: int, seed: int = 0,
                  timbres: tuple[str, ...] = TIMBRES, clip_seconds: float = 8.0,
                  chord_fraction: float = 0.4) -> SynthDataset:
    """Synthesize about `minutes` of audio, split evenly between `timbres`, into `out_dir` (replaced
    atomically): clips of `clip_seconds`, a `chord_fraction` of them chords and the rest melodies.

    Deterministic: clip k of timbre i always gets the same seed, whatever the other timbres are.
    """
    unknown = [t for t in timbres if t not in SYNTHS]
    if unknown or not timbres:
        raise InputError(f"unknown timbre(s) {unknown}; choose from: {', '.join(TIMBRES)}")
    clips_per_timbre = max(1, int(round(minutes * 60.0 / clip_seconds / len(timbres))))
    n_chords = int(round(chord_fraction * clips_per_timbre))
    out_dir = Path(out_dir)
    written: list[tuple[Path, str, str, int]] = []
    with atomic_path(out_dir, is_dir=True) as tmp:
        jobs = [(timbre, k) for timbre in timbres for k in range(clips_per_timbre)]
        for timbre, k in tqdm(jobs, desc="synthesize", unit="clip"):
            kind = "chords" if k < n_chords else "melody"
            clip_seed = int(np.random.SeedSequence([seed, TIMBRES.index(timbre), k]).generate_state(1)[0])
            clip = make_clip(timbre, kind, clip_seconds, sample_rate, clip_seed)
            stem = f"{timbre}_{kind}_{k:03d}"
            (tmp / timbre).mkdir(exist_ok=True)
            write_audio(tmp / timbre / f"{stem}.wav", clip.audio, sample_rate)
            write_midi(tmp / timbre / f"{stem}.mid", clip.notes)
            written.append((out_dir / timbre / f"{stem}.wav", timbre, kind, len(clip.notes)))
    return SynthDataset(out_dir, written, sample_rate, clip_seconds * len(written))


def parse_dataset(audio_root: Path, midi_root: Path | None, exts, include, exclude) -> list:
    """`after prepare_dataset --parser after.data.synth:parse_dataset`: the clips of `write_dataset` with their MIDI
    (same stem, beside the WAV), each labelled by its timbre (its folder): `--parser folder_midi`."""
    from after.data.parsers import folder_midi

    return folder_midi(audio_root, midi_root, exts, include, exclude)
