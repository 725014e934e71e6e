"""Eval-only forms of the networks for export (`after.export.inference`): the same outputs as the trained
modules in eval mode, with batch norms folded, dropouts gone and every convolution of one scripted class."""

import pytest
import torch
from torch import nn

from after.diffusion.streaming import StreamingStructureEncoder
from after.export.inference import ChannelAffine, SharedConv1d, inference_form
from tests.helpers.small_diffusion import LATENT_SIZE, small_networks

torch.set_num_threads(1)


def with_running_statistics(module: nn.Module, seed: int = 0) -> nn.Module:
    """Random running statistics and affine parameters in every batch norm (fresh ones are the identity)."""
    generator = torch.Generator().manual_seed(seed)
    for norm in module.modules():
        if isinstance(norm, nn.BatchNorm1d):
            size = norm.num_features
            norm.running_mean.copy_(torch.randn(size, generator=generator))
            norm.running_var.copy_(torch.rand(size, generator=generator) + 0.5)
            if norm.affine:
                with torch.no_grad():
                    norm.weight.copy_(torch.randn(size, generator=generator))
                    norm.bias.copy_(torch.randn(size, generator=generator))
    return module.eval()


@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("shape", [(3, 8), (3, 8, 5)])
def test_channel_affine_equals_batch_norm_in_eval(affine, shape):
    norm = with_running_statistics(nn.BatchNorm1d(8, affine=affine))
    x = torch.randn(*shape)
    torch.testing.assert_close(ChannelAffine(norm)(x), norm(x))


@pytest.mark.parametrize("padding_mode,padding", [("zeros", 0), ("zeros", 2), ("reflect", 2)])
def test_shared_conv_equals_conv1d(padding_mode, padding):
    conv = nn.Conv1d(4, 6, 5, dilation=2 if padding == 2 else 1, padding=padding, padding_mode=padding_mode)
    x = torch.randn(2, 4, 16)
    torch.testing.assert_close(SharedConv1d(conv)(x), conv(x))


def test_shared_conv_refuses_what_it_does_not_compute():
    with pytest.raises(ValueError, match="groups 2"):
        SharedConv1d(nn.Conv1d(4, 4, 3, groups=2))


def test_networks_in_inference_form_match_eval_mode():
    networks = small_networks()
    timbre = with_running_statistics(networks.timbre_encoder, seed=1)
    structure = with_running_statistics(networks.structure_encoder, seed=2)
    z = torch.randn(2, LATENT_SIZE, 24)
    with torch.no_grad():
        torch.testing.assert_close(inference_form(timbre)(z), timbre(z))
        torch.testing.assert_close(inference_form(structure)(z), structure(z))
        streamed = StreamingStructureEncoder(inference_form(structure))
        torch.testing.assert_close(torch.cat([streamed(z[..., :10]), streamed(z[..., 10:])], dim=2), structure(z))
    assert timbre.training is False and any(isinstance(m, nn.BatchNorm1d) for m in timbre.modules()), \
        "the trained module is left as it was"


def test_inference_form_scripts_with_one_class_per_layer_kind():
    """Every convolution (and every Res2Net branch) shares one scripted class: compiled once, not per shape."""
    networks = small_networks()
    scripted = torch.jit.script(inference_form(with_running_statistics(networks.timbre_encoder)))
    kinds = {}
    for module in scripted.modules():
        kinds.setdefault(module.original_name, set()).add(module._c._type().qualified_name())
    assert "BatchNorm1d" not in kinds and "Dropout" not in kinds and "Conv1d" not in kinds
    assert len(kinds["SharedConv1d"]) == 1 and len(kinds["TDNNBlock"]) == 1
    z = torch.randn(2, LATENT_SIZE, 24)
    torch.testing.assert_close(scripted(z), networks.timbre_encoder(z))
