"""Offline transfer (what `after transfer` calls): structure from one file (audio, or MIDI for MIDI models),
timbre from another, any length.

Two sources of a model: a run folder (`load_run` + its codec, whole-sequence Euler sampling with the
training mask) or an exported `after.audio.*.ts` / `after.midi.*.ts` (driven through its nn~ methods
buffer by buffer, exactly as the host does).
"""

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import torch
from tqdm import tqdm

from after.data.descriptors import codec_encode_lag_frames, compute_descriptors
from after.data.midi import Note, piano_roll, read_midi
from after.diffusion.pins import piano_roll_pins, pin_pitch
from after.diffusion.runs import LoadedRun, load_run
from after.diffusion.sampling import guided_velocity, initial_noise
from after.errors import InputError, ModelContractError
from after.io import load_audio, write_audio
from after.nn_tilde.codec_ts import CodecHandle, load_codec

MIDI_SUFFIXES = (".mid", ".midi")
MIDI_TAIL_S = 1.0  # audio rendered after the last note-off of a MIDI structure


@dataclass(frozen=True)
class TransferSettings:
    """Sampler settings: Euler steps, the two guidance knobs and the noise seed."""

    steps: int = 10
    guidance_timbre: float = 1.0
    guidance_structure: float = 1.0
    seed: int = 0
    progress: bool = True


@dataclass(frozen=True)
class TransferResult:
    """The written file, its length and sample rate."""

    path: Path
    n_samples: int
    sample_rate: int


def is_midi_file(path: Path) -> bool:
    return path.suffix.lower() in MIDI_SUFFIXES


def midi_notes_end(notes: list[Note], path: Path) -> float:
    if not notes:
        raise InputError(f"{path}: MIDI file has no notes; give a file with at least one pitched note")
    return max(n.end for n in notes)


