"""The streaming form of a trained codec (what `export_stream.ts` runs), built for speed on one CPU thread.

`StreamingCodec(codec)` rebuilds the networks of a `Codec` (weight norm removed) from a few stateful layers
that work on channels-last frames [B, T, C]: every convolution is one GEMM with its bias fused (`baddbmm`) on
the windows of the current chunk and the last frames of the previous one, so a chunk costs a handful of
operator calls per layer and no transposes. Weights are laid out once here: the PQMF becomes two causal
convolutions over blocks of `n_bands` samples (its polyphase form), sub-pixel upsampling gets its output
channels ordered so that interleaving is a free reshape, and each Snake leaves its 1 / α to the convolution
that follows it (the α of the Snake inside a residual unit also goes into the convolution before it).

Each stateful layer keeps the frames it needs from the past per batch item (`cache`); the state starts at
zeros, is re-initialised when the batch size changes and by `reset_state()`. Feeding a signal in chunks equals
feeding it whole to the causal cores `Codec.encode_core` / `Codec.decode_core`.

Layer sizes are plain attributes, not TorchScript constants, so that all layers of one class share one
scripted type, and `StreamSequence` calls its layers through the `StreamLayer` interface: TorchScript then
compiles each layer class once instead of inlining every layer into `encode` and `decode`, which keeps the
first two calls after loading (profiling, then optimisation of what was compiled) short; the dispatch and the
per-layer branches this leaves at run time cost a few percent in steady state (measured in docs/EXPORT.md).
"""

from typing import Final, List, Optional, Protocol

import torch
from torch import nn

from after.codec.layers import CausalConv1d, Delay, ResidualUnit, Snake, Upsample
from after.codec.pqmf import PQMF


