"""`after eval`: score an nn~ export (codec, audio→audio or MIDI→audio AFTER) on a folder of labelled audio
(+ MIDI beside it) with judges that are not the model.

* codec (`kind: "codec"`, export.ts or export_stream.ts; the streaming latency is compensated): each clip is
  reconstructed through `forward` and scored with MR-STFT distance, spectral convergence, SI-SDR, loudness
  error, and basic-pitch note F1 against the clip's MIDI (or the clip's own transcription when it has none);
  the instrument judge classifies the reconstruction.
* AFTER (`kind: "audio"` / `"midi"`): source/target pairs of clips with DIFFERENT labels (label = parent
  folder name); structure = the source's audio (or its .mid for MIDI models), timbre = the target's audio; the
  export is driven buffer by buffer as nn~ does (`after.diffusion.transfer.ExportTransfer`). Judged: note F1
  of the output against the source's MIDI, and whether the instrument judge hears the target's instrument.

The judges report their own ceilings on the real clips: note F1 of the inputs against their MIDI, and the
instrument classifier's accuracy on them (fitted on `reference_dir`, or leave-one-out on the data).
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch
from tqdm import tqdm

from after.data.midi import Note, read_midi
from after.errors import InputError, ModelContractError
from after.evaluation.judges import InstrumentClassifier, Transcriber, leave_one_out_predictions, timbre_features
from after.evaluation.report import eval_markdown, piano_roll_image, spectrogram_png, write_png
from after.io import atomic_path, load_audio, write_audio, write_json_atomic, write_text_atomic

AUDIO_SUFFIXES = (".wav", ".flac", ".aiff", ".aif")
MIDI_SUFFIXES = (".mid", ".midi")
SILENT_RMS = 1e-4  # an output this quiet is "(silent)" for the instrument judge
SILENT = "(silent)"
CODEC_BLOCK = 16384  # samples per call when a streaming codec is driven block by block


@dataclass(frozen=True)
class EvalSettings:
    """How to run and judge. `pairs`: source/target pairs for AFTER exports (None: one per labelled clip);
    `min_velocity`: basic-pitch notes quieter than this (0–127) are dropped from every transcription;
    `sample_rate`: only for codecs without our metadata (e.g. a RAVE export); `monophonic_only`: skip clips
    whose MIDI has overlapping notes."""

    steps: int = 10
    guidance_timbre: float = 1.0
    guidance_structure: float = 1.0
    pairs: Optional[int] = None
    seed: int = 0
    min_velocity: int = 30
    sample_rate: Optional[int] = None
    monophonic_only: bool = False
    progress: bool = True


@dataclass
class EvalReport:
    """`summary`: means over items (keys in `report.SUMMARY_NOTES`); `items`: one dict per clip or pair;
    `paths`: eval.json, eval.md and the item folder."""

    kind: str
    summary: Dict[str, float]
    items: List[Dict[str, Any]]
    paths: Dict[str, Path]
    judges: Dict[str, Any] = field(default_factory=dict)
    timings: Dict[str, float] = field(default_factory=dict)
    markdown: str = ""


@dataclass(frozen=True)
class Clip:
    """An input clip: audio path, label (parent folder name, None at the data root), MIDI beside it."""

    path: Path
    label: Optional[str]
    midi: Optional[Path]
    rel: str


# ============================================================== inputs
def find_clips(root: Path) -> List[Clip]:
    """Every audio file under `root` (recursively, sorted), with its label and its MIDI (same stem)."""
    if not root.exists():
        raise InputError(f"{root}: folder not found; give a folder of audio clips (e.g. a GM benchmark's heldout/)")
    if not root.is_dir():
        raise InputError(f"{root}: not a folder; give a folder of audio clips")
    clips = []
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()
                       and not p.name.startswith(".")):
        midi = next((path.with_suffix(s) for s in MIDI_SUFFIXES if path.with_suffix(s).exists()), None)
        label = path.parent.name if path.parent != root else None
        clips.append(Clip(path, label, midi, path.relative_to(root).as_posix()))
    if not clips:
        raise InputError(f"{root}: no audio files ({', '.join(AUDIO_SUFFIXES)}) found; give a folder of clips, "
                         f"e.g. one rendered with `after eval --render-benchmark DIR`")
    return clips


def is_polyphonic(notes: Sequence[Note], tolerance: float = 0.01) -> bool:
    """True when two notes sound together for more than `tolerance` seconds."""
    ordered = sorted(notes, key=lambda n: n.start)
    latest_end = -math.inf
    for note in ordered:
        if note.start < latest_end - tolerance:
            return True
        latest_end = max(latest_end, note.end)
    return False


@dataclass(frozen=True)
class ModelKind:
    kind: str
    sample_rate: int
    metadata: Dict[str, Any]


def read_kind(model_path: Path, settings: EvalSettings) -> ModelKind:
    """The export kind from the `.ts` metadata; a foreign codec (encode/decode, no metadata) is accepted with
    `settings.sample_rate`."""
    from after.nn_tilde.host import read_model_info

    info = read_model_info(model_path)
    metadata = info.metadata
    kind = metadata.get("kind")
    if kind in ("audio", "midi", "codec"):
        return ModelKind(kind, int(settings.sample_rate or metadata["sample_rate"]), metadata)
    if kind is None and {"encode", "decode"} <= set(info.methods):
        if not settings.sample_rate:
            raise InputError(f"{model_path}: codec without after metadata (its sample rate is unknown); give "
                             f"--sample_rate")
        return ModelKind("codec", int(settings.sample_rate), metadata)
    raise ModelContractError(f"{model_path}: not an export `after eval` can judge (metadata kind {kind!r}, methods "
                             f"{sorted(info.methods)}); give export.ts / export_stream.ts from `after "
                             f"export_autoencoder` or an after.audio.*.ts / after.midi.*.ts from `after export`")


# ============================================================== judges
class Judges:
    """The instrument classifier (optional: needs ≥ 2 labels in the reference) and the transcriber, with
    per-run caches of features, audio and transcriptions of the input files."""

    def __init__(self, sample_rate: int, min_velocity: int) -> None:
        self.sample_rate = sample_rate
        self.transcriber = Transcriber(min_velocity)
        self.classifier: Optional[InstrumentClassifier] = None
        self.info: Dict[str, Any] = {"min_velocity": min_velocity}
        self._audio: Dict[str, np.ndarray] = {}
        self._features: Dict[str, np.ndarray] = {}
        self._midi: Dict[str, List[Note]] = {}

    def audio(self, path: Path) -> np.ndarray:
        key = str(path)
        if key not in self._audio:
            self._audio[key] = load_audio(path, self.sample_rate)[0]
        return self._audio[key]

    def features(self, path: Path) -> np.ndarray:
        key = str(path)
        if key not in self._features:
            self._features[key] = timbre_features(self.audio(path), self.sample_rate)
        return self._features[key]

    def midi_notes(self, path: Path) -> List[Note]:
        key = str(path)
        if key not in self._midi:
            self._midi[key] = read_midi(path)
        return self._midi[key]

    def input_notes(self, clip: Clip) -> List[Note]:
        """Transcription of an input clip (cached for the run)."""
        return self.transcriber.notes(self.audio(clip.path), self.sample_rate, key=clip.path)

    def reference_notes(self, clip: Clip) -> List[Note]:
        """What the output should play: the clip's MIDI, else its own transcription."""
        return self.midi_notes(clip.midi) if clip.midi else self.input_notes(clip)

    def predict(self, audio: np.ndarray) -> Optional[str]:
        if self.classifier is None:
            return None
        if float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) < SILENT_RMS:
            return SILENT
        return self.classifier.predict(audio)

    def fit(self, data_clips: Sequence[Clip], reference: Optional[List[Clip]], reference_dir: Optional[Path],
            progress: bool) -> None:
        """Fit the instrument classifier on `reference` (None: on the data, scored leave-one-out) and record
        its accuracy on the labelled data clips (the judge's ceiling)."""
        labelled_data = [c for c in data_clips if c.label]
        fit_clips = [c for c in (reference if reference is not None else data_clips) if c.label]
        fit_labels = [c.label for c in fit_clips if c.label]  # every fit clip has one (filtered above)
        labels = sorted(set(fit_labels))
        if len(labels) < 2:
            self.info["instrument_judge"] = "none: fewer than 2 labels (parent folder names) in the reference clips"
            return
        feats = np.stack([self.features(c.path) for c in tqdm(fit_clips, desc="instrument judge: features",
                                                               disable=not progress, leave=False)])
        self.classifier = InstrumentClassifier.fit(feats, fit_labels, self.sample_rate)
        if reference is None:
            predictions = leave_one_out_predictions(feats, fit_labels)
            scored = fit_clips
            how = "leave-one-out on the data clips"
        else:
            scored = [c for c in labelled_data if c.label in labels]
            data_feats = [self.features(c.path) for c in tqdm(scored, desc="instrument judge: ceiling",
                                                              disable=not progress, leave=False)]
            predictions = self.classifier.predict_features(np.stack(data_feats)) if scored else []
            how = f"fitted on {len(fit_clips)} clips of {reference_dir}, scored on the data clips"
        accuracy = float(np.mean([p == c.label for p, c in zip(predictions, scored)])) if scored else float("nan")
        self.info.update({"instrument_judge": f"logistic regression on MFCC/spectral statistics, {how}",
                          "judge_accuracy": accuracy, "judge_labels": labels, "judge_reference_clips": len(fit_clips)})


