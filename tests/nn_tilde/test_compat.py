"""Every export runs in the libtorch that official nn~ builds embed (2.5.1): each operator of each scripted
method exists there with compatible arguments, and the file-format version is one 2.5.1 reads (≤ 10)."""

import pytest

from after.nn_tilde.compat import check_saved_model, file_format_version, load_schemas, nn_tilde_schemas_path
from tests.helpers.export_models import make_export, one_thread  # noqa: F401 (one_thread: fixture)

pytestmark = pytest.mark.usefixtures("one_thread")
SCHEMAS = nn_tilde_schemas_path()  # shipped in the package


@pytest.mark.slow
@pytest.mark.parametrize("kind,ratio", [("audio", 2048), ("midi", 256)])
def test_exports_run_in_libtorch_2_5_1(tmp_path, kind, ratio):
    schemas = load_schemas(SCHEMAS)
    result = make_export(tmp_path, kind, ratio=ratio)
    assert file_format_version(result.path) <= 10
    assert check_saved_model(result.path, schemas) == []
