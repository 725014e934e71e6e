"""The nn~ contract of every model kind, defined once.

The exporters build their `register_method` / `register_attribute` calls from these tables and the device
generator reads the same tables (and checks a model against them), so patches cannot drift from models.
Names and channel layouts follow the upstream AFTER v2 exports (`UPSTREAM.md` §3.4, §6), plus
`forward_manual` (timbre given directly as `zt` slider signals).

Notation: r = codec ratio (samples per latent frame), C = codec latent channels, zs = structure channels,
zt = timbre channels, n_poly = MIDI voices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple

ModelKind = Literal["codec", "audio", "midi"]
MODEL_KINDS: Tuple[ModelKind, ...] = ("audio", "midi", "codec")


@dataclass(frozen=True)
class MethodSpec:
    """One nn~ method: channel counts, ratios and the labels the host shows on inlets/outlets."""

    name: str
    in_channels: int
    in_ratio: int
    out_channels: int
    out_ratio: int
    input_labels: Tuple[str, ...]
    output_labels: Tuple[str, ...]
    doc: str


@dataclass(frozen=True)
class AttributeSpec:
    """One settable nn~ attribute (`set <name> <value>` in Max/Pd)."""

    name: str
    type: Literal["int", "float", "bool"]
    default: float
    minimum: float
    maximum: float
    doc: str


ATTRIBUTES: Tuple[AttributeSpec, ...] = (
    AttributeSpec("nb_steps", "int", 4, 1, 16, "Euler steps of the diffusion sampler per buffer (cost grows linearly)"),
    AttributeSpec("guidance_timbre", "float", 1.0, 0.0, 8.0, "classifier-free guidance strength on the timbre"),
    AttributeSpec("guidance_structure", "float", 1.0, 0.0, 8.0, "classifier-free guidance strength on the structure"),
)
ATTRIBUTE_BY_NAME = {a.name: a for a in ATTRIBUTES}


def _labels(fmt: str, n: int) -> Tuple[str, ...]:
    return tuple(fmt.format(i=i + 1) for i in range(n))


def codec_methods(ratio: int, latent: int) -> List[MethodSpec]:
    """Methods of a codec export (`export.ts` / `export_stream.ts`)."""
    audio_in = ("(signal) Audio input",)
    audio_out = ("(signal) Audio output",)
    lat = _labels("(signal) Latent {i}", latent)
    return [
        MethodSpec("encode", 1, 1, latent, ratio, audio_in, lat, "audio → codec latents"),
        MethodSpec("decode", latent, ratio, 1, 1, lat, audio_out, "codec latents → audio"),
        MethodSpec("forward", 1, 1, 1, 1, audio_in, audio_out, "audio → reconstructed audio"),
    ]


def timbre_labels(zt: int) -> Tuple[str, ...]:
    return _labels("(signal) Timbre {i}", zt)


def map_methods(zt: int) -> List[MethodSpec]:
    """`latent2map` / `map2latent`: the 2-D timbre map learnt from the training set."""
    xy = ("(signal) Map x", "(signal) Map y")
    return [
        MethodSpec("latent2map", zt, 1, 2, 1, timbre_labels(zt), xy, "timbre vector → 2-D map position"),
        MethodSpec("map2latent", 2, 1, zt, 1, xy, timbre_labels(zt), "2-D map position → timbre vector"),
    ]


def audio_methods(ratio: int, latent: int, zs: int, zt: int) -> List[MethodSpec]:
    """Methods of an audio→audio AFTER export (`after.audio.<name>.ts`)."""
    structure_audio = ("(signal) Structure audio input",)
    timbre_audio = ("(signal) Timbre audio input",)
    audio_out = ("(signal) Audio output",)
    struct = _labels("(signal) Structure {i}", zs)
    lat = _labels("(signal) Latent {i}", latent)
    tim = timbre_labels(zt)
    return [
        MethodSpec("forward", 2, 1, 1, 1, structure_audio + timbre_audio, audio_out,
                   "[structure audio, timbre audio] → audio"),
        MethodSpec("forward_manual", 1 + zt, 1, 1, 1, structure_audio + tim, audio_out,
                   "[structure audio, zt timbre signals] → audio"),
        MethodSpec("generate_timbre", 1 + zt, 1, 1, 1, structure_audio + tim, audio_out,
                   "alias of forward_manual (name used by the reference devices)"),
        MethodSpec("structure", 1, 1, zs, ratio, structure_audio, struct, "audio → structure signals"),
        MethodSpec("timbre", 1, 1, zt, ratio, timbre_audio, tim, "audio → timbre vector (held per buffer)"),
        MethodSpec("diffuse", zs + zt, ratio, latent, ratio, struct + tim, lat, "structure + timbre → codec latents"),
        MethodSpec("generate", zs + zt, ratio, 1, 1, struct + tim, audio_out, "structure + timbre → audio"),
        MethodSpec("decode", latent, ratio, 1, 1, lat, audio_out, "codec latents → audio"),
        *map_methods(zt),
    ]


def midi_voice_labels(n_poly: int) -> Tuple[str, ...]:
    out: List[str] = []
    for i in range(n_poly):
        out += [f"(signal) Pitch {i + 1}", f"(signal) Velocity {i + 1}"]
    return tuple(out)


def midi_methods(ratio: int, latent: int, n_poly: int, zt: int) -> List[MethodSpec]:
    """Methods of a MIDI→audio AFTER export (`after.midi.<name>.ts`); voices are (pitch, velocity) pairs
    with pitch in MIDI note numbers 0–127 and velocity 0–127 (0 = voice off)."""
    voices = midi_voice_labels(n_poly)
    tim = timbre_labels(zt)
    audio_out = ("(signal) Audio output",)
    lat = _labels("(signal) Latent {i}", latent)
    return [
        MethodSpec("generate", 2 * n_poly + zt, ratio, 1, 1, voices + tim, audio_out, "voices + timbre → audio"),
        MethodSpec("forward_manual", 2 * n_poly + zt, ratio, 1, 1, voices + tim, audio_out,
                   "alias of generate (explicit timbre sliders)"),
        MethodSpec("forward", 2 * n_poly + 1, 1, 1, 1, voices + ("(signal) Timbre audio input",), audio_out,
                   "voices + timbre audio → audio"),
        MethodSpec("timbre", 1, 1, zt, ratio, ("(signal) Timbre audio input",), tim, "audio → timbre vector"),
        MethodSpec("diffuse", 2 * n_poly + zt, ratio, latent, ratio, voices + tim, lat, "voices + timbre → latents"),
        MethodSpec("decode", latent, ratio, 1, 1, lat, audio_out, "codec latents → audio"),
        *map_methods(zt),
    ]


# The device kit's view of the contract: which method a device of each kind runs (first one present wins:
# our exports have `forward_manual`, the upstream AFTER exports `generate_timbre` / `generate`), the methods
# that identify a kind in a model without metadata, and the optional sources of the timbre.
MAIN_METHODS: Dict[str, Tuple[str, ...]] = {
    "audio": ("forward_manual", "generate_timbre"),
    "midi": ("forward_manual", "generate"),
    "codec": ("forward",),
}
TIMBRE_METHOD = "timbre"
MAP_METHODS = ("latent2map", "map2latent")  # timbre vector → 2-D map position, and back


def kind_of_methods(names: Any) -> Optional[ModelKind]:
    """The kind a method table without metadata looks like (upstream AFTER exports, RAVE codecs); None when it
    matches none (any other nn~ model)."""
    names = set(names)
    if "structure" in names and names & set(MAIN_METHODS["audio"]):
        return "audio"
    if {"generate", "diffuse"} <= names and "structure" not in names:
        return "midi"
    if {"encode", "decode", "forward"} <= names:
        return "codec"
    return None


def expected_methods(kind: ModelKind, metadata: Mapping[str, Any]) -> List[MethodSpec]:
    """The methods an export of ours of `kind` registers, with the sizes its metadata states (`ratio`,
    `latent_size`, and `zs`/`zt`/`n_poly` for the diffusion kinds). KeyError/TypeError/ValueError when the
    metadata lacks a size."""
    ratio, latent = int(metadata["ratio"]), int(metadata["latent_size"])
    if kind == "codec":
        return codec_methods(ratio, latent)
    if kind == "audio":
        return audio_methods(ratio, latent, int(metadata["zs"]), int(metadata["zt"]))
    return midi_methods(ratio, latent, int(metadata["n_poly"]), int(metadata["zt"]))


def contract_problem(kind: ModelKind, methods: Mapping[str, Tuple[int, int, int, int]], attributes: Any,
                     metadata: Mapping[str, Any]) -> Optional[str]:
    """Why a model whose metadata says it is an export of `kind` does not keep this contract (None: it does).

    `methods`: name → (in_channels, in_ratio, out_channels, out_ratio) as the host reads them from
    `<method>_params`; `attributes`: the names `get_attributes()` lists."""
    try:
        expected = expected_methods(kind, metadata)
    except (KeyError, TypeError, ValueError) as exc:
        return f"its metadata says kind {kind} but lacks the size {exc}"
    for spec in expected:
        want = (spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio)
        got = methods.get(spec.name)
        if got is None:
            return f"the {kind} contract has the method {spec.name}, which this model lacks"
        if tuple(got) != want:
            return (f"method {spec.name} has (in, in ratio, out, out ratio) {tuple(got)}, the {kind} contract "
                    f"expects {want} for its metadata sizes")
    if kind != "codec":
        missing = [a.name for a in ATTRIBUTES if a.name not in set(attributes)]
        if missing:
            return f"the {kind} contract has the attribute {missing[0]}, which this model lacks"
    return None
