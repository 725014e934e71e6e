"""`after.audio.<name>.ts`: the audio→audio nn~ export (structure from one stream, timbre from another).

Methods and channel layouts come from `after.nn_tilde.contract.audio_methods`; see `StreamingExport` for the streaming
rules. r = codec ratio, C = latent channels, zs / zt = structure / timbre channels.
"""

import torch
from torch import nn

from after.export.streaming import (
    CodecInterface,
    EncoderInterface,
    GeneratorInterface,
    StreamingEncoderInterface,
    StreamingExport,
)
from after.nn_tilde.contract import audio_methods
from after.nn_tilde.module import all_finite, finite


class AudioExport(StreamingExport):
    """nn~ module: `forward`, `forward_manual` (= `generate_timbre`), `structure`, `timbre`, `diffuse`,
    `generate`, `decode`, `latent2map`, `map2latent`; attributes `nb_steps`, `guidance_timbre`,
    `guidance_structure`.

    structure_stream: the causal structure encoder with explicit state, latents [B, C, n] → [B, zs, n], with
    `reset_state()`.
    """

    # TorchScript reads the attribute annotations of the first class up the MRO that has any: the base's are
    # repeated here.
    codec: CodecInterface
    timbre_encoder: EncoderInterface
    generator: GeneratorInterface
    structure_stream: StreamingEncoderInterface

    def __init__(self, codec: torch.jit.ScriptModule, timbre_encoder: nn.Module, structure_stream: nn.Module,
                 generator: nn.Module, timbre_map: nn.Module, ratio: int, latent_size: int, zs: int, zt: int,
                 chunk_frames: int, timbre_frames: int = 128, pin_pitch: bool = False) -> None:
        super().__init__(codec, timbre_encoder, generator, timbre_map, ratio, latent_size, zt, chunk_frames,
                         timbre_frames)
        self.structure_stream = structure_stream
        self.zs = zs
        self.pin_pitch = pin_pitch
        self.register_methods(audio_methods(ratio, latent_size, zs, zt))

    def reset_structure_state(self) -> None:
        self.structure_stream.reset_state()

    def save_structure_state(self) -> None:
        self.structure_stream.save_state()

    def restore_structure_state(self) -> None:
        self.structure_stream.restore_state()

    def structure_input(self, z: torch.Tensor, source: torch.Tensor) -> torch.Tensor:
        """What the structure encoder reads for latents z [B, C, n] of structure audio `source` [B, 1, N]: z
        (`after.export.descriptor_features.DescriptorAudioExport` appends the audio's descriptors)."""
        return z

    def encode_structure(self, audio: torch.Tensor, source: torch.Tensor) -> torch.Tensor:
        """Structure [B, zs, n] of structure-audio latents [B, C, n] (with `pin_pitch`: [B, zs + 2, n], the
        pitch pins after it, see `after.diffusion.pins`); `source`: that audio [B, 1, N] (sanitised). A
        non-finite result restarts the encoder and reads as zeros."""
        structure = self.structure_stream(self.structure_input(audio, source))
        if not all_finite(structure):
            self.structure_stream.reset_state()
            self.heals += 1
            structure = torch.zeros_like(structure)
        if self.pin_pitch:  # the source's raw pitch channel rides along as (value, mask) for the generator
            structure = torch.cat([structure, audio[:, :1], torch.ones_like(audio[:, :1])], dim=1)
        return structure

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        """[structure audio, timbre audio] [B, 2, N] → audio [B, 1, N]. Both inputs go through the codec's
        encoder as one batch of 2B."""
        self.check_input(audio, 2, True, "forward")
        audio = finite(audio, self.audio_bound)
        batch = audio.shape[0]
        self.begin_call()
        self.prepare(batch, audio.shape[-1] // self.ratio)
        z = self.encode_audio(torch.cat([audio[:, 0:1], audio[:, 1:2]], dim=0))
        structure = self.encode_structure(z[:batch], audio[:, 0:1])
        self.push_timbre_latents(z[batch:])
        return self.end_call(self.decode_audio(self.generate_latents(structure, None)))

    @torch.jit.export
    def forward_manual(self, x: torch.Tensor) -> torch.Tensor:
        """[structure audio, zt timbre signals] [B, 1 + zt, N] → audio [B, 1, N]; the timbre signals are
        averaged over the buffer."""
        self.check_input(x, 1 + self.zt, True, "forward_manual")
        audio = finite(x[:, :1], self.audio_bound)
        timbre = finite(x[:, 1:], self.signal_bound).mean(dim=-1)
        self.begin_call()
        self.prepare(x.shape[0], x.shape[-1] // self.ratio)
        structure = self.encode_structure(self.encode_audio(audio), audio)
        return self.end_call(self.decode_audio(self.generate_latents(structure, timbre)))

    @torch.jit.export
    def generate_timbre(self, x: torch.Tensor) -> torch.Tensor:
        """Alias of `forward_manual` (the method name the reference devices use)."""
        return self.forward_manual(x)

    @torch.jit.export
    def structure(self, audio: torch.Tensor) -> torch.Tensor:
        """audio [B, 1, N] → structure signals [B, zs, N / ratio]."""
        self.check_input(audio, 1, True, "structure")
        audio = finite(audio, self.audio_bound)
        self.begin_call()
        self.prepare(audio.shape[0], audio.shape[-1] // self.ratio)
        return self.end_call(self.encode_structure(self.encode_audio(audio), audio)[:, :self.zs])

    def diffuse_signals(self, x: torch.Tensor) -> torch.Tensor:
        """Sanitised [structure, timbre] signals [B, zs + zt, n] → codec latents [B, C, n] (inside a call)."""
        x = finite(x, self.signal_bound)
        self.prepare(x.shape[0], x.shape[-1])
        return self.generate_latents(x[:, :self.zs], x[:, self.zs:].mean(dim=-1))

    @torch.jit.export
    def diffuse(self, x: torch.Tensor) -> torch.Tensor:
        """[structure, timbre] signals [B, zs + zt, n] → codec latents [B, C, n]; timbre averaged over n."""
        self.check_input(x, self.zs + self.zt, False, "diffuse")
        self.begin_call()
        return self.end_call(self.diffuse_signals(x))

    @torch.jit.export
    def generate(self, x: torch.Tensor) -> torch.Tensor:
        """[structure, timbre] signals [B, zs + zt, n] → audio [B, 1, n × ratio]."""
        self.check_input(x, self.zs + self.zt, False, "generate")
        self.begin_call()
        return self.end_call(self.decode_audio(self.diffuse_signals(x)))
