"""The harmonic codec (`--config ddspAE`): explicit pitch and loudness plus a small learned timbre code,
decoded by a harmonic-plus-noise synthesiser (DDSP, Engel et al. 2020).

Why a second codec family: the convolutional codec (`baseAE`, `smallAE`) must learn pitch from data, which
takes GPU-days; on a CPU budget its reconstructions keep almost no notes. Here pitch is measured (YIN, see
`after.codec.pitch`) and synthesised exactly, so the codec keeps the notes from its first step and training
only has to learn the timbre: the harmonic amplitudes and the noise colour as functions of pitch, loudness and
the timbre code. It covers monophonic, pitched sounds (one f0 per frame); chords and mixes need `baseAE`.

Latents [B, 3 + timbre_size, T], one frame per `hop` samples, in this channel order (the first
`STRUCTURE_CHANNELS` are what a melody is made of, the rest is timbre):
  0 pitch: (MIDI pitch - 69) / 12, held through unvoiced frames;
  1 loudness: (dB + 40) / 20 of the frame's mean square (-80 dB floor);
  2 periodicity: 2 p - 1, p in [0, 1] from YIN;
  3... timbre code: a causal GRU over log-mel frames.

Time alignment: latent frame t describes the signal at the end of its hop, sample (t + 1) * hop; its analysis
window (the newest `yin_window` samples) is centred there, which needs `lookahead_frames` = 1 frame of audio
after the hop. The decoder moves every control linearly from frame t - 1 to frame t across frame t's hop.

Both halves are written once, on blocks of frames with explicit state (`encode_frames`, `decode_frames`):
offline `encode` / `decode` call them with a fresh state, the streaming export carries the state between host
buffers (`after.codec.harmonic_streaming`), so streaming equals offline.
"""

import math
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from after.codec.config import CodecModelConfig
from after.codec.pitch import FrameAnalyser, hold_pitch, hz_from_midi, midi_from_hz

STRUCTURE_CHANNELS = 3
PITCH_CENTRE, PITCH_SCALE = 69.0, 12.0
LOUDNESS_CENTRE, LOUDNESS_SCALE = -40.0, 20.0
VOICED_PERIODICITY = 0.5
LOG_MEL_FLOOR = 1e-6
NOISE_OFFSET = 4.0  # noise bands start 1/55 of the harmonic level


def mel_filterbank(sample_rate: int, n_fft: int, n_mels: int) -> torch.Tensor:
    """Triangular mel filters [n_mels, n_fft / 2 + 1] (HTK mel scale, 40 Hz to Nyquist)."""

    def mel(hz: torch.Tensor) -> torch.Tensor:
        return 2595.0 * torch.log10(1.0 + hz / 700.0)

    def hz(m: torch.Tensor) -> torch.Tensor:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    bins = torch.linspace(0.0, sample_rate / 2, n_fft // 2 + 1, dtype=torch.float64)
    edges = hz(torch.linspace(float(mel(torch.tensor(40.0))), float(mel(torch.tensor(sample_rate / 2.0))),
                              n_mels + 2, dtype=torch.float64))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bins - lower) / (centre - lower)
    falling = (upper - bins) / (upper - centre)
    return torch.clamp(torch.minimum(rising, falling), min=0.0).float()


def ramp_frames(previous: torch.Tensor, frames: torch.Tensor, hop: int) -> torch.Tensor:
    """Per-sample linear ramps from each frame's predecessor to the frame, across its hop.

    previous: [B, K] (the frame before the block); frames: [B, T, K] → [B, T * hop, K].
    """
    before = torch.cat([previous.unsqueeze(1), frames[:, :-1]], 1)
    weight = torch.arange(1, hop + 1, device=frames.device, dtype=frames.dtype).div(hop).view(1, 1, hop, 1)
    ramp = before.unsqueeze(2) + (frames - before).unsqueeze(2) * weight  # [B, T, hop, K]
    return ramp.reshape(frames.shape[0], frames.shape[1] * hop, frames.shape[2])