def default_reference(data_dir: Path) -> Optional[Path]:
    """The data folder's sibling `train/` when there is one (the GM benchmark's layout), else None
    (leave-one-out on the data)."""
    sibling = data_dir.resolve().parent / "train"
    return sibling if sibling.is_dir() and sibling != data_dir.resolve() else None


# ============================================================== models
class CodecRunner:
    """A codec export: `reconstruct(audio)` = forward (or decode ∘ encode) with the streaming latency removed."""

    def __init__(self, model_path: Path, metadata: Dict[str, Any]) -> None:
        from after.nn_tilde.host import load_ts, read_model_info

        self.model = load_ts(model_path)
        info = read_model_info(model_path, self.model)
        self.ratio = int(info.methods["encode"].out_ratio) if "encode" in info.methods else int(metadata["ratio"])
        by_method = metadata.get("latency_by_method") or {}
        self.latency = int(by_method.get("forward", metadata.get("latency_samples", 0)))
        self.streaming = hasattr(self.model, "reset_state")
        self.has_forward = "forward" in info.methods

    def _call(self, x: torch.Tensor) -> torch.Tensor:
        return self.model.forward(x) if self.has_forward else self.model.decode(self.model.encode(x))

    @torch.inference_mode()
    def reconstruct(self, audio: np.ndarray) -> np.ndarray:
        """Mono audio [N] → its reconstruction [N], aligned with the input."""
        n = len(audio)
        block = max(CODEC_BLOCK, self.ratio) if self.streaming else self.ratio
        total = n + self.latency
        padded = np.zeros(total + (-total) % block, dtype=np.float32)
        padded[:n] = audio
        x = torch.from_numpy(padded)[None, None]
        if self.streaming:
            self.model.reset_state()
            y = torch.cat([self._call(x[..., s:s + block]) for s in range(0, x.shape[-1], block)], dim=-1)
        else:
            y = self._call(x)
        return y[0, 0, self.latency:self.latency + n].numpy().astype(np.float32)


