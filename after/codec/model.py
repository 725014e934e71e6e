"""The codec: PQMF bands → convolutional encoder → latents → decoder → PQMF synthesis.

The networks are causal systems (see `after.codec.layers`); in non-causal mode residual units add look-ahead
by delaying their skip paths. `Codec` turns these delays into aligned offline `encode` / `decode`:

* the encoder core delays by `encoder_lookahead` samples; offline `encode` drops the first
  `encode_shift_frames = encoder_lookahead // ratio` latent frames (feeding that many frames of zeros after the
  end), so a stream of latents equals the offline latents delayed by `encode_shift_frames * ratio` samples;
* the decoder core plus PQMF delays by `decode_latency` samples (including what the encoder shift left over);
  offline `decode` drops that many samples, so streaming decode equals offline decode delayed by
  `decode_latency` samples.

Shapes: audio [B, 1, N] with N a multiple of `ratio`; latents [B, latent_size, N / ratio].
"""

from typing import List, cast

import torch
import torch.nn.functional as F
from torch import nn

from after.codec.config import CodecModelConfig
from after.codec.layers import CausalConv1d, ResidualStack, Snake, Upsample
from after.codec.pqmf import PQMF
from after.codec.streaming import StreamBlock, StreamGate, snake_then, stream_layer


class EncoderLevel(nn.Module):
    """Residual units at one rate, then a strided convolution: [B, C_in, T] → [B, C_out, T / stride]."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, kernel_size: int,
                 dilations: List[int], causal: bool) -> None:
        super().__init__()
        self.residual = ResidualStack(in_channels, kernel_size, dilations, causal)
        self.act = Snake(in_channels)
        self.down = CausalConv1d(in_channels, out_channels, 2 * stride, stride=stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(self.act(self.residual(x)))


class DecoderLevel(nn.Module):
    """Causal sub-pixel upsampling (kernel 2: like a transposed conv of kernel 2 × stride), then residual
    units: [B, C_in, T] → [B, C_out, T * stride]."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, kernel_size: int,
                 dilations: List[int], causal: bool) -> None:
        super().__init__()
        self.act = Snake(in_channels)
        self.up = Upsample(in_channels, out_channels, stride, 2)
        self.residual = ResidualStack(out_channels, kernel_size, dilations, causal)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.residual(self.up(self.act(x)))


class Encoder(nn.Module):
    """PQMF bands [B, n_bands, N / n_bands] → latents [B, latent_size, N / ratio] (causal core)."""

    def __init__(self, cfg: CodecModelConfig) -> None:
        super().__init__()
        ch = list(cfg.encoder_channels)
        dil = list(cfg.dilations)
        self.conv_in = CausalConv1d(cfg.n_bands, ch[0], 7)
        levels = [EncoderLevel(ch[i], ch[i + 1], s, cfg.kernel_size, dil, cfg.causal)
                  for i, s in enumerate(cfg.strides)]
        self.levels = nn.ModuleList(levels)
        self.act = Snake(ch[-1])
        self.conv_out = CausalConv1d(ch[-1], cfg.latent_size, cfg.kernel_size)
        # Delay of the skip paths, in audio samples: a unit at level i runs at n_bands * prod(strides[:i]).
        lookahead, hop = 0, cfg.n_bands
        for level, stride in zip(levels, cfg.strides):
            lookahead += level.residual.lookahead * hop
            hop *= stride
        self.lookahead = lookahead

    def forward(self, bands: torch.Tensor) -> torch.Tensor:
        x = self.conv_in(bands)
        for level in self.levels:
            x = level(x)
        return self.conv_out(self.act(x))

    def stream_layers(self) -> List[nn.Module]:
        """The layers of `forward` in order, in their stream form (`after.codec.streaming`)."""
        layers = [stream_layer(self.conv_in)]
        for level in cast(List[EncoderLevel], list(self.levels)):
            units = [stream_layer(unit) for unit in level.residual.units]
            layers.append(StreamBlock(units + snake_then(level.act, level.down)))
        return layers + snake_then(self.act, self.conv_out)


