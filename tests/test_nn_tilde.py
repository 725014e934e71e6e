
import pytest
import torch

from after.errors import InputError, ModelContractError
from after.nn_tilde import HOST_BUFFER_SIZES, emulate_host, load_ts, read_model_info


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