class TransferRunner:
    """An AFTER export driven as nn~ does, with its latency removed from the output."""

    def __init__(self, model_path: Path, settings: EvalSettings) -> None:
        from after.diffusion.transfer import ExportTransfer, TransferSettings
        from after.export.streaming import model_latency_samples

        self.export = ExportTransfer(model_path)
        meta = self.export.info.metadata
        self.latency = int(meta.get("latency_samples", 0)) + model_latency_samples(
            self.export.buffer, int(meta["ratio"]), int(meta["chunk_frames"]))
        self.settings = TransferSettings(steps=settings.steps, guidance_timbre=settings.guidance_timbre,
                                         guidance_structure=settings.guidance_structure, seed=settings.seed,
                                         progress=False)

    def transfer(self, structure: Path, timbre: Path) -> np.ndarray:
        """Output audio [N] (N = the structure's length; for MIDI, its last note-off + 1 s)."""
        host_input = self.export.inputs(structure, timbre)
        n = host_input.shape[-1]
        host_input = np.pad(host_input, ((0, 0), (0, self.latency)))
        if self.export.kind == "audio":  # the timbre channel keeps playing through the flush
            host_input[1, n:] = np.resize(host_input[1, :n], self.latency)
        out = self.export.generate(host_input, self.settings)
        return out[self.latency:self.latency + n].astype(np.float32)