class StreamConv(nn.Module):
    """Causal convolution over channels-last frames: [B, T, C_in] → [B, T / stride, C_out].

    `weight` is [C_out, C_in, kernel_size] (conv1d layout), `bias` [C_out]. Output frame t covers input frames
    up to t * stride + stride - 1, as `after.codec.layers.CausalConv1d`.
    """

    weight: torch.Tensor  # buffers (registered in __init__), declared for the type checker
    bias: torch.Tensor
    cache: torch.Tensor

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor, stride: int = 1, dilation: int = 1) -> None:
        super().__init__()
        out_channels, in_channels, kernel_size = weight.shape
        self.in_channels = in_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.dilation = dilation
        self.span = (kernel_size - 1) * dilation + 1
        self.history = self.span - stride
        # Windows are laid out (tap, channel), so that gathering them copies whole frames, and the weight likewise,
        # transposed to [kernel_size * C_in, C_out]: the product x @ weight is the layout BLAS runs fastest here
        # (skinny x of a few frames), measured against linear's x @ weight.T.
        self.register_buffer("weight", weight.detach().permute(2, 1, 0).reshape(-1, out_channels).contiguous())
        self.register_buffer("bias", bias.detach().clone())
        self.register_buffer("cache", torch.zeros(0, self.history, in_channels), persistent=False)

    @classmethod
    def from_conv(cls, layer: CausalConv1d, input_scale: Optional[torch.Tensor] = None) -> "StreamConv":
        """The stream form of `layer`, its input channels multiplied by `input_scale` [C_in] if given."""
        conv = layer.conv
        assert conv.bias is not None
        weight = conv.weight if input_scale is None else conv.weight * input_scale[None, :, None]
        return cls(weight, conv.bias, layer.stride, layer.dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.history > 0:
            if self.cache.shape[0] != x.shape[0]:
                self.cache = torch.zeros(x.shape[0], self.history, self.in_channels, dtype=x.dtype)
            x = torch.cat([self.cache, x], 1)
            self.cache = x.narrow(1, x.shape[1] - self.history, self.history)
        if self.kernel_size > 1:
            windows = x.unfold(1, self.span, self.stride)  # [B, T_out, C_in, span]
            if self.dilation > 1:
                windows = windows[..., ::self.dilation]
            # [B, T_out, kernel_size * C_in], taps major
            x = windows.transpose(2, 3).reshape(x.shape[0], windows.shape[1], -1)
        return torch.baddbmm(self.bias, x, self.weight.expand(x.shape[0], -1, -1))

    @torch.jit.export
    def reset_state(self) -> None:
        self.cache = torch.zeros(0, self.history, self.in_channels)


def snake_scale(snake: Snake) -> torch.Tensor:
    """a = α + 1e-9 [C] (the Snake's own guard): snake(x) = x + sin²(ax) / a up to 1e-9 relative."""
    return snake.alpha.detach().reshape(-1) + 1e-9


class StreamSnake(nn.Module):
    """a · snake(x) = ax + sin²(ax) over channels-last frames [B, T, C]: the Snake without its 1/a, which the
    convolution that follows takes in its weights (`snake_then`)."""

    scale: torch.Tensor  # buffers (registered in __init__), declared for the type checker

    def __init__(self, snake: Snake) -> None:
        super().__init__()
        self.register_buffer("scale", snake_scale(snake).clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u = x * self.scale
        s = torch.sin(u)
        return torch.addcmul(u, s, s)

    @torch.jit.export
    def reset_state(self) -> None:
        pass


class StreamDelay(nn.Module):
    """Pure delay by `samples` frames over [B, T, C] (zeros before the start)."""

    cache: torch.Tensor  # buffers (registered in __init__), declared for the type checker

    def __init__(self, delay: Delay) -> None:
        super().__init__()
        self.channels = delay.channels
        self.samples = delay.samples
        self.register_buffer("cache", torch.zeros(0, self.samples, self.channels), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.samples == 0:
            return x
        length = x.shape[1]
        if self.cache.shape[0] != x.shape[0]:
            self.cache = torch.zeros(x.shape[0], self.samples, self.channels, dtype=x.dtype)
        full = torch.cat([self.cache, x], 1)
        self.cache = full.narrow(1, length, self.samples)
        return full.narrow(1, 0, length)

    @torch.jit.export
    def reset_state(self) -> None:
        self.cache = torch.zeros(0, self.samples, self.channels)


class StreamResidualUnit(nn.Module):
    """`after.codec.layers.ResidualUnit` over [B, T, C]: delayed skip + conv1x1(snake(conv(snake(x)))).

    conv1 takes act1's 1/a; the inner Snake's a is folded into the convolutions around it: conv1 outputs
    u = a·h, so snake(h) = (u + sin²(u)) / a, the 1/a going into conv2's input columns.
    """

    def __init__(self, unit: ResidualUnit) -> None:
        super().__init__()
        conv1, conv2 = unit.conv1, unit.conv2
        assert conv1.conv.bias is not None and conv2.conv.bias is not None
        scale1, scale2 = snake_scale(unit.act1), snake_scale(unit.act2)
        self.act1 = StreamSnake(unit.act1)
        self.conv1 = StreamConv(conv1.conv.weight * scale2[:, None, None] / scale1[None, :, None],
                                conv1.conv.bias * scale2, conv1.stride, conv1.dilation)
        self.conv2 = StreamConv(conv2.conv.weight / scale2[None, :, None], conv2.conv.bias, conv2.stride,
                                conv2.dilation)
        self.skip = StreamDelay(unit.skip)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u = self.conv1(self.act1(x))
        s = torch.sin(u)
        return self.skip(x) + self.conv2(torch.addcmul(u, s, s))

    @torch.jit.export
    def reset_state(self) -> None:
        self.conv1.reset_state()
        self.skip.reset_state()


class StreamUpsample(nn.Module):
    """`after.codec.layers.Upsample` over [B, T, C_in] → [B, T * stride, C_out].

    The convolution's output channels are reordered from (channel, phase) to (phase, channel), so the
    interleaving in time is a reshape of contiguous memory.
    """

    def __init__(self, layer: Upsample, input_scale: Optional[torch.Tensor] = None) -> None:
        """`input_scale` [C_in]: multiplies the input channels (as in `StreamConv.from_conv`)."""
        super().__init__()
        conv = layer.conv.conv
        assert conv.bias is not None
        c_out, stride = layer.out_channels, layer.stride
        weight = conv.weight.detach() if input_scale is None else conv.weight.detach() * input_scale[None, :, None]
        weight = weight.reshape(c_out, stride, *conv.weight.shape[1:]).transpose(0, 1)
        bias = conv.bias.detach().reshape(c_out, stride).transpose(0, 1)
        self.conv = StreamConv(weight.reshape(c_out * stride, *conv.weight.shape[1:]), bias.reshape(-1),
                               layer.conv.stride, layer.conv.dilation)
        self.out_channels = c_out
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)  # [B, T, stride * C_out], phase-major
        return y.reshape(y.shape[0], y.shape[1] * self.stride, self.out_channels)

    @torch.jit.export
    def reset_state(self) -> None:
        self.conv.reset_state()


class StreamGate(nn.Module):
    """Decoder output [B, T, 2M] → bands × sigmoid(envelope) [B, T, M] (as `after.codec.model.Decoder`)."""

    def __init__(self, n_bands: int) -> None:
        super().__init__()
        self.n_bands = n_bands

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.narrow(2, 0, self.n_bands) * torch.sigmoid(x.narrow(2, self.n_bands, self.n_bands))

    @torch.jit.export
    def reset_state(self) -> None:
        pass


class StreamBlock(nn.Module):
    """Stream layers applied in order and compiled together (inlined): one level of an encoder or decoder,
    [B, T, C] → [B, T', C']. Levels made of the same layer classes share one scripted type, so the level's
    code is compiled once for all levels (see `StreamSequence`)."""

    def __init__(self, layers: List[nn.Module]) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x)
        return x

    @torch.jit.export
    def reset_state(self) -> None:
        for layer in self.layers:
            layer.reset_state()


@torch.jit.interface
class StreamLayer(nn.Module):
    """What `StreamSequence` calls on its layers (dispatched at run time, compiled once per layer class)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pass

    def reset_state(self) -> None:
        pass


class StreamSequence(nn.Module):
    """Stream layers applied in order: [B, T, C] → [B, T', C']."""

    def __init__(self, layers: List[nn.Module]) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.n_layers = len(layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for index in range(self.n_layers):
            layer: StreamLayer = self.layers[index]
            x = layer.forward(x)
        return x

    @torch.jit.export
    def reset_state(self) -> None:
        for index in range(self.n_layers):
            layer: StreamLayer = self.layers[index]
            layer.reset_state()


def stream_layer(layer: nn.Module, input_scale: Optional[torch.Tensor] = None) -> nn.Module:
    """The stream form of a convolution, upsampling or residual unit of `after.codec.layers`; `input_scale`
    [C_in] multiplies the input channels of a convolution or upsampling."""
    if isinstance(layer, CausalConv1d):
        return StreamConv.from_conv(layer, input_scale)
    if isinstance(layer, Upsample):
        return StreamUpsample(layer, input_scale)
    if isinstance(layer, ResidualUnit) and input_scale is None:
        return StreamResidualUnit(layer)
    raise TypeError(f"no stream form for {type(layer).__name__}")


def snake_then(snake: Snake, layer: nn.Module) -> List[nn.Module]:
    """The stream form of `layer(snake(x))` (a convolution or upsampling): the Snake's 1/a goes into the
    layer's input channels."""
    return [StreamSnake(snake), stream_layer(layer, 1.0 / snake_scale(snake))]


def pqmf_analysis_layer(pqmf: PQMF) -> StreamConv:
    """PQMF analysis as a causal convolution over blocks [B, N / M, M] → bands [B, N / M, M]."""
    weight = pqmf.analysis_polyphase()
    return StreamConv(weight, torch.zeros(weight.shape[0]))


def pqmf_synthesis_layer(pqmf: PQMF) -> StreamConv:
    """PQMF synthesis as a causal convolution over frames [B, T, M] → blocks of audio [B, T, M]."""
    weight = pqmf.synthesis_polyphase()
    return StreamConv(weight, torch.zeros(weight.shape[0]))


class LayerSource(Protocol):
    def stream_layers(self) -> List[nn.Module]: ...


class StreamableCodec(Protocol):
    """What `StreamingCodec` reads of an `after.codec.model.Codec` (a protocol: that module imports this one)."""

    @property
    def pqmf(self) -> PQMF: ...

    @property
    def encoder(self) -> LayerSource: ...

    @property
    def decoder(self) -> LayerSource: ...


class StreamingCodec(nn.Module):
    """Streaming `encode` / `decode` of a codec: chunks in, chunks out, state kept between calls.

    encode: audio [B, 1, N] → latents [B, latent_size, N / ratio], equal to `Codec.encode_core` on the whole
    signal; decode: latents [B, latent_size, T] → audio [B, 1, T * ratio], equal to `Codec.decode_core`.
    N must be a multiple of `ratio`.
    """

    n_bands: Final[int]

    def __init__(self, codec: StreamableCodec) -> None:
        """`codec`: an `after.codec.model.Codec` in eval mode with weight norm removed."""
        super().__init__()
        self.n_bands = codec.pqmf.n_bands
        self.encoder = StreamSequence([pqmf_analysis_layer(codec.pqmf)] + codec.encoder.stream_layers())
        self.decoder = StreamSequence(codec.decoder.stream_layers() + [pqmf_synthesis_layer(codec.pqmf)])

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        blocks = x.reshape(x.shape[0], -1, self.n_bands)  # [B, N / M, M]: consecutive samples
        return self.encoder(blocks).transpose(1, 2)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        blocks = self.decoder(z.transpose(1, 2))  # [B, N / M, M]
        return blocks.reshape(blocks.shape[0], 1, -1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))

    @torch.jit.export
    def reset_state(self) -> None:
        self.encoder.reset_state()
        self.decoder.reset_state()
