"""`after.midi.<name>.ts`: the polyphonic MIDI→audio nn~ export.

The host sends `n_poly` voices as (pitch, velocity) signal pairs (MIDI numbers 0–127; velocity 0 = voice
off). Each latent frame becomes a piano-roll frame [128] with roll[pitch] = velocity / 127, the same scaling
as the training piano roll (`after.data.midi.piano_roll`); two voices on one pitch keep the louder.
"""

import torch
from torch import nn

from after.export.streaming import StreamingExport
from after.nn_tilde.contract import midi_methods
from after.nn_tilde.module import finite


def voices_to_piano_roll(voices: torch.Tensor) -> torch.Tensor:
    """voices [B, 2 × n_poly, n] (pitch, velocity interleaved) → piano roll [B, 128, n] in [0, 1]. NaN and
    ±inf read as 0 (a silent voice), values outside 0–127 are clamped."""
    voices = torch.nan_to_num(voices, nan=0.0, posinf=0.0, neginf=0.0).clamp(0.0, 127.0)
    pitch = voices[:, 0::2].round().long()  # [B, P, n]
    velocity = (voices[:, 1::2] / 127.0).clamp(0.0, 1.0)  # [B, P, n]
    onehot = torch.nn.functional.one_hot(pitch, 128).to(velocity.dtype)  # [B, P, n, 128 pitches]
    roll = (onehot * velocity[..., None]).amax(dim=1)  # [B, n, 128]
    return roll.transpose(1, 2).contiguous()


class MidiExport(StreamingExport):
    """nn~ module: `generate` (= `forward_manual`), `forward`, `timbre`, `diffuse`, `decode`, `latent2map`,
    `map2latent`; attributes `nb_steps`, `guidance_timbre`, `guidance_structure`."""

    def __init__(self, codec: torch.jit.ScriptModule, timbre_encoder: nn.Module, generator: nn.Module,
                 timbre_map: nn.Module, ratio: int, latent_size: int, n_poly: int, zt: int, chunk_frames: int,
                 timbre_frames: int = 128) -> None:
        super().__init__(codec, timbre_encoder, generator, timbre_map, ratio, latent_size, zt, chunk_frames,
                         timbre_frames)
        self.n_poly = n_poly
        self.register_methods(midi_methods(ratio, latent_size, n_poly, zt))

    def diffuse_signals(self, x: torch.Tensor) -> torch.Tensor:
        """[voices, timbre] signals [B, 2 n_poly + zt, n] → codec latents [B, C, n] (inside a call)."""
        self.prepare(x.shape[0], x.shape[-1])
        voices = 2 * self.n_poly
        timbre = finite(x[:, voices:], self.signal_bound).mean(dim=-1)
        return self.generate_latents(voices_to_piano_roll(x[:, :voices]), timbre)

    @torch.jit.export
    def diffuse(self, x: torch.Tensor) -> torch.Tensor:
        """[voices, timbre] signals [B, 2 n_poly + zt, n] → codec latents [B, C, n]; timbre averaged over n."""
        self.check_input(x, 2 * self.n_poly + self.zt, False, "diffuse")
        self.begin_call()
        return self.end_call(self.diffuse_signals(x))

    @torch.jit.export
    def generate(self, x: torch.Tensor) -> torch.Tensor:
        """[voices, timbre] signals [B, 2 n_poly + zt, n] → audio [B, 1, n × ratio]."""
        self.check_input(x, 2 * self.n_poly + self.zt, False, "generate")
        self.begin_call()
        return self.end_call(self.decode_audio(self.diffuse_signals(x)))

    @torch.jit.export
    def forward_manual(self, x: torch.Tensor) -> torch.Tensor:
        """Same as `generate`: voices plus explicit timbre signals (sliders) → audio."""
        return self.generate(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[voices, timbre audio] [B, 2 n_poly + 1, N] at audio rate → audio [B, 1, N]. Voices are read at the
        last sample of each frame, as the host does for latent-rate inputs."""
        voices = 2 * self.n_poly
        self.check_input(x, voices + 1, True, "forward")
        self.begin_call()
        self.prepare(x.shape[0], x.shape[-1] // self.ratio)
        frames = x[:, :voices, self.ratio - 1::self.ratio]
        self.push_timbre_latents(self.encode_audio(finite(x[:, voices:], self.audio_bound)))
        return self.end_call(self.decode_audio(self.generate_latents(voices_to_piano_roll(frames), None)))
