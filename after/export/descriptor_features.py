"""Audio descriptors computed live inside the audio→audio nn~ export (`model.structure_features`).

A model trained with structure features reads, after the latents of the structure audio, its descriptors
(loudness, centroid, …) standardised with the training set's statistics. The export computes them from the
incoming structure audio with the module the datasets were prepared with
(`after.data.descriptor_analysis.DescriptorAnalysis`), on causal windows, so a stream gives the offline values
(`after.data.descriptors.compute_descriptors`, what `after transfer` feeds the run) within float32 rounding.

State of a `DescriptorStream` (per batch item; reset, saved and restored with the structure encoder's by
`DescriptorAudioExport`): the last `n_fft − hop` samples (zeros at stream start, like the offline zero padding)
and, when the streaming codec's encoder runs late, the last `delay_frames` descriptor frames: a streaming
encoder whose latents lag the offline ones by d frames (`latency_by_method.encode` of our codec exports) gets
descriptors delayed by the same d frames, starting with the descriptors of silence, so frame t of both still
comes from the same audio, as in the training set.
"""

from typing import List, Sequence

import torch
from torch import nn

from after.data.descriptor_analysis import DescriptorAnalysis, window_size
from after.diffusion.latent_stats import LatentStandardizer, StandardizedStructureStream
from after.export.audio import AudioExport
from after.nn_tilde.contract import MethodSpec


@torch.jit.interface
class DescriptorStreamInterface(nn.Module):
    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        pass

    def reset_state(self) -> None:
        pass

    def save_state(self) -> None:
        pass

    def restore_state(self) -> None:
        pass


class DescriptorStream(nn.Module):
    """Successive audio buffers [B, 1, N] (N a multiple of `hop`) → raw descriptors [B, F, N / hop] (units of
    `DescriptorAnalysis`), equal to the offline descriptors of the concatenated buffers delayed by
    `delay_frames`. A new batch size restarts the stream."""

    def __init__(self, names: Sequence[str], sample_rate: int, hop: int, delay_frames: int = 0) -> None:
        super().__init__()
        if delay_frames < 0:
            raise ValueError("DescriptorStream: delay_frames must be ≥ 0")
        self.analysis = DescriptorAnalysis(names, sample_rate, hop)
        self.analysis.window = self.analysis.window.float()  # the export runs in float32
        self.analysis.freqs = self.analysis.freqs.float()
        self.n_features = len(names)
        self.hop = hop
        self.n_fft = window_size(hop)
        self.history = self.n_fft - hop
        self.delay_frames = delay_frames
        self.tail = torch.zeros(0, 0)
        self.delayed = torch.zeros(0, 0, 0)
        self.batch_size = 0
        self.saved_tail = self.tail
        self.saved_delayed = self.delayed
        self.saved_batch_size = 0

    @torch.jit.export
    def reset_state(self) -> None:
        self.tail = torch.zeros(0, 0)
        self.delayed = torch.zeros(0, 0, 0)
        self.batch_size = 0

    @torch.jit.export
    def save_state(self) -> None:
        """Remember the state by reference (`forward` replaces its tensors, never writes into them)."""
        self.saved_tail = self.tail
        self.saved_delayed = self.delayed
        self.saved_batch_size = self.batch_size

    @torch.jit.export
    def restore_state(self) -> None:
        self.tail = self.saved_tail
        self.delayed = self.saved_delayed
        self.batch_size = self.saved_batch_size

    def start(self, audio: torch.Tensor) -> None:
        """Fresh state for the batch of `audio` [B, 1, N]: silence before the stream."""
        batch = audio.size(0)
        self.tail = audio.new_zeros(batch, self.history)
        silence = audio.new_zeros(batch, self.n_fft, self.delay_frames)
        self.delayed = self.analysis(silence) if self.delay_frames > 0 else audio.new_zeros(batch,
                                                                                               self.n_features, 0)
        self.batch_size = batch

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        if audio.size(0) != self.batch_size:
            self.start(audio)
        full = torch.cat([self.tail, audio[:, 0]], dim=1)
        values = self.analysis(full.unfold(1, self.n_fft, self.hop).transpose(1, 2))
        self.tail = full[:, full.size(1) - self.history:]
        if self.delay_frames > 0:
            values = torch.cat([self.delayed, values], dim=2)
            self.delayed = values[:, :, values.size(2) - self.delay_frames:]
            values = values[:, :, :values.size(2) - self.delay_frames]
        return values


class FeatureStructureStream(StandardizedStructureStream):
    """Raw codec latents followed by raw descriptors [B, C + F, n] → structure [B, zs, n]: the latents and the
    descriptors standardised with the run's statistics (`standardizer`, `feature_norm`), then the streaming
    structure encoder (its state methods are `StandardizedStructureStream`'s)."""

    def __init__(self, stream: nn.Module, latent_norm: LatentStandardizer, feature_norm: LatentStandardizer) -> None:
        super().__init__(stream, latent_norm)
        self.feature_norm = feature_norm
        self.latent_size = int(latent_norm.mean.numel())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        latents = self.standardizer.normalize(z[:, :self.latent_size])
        features = self.feature_norm.normalize(z[:, self.latent_size:])
        return self.stream(torch.cat([latents, features], dim=1))


class DescriptorAudioExport(AudioExport):
    """`AudioExport` of a model with `model.structure_features`: the structure encoder reads the structure
    audio's latents followed by its live descriptors (`descriptor_stream`, a scripted `DescriptorStream`);
    `structure_stream` is a `FeatureStructureStream`. Methods, channel layouts and attributes are those of
    `AudioExport`: the descriptors come from the structure audio, never from the host."""

    # TorchScript reads the attribute annotations of the first class up the MRO that has any: `AudioExport`'s
    # (whatever interfaces it declares) are carried over, with this class's own.
    __annotations__ = {**AudioExport.__annotations__, "descriptor_stream": DescriptorStreamInterface}

    def __init__(self, descriptor_stream: nn.Module, **kwargs) -> None:
        super().__init__(**kwargs)
        self.descriptor_stream = descriptor_stream  # type: ignore[assignment]  # scripted: TorchScript checks it
        specs = self.deferred_specs
        del self.deferred_specs
        super().register_methods(specs)

    def register_methods(self, specs: List[MethodSpec]) -> None:
        """Registering runs every method on zeros: `AudioExport.__init__` asks before this module has its
        descriptor stream, so the registration waits until `__init__` has set it."""
        if "descriptor_stream" in self._modules:
            super().register_methods(specs)
        else:
            self.deferred_specs = specs

    def structure_input(self, z: torch.Tensor, source: torch.Tensor) -> torch.Tensor:
        """Latents [B, C, n] of structure audio `source` [B, 1, n·ratio] → [B, C + F, n], its descriptors after."""
        return torch.cat([z, self.descriptor_stream(source)], dim=1)

    def reset_structure_state(self) -> None:
        self.structure_stream.reset_state()
        self.descriptor_stream.reset_state()

    def save_structure_state(self) -> None:
        self.structure_stream.save_state()
        self.descriptor_stream.save_state()

    def restore_structure_state(self) -> None:
        self.structure_stream.restore_state()
        self.descriptor_stream.restore_state()
