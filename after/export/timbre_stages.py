"""The timbre encoder of an export cut into stages of about equal cost (scriptable).

At host buffers below half a chunk every call of a streaming export already carries half a sub-chunk's Euler
steps (`after.export.streaming`); an encoding of the timbre window in one call (≈ 1.5 Euler steps of `base`)
made that call the slowest of the stream. Run stage by stage, one stage per call, the encoding adds about a
quarter of that to each of four calls instead.

Stages of `after.diffusion.networks.timbre_encoder.TimbreEncoder` (its `forward`, cut between blocks):
standardise + input TDNN + first SE-Res2Net block; each further block; the multi-layer aggregation; the
attentive statistics pooling with its norm and projection. The value passed between stages is the running
activation `x` [B, channels, T] and the block outputs the aggregation reads, concatenated along the channels
(`features` [B, Σ channels, T]; one tensor, so that an export can hold it as plain state); the last stage
returns the timbre vector [B, zt] as `x`. Running every stage in order equals the encoder's `forward` exactly
(`tests/test_export_audio.py`).
"""

from typing import List, Tuple

import torch
from torch import nn


@torch.jit.interface
class TimbreStageInterface(nn.Module):
    """One stage: (activation, block outputs so far) → (activation, block outputs so far)."""

    def forward(self, x: torch.Tensor, features: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        pass


class InputStage(nn.Module):
    """Raw latents [B, C, T] → standardised → input TDNN → first block [B, channels, T]."""

    def __init__(self, standardizer: nn.Module, input_block: nn.Module, block: nn.Module) -> None:
        super().__init__()
        self.standardizer = standardizer
        self.input_block = input_block
        self.block = block

    def forward(self, x: torch.Tensor, features: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.block(self.input_block(self.standardizer.normalize(x)))
        return h, h


class BlockStage(nn.Module):
    """One further SE-Res2Net block; its output joins the aggregated features."""

    def __init__(self, block: nn.Module) -> None:
        super().__init__()
        self.block = block

    def forward(self, x: torch.Tensor, features: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.block(x)
        return h, torch.cat([features, h], dim=1)


class AggregationStage(nn.Module):
    """The 1×1 TDNN over the concatenated block outputs."""

    def __init__(self, aggregation: nn.Module) -> None:
        super().__init__()
        self.aggregation = aggregation

    def forward(self, x: torch.Tensor, features: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.aggregation(features), features[:, :0]


class PoolingStage(nn.Module):
    """Attentive statistics pooling → norm → projection: the timbre vector [B, zt]."""

    def __init__(self, pooling: nn.Module, norm: nn.Module, projection: nn.Module) -> None:
        super().__init__()
        self.pooling = pooling
        self.norm = norm
        self.projection = projection

    def forward(self, x: torch.Tensor, features: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.projection(self.norm(self.pooling(x))), features


class StagedTimbreEncoder(nn.Module):
    """Raw codec latents [B, C, T] → timbre vector [B, zt], whole (`forward`) or one stage at a time (`stage`,
    `stage_count`). `encoder`: a `TimbreEncoder` (its eval form, `after.export.inference.inference_form`);
    `standardizer`: the run's `LatentStandardizer`."""

    def __init__(self, encoder: nn.Module, standardizer: nn.Module) -> None:
        super().__init__()
        blocks = list(encoder.blocks)
        stages: List[nn.Module] = [InputStage(standardizer, encoder.input_block, blocks[0])]
        stages += [BlockStage(block) for block in blocks[1:]]
        stages += [AggregationStage(encoder.aggregation),
                   PoolingStage(encoder.pooling, encoder.pooled_norm, encoder.projection)]
        self.stages = nn.ModuleList(stages)
        self.n_stages = len(stages)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        x = z
        features = z[:, :0]
        for index in range(self.n_stages):
            x, features = self.stage(index, x, features)
        return x

    @torch.jit.export
    def stage_count(self) -> int:
        return self.n_stages

    @torch.jit.export
    def stage(self, index: int, x: torch.Tensor, features: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Stage `index` (0 … stage_count() − 1): stage 0 takes raw latents, the last returns the vector."""
        stage: TimbreStageInterface = self.stages[index]
        return stage.forward(x, features)
