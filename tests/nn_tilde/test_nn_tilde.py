import warnings
from typing import List, Tuple

import pytest
import torch
from click.testing import CliRunner

from after.errors import AfterWarning, InputError, ModelContractError
from after.nn_tilde.host import HOST_BUFFER_SIZES, emulate_host, load_ts, read_model_info
from after.nn_tilde.module import NNModule, save_nn_model


def test_codec_fixture_contract(dct_codec_path):
    info = read_model_info(dct_codec_path)
    assert set(info.methods) == {"encode", "decode", "forward"}
    enc = info.methods["encode"]
    assert (enc.in_channels, enc.in_ratio, enc.out_channels, enc.out_ratio) == (1, 1, 64, 256)
    assert info.metadata["ratio"] == 256
    model = load_ts(dct_codec_path)
    assert model.set_sample_rate(44100) == 0 and model.get_sample_rate() == 44100
    for batch in (1, 4):
        for buffer in HOST_BUFFER_SIZES:
            for name, m in info.methods.items():
                y = emulate_host(model, name, torch.randn(batch, m.in_channels, buffer), m.in_ratio, m.out_ratio)
                assert y.shape == (batch, m.out_channels, buffer)


def test_load_errors(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_ts(tmp_path / "missing.ts")
    bad = tmp_path / "bad.ts"
    bad.write_text("hello")
    with pytest.raises(ModelContractError, match="not a TorchScript file"):
        load_ts(bad)


def test_plain_torchscript_is_not_nn_model(tmp_path):
    path = tmp_path / "plain.ts"
    torch.jit.script(torch.nn.Linear(2, 2)).save(str(path))
    with pytest.raises(ModelContractError, match="not an nn~ model"):
        read_model_info(path)


class _Gain(NNModule):
    """An nn~ model with one method and a `gain` attribute; `broken` picks what of its contract fails."""

    def __init__(self, broken: str) -> None:
        super().__init__()
        self.broken = broken
        self.register_attribute("gain", 0.5)
        self.register_method("forward", 1, 1, 1, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gain

    @torch.jit.export
    def get_methods(self) -> List[str]:
        extra: List[str] = ["ghost"] if self.broken == "method" else []
        return self._methods + extra

    @torch.jit.export
    def get_attributes(self) -> List[str]:
        if self.broken == "attribute list":
            raise RuntimeError("attribute table lost")
        extra: List[str] = ["orphan"] if self.broken == "attribute" else []
        return self._attributes + extra

    @torch.jit.export
    def get_gain(self) -> Tuple[float]:
        if self.broken == "getter":
            raise RuntimeError("gain store lost")
        return (self.gain,)

    @torch.jit.export
    def set_gain(self, value: float) -> int:
        self.gain = value
        return 0


def _gain_model(tmp_path, broken: str):
    path = tmp_path / f"gain_{broken.replace(' ', '_')}.ts"
    save_nn_model(_Gain(broken), path, {})
    return path


@pytest.mark.parametrize("broken, left_out", [("method", "method ghost left out"),
                                              ("attribute", "attribute orphan left out"),
                                              ("getter", r"get_gain\(\) failed \(.*gain store lost\)")])
def test_what_the_model_cannot_serve_is_left_out_with_a_warning(tmp_path, broken, left_out):
    path = _gain_model(tmp_path, broken)
    with pytest.warns(AfterWarning, match=left_out):
        info = read_model_info(path)
    assert set(info.methods) == {"forward"}
    assert info.attributes["gain"].values == ([] if broken == "getter" else [0.5])


def test_a_model_that_cannot_list_its_attributes_is_refused_with_the_cause(tmp_path):
    with pytest.raises(ModelContractError, match=r"get_attributes\(\) failed \(.*attribute table lost\)"):
        read_model_info(_gain_model(tmp_path, "attribute list"))


def test_a_sound_model_reads_without_warnings(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", AfterWarning)
        info = read_model_info(_gain_model(tmp_path, "nothing"))
    assert info.attributes["gain"].values == [0.5]


def test_the_device_kit_says_what_it_left_out(tmp_path):
    from after.cli.main import device_group

    result = CliRunner().invoke(device_group, ["build", str(_gain_model(tmp_path, "getter")), "--out",
                                               str(tmp_path / "device"), "--formats", "pd"])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warned) == 1 and "get_gain() failed" in warned[0], result.stderr
