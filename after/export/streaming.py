"""The streaming core shared by the audio and MIDI nn~ exports (scriptable).

One call of an nn~ method carries `n = buffer / ratio` latent frames. The `StreamingGenerator` works on
whole attention chunks of `chunk_frames` frames with a per-step attention cache, so a stream reproduces the
offline sampler under the training mask exactly, at every buffer size. With n a multiple of the chunk the
call's frames are generated in the call (no model latency); with n smaller than the chunk (e.g. buffer 2048
with ratio 2048 and chunk 4) frames are accumulated and the output runs `chunk_frames - n` frames late
(`model_latency_samples`, docs/EXPORT.md).

State (all reset together by `reset_state`, and automatically when the batch size or the buffer size
changes): the codec's streaming state, the generator's attention caches, the subclass's encoder state, the
frames waiting for a complete chunk, and a rolling window of the last `timbre_frames` latent frames of timbre
audio with its last encoded timbre (the timbre encoder sees at most that much). Nothing grows.
"""

from typing import List, Optional, Tuple

import torch
from torch import nn

from after.contract import ATTRIBUTES, MethodSpec
from after.nn_tilde import NNModule


# The networks are called through interfaces: TorchScript compiles each network's code once, apart, instead
# of inlining it into every method that uses it. What the first two calls of a freshly loaded model cost grows
# with the code compiled there (docs/EXPORT.md), and a musician waits for them after loading the model. The
# price: a network that not every call runs (the timbre encoder; the generator at buffers below a chunk) is
# optimised at its own second run, a few calls into the stream (measured in docs/EXPORT.md).
@torch.jit.interface
class CodecInterface(nn.Module):
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        pass

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        pass

    def reset_state(self) -> None:
        pass


@torch.jit.interface
class EncoderInterface(nn.Module):
    def forward(self, z: torch.Tensor) -> torch.Tensor:
        pass


@torch.jit.interface
class StreamingEncoderInterface(nn.Module):
    def forward(self, z: torch.Tensor) -> torch.Tensor:
        pass

    def reset_state(self) -> None:
        pass


@torch.jit.interface
class GeneratorInterface(nn.Module):
    def generate_chunk(self, noise: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor, nb_steps: int,
                       guidance_timbre: float, guidance_structure: float) -> torch.Tensor:
        pass

    def reset_state(self) -> None:
        pass


class CodecAdapter(nn.Module):
    """A streaming codec `.ts` (ours or a foreign one with `encode`, `decode`, `reset_state`) seen through
    `CodecInterface`, whatever its methods name their arguments."""

    def __init__(self, codec: torch.jit.ScriptModule) -> None:
        super().__init__()
        self.codec = codec

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.codec.encode(x)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.codec.decode(z)

    @torch.jit.export
    def reset_state(self) -> None:
        self.codec.reset_state()


