"""`after prepare_dataset`: an audio folder (+ MIDI) → an LMDB database of chunks (see `after.data.store`).

Files are read, cut and augmented in worker processes (`num_multiprocesses`); the main process encodes
latents with the codec and writes records in batched transactions. Everything is written into a hidden
temporary folder next to `output_path` and renamed into place only when complete, so an interrupted run
never leaves a database that other commands accept.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from after.data.augment import AUGMENTATION_MODES, augment
from after.data.chunking import normalize_peak, split_file
from after.data.descriptors import FrameFeatureSpec, check_descriptor_names, codec_encode_lag_frames, frame_features
from after.data.midi import Note, read_midi
from after.data.parsers import DEFAULT_EXTS, SourceFile, get_parser
from after.data.store import DatabaseWriter, Record, release
from after.errors import InputError, OutputExistsError
from after.io import atomic_path, load_audio

if TYPE_CHECKING:
    from after.data.latents import LatentEncoder

FILES_PER_WINDOW = 2  # files in flight per worker: bounds memory while workers run ahead of the writer


@dataclass(frozen=True)
class PrepareOptions:
    """Settings of one `prepare_dataset` run (flags of the seed's command, same names and defaults except
    `output_path`, which cannot be the current folder because the database is renamed into place)."""

    input_path: Path
    output_path: Path = Path("after_dataset")
    num_signal: int = 524288
    sample_rate: int = 44100
    save_waveform: bool = False
    waveform_augmentation: str = "shift_stretch"
    num_augments: int = 4
    emb_model_path: Path | None = None
    gpu: int = -1
    basic_pitch_midi: bool = False
    midi_path: Path | None = None
    parser: str = "simple_audio"
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    normalize: bool = True
    cut_silences: bool = True
    ext: tuple[str, ...] = DEFAULT_EXTS
    batch_size: int = 8
    num_multiprocesses: int = 4
    overwrite: bool = False
    seed: int = 0
    descriptors: tuple[str, ...] = ()
    beat_track: bool = False


@dataclass(frozen=True)
class FileJob:
    """Work for one worker: one source file and the settings it needs."""

    index: int
    source: SourceFile
    sample_rate: int
    num_signal: int
    normalize: bool
    cut_silences: bool
    basic_pitch_midi: bool
    augmentation: str
    num_augments: int
    seed: int
    features: FrameFeatureSpec = FrameFeatureSpec()
    feature_hop: int = 0  # samples per latent frame (the codec ratio) when `features` asks for any


@dataclass
class PreparedChunk:
    """One kept chunk: waveform float32 [num_signal], notes (or None), augmented copies float32 [N'], frame
    features (record array name → float32 [num_signal // ratio]) and their metadata (beat times, tempo)."""

    chunk_index: int
    waveform: np.ndarray
    notes: list[Note] | None
    augmented: list[np.ndarray]
    features: dict[str, np.ndarray] = field(default_factory=dict)
    feature_metadata: dict[str, object] = field(default_factory=dict)


@dataclass
class FileResult:
    index: int
    source: SourceFile
    seconds: float = 0.0
    chunks: list[PreparedChunk] = field(default_factory=list)
    dropped: int = 0
    error: str | None = None


@dataclass
class PrepareSummary:
    """What a run did; `format()` gives the report printed at the end."""

    output_path: Path
    files_found: int = 0
    files_read: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored_extensions: Counter = field(default_factory=Counter)
    chunks_written: int = 0
    chunks_dropped: int = 0
    seconds_read: float = 0.0
    seconds_written: float = 0.0
    elapsed: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"files_found": self.files_found, "files_read": self.files_read,
                "skipped": [list(item) for item in self.skipped], "chunks_written": self.chunks_written,
                "chunks_dropped": self.chunks_dropped, "hours_read": self.seconds_read / 3600,
                "hours_written": self.seconds_written / 3600, "elapsed_s": self.elapsed}

    def format(self) -> str:
        lines = [f"dataset written to {self.output_path}",
                 f"  files read:     {self.files_read} of {self.files_found} "
                 f"({self.seconds_read / 3600:.3f} h of audio)",
                 f"  chunks written: {self.chunks_written} ({self.seconds_written / 3600:.3f} h); "
                 f"{self.chunks_dropped} dropped (silent or without notes)",
                 f"  time taken:     {self.elapsed:.1f} s "
                 f"({self.seconds_read / 3600 / max(self.elapsed / 60, 1e-9):.3f} h of audio per minute)"]
        if self.ignored_extensions:
            kinds = ", ".join(f"{ext or '(none)'} ×{n}" for ext, n in sorted(self.ignored_extensions.items()))
            lines.append(f"  ignored (extension not in --ext): {kinds}")
        lines.append(f"  files skipped:  {len(self.skipped)}")
        lines.extend(f"    {path}: {reason}" for path, reason in self.skipped)
        return "\n".join(lines)


def is_power_of_two(value: int) -> bool:
    return value > 0 and value & (value - 1) == 0


def process_file(job: FileJob) -> FileResult:
    """Worker: read, normalise, get notes, cut and augment one file. Problems become `error`, never raise."""
    result = FileResult(job.index, job.source)
    try:
        if job.source.audio.stat().st_size == 0:
            result.error = "empty file (0 bytes); remove it or export it again"
            return result
        audio = load_audio(job.source.audio, job.sample_rate)[0]
        result.seconds = audio.shape[-1] / job.sample_rate
        if job.normalize:
            audio = normalize_peak(audio)
        notes = None
        if job.source.midi is not None:
            notes = read_midi(job.source.midi)
        elif job.basic_pitch_midi:
            from after.data.transcribe import transcribe

            notes = transcribe(audio, job.sample_rate)
        kept, result.dropped = split_file(audio, job.sample_rate, job.num_signal, notes, job.cut_silences)
        for chunk_index, waveform, chunk_notes in kept:
            rng = np.random.default_rng([job.seed, job.index, chunk_index])
            copies = [] if job.augmentation == "none" else [
                augment(waveform, job.sample_rate, job.augmentation, rng) for _ in range(job.num_augments)]
            features, feature_metadata = frame_features(waveform, job.sample_rate, job.feature_hop, job.features) \
                if job.features else ({}, {})
            result.chunks.append(PreparedChunk(chunk_index, waveform, chunk_notes, copies, features, feature_metadata))
    except InputError as exc:
        result.error = str(exc).removeprefix(f"{job.source.audio}: ")
    except Exception as exc:  # a decoder crashing on a malformed file must not stop the run
        result.error = f"unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    if result.error is not None:
        result.chunks = []
    return result


def _check_output(path: Path, overwrite: bool) -> None:
    if path.resolve() == Path.cwd().resolve() or path.resolve() in Path.cwd().resolve().parents:
        raise InputError(f"--output_path {path}: give a new folder for the database, not the current folder "
                         f"or one of its parents")
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        return
    if not overwrite:
        raise OutputExistsError(f"{path}: output already exists; pass --overwrite to replace it or choose "
                                f"another --output_path")
    if not (path / "data.mdb").is_file() or set(p.name for p in path.iterdir()) - {"data.mdb", "lock.mdb"}:
        raise OutputExistsError(f"{path}: exists and is not an after dataset; --overwrite only replaces a "
                                f"dataset, choose another --output_path")
    release(path)


def _validate(options: PrepareOptions) -> None:
    if not is_power_of_two(options.num_signal):
        raise InputError(f"--num_signal {options.num_signal}: must be a power of two (e.g. 131072, 262144, 524288)")
    if options.waveform_augmentation not in AUGMENTATION_MODES:
        raise InputError(f"--waveform_augmentation {options.waveform_augmentation}: valid modes are "
                         f"{', '.join(AUGMENTATION_MODES)}")
    if not options.input_path.is_dir():
        raise InputError(f"--input_path {options.input_path}: not a folder; give the folder holding your audio")
    if options.midi_path is not None and not options.midi_path.is_dir():
        raise InputError(f"--midi_path {options.midi_path}: not a folder; give the folder holding the MIDI files")
    check_descriptor_names(options.descriptors)
    if (options.descriptors or options.beat_track) and options.emb_model_path is None:
        raise InputError("--descriptors/--beat_track: frame features are stored at the codec's latent frame rate; "
                         "pass --emb_model_path, or add them later with `after update_dataset --descriptors ...`")
    _check_output(options.output_path, options.overwrite)


def _ignored_extensions(root: Path, exts: tuple[str, ...]) -> Counter:
    suffixes = {"." + e.lower().lstrip(".") for e in exts}
    return Counter(p.suffix.lower() for p in root.rglob("*")
                   if p.is_file() and p.suffix.lower() not in suffixes and not p.name.startswith("."))


def _ignore_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _results(jobs: list[FileJob], workers: int):
    """Results of `process_file` in job order, computed by up to `workers` spawned processes."""
    if workers <= 1 or len(jobs) <= 1:
        yield from map(process_file, jobs)
        return
    # Workers ignore Ctrl-C: the main process alone handles it and terminates the pool (a worker killed
    # mid-task would leave `imap` waiting forever).
    with multiprocessing.get_context("spawn").Pool(min(workers, len(jobs)), initializer=_ignore_interrupt) as pool:
        window = workers * FILES_PER_WINDOW
        for start in range(0, len(jobs), window):
            yield from pool.imap(process_file, jobs[start:start + window])


class _RecordSink:
    """Buffers prepared chunks, encodes them (and their augmented copies) and writes records in batches."""

    def __init__(self, writer: DatabaseWriter, encoder: LatentEncoder | None, options: PrepareOptions,
                 default_label: str) -> None:
        self.writer, self.encoder, self.options = writer, encoder, options
        self.default_label = default_label
        self.pending: list[tuple[FileResult, PreparedChunk]] = []
        self.count = 0
        self.labels: set[str] = set()

    def add(self, result: FileResult) -> None:
        self.pending.extend((result, chunk) for chunk in result.chunks)
        result.chunks = []
        if len(self.pending) >= self.options.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        latents: list[np.ndarray | None] = [None] * len(self.pending)
        augmented: list[dict[str, np.ndarray]] = [{} for _ in self.pending]
        if self.encoder is not None:
            latents = [*self.encoder.encode([chunk.waveform for _, chunk in self.pending])]
            copies = [(i, j, wave) for i, (_, chunk) in enumerate(self.pending)
                      for j, wave in enumerate(chunk.augmented)]
            for (i, j, _), z in zip(copies, self.encoder.encode([wave for _, _, wave in copies])):
                augmented[i][f"augment_{self.options.waveform_augmentation}_{j}"] = z
        records = []
        for (result, chunk), latent, aug in zip(self.pending, latents, augmented):
            records.append(Record(
                waveform=to_pcm16(chunk.waveform) if self.options.save_waveform else None,
                latents=latent, notes=chunk.notes, augmented=aug, features=chunk.features,
                metadata={**self._metadata(result, chunk), **chunk.feature_metadata}))
            self.labels.add(records[-1].metadata["label"])
        self.writer.put_records(self.count, records)
        self.count += len(records)
        self.pending = []

    def _metadata(self, result: FileResult, chunk: PreparedChunk) -> dict[str, object]:
        source = result.source
        try:
            path = str(source.audio.relative_to(self.options.input_path))
        except ValueError:
            path = str(source.audio)
        extras = {k: v for k, v in source.metadata.items() if k != "label"}
        return {**extras, "source": path, "file_index": result.index, "chunk_index": chunk.chunk_index,
                "label": str(source.metadata.get("label") or self.default_label),
                **({"midi_source": str(source.midi)} if source.midi else {})}


def to_pcm16(waveform: np.ndarray) -> np.ndarray:
    """float [-1, 1] → int16 PCM (× 32767, clipped)."""
    return np.clip(np.round(waveform * 32767.0), -32768, 32767).astype(np.int16)


def prepare_dataset(options: PrepareOptions) -> PrepareSummary:
    """Build the database described by `options`; returns the run summary. One-line `AfterError`s for bad
    arguments, an empty input folder or a codec that cannot encode; bad files are skipped and reported."""
    started = time.monotonic()
    _validate(options)
    parser = get_parser(options.parser)
    sources = parser(options.input_path, options.midi_path, options.ext, options.include, options.exclude)
    if not sources:
        raise InputError(f"--input_path {options.input_path}: no audio files found (extensions "
                         f"{', '.join(options.ext)}, parser {options.parser}); check the folder, --ext, "
                         f"--include/--exclude and --midi_path")
    encoder = None
    if options.emb_model_path is not None:
        from after.data.latents import LatentEncoder

        encoder = LatentEncoder(options.emb_model_path, options.gpu, options.batch_size)
        if encoder.sample_rate is not None and encoder.sample_rate != options.sample_rate:
            raise InputError(f"{options.emb_model_path}: codec runs at {encoder.sample_rate} Hz but "
                             f"--sample_rate is {options.sample_rate}; pass --sample_rate {encoder.sample_rate}")
        if options.num_signal % encoder.ratio:
            raise InputError(f"--num_signal {options.num_signal}: not a multiple of the codec ratio {encoder.ratio}")
    augmentation = options.waveform_augmentation if encoder is not None and options.num_augments > 0 else "none"
    has_midi = options.basic_pitch_midi or any(s.midi is not None for s in sources)
    summary = PrepareSummary(options.output_path, files_found=len(sources),
                             ignored_extensions=_ignored_extensions(options.input_path, options.ext))
    features = FrameFeatureSpec(check_descriptor_names(options.descriptors), options.beat_track,
                                codec_encode_lag_frames(encoder.path, encoder.ratio) if encoder is not None else 0)
    jobs = [FileJob(i, s, options.sample_rate, options.num_signal, options.normalize, options.cut_silences,
                    options.basic_pitch_midi, augmentation, options.num_augments, options.seed, features,
                    encoder.ratio if encoder is not None else 0)
            for i, s in enumerate(sources)]
    with atomic_path(options.output_path, is_dir=True) as tmp:
        writer = DatabaseWriter(tmp)
        sink = _RecordSink(writer, encoder, options, options.input_path.resolve().name)
        try:
            for result in tqdm(_results(jobs, options.num_multiprocesses), total=len(jobs), unit="file",
                               desc="prepare_dataset", file=sys.stderr, dynamic_ncols=True):
                if result.error is not None:
                    summary.skipped.append((str(result.source.audio), result.error))
                    continue
                summary.files_read += 1
                summary.seconds_read += result.seconds
                summary.chunks_dropped += result.dropped
                summary.chunks_written += len(result.chunks)
                if not result.chunks:
                    summary.skipped.append((str(result.source.audio), "no chunk kept (silent, or no MIDI notes)"))
                sink.add(result)
            sink.flush()
            if sink.count == 0:
                raise InputError(f"--input_path {options.input_path}: no chunk to store ({len(summary.skipped)} "
                                 f"files skipped: {'; '.join(f'{Path(p).name}: {r}' for p, r in summary.skipped[:3])})")
            summary.seconds_written = sink.count * options.num_signal / options.sample_rate
            summary.elapsed = time.monotonic() - started
            latents = None
            if encoder is not None:
                augment_keys = [f"augment_{augmentation}_{j}" for j in range(options.num_augments)] \
                    if augmentation != "none" else []
                latents = {"state": "valid", "shape": [encoder.latent_size, options.num_signal // encoder.ratio],
                           "augment_keys": augment_keys, **encoder.describe()}
            writer.write_info({
                "format": "after-dataset", "sample_rate": options.sample_rate, "num_signal": options.num_signal,
                "n_records": sink.count, "has_waveform": options.save_waveform, "has_midi": has_midi,
                "latents": latents, "labels": sorted(sink.labels),
                "frame_features": features.describe(encoder.ratio) if encoder is not None else None,
                "input_path": str(options.input_path.resolve()),
                "augmentation": {"mode": augmentation,
                                 "num_augments": options.num_augments if augmentation != "none" else 0,
                                 "seed": options.seed},
                "summary": summary.as_dict()})
        finally:
            writer.close()
    return summary