class Decoder(nn.Module):
    """Latents [B, latent_size, T] → PQMF bands [B, n_bands, T * ratio / n_bands] (causal core).

    The last layer predicts each band and an amplitude envelope; band × sigmoid(envelope) is returned.
    """

    def __init__(self, cfg: CodecModelConfig) -> None:
        super().__init__()
        ch = list(cfg.decoder_channels)
        dil = list(cfg.dilations)
        strides = list(reversed(cfg.strides))
        self.conv_in = CausalConv1d(cfg.latent_size, ch[0], cfg.kernel_size)
        levels = [DecoderLevel(ch[i], ch[i + 1], s, cfg.kernel_size, dil, cfg.causal) for i, s in enumerate(strides)]
        self.levels = nn.ModuleList(levels)
        self.act = Snake(ch[-1])
        self.conv_out = CausalConv1d(ch[-1], 2 * cfg.n_bands, 7)
        self.n_bands = cfg.n_bands
        lookahead, hop = 0, cfg.ratio
        for level, stride in zip(levels, strides):
            hop //= stride
            lookahead += level.residual.lookahead * hop
        self.lookahead = lookahead

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = self.conv_in(z)
        for level in self.levels:
            x = level(x)
        x = self.conv_out(self.act(x))
        return x[:, :self.n_bands] * torch.sigmoid(x[:, self.n_bands:])

    def stream_layers(self) -> List[nn.Module]:
        """The layers of `forward` in order, in their stream form (`after.codec.streaming`)."""
        layers = [stream_layer(self.conv_in)]
        for level in cast(List[DecoderLevel], list(self.levels)):
            units = [stream_layer(unit) for unit in level.residual.units]
            layers.append(StreamBlock(snake_then(level.act, level.up) + units))
        return layers + snake_then(self.act, self.conv_out) + [StreamGate(self.n_bands)]


class Codec(nn.Module):
    """The whole codec with aligned offline `encode` / `decode` / `forward` (see module docstring)."""

    def __init__(self, cfg: CodecModelConfig) -> None:
        super().__init__()
        self.ratio = cfg.ratio
        self.latent_size = cfg.latent_size
        self.pqmf = PQMF(cfg.n_bands, cfg.pqmf_taps_per_band)
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)
        self.encode_shift_frames = self.encoder.lookahead // cfg.ratio
        leftover = self.encoder.lookahead - self.encode_shift_frames * cfg.ratio
        self.decode_latency = leftover + self.decoder.lookahead + self.pqmf.delay
        self.latency = self.encode_shift_frames * cfg.ratio + self.decode_latency

    def encode_core(self, x: torch.Tensor) -> torch.Tensor:
        """Causal (streamable) encoder: [B, 1, N] → [B, C, N / ratio], delayed by `encode_shift_frames`."""
        return self.encoder(self.pqmf.analysis(x))

    def decode_core(self, z: torch.Tensor) -> torch.Tensor:
        """Causal (streamable) decoder: [B, C, T] → [B, 1, T * ratio], delayed by `decode_latency` samples."""
        return self.pqmf.synthesis(self.decoder(z))

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Offline encode, aligned: audio [B, 1, N] → latents [B, C, N / ratio]."""
        shift = self.encode_shift_frames
        if shift == 0:
            return self.encode_core(x)
        z = self.encode_core(F.pad(x, (0, shift * self.ratio)))
        return z[:, :, shift:]

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Offline decode, aligned: latents [B, C, T] → audio [B, 1, T * ratio]."""
        extra_frames = -(-self.decode_latency // self.ratio)
        y = self.decode_core(F.pad(z, (0, extra_frames)))
        return y[:, :, self.decode_latency:self.decode_latency + z.shape[-1] * self.ratio]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Offline reconstruction, aligned with the input: [B, 1, N] → [B, 1, N]."""
        return self.decode(self.encode(x))


def latent_penalty(z: torch.Tensor, bound: float = 3.0) -> torch.Tensor:
    """Keeps latents roughly within ±bound: mean(ELU(|z| - bound)) + 1 (≥ 0, ≈ 0 inside the bound)."""
    return (F.elu(z.abs() - bound) + 1.0).mean()


def build_codec(cfg: CodecModelConfig) -> nn.Module:
    """The codec network of a config, by family (training mode): `Codec` (weight norm on) or
    `after.codec.harmonic.HarmonicCodec`. Both have the same offline interface (`encode`, `decode`, `ratio`,
    `latent_size`, `encode_shift_frames`, `decode_latency`, `latency`)."""
    if cfg.family == "harmonic":
        from after.codec.harmonic import HarmonicCodec

        return HarmonicCodec(cfg)
    return Codec(cfg)