def model_latency_samples(buffer: int, ratio: int, chunk_frames: int) -> int:
    """Delay the chunk accumulation adds at host buffer `buffer` (samples): 0 once a buffer holds whole chunks."""
    frames = max(buffer // ratio, 1)
    return ((chunk_frames - frames % chunk_frames) % chunk_frames) * ratio


class StreamingExport(NNModule):
    """Base of `AudioExport` / `MidiExport`: codec, timbre path, chunked generation, attributes, map."""

    codec: CodecInterface
    timbre_encoder: EncoderInterface
    generator: GeneratorInterface

    def __init__(self, codec: torch.jit.ScriptModule, timbre_encoder: nn.Module, generator: nn.Module,
                 timbre_map: nn.Module, ratio: int, latent_size: int, zt: int, chunk_frames: int,
                 timbre_frames: int = 128) -> None:
        super().__init__()
        self.codec = CodecAdapter(codec)
        self.timbre_encoder = timbre_encoder
        self.generator = generator
        self.timbre_map = timbre_map
        self.ratio = ratio
        self.latent_size = latent_size
        self.zt = zt
        self.chunk_frames = chunk_frames
        self.timbre_frames = timbre_frames
        self.max_steps = int(next(a for a in ATTRIBUTES if a.name == "nb_steps").maximum)
        self.max_guidance = float(next(a for a in ATTRIBUTES if a.name == "guidance_timbre").maximum)
        self.timbre_refresh_frames = max(1, timbre_frames // 8)
        self.timbre_history = torch.zeros(0, latent_size, 0)
        self.timbre_vector = torch.zeros(0, 0)
        self.frames_since_timbre = 0
        self.pending_structure = torch.zeros(0, 0, 0)
        self.pending_latents = torch.zeros(0, 0, 0)
        self.state_batch = 0
        self.state_frames = 0
        for spec in ATTRIBUTES:
            self.register_attribute(spec.name, int(spec.default) if spec.type == "int" else float(spec.default))

    def register_methods(self, specs: List[MethodSpec]) -> None:
        """Register the contract's methods; each is run on zeros at batch 1 and 4 (nn~'s own check)."""
        for spec in specs:
            self.register_method(spec.name, spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio,
                                 spec.input_labels, spec.output_labels,
                                 test_buffer_size=max(8192, spec.in_ratio, spec.out_ratio))

    # ---------------------------------------------------------------- state
    @torch.jit.export
    def reset_state(self) -> None:
        """Forget everything heard so far (codec, attention caches, encoder state, timbre window)."""
        self.codec.reset_state()
        self.generator.reset_state()
        self.reset_structure_state()
        self.timbre_history = torch.zeros(0, self.latent_size, 0)
        self.timbre_vector = torch.zeros(0, 0)
        self.frames_since_timbre = 0
        self.pending_structure = torch.zeros(0, 0, 0)
        self.pending_latents = torch.zeros(0, 0, 0)
        self.state_batch = 0
        self.state_frames = 0

    def reset_structure_state(self) -> None:
        """Subclasses with a stateful structure path clear it here."""

    def prepare(self, batch: int, frames: int) -> None:
        """Streams are per batch item and per buffer size: a new batch size (mc.nn~ re-configured) or buffer
        size (`frames` latent frames per call) starts fresh streams."""
        if batch != self.state_batch or frames != self.state_frames:
            self.reset_state()
            self.state_batch = batch
            self.state_frames = frames

    # ---------------------------------------------------------------- building blocks
    def push_timbre_latents(self, z: torch.Tensor) -> None:
        """Append latents z [B, C, n] of timbre audio to the rolling window of the last `timbre_frames`."""
        if self.timbre_history.shape[0] != z.shape[0]:
            self.timbre_history = z[:, :, :0]
        self.timbre_history = torch.cat([self.timbre_history, z], dim=-1)[:, :, -self.timbre_frames:]
        self.frames_since_timbre += z.shape[-1]

    def window_timbre(self, lookahead: int = 0) -> torch.Tensor:
        """Timbre [B, zt] of the rolling window, re-encoded once `timbre_refresh_frames` new frames have
        arrived (an eighth of the window: the window changes little in between), or will have arrived within
        `lookahead` more frames. Until the window is full it is tiled to `timbre_frames`, so the encoder
        always sees the same number of frames (constant cost, valid padding at stream start)."""
        if self.timbre_vector.shape[0] != self.timbre_history.shape[0] or \
                self.frames_since_timbre + lookahead >= self.timbre_refresh_frames:
            heard = self.timbre_history.shape[-1]
            repeats = (self.timbre_frames + heard - 1) // heard
            self.timbre_vector = self.timbre_encoder(
                self.timbre_history.repeat(1, 1, repeats)[:, :, -self.timbre_frames:])
            self.frames_since_timbre = 0
        return self.timbre_vector

    def generate_latents(self, structure: torch.Tensor, timbre: Optional[torch.Tensor]) -> torch.Tensor:
        """Diffuse one call's frames: structure [B, zs, n], timbre [B, zt] (None: the rolling window's timbre,
        encoded only when a chunk is generated) → codec latents [B, C, n].

        The generator works on whole attention chunks (`chunk_frames`). With n a multiple of the chunk, the
        call's frames are generated now (no delay). With n smaller than the chunk, structure frames wait until
        a chunk is complete and the output runs `chunk_frames - n` frames late (zero latents at stream start);
        a window timbre that falls due by the next chunk is then encoded in a waiting call, so the calls that
        generate carry no timbre encoding. Noise is drawn once per generation, in time order, so a seeded
        stream can be replayed offline."""
        batch = structure.shape[0]
        n = structure.shape[-1]
        if self.pending_structure.shape[0] != batch:
            delay = (self.chunk_frames - n % self.chunk_frames) % self.chunk_frames
            self.pending_structure = structure[:, :, :0]
            self.pending_latents = structure.new_zeros(batch, self.latent_size, delay)
        pending = torch.cat([self.pending_structure, structure], dim=-1)
        ready = pending.shape[-1] - pending.shape[-1] % self.chunk_frames
        if timbre is None:  # a waiting call encodes early when the next chunk will need a fresh timbre
            vector = self.window_timbre(0 if ready > 0 else self.chunk_frames - pending.shape[-1])
        else:
            vector = timbre
        if ready > 0:
            noise = torch.randn(batch, self.latent_size, ready)
            latents = self.generator.generate_chunk(noise, vector, pending[:, :, :ready], self.nb_steps,
                                                    self.guidance_timbre, self.guidance_structure)
            self.pending_latents = torch.cat([self.pending_latents, latents], dim=-1)
        self.pending_structure = pending[:, :, ready:]
        out = self.pending_latents[:, :, :n]
        self.pending_latents = self.pending_latents[:, :, n:]
        return out

    def hold(self, vector: torch.Tensor, n: int) -> torch.Tensor:
        """[B, D] → [B, D, n]: a per-buffer value held over the buffer's frames."""
        return vector[:, :, None].expand(-1, -1, n).contiguous()

    # ---------------------------------------------------------------- methods shared by both exports
    @torch.jit.export
    def timbre(self, audio: torch.Tensor) -> torch.Tensor:
        """audio [B, 1, N] → timbre [B, zt, N / ratio] (the window's timbre held over the buffer)."""
        self.prepare(audio.shape[0], audio.shape[-1] // self.ratio)
        z = self.codec.encode(audio)
        self.push_timbre_latents(z)
        return self.hold(self.window_timbre(), z.shape[-1])

    @torch.jit.export
    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        """codec latents [B, C, n] → audio [B, 1, n × ratio]."""
        self.prepare(latents.shape[0], latents.shape[-1])
        return self.codec.decode(latents)

    @torch.jit.export
    def latent2map(self, timbre: torch.Tensor) -> torch.Tensor:
        """timbre signals [B, zt, N] → map position [B, 2, N]."""
        return self.timbre_map.to_map(timbre)

    @torch.jit.export
    def map2latent(self, position: torch.Tensor) -> torch.Tensor:
        """map position [B, 2, N] → timbre signals [B, zt, N]."""
        return self.timbre_map.from_map(position)

    # ---------------------------------------------------------------- attributes (nn~ get/set)
    @torch.jit.export
    def get_nb_steps(self) -> Tuple[int]:
        return (self.nb_steps,)

    @torch.jit.export
    def set_nb_steps(self, value: int) -> int:
        if value < 1 or value > self.max_steps:
            return -1
        self.nb_steps = value
        return 0

    @torch.jit.export
    def get_guidance_timbre(self) -> Tuple[float]:
        return (self.guidance_timbre,)

    @torch.jit.export
    def set_guidance_timbre(self, value: float) -> int:
        if value < 0.0 or value > self.max_guidance:
            return -1
        self.guidance_timbre = value
        return 0

    @torch.jit.export
    def get_guidance_structure(self) -> Tuple[float]:
        return (self.guidance_structure,)

    @torch.jit.export
    def set_guidance_structure(self, value: float) -> int:
        if value < 0.0 or value > self.max_guidance:
            return -1
        self.guidance_structure = value
        return 0
