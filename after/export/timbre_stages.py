"""The timbre encoder of an export cut into small stages of about equal cost (scriptable).

At host buffers below half a chunk every call of a streaming export already carries half a sub-chunk's Euler
steps (`after.export.streaming`); an encoding of the timbre window in one call (≈ 1.5 Euler steps of `base`)
made that call the slowest of the stream. Run one stage per call, the encoding adds a fraction of that to each
of several calls instead.

Stages of `after.diffusion.networks.timbre_encoder.TimbreEncoder` (its `forward`, cut where the work splits
evenly; `base`, one thread, quiet box: 1.3–1.9 ms each, the whole encoder ≈ 8 ms):
1. standardise → input TDNN → first half of the first SE-Res2Net block (1×1 TDNN → Res2Net);
2. the block's second half (1×1 TDNN → squeeze-excitation, plus the residual);
3. … the same two halves for every further block;
4. the multi-layer aggregation (a 1×1 TDNN, frame by frame) over the first half of the frames, then the rest;
5. the attentive pooling's attention logits, then the softmax-weighted statistics → norm → projection.

Between stages three tensors travel: `x` (the running activation; the timbre vector [B, zt] after the last
stage), `features` (block outputs the aggregation reads, concatenated along the channels) and `held` (what a
stage leaves for the next one: a block's input for its residual, aggregated frames, attention logits). Running
every stage in order computes what the encoder's `forward` computes, in the same operations
(`tests/export/test_audio.py::test_staged_timbre_encoder_equals_the_encoder`).
"""

from typing import List, Tuple, cast

import torch
from torch import nn

from after.diffusion.networks.timbre_encoder import (
    AttentiveStatisticsPooling,
    SERes2NetBlock,
    TimbreEncoder,
)

Carried = Tuple[torch.Tensor, torch.Tensor, torch.Tensor]  # (x, features, held)


@torch.jit.interface
class TimbreStageInterface(nn.Module):
    def forward(self, x: torch.Tensor, features: torch.Tensor, held: torch.Tensor) -> Carried:
        pass


class BlockFirstHalf(nn.Module):
    """1×1 TDNN → Res2Net of an SE-Res2Net block; the block's input is held for the residual."""

    def __init__(self, block: SERes2NetBlock) -> None:
        super().__init__()
        self.reduce = block.body[0]
        self.res2net = block.body[1]

    def forward(self, x: torch.Tensor, features: torch.Tensor, held: torch.Tensor) -> Carried:
        return self.res2net(self.reduce(x)), features, x


class InputAndBlockFirstHalf(nn.Module):
    """Raw latents → standardised → the encoder's input TDNN → the first block's first half."""

    def __init__(self, standardizer: nn.Module, input_block: nn.Module, block: SERes2NetBlock) -> None:
        super().__init__()
        self.standardizer = standardizer
        self.input_block = input_block
        self.block_half = BlockFirstHalf(block)

    def forward(self, x: torch.Tensor, features: torch.Tensor, held: torch.Tensor) -> Carried:
        return self.block_half(self.input_block(self.standardizer.normalize(x)), features, held)


class BlockSecondHalf(nn.Module):
    """1×1 TDNN → squeeze-excitation, plus the residual of the held block input; the output joins `features`."""

    def __init__(self, block: SERes2NetBlock) -> None:
        super().__init__()
        self.expand = block.body[2]
        self.excitation = block.body[3]
        self.residual = block.residual

    def forward(self, x: torch.Tensor, features: torch.Tensor, held: torch.Tensor) -> Carried:
        h = self.excitation(self.expand(x)) + self.residual(held)
        return h, torch.cat([features, h], dim=1), held[:, :0]


class AggregationPart(nn.Module):
    """The aggregation TDNN (1×1: frame by frame) over frames [start, start + frames) of `features`, appended
    to the held frames; the last part hands the whole aggregated sequence on as `x`."""

    def __init__(self, aggregation: nn.Module, first: bool) -> None:
        super().__init__()
        self.aggregation = aggregation
        self.first = first

    def forward(self, x: torch.Tensor, features: torch.Tensor, held: torch.Tensor) -> Carried:
        half = features.size(2) // 2
        if self.first:
            return x, features, self.aggregation(features[:, :, :half])
        h = torch.cat([held, self.aggregation(features[:, :, half:])], dim=2)
        return h, features[:, :0], held[:, :0]


class PoolingLogits(nn.Module):
    """The attentive pooling's attention logits [B, C, T] from x and its global mean and std (held)."""

    def __init__(self, pooling: AttentiveStatisticsPooling) -> None:
        super().__init__()
        self.attention = pooling.attention

    def forward(self, x: torch.Tensor, features: torch.Tensor, held: torch.Tensor) -> Carried:
        frames = x.size(2)
        mean = x.mean(dim=2, keepdim=True)
        std = (x - mean).pow(2).mean(dim=2, keepdim=True).clamp_min(1e-8).sqrt()
        context = torch.cat([x, mean.expand(-1, -1, frames), std.expand(-1, -1, frames)], dim=1)
        return x, features, self.attention(context)


class PoolingStatistics(nn.Module):
    """Softmax-weighted mean ‖ std of x under the held logits → norm → projection: the timbre vector."""

    def __init__(self, norm: nn.Module, projection: nn.Module) -> None:
        super().__init__()
        self.norm = norm
        self.projection = projection

    def forward(self, x: torch.Tensor, features: torch.Tensor, held: torch.Tensor) -> Carried:
        weights = torch.softmax(held, dim=2)
        weighted_mean = (weights * x).sum(dim=2)
        weighted_std = (weights * (x - weighted_mean.unsqueeze(2)).pow(2)).sum(dim=2).clamp_min(1e-8).sqrt()
        vector = self.projection(self.norm(torch.cat([weighted_mean, weighted_std], dim=1)))
        return vector, features, held[:, :0]


class StagedTimbreEncoder(nn.Module):
    """Raw codec latents [B, C, T] → timbre vector [B, zt], whole (`forward`) or one stage at a time (`stage`,
    `stage_count`; stage 0 takes the latents as x, empty features and held). `encoder`: a `TimbreEncoder` (its
    eval form, `after.export.inference.inference_form`); `standardizer`: the run's `LatentStandardizer`."""

    def __init__(self, encoder: TimbreEncoder, standardizer: nn.Module) -> None:
        super().__init__()
        stages: List[nn.Module] = []
        for index, module in enumerate(encoder.blocks):
            block = cast(SERes2NetBlock, module)  # the encoder builds its blocks as SERes2NetBlock
            first = InputAndBlockFirstHalf(standardizer, encoder.input_block, block) if index == 0 else \
                BlockFirstHalf(block)
            stages += [first, BlockSecondHalf(block)]
        stages += [AggregationPart(encoder.aggregation, True), AggregationPart(encoder.aggregation, False),
                   PoolingLogits(encoder.pooling), PoolingStatistics(encoder.pooled_norm, encoder.projection)]
        self.stages = nn.ModuleList(stages)
        self.n_stages = len(stages)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x, features, held = z, z[:, :0], z[:, :0]
        for index in range(self.n_stages):
            x, features, held = self.stage(index, x, features, held)
        return x

    @torch.jit.export
    def stage_count(self) -> int:
        return self.n_stages

    @torch.jit.export
    def stage(self, index: int, x: torch.Tensor, features: torch.Tensor, held: torch.Tensor) -> Carried:
        """Stage `index` (0 … stage_count() − 1); see the module docstring for what travels."""
        stage: TimbreStageInterface = self.stages[index]
        return stage.forward(x, features, held)