# ============================================================== scoring
def _mean(values: Sequence[Optional[float]]) -> float:
    kept = [float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return float(np.mean(kept)) if kept else float("nan")


def _rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if len(audio) else 0.0


def _item_id(index: int, clip: Clip) -> str:
    stem = clip.rel.rsplit(".", 1)[0].replace("/", "__")
    return f"{index:03d}_{stem}"


def _input_ceiling(judges: Judges, clip: Clip) -> Optional[float]:
    from after.evaluation.metrics import note_f1

    return note_f1(judges.midi_notes(clip.midi), judges.input_notes(clip)) if clip.midi else None


def _judge(judges: Judges, clip: Clip, output: np.ndarray, sr: int, timings: Dict[str, float]
           ) -> tuple[List[Note], List[Note], Optional[float], Optional[str]]:
    """What the judges make of `output` (made from `clip`): the clip's reference notes, the output's
    transcribed notes, the inputs' own F1 (ceiling) and the predicted instrument; their time goes to `timings`."""
    began = time.perf_counter()
    reference = judges.reference_notes(clip)
    estimate = judges.transcriber.notes(output, sr)
    ceiling = _input_ceiling(judges, clip)
    timings["transcription"] += time.perf_counter() - began
    began = time.perf_counter()
    predicted = judges.predict(output)
    timings["instrument_judge"] += time.perf_counter() - began
    return reference, estimate, ceiling, predicted


def evaluate_codec(model_path: Path, kind: ModelKind, clips: Sequence[Clip], judges: Judges, items_dir: Path,
                   settings: EvalSettings, timings: Dict[str, float]) -> List[Dict[str, Any]]:
    from after.evaluation.metrics import loudness_error_db, mrstft_distance, note_f1, si_sdr, spectral_convergence

    runner = CodecRunner(model_path, kind.metadata)
    sr = kind.sample_rate
    items = []
    for index, clip in enumerate(tqdm(clips, desc="codec reconstructions", unit="clip", disable=not settings.progress)):
        audio = judges.audio(clip.path)
        began = time.perf_counter()
        output = runner.reconstruct(audio)
        timings["model"] += time.perf_counter() - began
        reference, estimate, ceiling, predicted = _judge(judges, clip, output, sr, timings)
        item_id = _item_id(index, clip)
        item = {"id": item_id, "clip": clip.rel, "label": clip.label,
                "polyphonic": is_polyphonic(judges.midi_notes(clip.midi)) if clip.midi else None,
                "reference_notes": "midi" if clip.midi else "transcription",
                "note_f1": note_f1(reference, estimate), "note_f1_input": ceiling,
                "mrstft": mrstft_distance(audio, output), "spectral_convergence": spectral_convergence(audio, output),
                "si_sdr": si_sdr(audio, output), "loudness_error_db": loudness_error_db(audio, output, sr),
                "output_rms": _rms(output), "predicted": predicted,
                "instrument_hit": (predicted == clip.label) if predicted is not None and clip.label else None,
                "n_notes_reference": len(reference), "n_notes_output": len(estimate),
                "output": f"items/{item_id}.wav", "png": f"items/{item_id}.png"}
        began = time.perf_counter()
        write_audio(items_dir / f"{item_id}.wav", output, sr)
        write_png(items_dir / f"{item_id}.png", spectrogram_png(
            [(f"input {clip.rel}", audio, "audio"),
             (f"reconstruction  note F1 {item['note_f1']:.2f}  MR-STFT {item['mrstft']:.2f}  "
              f"judge: {predicted or '-'}", output, "audio")], sr))
        timings["writing"] += time.perf_counter() - began
        items.append(item)
    return items


def make_pairs(clips: Sequence[Clip], n_pairs: Optional[int], seed: int, need_midi: bool) -> List[tuple[Clip, Clip]]:
    """Source/target pairs with different labels: each labelled source in a shuffled order (cycled when
    `n_pairs` exceeds them), its target drawn among the other labels' clips, deterministic for `seed`."""
    labelled = [c for c in clips if c.label]
    sources = [c for c in labelled if c.midi or not need_midi]
    if len({c.label for c in labelled}) < 2 or not sources:
        what = "clips with a .mid beside them" if need_midi else "labelled clips"
        raise InputError(f"transfer pairs need {what} of at least 2 instruments (label = parent folder name, e.g. "
                         f"DIR/violin/a.wav); found labels {sorted({str(c.label) for c in labelled})}")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(sources))
    pairs = []
    for i in range(n_pairs if n_pairs is not None else len(sources)):
        source = sources[order[i % len(sources)]]
        others = [c for c in labelled if c.label != source.label]
        pairs.append((source, others[int(rng.integers(len(others)))]))
    return pairs


