"""Synthesised test material for the data-layer tests: tones, mixed audio folders, MIDI files."""

from pathlib import Path

import mido
import numpy as np
import soundfile as sf

from after.data.midi import Note


def tone(sample_rate: int, seconds: float, channels: int = 1, freq: float = 220.0, amp: float = 0.5) -> np.ndarray:
    """A sine, [samples] (mono) or [samples, channels]."""
    t = np.arange(int(sample_rate * seconds)) / sample_rate
    x = (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.stack([x] * channels, axis=1) if channels > 1 else x


def notes_audio(notes: list[Note], sample_rate: int, seconds: float) -> np.ndarray:
    """Decaying harmonic tones for `notes`, float32 [samples]."""
    out = np.zeros(int(sample_rate * seconds), dtype=np.float32)
    for note in notes:
        f = 440.0 * 2 ** ((note.pitch - 69) / 12)
        t = np.arange(int((note.end - note.start) * sample_rate)) / sample_rate
        wave = (np.sin(2 * np.pi * f * t) + 0.3 * np.sin(4 * np.pi * f * t)) * np.exp(-3 * t) * 0.4
        start = int(note.start * sample_rate)
        out[start:start + len(t)] += wave[:len(out) - start]
    return out


def write_midi(path: Path, notes: list[Note], tempo_bpm: float = 120.0) -> None:
    """A type-0 MIDI file with `notes` (480 ticks per beat)."""
    mid = mido.MidiFile(ticks_per_beat=480)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    tempo = mido.bpm2tempo(tempo_bpm)
    track.append(mido.MetaMessage("set_tempo", tempo=tempo, time=0))
    events = []
    for n in notes:
        events.append((n.start, 1, mido.Message("note_on", note=n.pitch, velocity=n.velocity)))
        events.append((n.end, 0, mido.Message("note_off", note=n.pitch, velocity=0)))
    now = 0
    for when, _, msg in sorted(events, key=lambda e: (e[0], e[1])):
        tick = int(round(mido.second2tick(when, 480, tempo)))
        track.append(msg.copy(time=tick - now))
        now = tick
    mid.save(str(path))


def mixed_folder(root: Path) -> dict[str, object]:
    """WAV and FLAC files at 44.1/22.05/48 kHz, mono and stereo, plus a corrupt WAV, an empty FLAC, a text
    file named .wav and an ignored .txt. Returns the expected chunk count for num_signal 16384 at 16 kHz
    and the names of the bad files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "sub").mkdir()
    sf.write(root / "stereo.wav", tone(44100, 3.0, 2), 44100)       # 48000 samples → pad → 3 chunks
    sf.write(root / "short.flac", tone(22050, 0.5, 1), 22050)       # 8000 → tiled → 1 chunk
    sf.write(root / "sub" / "long.wav", tone(48000, 2.2, 1), 48000)  # 35200 → truncated → 2 chunks
    sf.write(root / "sub" / "quiet.flac", tone(16000, 2.0, 2, amp=0.01), 16000, subtype="PCM_16")  # normalised → 2
    (root / "corrupt.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00garbage" * 4)
    (root / "empty.flac").write_bytes(b"")
    (root / "lyrics.wav").write_text("not audio at all\n")
    (root / "readme.txt").write_text("ignored: not an audio extension\n")
    return {"chunks": 8, "bad": {"corrupt.wav", "empty.flac", "lyrics.wav"}}


def labelled_by_folder(audio_root: Path, midi_root, exts, include, exclude) -> list:
    """A custom parser (used as `--parser data_synth:labelled_by_folder`): label = parent folder name."""
    from after.data.parsers import SourceFile, find_audio_files

    return [SourceFile(p, None, {"label": p.parent.name, "take": p.stem})
            for p in find_audio_files(audio_root, exts, include, exclude)]
