"""The streaming form of the harmonic codec (what its `export_stream.ts` runs).

`StreamingHarmonicCodec(codec)` calls the same block functions as offline `HarmonicCodec.encode` / `decode`
and keeps their state between calls, per batch item: the last `frame_length - hop` input samples, the held
pitch and the timbre GRU's state for `encode`; the decoder GRU's state, the last frame's f0 and harmonic
amplitudes, the oscillator phase and the noise filter's tail for `decode`. State starts empty, is re-created
when the batch size changes and by `reset_state()`.

Feeding audio in blocks of whole hops gives the offline latents delayed by `lookahead_frames` frames
(`encode_shift_frames`), and decoding latents in blocks gives the offline audio (with other noise samples).
"""

from typing import List

import torch
from torch import nn

from after.codec.harmonic import PITCH_CENTRE, HarmonicCodec


class StreamingHarmonicCodec(nn.Module):
    """encode: [B, 1, N] → [B, C, N / hop] (N a multiple of hop); decode: [B, C, T] → [B, 1, T * hop]."""

    decoder_state: List[torch.Tensor]

    def __init__(self, codec: HarmonicCodec) -> None:
        super().__init__()
        self.codec = codec.eval()
        self.ratio = codec.ratio
        self.latent_size = codec.latent_size
        self.history_length = codec.frame_length - codec.ratio
        self.encoder_hidden_size = codec.encoder.timbre_rnn.hidden_size
        self.pitch_centre = PITCH_CENTRE
        self.history = torch.zeros(0, self.history_length)
        self.pitch = torch.zeros(0)
        self.encoder_hidden = torch.zeros(1, 0, self.encoder_hidden_size)
        self.decoder_state = []

    @torch.jit.export
    def reset_state(self) -> None:
        self.history = torch.zeros(0, self.history_length)
        self.pitch = torch.zeros(0)
        self.encoder_hidden = torch.zeros(1, 0, self.encoder_hidden_size)
        self.decoder_state = []

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        batch = x.shape[0]
        if self.history.shape[0] != batch:
            self.history = x.new_zeros(batch, self.history_length)
            self.pitch = x.new_full((batch,), self.pitch_centre)
            self.encoder_hidden = x.new_zeros(1, batch, self.encoder_hidden_size)
        frames = self.codec.frames(x, self.history)
        signal_tail = torch.cat([self.history, x[:, 0]], -1)
        z, self.pitch, self.encoder_hidden = self.codec.encoder.encode_frames(frames, self.pitch,
                                                                              self.encoder_hidden)
        self.history = signal_tail[:, signal_tail.shape[1] - self.history_length:].contiguous()
        return z

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        if len(self.decoder_state) == 0 or self.decoder_state[0].shape[1] != z.shape[0]:
            self.decoder_state = self.codec.decoder.initial_state(z)
        audio, self.decoder_state = self.codec.decoder.decode_frames(z, self.decoder_state)
        return audio

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))