class HarmonicEncoder(nn.Module):
    """Analysis frames → latents. frames [B, T, frame_length] (frame t ends `lookahead` hops after the end of
    latent frame t's hop) → latents [B, 3 + timbre_size, T]."""

    def __init__(self, cfg: CodecModelConfig) -> None:
        super().__init__()
        h = cfg.harmonic
        self.analyser = FrameAnalyser(cfg.sample_rate, h.yin_window, h.f0_min, h.f0_max, h.yin_threshold)
        self.window_size = h.yin_window
        self.register_buffer("window", torch.hann_window(h.yin_window), persistent=False)
        self.register_buffer("mel", mel_filterbank(cfg.sample_rate, h.yin_window, h.n_mels), persistent=False)
        self.timbre_in = nn.Linear(h.n_mels + STRUCTURE_CHANNELS, h.encoder_hidden)
        self.timbre_rnn = nn.GRU(h.encoder_hidden, h.encoder_hidden, batch_first=True)
        self.timbre_out = nn.Linear(h.encoder_hidden, cfg.latent_size - STRUCTURE_CHANNELS)
        self.voiced_periodicity = VOICED_PERIODICITY
        self.log_mel_floor = LOG_MEL_FLOOR
        self.pitch_centre, self.pitch_scale = PITCH_CENTRE, PITCH_SCALE
        self.loudness_centre, self.loudness_scale = LOUDNESS_CENTRE, LOUDNESS_SCALE

    @property
    def frame_length(self) -> int:
        return self.analyser.frame_length

    def controls(self, frames: torch.Tensor, previous_pitch: torch.Tensor) -> torch.Tensor:
        """The structure channels [B, 3, T] (no parameters, no gradient needed). previous_pitch: [B] MIDI."""
        batch, steps = frames.shape[0], frames.shape[1]
        f0, periodicity, loudness = self.analyser(frames.reshape(batch * steps, -1))
        pitch = midi_from_hz(f0).view(batch, steps)
        periodicity = periodicity.view(batch, steps)
        pitch = hold_pitch(pitch, periodicity >= self.voiced_periodicity, previous_pitch)
        return torch.stack([(pitch - self.pitch_centre) / self.pitch_scale,
                            (loudness.view(batch, steps) - self.loudness_centre) / self.loudness_scale,
                            2.0 * periodicity - 1.0], 1)

    def log_mel(self, frames: torch.Tensor) -> torch.Tensor:
        """Log-mel spectrum of each frame's newest window: [B, T, frame_length] → [B, T, n_mels]."""
        newest = frames[:, :, frames.shape[2] - self.window_size:] * self.window
        power = torch.fft.rfft(newest).abs().pow(2)
        return torch.log10(torch.matmul(power, self.mel.t()) + self.log_mel_floor) / 4.0 + 1.0

    def encode_frames(self, frames: torch.Tensor, previous_pitch: torch.Tensor,
                      hidden: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """frames [B, T, L], previous_pitch [B] (MIDI), hidden [1, B, H] → (latents [B, C, T], the last held
        pitch [B], the new hidden state)."""
        with torch.no_grad():
            controls = self.controls(frames, previous_pitch)
        features = torch.cat([self.log_mel(frames), controls.transpose(1, 2)], -1)
        states, hidden = self.timbre_rnn(torch.tanh(self.timbre_in(features)), hidden)
        timbre = self.timbre_out(states).transpose(1, 2)
        last_pitch = controls[:, 0, -1] * self.pitch_scale + self.pitch_centre
        return torch.cat([controls, timbre], 1), last_pitch, hidden


class HarmonicDecoder(nn.Module):
    """Latents [B, C, T] → audio [B, 1, T * hop]: a causal GRU predicts, per frame, the level of the harmonic
    part, its distribution over `n_harmonics` harmonics of the pitch channel's f0, and the magnitudes of
    `n_noise_bands` linearly spaced noise bands; harmonic oscillators and filtered noise render them."""

    def __init__(self, cfg: CodecModelConfig) -> None:
        super().__init__()
        h = cfg.harmonic
        self.hop = cfg.ratio
        self.sample_rate = float(cfg.sample_rate)
        self.n_harmonics = h.n_harmonics
        self.n_noise = h.n_noise_bands
        self.ir_length = 2 * (h.n_noise_bands - 1)
        if self.ir_length > self.hop:
            raise ValueError(f"harmonic.n_noise_bands must be ≤ hop / 2 + 1 = {self.hop // 2 + 1}")
        self.fft_size = 1 << (self.hop + self.ir_length - 1).bit_length()
        width = h.decoder_hidden
        self.input = nn.Linear(cfg.latent_size, width)
        self.rnn = nn.GRU(width, width, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(width + cfg.latent_size, width), nn.LeakyReLU(0.1),
                                 nn.Linear(width, width), nn.LeakyReLU(0.1))
        self.head = nn.Linear(width, 1 + h.n_harmonics + h.n_noise_bands)
        with torch.no_grad():  # a 1/k harmonic slope at the measured loudness: a plausible tone from step 0
            self.head.bias[1:1 + h.n_harmonics].copy_(-torch.log(torch.arange(1.0, h.n_harmonics + 1)))
        self.pitch_centre, self.pitch_scale = PITCH_CENTRE, PITCH_SCALE
        self.loudness_centre, self.loudness_scale = LOUDNESS_CENTRE, LOUDNESS_SCALE
        self.noise_offset = NOISE_OFFSET
        self.register_buffer("harmonic_numbers", torch.arange(1.0, h.n_harmonics + 1), persistent=False)
        self.register_buffer("ir_window", torch.hann_window(self.ir_length, periodic=False), persistent=False)

    def frame_parameters(self, latents: torch.Tensor, hidden: torch.Tensor
                         ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """latents [B, C, T] → (f0 [B, T] Hz, harmonic amplitudes [B, T, K], noise magnitudes [B, T, M], hidden)."""
        x = latents.transpose(1, 2)
        states, hidden = self.rnn(torch.tanh(self.input(x)), hidden)
        params = self.head(self.mlp(torch.cat([states, x], -1)))
        f0 = hz_from_midi(x[:, :, 0] * self.pitch_scale + self.pitch_centre).clamp(1.0, self.sample_rate / 2)
        # Levels relative to the loudness channel: a sinusoid of amplitude a has mean square a^2 / 2, so the
        # untrained network already plays at the measured loudness and training learns a correction (0-2x).
        loudness_db = x[:, :, 1:2] * self.loudness_scale + self.loudness_centre
        amplitude = math.sqrt(2.0) * torch.pow(10.0, loudness_db / 20.0)
        level = amplitude * 2.0 * torch.sigmoid(params[:, :, :1])
        audible = (f0.unsqueeze(-1) * self.harmonic_numbers) < self.sample_rate / 2
        logits = params[:, :, 1:1 + self.n_harmonics].masked_fill(~audible, -1e4)
        distribution = torch.softmax(logits, -1) * audible.to(latents.dtype)
        # Normalised to unit energy, so that `level` alone sets the harmonic part's mean square (level^2 / 2).
        amplitudes = level * distribution * torch.rsqrt(distribution.pow(2).sum(-1, keepdim=True) + 1e-12)
        noise = amplitude * 2.0 * torch.sigmoid(params[:, :, 1 + self.n_harmonics:] - self.noise_offset)
        return f0, amplitudes, noise, hidden

    def harmonics(self, f0: torch.Tensor, amplitudes: torch.Tensor, previous_f0: torch.Tensor,
                  previous_amplitudes: torch.Tensor, phase: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Additive synthesis: f0 [B, T], amplitudes [B, T, K], the frame before the block and the oscillator
        phase [B] (radians) → audio [B, T * hop] and the phase after the block.

        The amplitudes move linearly across each hop, so sample n of frame t is
        (1 - w_n) S_n . a_{t-1} + w_n S_n . a_t with S_n the harmonic sines: two matrix products per frame,
        without materialising per-sample amplitudes (the costly part of a naive oscillator bank)."""
        batch, steps = f0.shape[0], f0.shape[1]
        f0_samples = ramp_frames(previous_f0.unsqueeze(-1), f0.unsqueeze(-1), self.hop).squeeze(-1)
        # Phase accumulates in float64: over seconds it grows to thousands of radians.
        increments = f0_samples.double() * (2.0 * math.pi / self.sample_rate)
        phases = torch.remainder(phase.double().unsqueeze(-1) + torch.cumsum(increments, -1), 2.0 * math.pi)
        sines = torch.sin(phases.to(f0.dtype).unsqueeze(-1) * self.harmonic_numbers)  # [B, N, K]
        before = torch.cat([previous_amplitudes.unsqueeze(1), amplitudes[:, :-1]], 1)
        pair = torch.stack([before, amplitudes], -1).reshape(batch * steps, self.n_harmonics, 2)
        both = torch.bmm(sines.reshape(batch * steps, self.hop, self.n_harmonics), pair)  # [B T, hop, 2]
        weight = torch.arange(1, self.hop + 1, device=f0.device, dtype=f0.dtype).div(self.hop)
        audio = both[:, :, 0] + (both[:, :, 1] - both[:, :, 0]) * weight
        return audio.reshape(batch, steps * self.hop), phases[:, -1].to(phase.dtype)

    def filtered_noise(self, magnitudes: torch.Tensor, noise: torch.Tensor, tail: torch.Tensor
                       ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Noise [B, T, hop] filtered per frame by a linear-phase FIR of `magnitudes` [B, T, M], overlap-added
        with the previous block's `tail` [B, ir_length - 1] → audio [B, T * hop] and the new tail."""
        impulse = torch.fft.irfft(torch.complex(magnitudes, torch.zeros_like(magnitudes)), self.ir_length)
        impulse = torch.roll(impulse, self.ir_length // 2, -1) * self.ir_window
        out = torch.fft.irfft(torch.fft.rfft(noise, self.fft_size) * torch.fft.rfft(impulse, self.fft_size),
                              self.fft_size)[:, :, :self.hop + self.ir_length - 1]
        body = out[:, :, :self.hop]
        spill = F.pad(out[:, :, self.hop:], (0, self.hop - (self.ir_length - 1)))  # [B, T, hop]
        carried = torch.cat([F.pad(tail, (0, self.hop - tail.shape[1])).unsqueeze(1), spill[:, :-1]], 1)
        audio = (body + carried).reshape(noise.shape[0], -1)
        return audio, out[:, -1, self.hop:]

    def decode_frames(self, latents: torch.Tensor, state: List[torch.Tensor]
                      ) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """latents [B, C, T] and the state [hidden [1, B, H], f0 [B], amplitudes [B, K], phase [B], noise tail
        [B, ir_length - 1]] → audio [B, 1, T * hop] and the state after the block."""
        hidden, previous_f0, previous_amplitudes, phase, tail = state
        f0, amplitudes, magnitudes, hidden = self.frame_parameters(latents, hidden)
        harmonic, phase = self.harmonics(f0, amplitudes, previous_f0, previous_amplitudes, phase)
        noise = torch.rand(latents.shape[0], latents.shape[2], self.hop, dtype=latents.dtype,
                           device=latents.device) * 2.0 - 1.0
        noisy, tail = self.filtered_noise(magnitudes, noise, tail)
        return (harmonic + noisy).unsqueeze(1), [hidden, f0[:, -1], amplitudes[:, -1], phase, tail]

    def initial_state(self, latents: torch.Tensor) -> List[torch.Tensor]:
        """The state before a stream starts: silence, with the first frame as its own predecessor (no ramp in
        from an arbitrary pitch)."""
        batch = latents.shape[0]
        first = latents[:, :, :1]
        hidden = latents.new_zeros(1, batch, self.rnn.hidden_size)
        f0, amplitudes, _, _ = self.frame_parameters(first, hidden)
        return [hidden, f0[:, 0], torch.zeros_like(amplitudes[:, 0]), latents.new_zeros(batch),
                latents.new_zeros(batch, self.ir_length - 1)]


class HarmonicCodec(nn.Module):
    """The harmonic codec with the offline interface of `after.codec.model.Codec`: `encode` [B, 1, N] →
    [B, C, N / hop] and `decode` (inverse), aligned; `encode_shift_frames` = look-ahead, `decode_latency` = 0."""

    def __init__(self, cfg: CodecModelConfig) -> None:
        super().__init__()
        self.ratio = cfg.ratio
        self.latent_size = cfg.latent_size
        self.encoder = HarmonicEncoder(cfg)
        self.decoder = HarmonicDecoder(cfg)
        self.encode_shift_frames = cfg.harmonic.lookahead_frames
        self.decode_latency = 0
        self.latency = self.encode_shift_frames * self.ratio
        self.frame_length = self.encoder.frame_length
        self.pitch_centre = PITCH_CENTRE

    def frames(self, x: torch.Tensor, history: torch.Tensor) -> torch.Tensor:
        """Analysis frames of a block: audio [B, 1, N] after `history` [B, frame_length - hop] → [B, N / hop, L]."""
        signal = torch.cat([history, x[:, 0]], -1)
        return signal.unfold(-1, self.frame_length, self.ratio)

    def initial_encoder_state(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        batch = x.shape[0]
        return (x.new_zeros(batch, self.frame_length - self.ratio), x.new_full((batch,), self.pitch_centre),
                x.new_zeros(1, batch, self.encoder.timbre_rnn.hidden_size))

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Offline encode, aligned: audio [B, 1, N] (N a multiple of hop) → latents [B, C, N / hop]."""
        history, pitch, hidden = self.initial_encoder_state(x)
        padded = F.pad(x, (0, self.encode_shift_frames * self.ratio))
        z, _, _ = self.encoder.encode_frames(self.frames(padded, history), pitch, hidden)
        return z[:, :, self.encode_shift_frames:]

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Offline decode: latents [B, C, T] → audio [B, 1, T * hop]."""
        audio, _ = self.decoder.decode_frames(z, self.decoder.initial_state(z))
        return audio

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))
