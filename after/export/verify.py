"""Check a written export exactly as the nn~ host will use it, before anyone else sees the file."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence

import torch

from after.errors import ModelContractError
from after.nn_tilde.contract import ATTRIBUTES, MethodSpec
from after.nn_tilde.host import HOST_BUFFER_SIZES, SCRIPT_ERRORS, emulate_host, first_line, load_ts, read_model_info

VERIFY_BATCHES = (1, 4)
VERIFY_CALLS = 2  # successive buffers per (method, batch, buffer): the second one runs on streaming state


def check_attributes(model: torch.jit.ScriptModule, where: str) -> None:
    """Every attribute answers get/set like the host expects; out-of-range values are refused (-1)."""
    for spec in ATTRIBUTES:
        get = getattr(model, f"get_{spec.name}")
        setter = getattr(model, f"set_{spec.name}")
        default = get()
        if not isinstance(default, tuple) or len(default) != 1:
            raise ModelContractError(f"{where}: get_{spec.name}() returned {default!r}; expected a 1-tuple")
        cast = int if spec.type == "int" else float
        if setter(cast(spec.maximum)) != 0 or get() != (cast(spec.maximum),):
            raise ModelContractError(f"{where}: set_{spec.name}({spec.maximum}) was not applied")
        if setter(cast(spec.maximum * 10 + 9)) != -1 or setter(cast(spec.minimum - 1)) != -1:
            raise ModelContractError(f"{where}: set_{spec.name} accepted a value outside "
                                     f"[{spec.minimum}, {spec.maximum}]")
        if setter(default[0]) != 0:
            raise ModelContractError(f"{where}: set_{spec.name} refused its own default {default[0]}")


def verify_export(path: str | Path, specs: Sequence[MethodSpec], sample_rate: int,
                  buffers: Sequence[int] = HOST_BUFFER_SIZES, batches: Sequence[int] = VERIFY_BATCHES) -> None:
    """Reload `path` and drive every method of `specs` as nn~ does: `set_sample_rate`, then for batch 1 and 4
    and each buffer size, two successive buffers of noise through the host's decimation and hold, then one
    buffer of NaN per method. Raises a one-line `ModelContractError` on any mismatch, exception or non-finite
    output."""
    path = Path(path)
    model = load_ts(path)
    info = read_model_info(path, model)
    where = str(path)
    expected: Dict[str, MethodSpec] = {s.name: s for s in specs}
    if set(info.methods) != set(expected):
        raise ModelContractError(f"{where}: methods {sorted(info.methods)} differ from the contract {sorted(expected)}")
    for name, spec in expected.items():
        m = info.methods[name]
        got = (m.in_channels, m.in_ratio, m.out_channels, m.out_ratio, tuple(m.input_labels), tuple(m.output_labels))
        want = (spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio, spec.input_labels,
                spec.output_labels)
        if got != want:
            raise ModelContractError(f"{where}: method {name} declares {got[:4]} but the contract says {want[:4]}")
    if set(info.attributes) != {a.name for a in ATTRIBUTES}:
        raise ModelContractError(f"{where}: attributes {sorted(info.attributes)} differ from the contract")
    model.set_sample_rate(sample_rate)
    check_attributes(model, where)
    default_steps = model.get_nb_steps()[0]
    model.set_nb_steps(1)  # the code path is the same at any step count; keep the check quick
    failures: List[str] = []
    with torch.inference_mode():
        for name, spec in expected.items():
            for batch in batches:
                for buffer in buffers:
                    if buffer % max(spec.in_ratio, spec.out_ratio):
                        continue
                    for _ in range(VERIFY_CALLS):
                        x = torch.randn(batch, spec.in_channels, buffer) * 0.1
                        try:
                            y = emulate_host(model, name, x, spec.in_ratio, spec.out_ratio)
                        except (*SCRIPT_ERRORS, ModelContractError) as exc:  # the model failed, or its output
                            failures.append(f"{name} batch {batch} buffer {buffer}: {first_line(exc, last=True)}")
                            break
                        if not torch.isfinite(y).all():
                            failures.append(f"{name} batch {batch} buffer {buffer}: non-finite output")
                            break
            # A buffer of NaN from a misbehaving plug-in upstream: the output must stay finite.
            buffer = next(b for b in buffers if b % max(spec.in_ratio, spec.out_ratio) == 0)
            x = torch.full((1, spec.in_channels, buffer), float("nan"))
            try:
                y = emulate_host(model, name, x, spec.in_ratio, spec.out_ratio)
                if not torch.isfinite(y).all():
                    failures.append(f"{name}: non-finite output after a NaN buffer")
            except (*SCRIPT_ERRORS, ModelContractError) as exc:  # the model failed, or its output
                failures.append(f"{name} on a NaN buffer: {first_line(exc, last=True)}")
    model.set_nb_steps(default_steps)
    model.reset_state()
    if failures:
        raise ModelContractError(f"{where}: the export fails as nn~ would use it ({failures[0]}; "
                                 f"{len(failures)} failure(s)); this is a bug, please report it")
