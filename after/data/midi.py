"""MIDI notes as plain data: reading MIDI files (mido), clipping notes to chunks, piano rolls.

A `Note` is `(pitch, start, end, velocity)`: MIDI pitch 0–127, start/end in seconds, velocity 1–127.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Iterable, NamedTuple

import numpy as np

from after.errors import InputError

DRUM_CHANNEL = 9  # General MIDI channel 10: unpitched percussion, ignored


class Note(NamedTuple):
    """One note: MIDI `pitch`, `start`/`end` in seconds, `velocity` 1–127."""

    pitch: int
    start: float
    end: float
    velocity: int


def read_midi(path: str | Path) -> list[Note]:
    """Read every pitched note of a MIDI file (all tracks merged, tempo changes applied, drum channel
    skipped), sorted by start time. Raises `InputError` for a missing or corrupt file."""
    import mido

    path = Path(path)
    try:
        midi = mido.MidiFile(str(path))
        messages = list(midi)  # merged tracks, `time` = seconds since the previous message
    except Exception as exc:  # mido raises OSError, EOFError, ValueError, KeyError on bad files
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: cannot read MIDI ({reason}); check the file is a valid .mid file") from None
    now = 0.0
    open_notes: dict[tuple[int, int], list[tuple[float, int]]] = {}
    notes: list[Note] = []
    for msg in messages:
        now += msg.time
        if msg.type not in ("note_on", "note_off") or msg.channel == DRUM_CHANNEL:
            continue
        key = (msg.channel, msg.note)
        if msg.type == "note_on" and msg.velocity > 0:
            open_notes.setdefault(key, []).append((now, msg.velocity))
        elif open_notes.get(key):
            start, velocity = open_notes[key].pop(0)
            if now > start:
                notes.append(Note(msg.note, start, now, velocity))
    for (_, pitch), pending in open_notes.items():  # notes never released end with the file
        notes.extend(Note(pitch, start, now, velocity) for start, velocity in pending if now > start)
    return sorted(notes, key=lambda n: (n.start, n.pitch))


def clip_notes(notes: Iterable[Note], start: float, end: float) -> list[Note]:
    """Notes overlapping [start, end) s, cut to that window and rebased so `start` becomes 0."""
    out = []
    for note in notes:
        if note.end <= start or note.start >= end:
            continue
        out.append(Note(note.pitch, max(note.start, start) - start, min(note.end, end) - start, note.velocity))
    return out


def piano_roll(notes: Iterable[Note], n_frames: int, frame_rate: float) -> np.ndarray:
    """Piano roll float32 [128, n_frames]: velocity / 127 on the frames a note sounds (frame i covers
    [i / frame_rate, (i + 1) / frame_rate) s); overlapping notes of one pitch keep the louder velocity.
    Every note lights at least its onset frame."""
    roll = np.zeros((128, n_frames), dtype=np.float32)
    for note in notes:
        first = int(math.floor(note.start * frame_rate))
        last = max(int(math.ceil(note.end * frame_rate)), first + 1)
        first, last = max(first, 0), min(last, n_frames)
        if first < last:
            row = roll[note.pitch, first:last]
            np.maximum(row, note.velocity / 127.0, out=row)
    return roll
