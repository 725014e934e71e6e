"""Pitch pinning: the generated latents take their pitch channel from the structure, not from the flow.

With a codec whose first latent channel *is* the pitch (the harmonic codec, `after.codec.harmonic`), the
melody of a transfer is known exactly before sampling: the source's own pitch channel (audio→audio) or the
piano roll's notes (MIDI→audio). A flow trained for minutes generates that channel a fraction of a semitone
off and wavering, which is enough for a listener and a transcriber to hear wrong notes, while the other
channels (loudness, periodicity, timbre code) tolerate the same relative error. So models trained with
`model.pitch_pin` overwrite channel 0 of their raw output latents wherever the structure says
what the pitch is, and let the flow generate everything else.

Pins are (value, mask) pairs per frame, in raw codec units (`(MIDI pitch - 69) / 12` for the harmonic codec):
- audio models: the source's raw pitch channel, everywhere (the codec holds it through rests);
- MIDI models: the highest sounding note of the piano roll; frames without a note keep the generated value.
"""

from typing import Tuple

import torch


def piano_roll_pins(roll: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    """Piano roll [B, 128, T] (velocity / 127 per pitch) → (pitch value [B, T] in raw codec units, mask [B, T]
    with 1 where a note sounds)."""
    pitches = torch.arange(roll.shape[1], dtype=roll.dtype, device=roll.device).view(1, -1, 1)
    sounding = roll > 0
    highest = torch.where(sounding, pitches, torch.full_like(roll, -1.0)).amax(dim=1)
    mask = (highest >= 0).to(roll.dtype)
    value = (highest.clamp_min(0.0) - 69.0) / 12.0
    return value, mask


def pin_pitch(latents: torch.Tensor, value: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Raw latents [B, C, T] with channel 0 replaced by `value` [B, T] where `mask` [B, T] is 1."""
    pinned = torch.where(mask > 0.5, value, latents[:, 0])
    return torch.cat([pinned.unsqueeze(1), latents[:, 1:]], dim=1)