def evaluate_transfer(model_path: Path, kind: ModelKind, clips: Sequence[Clip], judges: Judges, items_dir: Path,
                      settings: EvalSettings, timings: Dict[str, float]) -> List[Dict[str, Any]]:
    from after.evaluation.metrics import note_f1

    midi = kind.kind == "midi"
    pairs = make_pairs(clips, settings.pairs, settings.seed, need_midi=midi)
    began = time.perf_counter()
    runner = TransferRunner(model_path, settings)
    timings["model"] += time.perf_counter() - began
    sr = kind.sample_rate
    items = []
    for index, (source, target) in enumerate(tqdm(pairs, desc=f"{kind.kind} transfers", unit="pair",
                                                  disable=not settings.progress)):
        structure = source.midi if midi else source.path
        began = time.perf_counter()
        output = runner.transfer(structure, target.path)
        timings["model"] += time.perf_counter() - began
        reference, estimate, ceiling, predicted = _judge(judges, source, output, sr, timings)
        item_id = f"{index:03d}_{source.label}-{Path(source.rel).stem}_to_{target.label}"
        item = {"id": item_id, "source": source.rel, "target": target.rel, "source_label": source.label,
                "target_label": target.label, "structure": "midi" if midi else "audio",
                "polyphonic": is_polyphonic(judges.midi_notes(source.midi)) if source.midi else None,
                "reference_notes": "midi" if source.midi else "transcription",
                "note_f1": note_f1(reference, estimate), "note_f1_input": ceiling, "predicted": predicted,
                "target_hit": (predicted == target.label) if predicted is not None else None,
                "source_hit": (predicted == source.label) if predicted is not None else None,
                "output_rms": _rms(output), "n_notes_reference": len(reference), "n_notes_output": len(estimate),
                "output": f"items/{item_id}.wav", "png": f"items/{item_id}.png"}
        began = time.perf_counter()
        write_audio(items_dir / f"{item_id}.wav", output, sr)
        first = ((f"structure (MIDI) {source.midi.name}", piano_roll_image(reference, len(output) / sr, sr), "roll")
                 if midi else (f"structure {source.rel}", judges.audio(source.path), "audio"))
        write_png(items_dir / f"{item_id}.png", spectrogram_png(
            [first, (f"timbre target {target.rel}", judges.audio(target.path), "audio"),
             (f"output  note F1 {item['note_f1']:.2f}  judge: {predicted or '-'} (target {target.label})",
              output, "audio")], sr))
        timings["writing"] += time.perf_counter() - began
        items.append(item)
    return items


def summarise(kind: str, items: Sequence[Dict[str, Any]], judges: Judges) -> Dict[str, float]:
    summary = {"note_f1": _mean([i["note_f1"] for i in items]),
               "note_f1_input": _mean([i["note_f1_input"] for i in items])}
    flags = {i["polyphonic"] for i in items if i["polyphonic"] is not None}
    if flags == {True, False}:
        summary["note_f1_monophonic"] = _mean([i["note_f1"] for i in items if i["polyphonic"] is False])
        summary["note_f1_polyphonic"] = _mean([i["note_f1"] for i in items if i["polyphonic"] is True])
    if kind == "codec":
        summary["instrument_accuracy"] = _mean([i["instrument_hit"] for i in items])
    else:
        summary["target_accuracy"] = _mean([i["target_hit"] for i in items])
        summary["source_accuracy"] = _mean([i["source_hit"] for i in items])
    summary["judge_accuracy"] = float(judges.info.get("judge_accuracy", float("nan")))
    if kind == "codec":
        for key in ("mrstft", "spectral_convergence", "si_sdr", "loudness_error_db"):
            summary[key] = _mean([i[key] for i in items])
    summary["output_rms"] = _mean([i["output_rms"] for i in items])
    return summary


CODEC_COLUMNS = [("clip", "clip"), ("note_f1", "note F1"), ("note_f1_input", "input F1"), ("mrstft", "MR-STFT"),
                 ("spectral_convergence", "SC"), ("si_sdr", "SI-SDR dB"), ("loudness_error_db", "loud. err dB"),
                 ("predicted", "judge"), ("instrument_hit", "right instrument")]
