"""The streaming core shared by the audio and MIDI nn~ exports (scriptable).

One call of an nn~ method carries `n = buffer / ratio` latent frames. The `StreamingGenerator` works on
attention chunks with a per-step attention cache, so a stream reproduces the offline sampler under the
chunk's mask exactly. With n a multiple of the trained chunk (`chunk_frames`) the call's frames are generated
in the call (no model latency). With n between half a chunk and a chunk (buffer 4096 at ratio 2048, chunk 4)
frames wait for a complete chunk. With n below half a chunk (buffer 2048) every call would otherwise wait
except the one that generates a whole chunk, alone over the buffer period: the stream then generates
sub-chunks of 2n frames under the mask of that size (every query sees the past and in-chunk futures it saw
in training) and runs half of a sub-chunk's Euler steps in the call that completes it and the other half in
the next call, and spreads each re-encoding of the timbre window over several calls, one stage per call
(`after.export.timbre_stages`), so every call carries the same share of the work (`model_latency_samples`,
docs/EXPORT.md).

Live robustness: every method first checks the input's shape (a wrong one raises before anything changes),
then maps NaN/±inf/denormals of its inputs to safe values (`finite`), and checks what its networks return: a
non-finite value never enters the streaming state; a part whose result is not finite is reset and its result
replaced by zeros. A call that raises part-way (an exception inside a network, an interrupted call) is rolled
back at the start of the next call: every state of this module is kept by reference (`save_state`) and
restored, the codec's own state (a few frames of context, not reachable from here) restarts.

State (all reset together by `reset_state`, and automatically when the batch size or the buffer size
changes): the codec's streaming state, the generator's attention caches, the subclass's encoder state, the
frames waiting for a chunk, a sub-chunk half way through its steps, a rolling window of the last
`timbre_frames` latent frames of timbre audio with its last encoded timbre, and a staged encoding of that
window under way. Nothing grows.
"""

from typing import List, Optional, Tuple, cast

import torch
from torch import nn

