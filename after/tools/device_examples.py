"""The example devices and patches of the repository's `patchs/` folder, for the models `after demo` exports.

`after-device examples patchs` writes, in one sub-folder per kind, what `after-device build` writes
for a model with the exact nn~ contract of the demo's exports:

* `audio/`: the audio→audio model `after.audio.demo.ts` (audio effect),
* `midi/`: the MIDI→audio model `after.midi.demo.ts` (instrument),
* `codec/`: the streaming codec `export_stream.ts` (RAVE-style `encode`/`decode`/`forward`, audio effect).

The builder reads only a model's method table and metadata, never its weights, so no model is trained here:
the method tables come from `after.nn_tilde.contract` with the sizes of the demo's own configuration (codec preset,
diffusion presets and overrides, voices, sample rate), the latency from the demo's codec. The example patches
therefore open on the demo's models when those sit beside them. What a trained model adds, the examples
lack: their preset banks hold the factory presets only, and their map picture is a placeholder grid.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence

from after.device.artefacts import bank_file, map_file
from after.device.build import build_from_info
from after.device.model import Overrides
from after.nn_tilde.contract import ATTRIBUTES, MethodSpec, audio_methods, codec_methods, midi_methods
from after.nn_tilde.host import AttributeInfo, MethodInfo, ModelInfo

MAP_SIZE = 128
MAP_GRID = 16


@dataclass(frozen=True)
class Example:
    """One example: its sub-folder of `patchs/`, the model file the patches load, and the model's contract."""

    folder: str
    model_file: str
    methods: Sequence[MethodSpec]
    metadata: Dict[str, object]
    attributes: bool
    map_picture: bool

    @property
    def name(self) -> str:
        """The device name the demo gives its builds (`--name <model stem>`)."""
        return self.model_file.removesuffix(".ts")


def demo_examples() -> List[Example]:
    """The three examples with the sizes the demo's configuration gives its exports."""
    from after.codec.config import CodecConfig
    from after.codec.export import STREAM_FILE
    from after.codec.model import build_codec
    from after.config import load_config
    from after.demo.stages import AUDIO_PRESETS, CODEC_PRESET, MIDI_PRESETS, N_POLY, SAMPLE_RATE
    from after.diffusion.config import DiffusionConfig

    codec_cfg = load_config(CodecConfig, [CODEC_PRESET], [f"model.sample_rate={SAMPLE_RATE}"]).model
    ratio, latent = codec_cfg.ratio, codec_cfg.latent_size
    codec = build_codec(codec_cfg)  # its streaming latencies are what the exports report: the audio export
    latency = codec.latency  # encodes and decodes, the MIDI export only decodes
    audio = load_config(DiffusionConfig, list(AUDIO_PRESETS)).model
    midi = load_config(DiffusionConfig, list(MIDI_PRESETS)).model
    common = {"sample_rate": SAMPLE_RATE, "ratio": ratio, "latent_size": latent, "latency_samples": latency}
    return [
        Example("audio", "after.audio.demo.ts", audio_methods(ratio, latent, audio.zs, audio.zt),
                {"kind": "audio", "zs": audio.zs, "zt": audio.zt, "n_poly": 0, **common}, True, True),
        Example("midi", "after.midi.demo.ts", midi_methods(ratio, latent, N_POLY, midi.zt),
                {"kind": "midi", "zs": midi.zs, "zt": midi.zt, "n_poly": N_POLY,
                 **common, "latency_samples": codec.decode_latency}, True, True),
        Example("codec", STREAM_FILE, codec_methods(ratio, latent),
                {"kind": "codec", "streaming": True, **common}, False, False),
    ]


def placeholder_map() -> bytes:
    """A grey `MAP_SIZE`² PNG with grid lines and the centre axes: where a trained model has its map."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (MAP_SIZE, MAP_SIZE), (214, 214, 214))
    draw = ImageDraw.Draw(image)
    for k in range(0, MAP_SIZE, MAP_GRID):
        draw.line([(k, 0), (k, MAP_SIZE - 1)], fill=(190, 190, 190))
        draw.line([(0, k), (MAP_SIZE - 1, k)], fill=(190, 190, 190))
    middle = MAP_SIZE // 2
    draw.line([(middle, 0), (middle, MAP_SIZE - 1)], fill=(120, 120, 120))
    draw.line([(0, middle), (MAP_SIZE - 1, middle)], fill=(120, 120, 120))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def example_info(example: Example, folder: Path) -> ModelInfo:
    """The `ModelInfo` `read_model_info` would return for the example's model placed in `folder`."""
    methods = {m.name: MethodInfo(m.name, m.in_channels, m.in_ratio, m.out_channels, m.out_ratio,
                                  list(m.input_labels), list(m.output_labels)) for m in example.methods}
    attributes = {a.name: AttributeInfo(a.name, [a.type], [int(a.default) if a.type == "int" else a.default])
                  for a in ATTRIBUTES} if example.attributes else {}
    return ModelInfo(folder / example.model_file, methods, attributes, dict(example.metadata),
                     placeholder_map() if example.map_picture else None)


def write_examples(out: Path, examples: Sequence[Example]) -> List[Path]:
    """Build every example into `out/<example.folder>/` (replacing what is there); returns the files written."""
    files: List[Path] = []
    for example in examples:
        folder = out / example.folder
        for shared in (bank_file(example.model_file), map_file(example.model_file)):
            (folder / shared).unlink(missing_ok=True)  # regenerated too: a build would only reference them
        result = build_from_info(example_info(example, folder), folder, Overrides(name=example.name), force=True)
        files += result.files
    return files
