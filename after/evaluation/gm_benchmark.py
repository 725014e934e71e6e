"""A real-instrument benchmark: General MIDI soundfont renders (FluidSynth + FluidR3_GM) with their MIDI.

Six instruments from different families play random but musical monophonic melodies (scale steps and leaps,
notes of 0.15–0.8 s, some rests, velocities 70–110) and a few three-note chord clips, all in the SAME pitch
range (MIDI 57–81), so that an instrument classifier cannot tell instruments apart by register and a transfer
from one instrument to another keeps a plausible range. Train and held-out clips use different melodies.

Layout written by `render_benchmark(out_dir)`:

    out_dir/benchmark.json                       manifest: instruments, programs, clips, settings
    out_dir/{train,heldout}/<instrument>/melody_000.wav + melody_000.mid
    out_dir/{train,heldout}/<instrument>/chord_000.wav  + chord_000.mid   (polyphonic: flagged in the manifest)

Each instrument is rendered by ONE fluidsynth process (loading the 140 MB soundfont is most of the cost): its
clips are laid one after another in a single MIDI file, each in its own slot followed by silence so that no
release tail reaches the next clip, and the render is cut back into clips. Instruments render in parallel.
Each clip lasts `clip_seconds` + 0.3 s (notes end by `clip_seconds`; the last release tail is kept).
Everything is deterministic for a seed; a folder rendered with the same parameters is reused.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Sequence

import numpy as np

from after.data.midi import Note
from after.errors import InputError
from after.io import atomic_path, write_json_atomic

SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
INSTALL_HINT = "apt-get install fluidsynth fluid-soundfont-gm"
MANIFEST = "benchmark.json"
FORMAT_VERSION = 1

# (name, GM program (0-based), family)
INSTRUMENTS: tuple[tuple[str, int, str], ...] = (
    ("piano", 0, "keyboard"),
    ("nylon_guitar", 24, "plucked string"),
    ("violin", 40, "bowed string"),
    ("trumpet", 56, "brass"),
    ("clarinet", 71, "reed"),
    ("flute", 73, "flute"),
)
PITCH_LOW, PITCH_HIGH = 57, 81  # A3..A5 for every instrument: register carries no instrument information
NOTE_LENGTHS = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8)  # seconds between onsets
VELOCITY_RANGE = (70, 110)
TAIL_SECONDS = 0.3  # release kept after `clip_seconds`
SLOT_GAP_SECONDS = 2.0  # silence between clips inside one render
TICKS_PER_BEAT, TEMPO_US = 480, 500_000  # 960 ticks per second
TICKS_PER_SECOND = TICKS_PER_BEAT * 1_000_000 // TEMPO_US
_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_MINOR = (0, 2, 3, 5, 7, 8, 10)
_SPLITS = ("train", "heldout")


@dataclass(frozen=True)
class BenchmarkClip:
    """One rendered clip (paths relative to the benchmark folder)."""

    split: str
    instrument: str
    program: int
    name: str
    audio: str
    midi: str
    polyphonic: bool
    n_notes: int
    seconds: float


@dataclass(frozen=True)
class BenchmarkInfo:
    """What `render_benchmark` produced (also stored as `benchmark.json`)."""

    root: Path
    sample_rate: int
    seed: int
    clip_seconds: float
    instruments: List[Dict[str, Any]]
    clips: List[BenchmarkClip]
    parameters: Dict[str, Any] = field(default_factory=dict)
    render_seconds: float = 0.0
    reused: bool = False

    def split_dir(self, split: str) -> Path:
        return self.root / split

    @property
    def audio_minutes(self) -> Dict[str, float]:
        return {s: sum(c.seconds for c in self.clips if c.split == s) / 60.0 for s in _SPLITS}


# ============================================================== melodies
def _scale(rng: np.random.Generator) -> np.ndarray:
    tonic = int(rng.integers(0, 12))
    steps = _MAJOR if rng.random() < 0.5 else _MINOR
    return np.array([p for p in range(PITCH_LOW, PITCH_HIGH + 1) if (p - tonic) % 12 in steps])


def _quantize(seconds: float) -> float:
    """Times on the MIDI tick grid, so the sidecar .mid and the render agree exactly."""
    return round(seconds * TICKS_PER_SECOND) / TICKS_PER_SECOND


def make_melody(rng: np.random.Generator, seconds: float) -> list[Note]:
    """A monophonic melody ending by `seconds`: a walk on a random major/minor scale in [57, 81] mixing steps
    (one scale degree, 65 %) and leaps (2–4 degrees), onsets 0.15–0.8 s apart, articulation 70–95 % of the
    inter-onset time, rests (15 %), velocities 70–110; never the same pitch twice in a row."""
    pitches = _scale(rng)
    index = int(rng.integers(len(pitches) // 4, 3 * len(pitches) // 4 + 1))
    notes: list[Note] = []
    now = float(rng.uniform(0.05, 0.3))
    while True:
        length = float(rng.choice(NOTE_LENGTHS))
        if now + length > seconds:
            break
        if notes and rng.random() < 0.15:
            now += float(rng.uniform(0.1, 0.4))
            continue
        move = int(rng.choice([-1, 1])) * (1 if rng.random() < 0.65 else int(rng.integers(2, 5)))
        index += move
        if index < 0 or index >= len(pitches):  # reflect at the ends of the range
            index -= 2 * move
        index = int(np.clip(index, 0, len(pitches) - 1))
        velocity = int(rng.integers(VELOCITY_RANGE[0], VELOCITY_RANGE[1] + 1))
        start = _quantize(now)
        end = _quantize(now + length * float(rng.uniform(0.7, 0.95)))
        notes.append(Note(int(pitches[index]), start, end, velocity))
        now += length
    return notes


def make_chords(rng: np.random.Generator, seconds: float) -> list[Note]:
    """Three-note chords (diatonic triads in [57, 81]) held 0.5–1.0 s each, one after another, ending by
    `seconds`."""
    pitches = _scale(rng)
    notes: list[Note] = []
    now = float(rng.uniform(0.05, 0.2))
    while True:
        length = float(rng.uniform(0.5, 1.0))
        if now + length > seconds:
            break
        root = int(rng.integers(0, len(pitches) - 4))
        velocity = int(rng.integers(VELOCITY_RANGE[0], VELOCITY_RANGE[1] + 1))
        start, end = _quantize(now), _quantize(now + 0.9 * length)
        notes.extend(Note(int(p), start, end, velocity) for p in pitches[root:root + 5:2])
        now += length
    return notes


def midi_file(notes: Sequence[Note], program: int, offset: float = 0.0):
    """A type-0 `mido.MidiFile` (120 BPM, 480 ticks per beat) playing `notes` (shifted by `offset` s) with
    GM `program` on channel 0."""
    import mido

    events = []  # (tick, order, message): note-offs before note-ons at the same tick
    for note in notes:
        start = int(round((note.start + offset) * TICKS_PER_SECOND))
        end = max(start + 1, int(round((note.end + offset) * TICKS_PER_SECOND)))
        events.append((start, 1, mido.Message("note_on", note=note.pitch, velocity=note.velocity)))
        events.append((end, 0, mido.Message("note_off", note=note.pitch, velocity=0)))
    events.sort(key=lambda event: (event[0], event[1], event[2].note))
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=TEMPO_US, time=0),
                            mido.Message("program_change", program=program, time=0)])
    now = 0
    for tick, _, message in events:
        track.append(message.copy(time=tick - now))
        now = tick
    return mido.MidiFile(type=0, ticks_per_beat=TICKS_PER_BEAT, tracks=[track])


# ============================================================== rendering
def check_renderer() -> tuple[str, Path]:
    """The fluidsynth binary and the GM soundfont, or an `InputError` saying how to install them."""
    binary = shutil.which("fluidsynth")
    if binary is None:
        raise InputError(f"fluidsynth: not installed (needed to render the GM benchmark); install it with "
                         f"`{INSTALL_HINT}`")
    if not SOUNDFONT.exists():
        raise InputError(f"{SOUNDFONT}: General MIDI soundfont missing (needed to render the GM benchmark); "
                         f"install it with `{INSTALL_HINT}`")
    return binary, SOUNDFONT


@dataclass(frozen=True)
class _Planned:
    split: str
    name: str
    notes: list[Note]
    polyphonic: bool


def _plan(instrument_index: int, seed: int, n_train: int, n_heldout: int, chords_train: int, chords_heldout: int,
          clip_seconds: float) -> list[_Planned]:
    """Every clip of one instrument, each from its own random stream (seed, split, instrument, kind, index),
    so changing one count never changes the other clips."""
    planned = []
    for split_index, (split, n_melodies, n_chords) in enumerate(
            (("train", n_train, chords_train), ("heldout", n_heldout, chords_heldout))):
        for kind_index, (kind, count, maker) in enumerate((("melody", n_melodies, make_melody),
                                                           ("chord", n_chords, make_chords))):
            for k in range(count):
                rng = np.random.default_rng([seed, split_index, instrument_index, kind_index, k])
                planned.append(_Planned(split, f"{kind}_{k:03d}", maker(rng, clip_seconds), kind == "chord"))
    return planned


def _render_instrument(binary: str, soundfont: Path, program: int, planned: list[_Planned], sample_rate: int,
                       clip_seconds: float, work: Path) -> list[np.ndarray]:
    """Render the clips of one instrument in one fluidsynth call; returns mono float32 audio per clip."""
    import soundfile as sf

    slot = float(np.ceil(clip_seconds + TAIL_SECONDS + SLOT_GAP_SECONDS))  # whole seconds: exact sample offsets
    notes = [Note(n.pitch, n.start + k * slot, n.end + k * slot, n.velocity)
             for k, clip in enumerate(planned) for n in clip.notes]
    mid, wav = work / f"program{program}.mid", work / f"program{program}.wav"
    midi_file(notes, program).save(str(mid))
    command = [binary, "-ni", "-R", "0", "-C", "0", "-g", "0.6", "-r", str(sample_rate), "-F", str(wav),
               str(soundfont), str(mid)]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0 or not wav.exists():
        reason = (result.stderr.strip().splitlines() or ["no output file"])[-1]
        raise InputError(f"fluidsynth failed on {mid.name} ({reason}); check `fluidsynth --version` and "
                         f"`{INSTALL_HINT}`")
    audio, rate = sf.read(str(wav), dtype="float32", always_2d=True)
    if rate != sample_rate:
        raise InputError(f"fluidsynth rendered {rate} Hz instead of {sample_rate} Hz; use a fluidsynth that "
                         f"honours -r")
    mono = audio.mean(axis=1)
    length = int(round((clip_seconds + TAIL_SECONDS) * sample_rate))
    fade = np.linspace(1.0, 0.0, int(0.01 * sample_rate), dtype=np.float32)  # no click at the cut
    clips = []
    for k in range(len(planned)):
        start = int(round(k * slot * sample_rate))
        clip = np.zeros(length, dtype=np.float32)
        piece = mono[start:start + length]
        clip[:len(piece)] = piece
        clip[-len(fade):] *= fade
        clips.append(clip)
    return clips


def _parameters(sample_rate: int, seed: int, n_train: int, n_heldout: int, chords_train: int, chords_heldout: int,
                clip_seconds: float, instruments: Sequence[tuple[str, int, str]]) -> Dict[str, Any]:
    return {"format_version": FORMAT_VERSION, "sample_rate": sample_rate, "seed": seed,
            "clips_per_instrument_train": n_train, "clips_per_instrument_heldout": n_heldout,
            "chord_clips_train": chords_train, "chord_clips_heldout": chords_heldout,
            "clip_seconds": clip_seconds, "pitch_range": [PITCH_LOW, PITCH_HIGH],
            "instruments": [list(i) for i in instruments], "soundfont": SOUNDFONT.name}


def _load_manifest(root: Path) -> Dict[str, Any] | None:
    try:
        return json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _info_from_manifest(root: Path, manifest: Dict[str, Any], reused: bool) -> BenchmarkInfo:
    return BenchmarkInfo(root=root, sample_rate=manifest["sample_rate"], seed=manifest["seed"],
                         clip_seconds=manifest["clip_seconds"], instruments=manifest["instruments"],
                         clips=[BenchmarkClip(**c) for c in manifest["clips"]], parameters=manifest["parameters"],
                         render_seconds=manifest.get("render_seconds", 0.0), reused=reused)


def load_benchmark(root: str | os.PathLike) -> BenchmarkInfo:
    """Read a rendered benchmark folder (its `benchmark.json`)."""
    root = Path(root)
    manifest = _load_manifest(root)
    if manifest is None:
        raise InputError(f"{root}: no readable {MANIFEST}; render the benchmark with "
                         f"`after eval --render-benchmark {root}`")
    return _info_from_manifest(root, manifest, reused=True)


def render_benchmark(out_dir: str | os.PathLike, sample_rate: int = 16000, seed: int = 0,
                     clips_per_instrument_train: int = 16, clips_per_instrument_heldout: int = 4,
                     chord_clips_train: int = 2, chord_clips_heldout: int = 1, clip_seconds: float = 4.0,
                     instruments: Sequence[tuple[str, int, str]] = INSTRUMENTS,
                     progress: bool = True) -> BenchmarkInfo:
    """Render the GM benchmark into `out_dir` (see the module docstring) and return its description.

    Defaults: 6 instruments × (16 melodies + 2 chord clips) for training (≈ 7.7 min of audio) and
    6 × (4 melodies + 1 chord clip) held out. A folder already rendered with the same parameters is reused;
    one rendered with other parameters is replaced; any other non-empty folder is refused.
    """
    from tqdm import tqdm

    root = Path(out_dir)
    instruments = tuple((str(name), int(program), str(family)) for name, program, family in instruments)
    for count, name in ((clips_per_instrument_train, "clips_per_instrument_train"),
                        (clips_per_instrument_heldout, "clips_per_instrument_heldout"),
                        (chord_clips_train, "chord_clips_train"), (chord_clips_heldout, "chord_clips_heldout")):
        if count < 0:
            raise InputError(f"{name}={count}: give a count >= 0")
    if clip_seconds < 1.0:
        raise InputError(f"clip_seconds={clip_seconds}: give at least 1 second")
    params = _parameters(sample_rate, seed, clips_per_instrument_train, clips_per_instrument_heldout,
                         chord_clips_train, chord_clips_heldout, clip_seconds, instruments)
    existing = _load_manifest(root) if root.exists() else None
    if existing is not None and existing.get("parameters") == params and all(
            (root / c["audio"]).exists() and (root / c["midi"]).exists() for c in existing["clips"]):
        return _info_from_manifest(root, existing, reused=True)
    if root.exists() and existing is None and (not root.is_dir() or any(root.iterdir())):
        raise InputError(f"{root}: exists and is not a GM benchmark folder (no {MANIFEST}); give a new or empty "
                         f"folder")
    binary, soundfont = check_renderer()

    began = time.perf_counter()
    plans = [_plan(i, seed, clips_per_instrument_train, clips_per_instrument_heldout, chord_clips_train,
                   chord_clips_heldout, clip_seconds) for i in range(len(instruments))]
    import soundfile as sf

    with atomic_path(root, is_dir=True) as tmp, tempfile.TemporaryDirectory(prefix="after-gm-") as work:
        with ThreadPoolExecutor(max_workers=max(1, min(len(instruments), os.cpu_count() or 1))) as pool:
            futures = [pool.submit(_render_instrument, binary, soundfont, program, plan, sample_rate, clip_seconds,
                                   Path(work))
                       for (_, program, _), plan in zip(instruments, plans)]
            rendered = [f.result() for f in tqdm(futures, desc="rendering GM benchmark", unit="instrument",
                                                   disable=not progress)]
        clips: list[BenchmarkClip] = []
        for (name, program, _), plan, audios in zip(instruments, plans, rendered):
            for clip, audio in zip(plan, audios):
                folder = tmp / clip.split / name
                folder.mkdir(parents=True, exist_ok=True)
                sf.write(str(folder / f"{clip.name}.wav"), np.clip(audio, -1.0, 1.0), sample_rate, subtype="PCM_16")
                midi_file(clip.notes, program).save(str(folder / f"{clip.name}.mid"))
                rel = f"{clip.split}/{name}/{clip.name}"
                clips.append(BenchmarkClip(clip.split, name, program, clip.name, f"{rel}.wav", f"{rel}.mid",
                                           clip.polyphonic, len(clip.notes), len(audio) / sample_rate))
        render_seconds = time.perf_counter() - began
        manifest = {"sample_rate": sample_rate, "seed": seed, "clip_seconds": clip_seconds,
                    "instruments": [{"name": n, "program": p, "family": f} for n, p, f in instruments],
                    "clips": [asdict(c) for c in clips], "parameters": params,
                    "render_seconds": round(render_seconds, 2),
                    "renderer": {"command": "fluidsynth -ni -R 0 -C 0 -g 0.6 -r SR -F out.wav SF2 in.mid",
                                 "soundfont": str(soundfont)}}
        write_json_atomic(tmp / MANIFEST, manifest)
    return _info_from_manifest(root, manifest, reused=False)
