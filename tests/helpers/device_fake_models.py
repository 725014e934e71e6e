"""Small scripted nn~ models with the exact method/attribute contract of our exports (`after.nn_tilde.contract`),
an upstream AFTER export (no metadata), a RAVE-style codec and a generic nn~ model, for the device kit tests.
Outputs are cheap deterministic functions of the input with the right shapes; nothing is trained."""

import io
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import torch
from PIL import Image

from after.nn_tilde.contract import ATTRIBUTES, MethodSpec, audio_methods, midi_methods
from after.nn_tilde.module import MAP_IMAGE_FILE, NNModule, save_nn_model

ALL_METHODS = ("forward", "encode", "forward_manual", "generate_timbre", "structure", "timbre", "diffuse", "generate",
               "decode", "latent2map", "map2latent")
HOSTILE_NAMES = ["x; pd quit", "a, b $1 \\c", 'quote "it" {brace}', "Ölçü ünïcode ✓", "n" * 500, "  spaces  "]


class ContractModel(NNModule):
    """Registers the given methods; each returns [B, out_ch, T * in_ratio / out_ratio] from its input."""

    def __init__(self, methods: Sequence[MethodSpec], attributes: Sequence[Tuple[str, object]]) -> None:
        super().__init__()
        for name in ALL_METHODS:
            self.register_buffer(f"{name}_params", torch.ones(4, dtype=torch.long))
        self.nb_steps = 4
        self.guidance_timbre = 1.0
        self.guidance_structure = 1.0
        self.active = True
        self.mode = "tanh"
        for name, value in attributes:
            self.register_attribute(name, value)
        for m in methods:
            self.register_method(m.name, m.in_channels, m.in_ratio, m.out_channels, m.out_ratio, m.input_labels,
                                 m.output_labels, test_buffer_size=4096)

    def _run(self, x: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
        n = x.shape[-1] * int(params[1]) // int(params[3])
        level = torch.tanh(x.mean(dim=(1, 2), keepdim=True))
        return level.expand(x.shape[0], int(params[2]), n).contiguous()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.forward_params)

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.encode_params)

    @torch.jit.export
    def forward_manual(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.forward_manual_params)

    @torch.jit.export
    def generate_timbre(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.generate_timbre_params)

    @torch.jit.export
    def structure(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.structure_params)

    @torch.jit.export
    def timbre(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.timbre_params)

    @torch.jit.export
    def diffuse(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.diffuse_params)

    @torch.jit.export
    def generate(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.generate_params)

    @torch.jit.export
    def decode(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.decode_params)

    @torch.jit.export
    def latent2map(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.latent2map_params)

    @torch.jit.export
    def map2latent(self, x: torch.Tensor) -> torch.Tensor:
        return self._run(x, self.map2latent_params)

    @torch.jit.export
    def get_nb_steps(self) -> Tuple[int]:
        return (self.nb_steps,)

    @torch.jit.export
    def set_nb_steps(self, value: int) -> int:
        self.nb_steps = value
        return 0

    @torch.jit.export
    def get_guidance_timbre(self) -> Tuple[float]:
        return (self.guidance_timbre,)

    @torch.jit.export
    def set_guidance_timbre(self, value: float) -> int:
        self.guidance_timbre = value
        return 0

    @torch.jit.export
    def get_guidance_structure(self) -> Tuple[float]:
        return (self.guidance_structure,)

    @torch.jit.export
    def set_guidance_structure(self, value: float) -> int:
        self.guidance_structure = value
        return 0

    @torch.jit.export
    def get_active(self) -> Tuple[bool]:
        return (self.active,)

    @torch.jit.export
    def set_active(self, value: bool) -> int:
        self.active = value
        return 0

    @torch.jit.export
    def get_mode(self) -> Tuple[str]:
        return (self.mode,)

    @torch.jit.export
    def set_mode(self, value: str) -> int:
        self.mode = value
        return 0


CONTRACT_ATTRIBUTES = [(a.name, int(a.default) if a.type == "int" else float(a.default)) for a in ATTRIBUTES]