TRANSFER_COLUMNS = [("source", "structure"), ("target_label", "target"), ("note_f1", "note F1"),
                    ("note_f1_input", "input F1"), ("predicted", "judge"), ("target_hit", "target heard"),
                    ("output_rms", "RMS")]


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return value.item()
    return value


def default_out_dir(model_path: Path) -> Path:
    return model_path.parent / f"{model_path.stem}_eval"


def evaluate(model_path: str | Path, data_dir: str | Path, out_dir: Optional[str | Path] = None,
             reference_dir: Optional[str | Path] = None, settings: EvalSettings = EvalSettings()) -> EvalReport:
    """Score `model_path` on the clips of `data_dir` and write eval.json, eval.md and items/*.png|wav into
    `out_dir` (default `<model stem>_eval/` beside the model; replaced atomically when it holds an earlier
    evaluation, refused when it holds anything else)."""
    began_all = time.perf_counter()
    model_path, data_dir = Path(model_path), Path(data_dir)
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(model_path)
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / "eval.json").exists())):
        raise InputError(f"{out_dir}: exists and is not an earlier `after eval` output; give a new folder with --out")
    kind = read_kind(model_path, settings)
    clips = find_clips(data_dir)
    judges = Judges(kind.sample_rate, settings.min_velocity)
    if settings.monophonic_only:
        clips = [c for c in clips if not (c.midi and is_polyphonic(judges.midi_notes(c.midi)))]
        if not clips:
            raise InputError(f"{data_dir}: every clip is polyphonic; drop --monophonic")
    reference_dir = Path(reference_dir) if reference_dir is not None else default_reference(data_dir)
    if reference_dir is not None and reference_dir.resolve() == data_dir.resolve():
        reference_dir = None  # fitting and scoring on the same clips would flatter the judge
    reference = find_clips(reference_dir) if reference_dir is not None else None

    timings = {"instrument_judge": 0.0, "model": 0.0, "transcription": 0.0, "writing": 0.0}
    began = time.perf_counter()
    judges.fit(clips, reference, reference_dir, settings.progress)
    timings["instrument_judge_fit"] = time.perf_counter() - began
    if kind.kind != "codec" and judges.classifier is None:
        raise InputError(f"{reference_dir or data_dir}: the instrument judge needs clips of at least 2 instruments "
                         f"in labelled folders (DIR/<instrument>/<clip>.wav); give --reference")

    with atomic_path(out_dir, is_dir=True) as tmp:
        items_dir = tmp / "items"
        items_dir.mkdir()
        run = evaluate_codec if kind.kind == "codec" else evaluate_transfer
        items = run(model_path, kind, clips, judges, items_dir, settings, timings)
        summary = summarise(kind.kind, items, judges)
        timings["total"] = time.perf_counter() - began_all
        settings_dict = {**asdict(settings), "model": str(model_path), "data": str(data_dir),
                         "reference": str(reference_dir) if reference_dir else "leave-one-out on the data",
                         "sample_rate": kind.sample_rate}
        settings_dict.pop("progress")
        if kind.kind == "codec":
            for key in ("steps", "guidance_timbre", "guidance_structure", "pairs"):
                settings_dict.pop(key)
        judges_info = {**judges.info, "note_judge": "basic-pitch transcription of the output vs the reference notes "
                                                    "(the source's MIDI, else its transcription); mir_eval onset "
                                                    "F1, ±50 ms, pitch ±50 cents"}
        columns = CODEC_COLUMNS if kind.kind == "codec" else TRANSFER_COLUMNS
        title = f"after eval: {model_path.name} ({kind.kind}) on {data_dir}"
        markdown = eval_markdown(title, {k: settings_dict[k] for k in settings_dict if k not in ("model", "data")},
                                 summary, items, columns, {k: v for k, v in judges_info.items() if k != "judge_labels"})
        write_json_atomic(tmp / "eval.json", _json_safe({
            "kind": kind.kind, "model": str(model_path), "data": str(data_dir), "settings": settings_dict,
            "summary": summary, "judges": judges_info, "timings_s": {k: round(v, 3) for k, v in timings.items()},
            "items": items}))
        write_text_atomic(tmp / "eval.md", markdown)
    paths = {"json": out_dir / "eval.json", "markdown": out_dir / "eval.md", "items": out_dir / "items"}
    return EvalReport(kind.kind, summary, items, paths, judges_info, timings, markdown)
