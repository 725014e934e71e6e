"""Training losses of the codec (training code only: torch.stft is fine here, it is never exported)."""

from typing import List, Sequence

import torch


def stft_magnitude(x: torch.Tensor, n_fft: int) -> torch.Tensor:
    """|STFT| of audio [B, 1, N] with a Hann window and hop n_fft / 4 → [B, n_fft / 2 + 1, frames]."""
    window = torch.hann_window(n_fft, device=x.device, dtype=x.dtype)
    spec = torch.stft(x.reshape(-1, x.shape[-1]), n_fft, hop_length=n_fft // 4, window=window,
                      return_complex=True)
    return spec.abs()


def multiresolution_stft_distance(y: torch.Tensor, x: torch.Tensor, scales: Sequence[int],
                                  eps: float = 1e-7) -> torch.Tensor:
    """Mean over scales of spectral convergence + L1 log-magnitude distance (Yamamoto et al. 2020).

    y, x: audio [B, 1, N] (reconstruction, target). `eps` floors the magnitudes inside the logarithm: at the
    reference's 1e-7, digital silence weighs as much as a loud partial. Returns a scalar (0 for identical signals).
    """
    total = y.new_zeros(())
    for n_fft in scales:
        ym, xm = stft_magnitude(y.float(), n_fft), stft_magnitude(x.float(), n_fft)
        convergence = torch.linalg.norm(xm - ym) / (torch.linalg.norm(xm) + eps)
        log_distance = (torch.log(ym + eps) - torch.log(xm + eps)).abs().mean()
        total = total + convergence + log_distance
    return total / len(scales)


def feature_matching(real: List[List[torch.Tensor]], fake: List[List[torch.Tensor]]) -> torch.Tensor:
    """Relative L1 between discriminator features of real and reconstructed audio (each scale, each layer),
    normalised by the real features' magnitude, averaged."""
    terms = []
    for real_scale, fake_scale in zip(real, fake):
        for r, f in zip(real_scale, fake_scale):
            r = r.detach()
            terms.append((r - f).abs().mean() / (r.abs().mean() + 1e-6))
    return torch.stack(terms).mean()


def hinge_discriminator(real_logits: List[torch.Tensor], fake_logits: List[torch.Tensor]) -> torch.Tensor:
    """Hinge loss of the discriminator, averaged over scales."""
    terms = [torch.relu(1 - r).mean() + torch.relu(1 + f).mean() for r, f in zip(real_logits, fake_logits)]
    return torch.stack(terms).mean()


def hinge_generator(fake_logits: List[torch.Tensor]) -> torch.Tensor:
    """Hinge adversarial loss of the generator, averaged over scales."""
    return torch.stack([torch.relu(1 - f).mean() for f in fake_logits]).mean()