from after.nn_tilde.contract import ATTRIBUTES, MethodSpec
from after.nn_tilde.module import AUDIO_BOUND, SIGNAL_BOUND, NNModule, all_finite, finite


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
    """The timbre encoder (`after.export.timbre_stages.StagedTimbreEncoder`): whole, or stage by stage."""

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        pass

    def stage_count(self) -> int:
        pass

    def stage(self, index: int, x: torch.Tensor, features: torch.Tensor,
              held: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        pass


@torch.jit.interface
class StreamingEncoderInterface(nn.Module):
    def forward(self, z: torch.Tensor) -> torch.Tensor:
        pass

    def reset_state(self) -> None:
        pass

    def save_state(self) -> None:
        pass

    def restore_state(self) -> None:
        pass


@torch.jit.interface
class GeneratorInterface(nn.Module):
    def generate_chunk(self, noise: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor, nb_steps: int,
                       guidance_timbre: float, guidance_structure: float) -> torch.Tensor:
        pass

    def run_steps(self, x: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor, nb_steps: int,
                  guidance_timbre: float, guidance_structure: float, start: int, stop: int,
                  chunk: int) -> torch.Tensor:
        pass

    def prepare_timbre(self, timbre: torch.Tensor, nb_steps: int, guidance_timbre: float, guidance_structure: float,
                       part: int, parts: int) -> None:
        pass

    def reset_state(self) -> None:
        pass

    def save_state(self) -> None:
        pass

    def restore_state(self) -> None:
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


def stream_chunk_frames(frames: int, chunk_frames: int) -> int:
    """Attention chunk the stream generates at `frames` latent frames per call: the trained chunk, or 2 × frames
    when that is below the trained chunk and divides it (the sub-chunk's steps are then split over two calls)."""
    if 2 * frames < chunk_frames and chunk_frames % (2 * frames) == 0:
        return 2 * frames
    return chunk_frames


def model_latency_frames(frames: int, chunk_frames: int) -> int:
    """Frames by which the output runs late at `frames` latent frames per call: the wait for a complete chunk
    (a sub-chunk of 2n frames: n frames, plus the call that finishes its second half of steps: n)."""
    chunk = stream_chunk_frames(frames, chunk_frames)
    if chunk < chunk_frames:
        return chunk
    return (chunk_frames - frames % chunk_frames) % chunk_frames


def model_latency_samples(buffer: int, ratio: int, chunk_frames: int) -> int:
    """Delay the chunked generation adds at host buffer `buffer` (samples): 0 once a buffer holds whole chunks."""
    return model_latency_frames(max(buffer // ratio, 1), chunk_frames) * ratio


class StreamingExport(NNModule):
    """Base of `AudioExport` / `MidiExport`: codec, timbre path, chunked generation, attributes, map, and the
    live-robustness rules of the module docstring (input checks, sanitising, healing, rollback)."""

    codec: CodecInterface
    timbre_encoder: EncoderInterface
    generator: GeneratorInterface

    def __init__(self, codec: torch.jit.ScriptModule, timbre_encoder: nn.Module, generator: nn.Module,
                 timbre_map: nn.Module, ratio: int, latent_size: int, zt: int, chunk_frames: int,
                 timbre_frames: int = 128) -> None:
        super().__init__()
        # Typed as the interfaces the scripted methods call them through (declared above); TorchScript checks
        # the modules against them when it compiles this one.
        self.codec = cast(CodecInterface, CodecAdapter(codec))
        self.timbre_encoder = cast(EncoderInterface, timbre_encoder)
        self.generator = cast(GeneratorInterface, generator)
        self.timbre_map = timbre_map
        self.ratio = ratio
        self.latent_size = latent_size
        self.zt = zt
        self.chunk_frames = chunk_frames
        self.timbre_frames = timbre_frames
        self.max_steps = int(next(a for a in ATTRIBUTES if a.name == "nb_steps").maximum)
        self.max_guidance = float(next(a for a in ATTRIBUTES if a.name == "guidance_timbre").maximum)
        self.timbre_refresh_frames = max(1, timbre_frames // 8)
        self.prepare_parts = 2  # calls over which the generator prepares a new timbre (`staged_window_timbre`)
        self.audio_bound = AUDIO_BOUND
        self.signal_bound = SIGNAL_BOUND
        self.timbre_history = torch.zeros(0, latent_size, 0)
        self.timbre_vector = torch.zeros(0, 0)
        self.frames_since_timbre = 0
        self.pending_structure = torch.zeros(0, 0, 0)
        self.pending_latents = torch.zeros(0, 0, 0)
        self.state_batch = 0
        self.state_frames = 0
        # A sub-chunk whose Euler steps are split over two calls: the partial result after `work_step` steps,
        # its conditions, and the knobs it started with (work_steps 0: none).
        self.work_x = torch.zeros(0, 0, 0)
        self.work_structure = torch.zeros(0, 0, 0)
        self.work_timbre = torch.zeros(0, 0)
        self.work_step = 0
        self.work_steps = 0
        self.work_guidance_timbre = 1.0
        self.work_guidance_structure = 1.0
        # A staged encoding of the timbre window (sub-chunks only): the next stage to run (-1: none; from the
        # stage count on: the parts of the generator's preparation for the new vector), and what the stages pass on
        # (`after.export.timbre_stages`; x is the vector once every stage ran).
        self.staged_next = -1
        self.staged_x = torch.zeros(0)
        self.staged_features = torch.zeros(0)
        self.staged_held = torch.zeros(0)
        # Rollback: the state at the start of the current call, and whether a call is under way (a call that
        # raised never cleared it).
        self.saved_timbre_history = self.timbre_history
        self.saved_timbre_vector = self.timbre_vector
        self.saved_frames_since_timbre = 0
        self.saved_pending_structure = self.pending_structure
        self.saved_pending_latents = self.pending_latents
        self.saved_state_batch = 0
        self.saved_state_frames = 0
        self.saved_work_x = self.work_x
        self.saved_work_structure = self.work_structure
        self.saved_work_timbre = self.work_timbre
        self.saved_work_step = 0
        self.saved_work_steps = 0
        self.saved_work_guidance_timbre = 1.0
        self.saved_work_guidance_structure = 1.0
        self.saved_staged_next = -1
        self.saved_staged_x = self.staged_x
        self.saved_staged_features = self.staged_features
        self.saved_staged_held = self.staged_held
        self.call_open = False
        self.timbre_encoder_warm = False  # the timbre encoder has run twice in this process
        self.generator_runs = 0  # calls that ran the generator in this process (it is optimised at its second)
        self.rollbacks = 0  # calls rolled back so far (for tests and diagnostics)
        self.heals = 0  # non-finite results replaced so far
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
        self.clear_streams()
        self.call_open = False
        self.timbre_encoder_warm = False  # also saved this way: register_method ends with a reset
        self.generator_runs = 0

    def clear_streams(self) -> None:
        self.codec.reset_state()
        self.generator.reset_state()
        self.reset_structure_state()
        self.timbre_history = torch.zeros(0, self.latent_size, 0)
        self.timbre_vector = torch.zeros(0, 0)
        self.frames_since_timbre = 0
        self.pending_structure = torch.zeros(0, 0, 0)
        self.pending_latents = torch.zeros(0, 0, 0)
        self.clear_work()
        self.clear_staged()
        self.state_batch = 0
        self.state_frames = 0

    def clear_work(self) -> None:
        self.work_x = torch.zeros(0, 0, 0)
        self.work_structure = torch.zeros(0, 0, 0)
        self.work_timbre = torch.zeros(0, 0)
        self.work_step = 0
        self.work_steps = 0

    def clear_staged(self) -> None:
        self.staged_next = -1
        self.staged_x = torch.zeros(0)
        self.staged_features = torch.zeros(0)
        self.staged_held = torch.zeros(0)

    def reset_structure_state(self) -> None:
        """Subclasses with a stateful structure path clear it here."""

    def save_structure_state(self) -> None:
        """Subclasses with a stateful structure path remember it here (see `save_state`)."""

    def restore_structure_state(self) -> None:
        """Subclasses with a stateful structure path restore it here."""

    def save_state(self) -> None:
        """Remember the state by reference: every tensor of it is replaced, never written in place (the
        generator's attention cache too: a list of entries, each replaced by a step)."""
        self.saved_timbre_history = self.timbre_history
        self.saved_timbre_vector = self.timbre_vector
        self.saved_frames_since_timbre = self.frames_since_timbre
        self.saved_pending_structure = self.pending_structure
        self.saved_pending_latents = self.pending_latents
        self.saved_state_batch = self.state_batch
        self.saved_state_frames = self.state_frames
        self.saved_work_x = self.work_x
        self.saved_work_structure = self.work_structure
        self.saved_work_timbre = self.work_timbre
        self.saved_work_step = self.work_step
        self.saved_work_steps = self.work_steps
        self.saved_work_guidance_timbre = self.work_guidance_timbre
        self.saved_work_guidance_structure = self.work_guidance_structure
        self.saved_staged_next = self.staged_next
        self.saved_staged_x = self.staged_x
        self.saved_staged_features = self.staged_features
        self.saved_staged_held = self.staged_held
        self.generator.save_state()
        self.save_structure_state()

    def restore_state(self) -> None:
        """Back to the state of the last `save_state()`; the codec's own state restarts."""
        self.timbre_history = self.saved_timbre_history
        self.timbre_vector = self.saved_timbre_vector
        self.frames_since_timbre = self.saved_frames_since_timbre
        self.pending_structure = self.saved_pending_structure
        self.pending_latents = self.saved_pending_latents
        self.state_batch = self.saved_state_batch
        self.state_frames = self.saved_state_frames
        self.work_x = self.saved_work_x
        self.work_structure = self.saved_work_structure
        self.work_timbre = self.saved_work_timbre
        self.work_step = self.saved_work_step
        self.work_steps = self.saved_work_steps
        self.work_guidance_timbre = self.saved_work_guidance_timbre
        self.work_guidance_structure = self.saved_work_guidance_structure
        self.staged_next = self.saved_staged_next
        self.staged_x = self.saved_staged_x
        self.staged_features = self.saved_staged_features
        self.staged_held = self.saved_staged_held
        self.generator.restore_state()
        self.restore_structure_state()
        self.codec.reset_state()

    def begin_call(self) -> None:
        """Start a call that changes state: roll back a previous call that raised part-way, remember the state."""
        if self.call_open:
            self.restore_state()
            self.rollbacks += 1
        self.save_state()
        self.call_open = True

    def end_call(self, out: torch.Tensor) -> torch.Tensor:
        """Finish a call: a non-finite output (which the checks below should have made impossible) becomes
        silence and every stream restarts."""
        if not all_finite(out):
            self.clear_streams()
            self.heals += 1
            out = torch.zeros_like(out)
        self.call_open = False
        return out

    def prepare(self, batch: int, frames: int) -> None:
        """Streams are per batch item and per buffer size: a new batch size (mc.nn~ re-configured) or buffer
        size (`frames` latent frames per call) starts fresh streams."""
        if batch != self.state_batch or frames != self.state_frames:
            self.clear_streams()
            self.state_batch = batch
            self.state_frames = frames

    def check_input(self, x: torch.Tensor, channels: int, audio_rate: bool, method: str) -> None:
        """Raise (before any state changes) unless x is [batch ≥ 1, channels, n ≥ 1] with n a multiple of the
        ratio for audio-rate inputs."""
        if x.dim() != 3 or x.size(0) < 1 or x.size(1) != channels or x.size(2) < 1:
            raise RuntimeError("{}: expected an input [batch, {}, samples], got {}".format(method, channels,
                                                                                        x.shape))
        if audio_rate and x.size(2) % self.ratio != 0:
            raise RuntimeError("{}: {} samples is not a multiple of the ratio {}".format(method, x.size(2),
                                                                                         self.ratio))

    # ---------------------------------------------------------------- building blocks
    def encode_audio(self, audio: torch.Tensor) -> torch.Tensor:
        """Codec latents of (sanitised) audio; a non-finite result restarts the codec and reads as zeros."""
        z = self.codec.encode(audio)
        if not all_finite(z):
            self.codec.reset_state()
            self.heals += 1
            z = torch.zeros_like(z)
        return z

    def decode_audio(self, latents: torch.Tensor) -> torch.Tensor:
        """Audio of codec latents; a non-finite result restarts the codec and plays silence."""
        audio = self.codec.decode(latents)
        if not all_finite(audio):
            self.codec.reset_state()
            self.heals += 1
            audio = torch.zeros_like(audio)
        return audio

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
        always sees the same number of frames (constant cost, valid padding at stream start). A non-finite
        encoding reads as the zero timbre."""
        if self.timbre_vector.shape[0] != self.timbre_history.shape[0] or \
                self.frames_since_timbre + lookahead >= self.timbre_refresh_frames:
            window = self.timbre_window()
            self.clear_staged()
            if not self.timbre_encoder_warm:
                # TorchScript optimises a function at its second run: without this, the first re-encoding
                # (16 frames into the stream) would pay for it and overrun its buffer. The first call of a
                # loaded model, slow anyway, pays instead.
                self.timbre_encoder(window)
                self.timbre_encoder_warm = True
            vector = self.timbre_encoder(window)
            if not all_finite(vector):
                self.heals += 1
                vector = torch.zeros_like(vector)
            self.timbre_vector = vector
            self.frames_since_timbre = 0
        return self.timbre_vector

    def timbre_window(self) -> torch.Tensor:
        """The rolling window [B, C, timbre_frames], tiled until it is full."""
        heard = self.timbre_history.shape[-1]
        repeats = (self.timbre_frames + heard - 1) // heard
        return self.timbre_history.repeat(1, 1, repeats)[:, :, -self.timbre_frames:]

    def staged_window_timbre(self) -> torch.Tensor:
        """Timbre [B, zt] of the rolling window with the encoding spread over calls (sub-chunks only): every
        `timbre_refresh_frames` frames the window is taken and encoded one stage per call
        (`after.export.timbre_stages`); in the next `prepare_parts` calls the generator prepares what depends
        on the new vector alone (its timbre modulation, a part per call), and the vector takes over in the last
        of them, `stage_count() + prepare_parts` calls after the window was taken. The first encoding of a
        stream (nothing to hold meanwhile) runs whole, in the stream's first call, which generates nothing. A
        non-finite vector reads as the zero timbre."""
        if self.timbre_vector.shape[0] != self.timbre_history.shape[0]:
            warm = self.timbre_encoder_warm
            vector = self.window_timbre()
            # The next call starts the first sub-chunk: it finds the timbre modulation ready. The first stream
            # of a loaded model runs this twice, for TorchScript to optimise it before a staged encoding needs it.
            for _ in range(1 if warm else 2):
                for part in range(self.prepare_parts):
                    self.generator.prepare_timbre(vector, self.nb_steps, self.guidance_timbre,
                                                  self.guidance_structure, part, self.prepare_parts)
            return vector
        if self.staged_next < 0 and self.frames_since_timbre >= self.timbre_refresh_frames:
            self.staged_x = self.timbre_window()
            self.staged_features = self.staged_x[:, :0]
            self.staged_held = self.staged_x[:, :0]
            self.staged_next = 0
            self.frames_since_timbre = 0
        if self.staged_next < 0:
            return self.timbre_vector
        stages = self.timbre_encoder.stage_count()
        if self.staged_next < stages:
            self.staged_x, self.staged_features, self.staged_held = self.timbre_encoder.stage(
                self.staged_next, self.staged_x, self.staged_features, self.staged_held)
            self.staged_next += 1
            if self.staged_next == stages and not all_finite(self.staged_x):
                self.heals += 1
                self.staged_x = torch.zeros_like(self.staged_x)
            return self.timbre_vector
        part = self.staged_next - stages
        self.generator.prepare_timbre(self.staged_x, self.nb_steps, self.guidance_timbre, self.guidance_structure,
                                      part, self.prepare_parts)
        self.staged_next += 1
        if part + 1 == self.prepare_parts:
            self.timbre_vector = self.staged_x
            self.clear_staged()
        return self.timbre_vector

    def warm_generator(self, structure: torch.Tensor, chunk: int) -> None:
        """Run the generator twice on a silent sub-chunk, then forget it (the stream has not started). With
        sub-chunks the stream's first call generates nothing and its third would otherwise be the generator's
        second run, where TorchScript optimises its code (≈ 30 ms for `base`): that cost moves into the first
        call of a loaded model, slow anyway. Draws no noise: a seeded stream is unchanged."""
        batch = structure.shape[0]
        x = structure.new_zeros(batch, self.latent_size, chunk)
        timbre = structure.new_zeros(batch, self.zt)
        for _ in range(2):
            self.generator.run_steps(x, timbre, structure.new_zeros(batch, structure.shape[1], chunk), self.nb_steps,
                                     self.guidance_timbre, self.guidance_structure, 0, self.nb_steps, chunk)
        self.generator.reset_state()
        self.generator_runs = 2

    def append_latents(self, latents: torch.Tensor) -> None:
        """Queue generated latents for output; non-finite ones restart the generator and read as zeros."""
        if not all_finite(latents):
            self.generator.reset_state()
            self.heals += 1
            latents = torch.zeros_like(latents)
        self.pending_latents = torch.cat([self.pending_latents, latents], dim=-1)

    def generate_latents(self, structure: torch.Tensor, timbre: Optional[torch.Tensor]) -> torch.Tensor:
        """Diffuse one call's frames: structure [B, zs, n], timbre [B, zt] (None: the rolling window's timbre,
        encoded only when it is due) → codec latents [B, C, n].

        With n a multiple of the chunk, the call's frames are generated now (no delay). With n smaller than
        the chunk, structure frames wait until a chunk is complete and the output runs late
        (`model_latency_frames`; zero latents at stream start). Below half a chunk (`stream_chunk_frames`)
        the stream generates sub-chunks of 2n frames and splits each one's Euler steps over the call that
        completes it and the next one, and the window timbre is encoded in stages spread over calls
        (`staged_window_timbre`). Otherwise a window timbre that falls due by the next chunk is encoded in a call
        that does not start a chunk. Noise is drawn once per generated (sub-)chunk, in time order, so a seeded
        stream can be replayed offline."""
        batch = structure.shape[0]
        n = structure.shape[-1]
        chunk = stream_chunk_frames(n, self.chunk_frames)
        # A new batch size, or structure of another width (a pitch-pinned `forward` carries two pin channels
        # that signals given to `diffuse` do not): the stream restarts.
        if self.pending_structure.shape[0] != batch or self.pending_structure.shape[1] != structure.shape[1]:
            self.pending_structure = structure[:, :, :0]
            self.pending_latents = structure.new_zeros(batch, self.latent_size,
                                                       model_latency_frames(n, self.chunk_frames))
            if chunk < self.chunk_frames and self.generator_runs < 2:
                self.warm_generator(structure, chunk)
        if self.work_steps > 0:  # the second half of the steps of the sub-chunk started in the last call
            self.generator_runs = min(self.generator_runs + 1, 2)
            x = self.generator.run_steps(self.work_x, self.work_timbre, self.work_structure, self.work_steps,
                                         self.work_guidance_timbre, self.work_guidance_structure, self.work_step,
                                         self.work_steps, chunk)
            self.clear_work()
            self.append_latents(x)
        pending = torch.cat([self.pending_structure, structure], dim=-1)
        ready = pending.shape[-1] - pending.shape[-1] % chunk
        if timbre is None and chunk < self.chunk_frames:
            vector = self.staged_window_timbre()
        elif timbre is None:  # a waiting call encodes early when the next chunk will need a fresh timbre
            vector = self.window_timbre(0 if ready > 0 else chunk - pending.shape[-1])
        else:
            vector = timbre
        if ready > 0:
            noise = torch.randn(batch, self.latent_size, ready)
            steps = self.nb_steps
            first = (steps + 1) // 2 if chunk < self.chunk_frames else steps
            self.generator_runs = min(self.generator_runs + 1, 2)
            x = self.generator.run_steps(noise, vector, pending[:, :, :ready], steps, self.guidance_timbre,
                                         self.guidance_structure, 0, first, chunk)
            if first == steps:
                self.append_latents(x)
            elif not all_finite(x):
                self.append_latents(x)  # restarts the generator; this sub-chunk plays as zeros
            else:
                self.work_x = x
                self.work_structure = pending[:, :, :ready]
                self.work_timbre = vector
                self.work_step = first
                self.work_steps = steps
                self.work_guidance_timbre = self.guidance_timbre
                self.work_guidance_structure = self.guidance_structure
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
        self.check_input(audio, 1, True, "timbre")
        audio = finite(audio, self.audio_bound)
        self.begin_call()
        self.prepare(audio.shape[0], audio.shape[-1] // self.ratio)
        z = self.encode_audio(audio)
        self.push_timbre_latents(z)
        return self.end_call(self.hold(self.window_timbre(), z.shape[-1]))

    @torch.jit.export
    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        """codec latents [B, C, n] → audio [B, 1, n × ratio]."""
        self.check_input(latents, self.latent_size, False, "decode")
        latents = finite(latents, self.signal_bound)
        self.begin_call()
        self.prepare(latents.shape[0], latents.shape[-1])
        return self.end_call(self.decode_audio(latents))

    @torch.jit.export
    def latent2map(self, timbre: torch.Tensor) -> torch.Tensor:
        """timbre signals [B, zt, N] → map position [B, 2, N]."""
        self.check_input(timbre, self.zt, False, "latent2map")
        return self.timbre_map.to_map(finite(timbre, self.signal_bound))

    @torch.jit.export
    def map2latent(self, position: torch.Tensor) -> torch.Tensor:
        """map position [B, 2, N] → timbre signals [B, zt, N]."""
        self.check_input(position, 2, False, "map2latent")
        return self.timbre_map.from_map(finite(position, self.signal_bound))

    # ---------------------------------------------------------------- attributes (nn~ get/set)
    @torch.jit.export
    def get_nb_steps(self) -> Tuple[int]:
        return (self.nb_steps,)

    @torch.jit.export
    def set_nb_steps(self, value: int) -> int:
        if not (1 <= value <= self.max_steps):
            return -1
        self.nb_steps = value
        return 0

    @torch.jit.export
    def get_guidance_timbre(self) -> Tuple[float]:
        return (self.guidance_timbre,)

    @torch.jit.export
    def set_guidance_timbre(self, value: float) -> int:
        if not (0.0 <= value <= self.max_guidance):  # also refuses NaN
            return -1
        self.guidance_timbre = value
        return 0

    @torch.jit.export
    def get_guidance_structure(self) -> Tuple[float]:
        return (self.guidance_structure,)

    @torch.jit.export
    def set_guidance_structure(self, value: float) -> int:
        if not (0.0 <= value <= self.max_guidance):  # also refuses NaN
            return -1
        self.guidance_structure = value
        return 0