# ============================================================== from a run folder
class RunTransfer:
    """A trained run plus its codec, ready to transfer."""

    def __init__(self, run: LoadedRun, codec: CodecHandle) -> None:
        self.run = run
        self.codec = codec
        self.sample_rate = int(run.codec["sample_rate"])
        self.frame_rate = self.sample_rate / codec.ratio
        self.source_pitch = torch.zeros(1, 0)  # raw pitch channel of the last audio structure (pitch pinning)

    @classmethod
    def open(cls, run_dir: Path, codec_path: Optional[Path] = None, step: Optional[int] = None) -> "RunTransfer":
        run = load_run(run_dir, step)
        codec = load_codec(codec_path or run.codec["path"])
        if codec.latent_size != int(run.codec["latent_size"]) or codec.ratio != int(run.codec["ratio"]):
            raise InputError(f"{codec.path}: codec has {codec.latent_size} latents and ratio {codec.ratio}, the run "
                             f"was trained with {run.codec['latent_size']} and {run.codec['ratio']}; give the "
                             f"codec of the run with --emb_model_path")
        return cls(run, codec)

    def load_frames(self, path: Path) -> torch.Tensor:
        """An audio file at the run's sample rate, zero-padded to whole latent frames: [1, 1, N]."""
        audio = torch.from_numpy(load_audio(path, self.sample_rate))[None]
        return torch.nn.functional.pad(audio, (0, (-audio.shape[-1]) % self.codec.ratio))

    def encode_audio(self, path: Path) -> torch.Tensor:
        """Standardised codec latents [1, C, T] of an audio file (padded to whole frames): what the networks
        take."""
        return self.run.latent_norm.normalize(self.codec.encode(self.load_frames(path)))

    def structure_input(self, audio: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """What the structure encoder reads for audio [1, 1, N] and its standardised latents z [1, C, T]: z,
        followed by the audio's standardised `model.structure_features` descriptors, computed by the code that
        computed the training set's (`after.data.descriptors.compute_descriptors`), delayed as much as the
        codec's encoder delays the latents."""
        names = self.run.config.model.structure_features
        if not names or self.run.feature_norm is None:
            return z
        values = compute_descriptors(audio[0, 0].numpy(), self.sample_rate, self.codec.ratio, names,
                                     codec_encode_lag_frames(self.codec.path, self.codec.ratio))
        raw = torch.from_numpy(np.stack([values[name] for name in names]))[None]
        return torch.cat([z, self.run.feature_norm.normalize(raw)[..., :z.shape[-1]]], dim=1)

    @torch.no_grad()
    def timbre(self, path: Path) -> torch.Tensor:
        """Timbre vector [1, zt]: mean of the encoder over consecutive training-length windows of the file."""
        z = self.encode_audio(path)
        window = self.run.config.train.n_signal
        starts = range(0, max(z.shape[-1] - window, 0) + 1, window)
        vectors = [self.run.networks.timbre_encoder(z[..., s: s + window]) for s in starts]
        return torch.stack(vectors).mean(dim=0)

    @torch.no_grad()
    def structure(self, path: Path) -> torch.Tensor:
        """Structure condition [1, zs, T]: structure-encoder output of audio, or the piano roll of a MIDI
        file (MIDI models; audio is transcribed with basic-pitch)."""
        midi_model = self.run.config.model.midi
        if is_midi_file(path):
            if not midi_model:
                raise InputError(f"{path}: this run is an audio→audio model; give --structure as audio, or use a "
                                 f"model trained with --config midi")
            notes = read_midi(path)
        elif midi_model:
            from after.data.transcribe import transcribe

            audio = load_audio(path, self.sample_rate)[0]
            notes = transcribe(audio, self.sample_rate)
            if not notes:
                raise InputError(f"{path}: basic-pitch found no notes to play; give a MIDI file or pitched audio")
        else:
            encoder = self.run.networks.structure_encoder
            if encoder is None:  # `build_networks` gives every audio→audio model one
                raise InputError(f"{self.run.run_dir}: the run has no structure encoder; check its config.yaml")
            audio = self.load_frames(path)
            z = self.run.latent_norm.normalize(self.codec.encode(audio))
            self.source_pitch = self.run.latent_norm.denormalize(z)[:, 0]
            return encoder(self.structure_input(audio, z))
        n_frames = math.ceil((midi_notes_end(notes, path) + MIDI_TAIL_S) * self.frame_rate)
        return torch.from_numpy(piano_roll(notes, n_frames, self.frame_rate))[None]

    @torch.no_grad()
    def generate(self, structure: torch.Tensor, timbre: torch.Tensor, settings: TransferSettings) -> np.ndarray:
        """Euler sampling over the whole sequence (one progress tick per step), then decoding (back to the
        codec's latent scale first): audio [N]."""
        denoiser = self.run.networks.denoiser
        x = initial_noise((1, self.codec.latent_size, structure.shape[-1]), seed=settings.seed)
        for step in tqdm(range(settings.steps), desc="diffusion steps", disable=not settings.progress,
                         leave=False):
            t = torch.full((1,), step / settings.steps)
            x = x + guided_velocity(denoiser, x, t, timbre, structure, settings.guidance_timbre,
                                    settings.guidance_structure, self.run.config.model.midi) / settings.steps
        latents = self.run.latent_norm.denormalize(x)
        if self.run.config.model.pitch_pin:
            latents = pin_pitch(latents, *self.pins(structure))
        return self.codec.decode(latents)[0, 0].numpy()

    def pins(self, structure: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Pitch pins (`after.diffusion.pins`) of a structure from `structure()`: MIDI models read the piano
        roll; audio models the source's raw pitch that `structure()` kept in `self.source_pitch`."""
        if self.run.config.model.midi:
            return piano_roll_pins(structure)
        value = self.source_pitch[:, :structure.shape[-1]]
        return value, torch.ones_like(value)


# ============================================================== from an nn~ export
class ExportTransfer:
    """An `after.audio.*.ts` / `after.midi.*.ts` export driven buffer by buffer through its `forward` method."""

    def __init__(self, path: Path) -> None:
        from after.nn_tilde.host import load_ts, read_model_info

        self.path = path
        self.model = load_ts(path)
        self.info = read_model_info(path, self.model)
        self.kind = self.info.metadata.get("kind")
        if self.kind not in ("audio", "midi") or "forward" not in self.info.methods:
            raise ModelContractError(f"{path}: not an AFTER export (metadata kind {self.kind!r}); give a run folder "
                                     f"or an after.audio.*.ts / after.midi.*.ts from `after export`")
        self.sample_rate = int(self.info.metadata["sample_rate"])
        self.buffer = int(self.info.metadata["ratio"]) * int(self.info.metadata["chunk_frames"])

    def configure(self, settings: TransferSettings) -> None:
        self.model.set_nb_steps(settings.steps)
        self.model.set_guidance_timbre(settings.guidance_timbre)
        self.model.set_guidance_structure(settings.guidance_structure)
        torch.manual_seed(settings.seed)
        self.model.reset_state()

    def voices(self, notes: list[Note], n_samples: int) -> np.ndarray:
        """MIDI notes → n_poly (pitch, velocity) signal pairs [2·n_poly, n_samples] (voice allocation in
        onset order; a note finding no free voice is dropped)."""
        n_poly = int(self.info.metadata["n_poly"])
        signals = np.zeros((2 * n_poly, n_samples), dtype=np.float32)
        busy_until = [0.0] * n_poly
        for note in sorted(notes, key=lambda n: n.start):
            free = [v for v in range(n_poly) if busy_until[v] <= note.start]
            if not free:
                continue
            voice = free[0]
            busy_until[voice] = note.end
            a, b = int(note.start * self.sample_rate), min(int(note.end * self.sample_rate), n_samples)
            signals[2 * voice, a:b] = note.pitch
            signals[2 * voice + 1, a:b] = note.velocity
        return signals

    def inputs(self, structure: Path, timbre: Path) -> np.ndarray:
        """The host input of `forward` [channels, N]: [structure audio, timbre audio] for audio models,
        [voices..., timbre audio] for MIDI models."""
        timbre_audio = load_audio(timbre, self.sample_rate)[0]
        if self.kind == "audio":
            if is_midi_file(structure):
                raise InputError(f"{structure}: {self.path.name} is an audio→audio model; give --structure as audio")
            structure_audio = load_audio(structure, self.sample_rate)[0]
            n = len(structure_audio)
            return np.stack([structure_audio, np.resize(timbre_audio, n)])
        if is_midi_file(structure):
            notes = read_midi(structure)
        else:
            from after.data.transcribe import transcribe

            notes = transcribe(load_audio(structure, self.sample_rate)[0], self.sample_rate)
        n = int((midi_notes_end(notes, structure) + MIDI_TAIL_S) * self.sample_rate)
        return np.concatenate([self.voices(notes, n), np.resize(timbre_audio, n)[None]])

    @torch.no_grad()
    def generate(self, host_input: np.ndarray, settings: TransferSettings) -> np.ndarray:
        """Run `forward` on consecutive buffers (zero-padded at the end): audio [N]."""
        from after.nn_tilde.host import emulate_host

        self.configure(settings)
        n = host_input.shape[-1]
        padded = np.pad(host_input, ((0, 0), (0, (-n) % self.buffer)))
        spec = self.info.methods["forward"]
        out = []
        for start in tqdm(range(0, padded.shape[-1], self.buffer), desc="buffers", disable=not settings.progress,
                          leave=False):
            x = torch.from_numpy(padded[None, :, start: start + self.buffer])
            out.append(emulate_host(self.model, "forward", x, spec.in_ratio, spec.out_ratio)[0, 0])
        return torch.cat(out)[:n].numpy()


def transfer(model: Path, structure: Path, timbre: Path, out: Path, settings: TransferSettings,
             codec_path: Optional[Path] = None, step: Optional[int] = None) -> TransferResult:
    """Generate `out` (WAV) with the structure of `structure` and the timbre of `timbre`; `codec_path` and
    `step` apply to run folders."""
    model, structure, timbre, out = Path(model), Path(structure), Path(timbre), Path(out)
    for path in (structure, timbre):
        if not path.exists():
            raise InputError(f"{path}: file not found")
    if model.is_dir():
        runner = RunTransfer.open(model, codec_path, step)
        audio = runner.generate(runner.structure(structure), runner.timbre(timbre), settings)
        sample_rate = runner.sample_rate
    else:
        exported = ExportTransfer(model)
        audio = exported.generate(exported.inputs(structure, timbre), settings)
        sample_rate = exported.sample_rate
    write_audio(out, audio, sample_rate)
    return TransferResult(out, int(audio.shape[-1]), sample_rate)
