"""Eval-only forms of trained networks for export: the same function, a smaller TorchScript graph.

A TorchScript module is profiled on its first call and optimised on its second; both cost time in proportion
to the nodes of the inlined graph, and the first two calls are what a musician waits for after loading a model
in nn~. In eval mode a `BatchNorm1d` is a fixed per-channel affine map, yet its module code (training
branches, running-statistics updates, input checks) inlines to about 40 nodes per instance; a `Dropout` is the
identity but still carries its argument checks. And `nn.Conv1d` keeps its sizes as TorchScript constants, so
every convolution shape is a scripted class of its own, compiled at load and again wherever it runs.
`inference_form` swaps the three for eval-mode equivalents (equal up to float rounding) whose instances all
share one scripted class each; blocks built from them then share a class too, which the networks' calls
through interfaces turn into code compiled once.
"""

import copy
from typing import TypeVar

import torch
import torch.nn.functional as F
from torch import nn


class ChannelAffine(nn.Module):
    """An eval-mode `BatchNorm1d` folded into x · scale + shift per channel: [B, C] or [B, C, T] → same."""

    scale: torch.Tensor  # buffers (registered in __init__), declared for the type checker
    shift: torch.Tensor

    def __init__(self, norm: nn.BatchNorm1d) -> None:
        super().__init__()
        if norm.running_mean is None or norm.running_var is None:
            raise ValueError("inference_form: a BatchNorm1d without running statistics cannot be folded")
        scale = torch.rsqrt(norm.running_var + norm.eps)
        shift = -norm.running_mean * scale
        if norm.affine:
            scale = scale * norm.weight
            shift = shift * norm.weight + norm.bias
        self.register_buffer("scale", scale.detach().clone())
        self.register_buffer("shift", shift.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 3:
            return torch.addcmul(self.shift.unsqueeze(1), x, self.scale.unsqueeze(1))
        return torch.addcmul(self.shift, x, self.scale)


class SharedConv1d(nn.Module):
    """An `nn.Conv1d` (groups 1, zero or reflect padding) as one matrix product over its input windows, with
    its sizes as plain attributes so that all instances share one scripted class: [B, C_in, T] →
    [B, C_out, T'].

    A product rather than `F.conv1d`: for the few frames of a streaming call at batch 1, PyTorch's CPU
    convolution takes its slow im2col path; the windows of a few frames are cheap to gather, and the product
    then reads each weight once.
    """

    weight: torch.Tensor  # buffers (registered in __init__), declared for the type checker
    bias: torch.Tensor

    def __init__(self, conv: nn.Conv1d) -> None:
        super().__init__()
        if isinstance(conv.padding, str) or conv.padding_mode not in ("zeros", "reflect") or conv.groups != 1:
            raise ValueError(f"inference_form: unsupported Conv1d (padding {conv.padding!r}, "
                             f"{conv.padding_mode}, groups {conv.groups})")
        out_channels, in_channels, kernel_size = conv.weight.shape
        # [C_in * k, C_out], rows ordered (channel, tap) as the windows below.
        self.register_buffer("weight", conv.weight.detach().reshape(out_channels, -1).t().contiguous())
        bias = conv.bias if conv.bias is not None else conv.weight.new_zeros(out_channels)
        self.register_buffer("bias", bias.detach().clone())
        self.stride = conv.stride[0]
        self.dilation = conv.dilation[0]
        self.span = (kernel_size - 1) * self.dilation + 1
        self.padding = conv.padding[0]
        self.reflect = conv.padding_mode == "reflect"

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.padding > 0:
            x = F.pad(x, [self.padding, self.padding], mode="reflect" if self.reflect else "constant")
        windows = x.unfold(2, self.span, self.stride)  # [B, C_in, T', span]
        if self.dilation > 1:
            windows = windows[..., ::self.dilation]
        columns = windows.transpose(1, 2).reshape(x.shape[0], windows.shape[2], -1)  # [B, T', C_in * k]
        return torch.matmul(columns, self.weight).add_(self.bias).transpose(1, 2)


M = TypeVar("M", bound=nn.Module)


def inference_form(module: M) -> M:
    """An eval-mode copy of `module` with every `BatchNorm1d` folded (`ChannelAffine`), every `Dropout`
    replaced by the identity and every `Conv1d` by a `SharedConv1d`; `module` itself is left untouched. Same
    outputs as `module.eval()`."""
    copied = copy.deepcopy(module).eval()
    _replace_children(copied)
    return copied


def _replace_children(module: nn.Module) -> None:
    for name, child in module.named_children():
        if isinstance(child, nn.BatchNorm1d):
            setattr(module, name, ChannelAffine(child))
        elif isinstance(child, nn.Dropout):
            setattr(module, name, nn.Identity())
        elif isinstance(child, nn.Conv1d):
            setattr(module, name, SharedConv1d(child))
        else:
            _replace_children(child)