def map_png(size: int = 32) -> bytes:
    image = Image.new("RGB", (size, size), (188, 188, 188))
    for i in range(size):
        image.putpixel((i, i), (200, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def presets(zt: int, names: List[str]) -> List[Dict[str, object]]:
    return [{"name": n, "timbre": [round(0.1 * (i + k), 3) for k in range(zt)], "map": [0.5, -0.25],
             "source": f"/data/{n}.wav", "label": "set"} for i, n in enumerate(names)]


def metadata(kind: str, name: str, zt: int, n_poly: int, preset_names: List[str]) -> Dict[str, object]:
    return {"kind": kind, "name": name, "sample_rate": 16000, "ratio": 256, "latent_size": 8, "zs": 4, "zt": zt,
            "n_poly": n_poly, "chunk_frames": 4, "latency_samples": 1024, "presets": presets(zt, preset_names),
            "labels": ["set"], "config": {}, "torch_version": torch.__version__}


def make_audio_model(path: Path, name: str = "demo", preset_names: Sequence[str] = ("Cello", "Drums")) -> Path:
    """Our audio export: audio_methods(256, 8, zs=4, zt=4), the 3 attributes, metadata and map picture."""
    model = ContractModel(audio_methods(256, 8, 4, 4), CONTRACT_ATTRIBUTES)
    save_nn_model(model, path, metadata("audio", name, 4, 0, list(preset_names)), {MAP_IMAGE_FILE: map_png()})
    return path


def make_midi_model(path: Path, name: str = "keys", preset_names: Sequence[str] = ("Piano",)) -> Path:
    """Our MIDI export: midi_methods(256, 8, n_poly=3, zt=4)."""
    model = ContractModel(midi_methods(256, 8, 3, 4), CONTRACT_ATTRIBUTES)
    save_nn_model(model, path, metadata("midi", name, 4, 3, list(preset_names)), {MAP_IMAGE_FILE: map_png()})
    return path


def make_upstream_audio_model(path: Path) -> Path:
    """An upstream AFTER v2 audio export: same methods minus forward_manual, no metadata inside the .ts."""
    methods = [m for m in audio_methods(256, 8, 4, 6) if m.name != "forward_manual"]
    torch.jit.script(ContractModel(methods, CONTRACT_ATTRIBUTES)).save(str(path))
    return path


def make_rave_codec(path: Path) -> Path:
    """A RAVE-style codec: encode / decode / forward, no attributes, no metadata."""
    spec = [MethodSpec("encode", 1, 1, 8, 256, ("(signal) in",), tuple(f"(signal) z{i}" for i in range(8)), ""),
            MethodSpec("decode", 8, 256, 1, 1, tuple(f"(signal) z{i}" for i in range(8)), ("(signal) out",), ""),
            MethodSpec("forward", 1, 1, 1, 1, ("(signal) in",), ("(signal) out",), "")]
    torch.jit.script(ContractModel(spec, [])).save(str(path))
    return path


def make_generic_model(path: Path) -> Path:
    """Any nn~ model: a 2-in/2-out `forward` and arbitrary attributes (float, bool, str)."""
    model = ContractModel([MethodSpec("forward", 2, 1, 2, 1, ("(signal) L", "(signal) R"),
                                      ("(signal) L", "(signal) R"), "")],
                          [("guidance_timbre", 1.0), ("active", True), ("mode", "tanh")])
    torch.jit.script(model).save(str(path))
    return path


def _spec(name: str, in_channels: int, in_ratio: int, out_channels: int, out_ratio: int) -> MethodSpec:
    return MethodSpec(name, in_channels, in_ratio, out_channels, out_ratio,
                      tuple(f"(signal) model input {i}" for i in range(in_channels)),
                      tuple(f"(signal) model output {i}" for i in range(out_channels)), "")


def reference_audio_methods(projection: bool) -> List[MethodSpec]:
    """The method table read from an `after.audio.base.ts` made by the reference AFTER scripts (r 2048, zs 12,
    zt 6, 64 latents). Without the latent projection its map methods take and give 2 channels, not zt."""
    map_in = 6 if projection else 2
    return [_spec("forward", 2, 1, 1, 1), _spec("structure", 1, 1, 12, 2048), _spec("timbre", 1, 1, 6, 2048),
            _spec("diffuse", 18, 2048, 64, 2048), _spec("generate", 18, 2048, 1, 1),
            _spec("generate_timbre", 7, 1, 1, 1), _spec("decode", 64, 2048, 1, 1),
            _spec("latent2map", map_in, 1, 2, 1), _spec("map2latent", 2, 1, map_in, 1)]


def reference_midi_methods() -> List[MethodSpec]:
    """The method table of a reference `after.midi.base.ts`: 8 voices, zt 6, no `forward`, 2-channel maps."""
    return [_spec("timbre", 1, 1, 6, 2048), _spec("generate", 22, 2048, 1, 1), _spec("diffuse", 22, 2048, 64, 2048),
            _spec("decode", 64, 2048, 1, 1), _spec("latent2map", 2, 1, 2, 1), _spec("map2latent", 2, 1, 2, 1)]


def make_reference_audio_model(path: Path, projection: bool = False) -> Path:
    """A reference-code audio export (no metadata, attributes nb_steps / guidance_timbre / guidance_structure)."""
    torch.jit.script(ContractModel(reference_audio_methods(projection), CONTRACT_ATTRIBUTES)).save(str(path))
    return path


def make_reference_midi_model(path: Path) -> Path:
    """A reference-code MIDI export with 8 voices (no metadata)."""
    torch.jit.script(ContractModel(reference_midi_methods(), CONTRACT_ATTRIBUTES)).save(str(path))
    return path
