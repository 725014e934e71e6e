"""Static check that a TorchScript module runs in the libtorch that nn~ users have (2.5.1).

A `.ts` saved by our torch loads in an older libtorch only if every operator its methods call exists there
with arguments the old schema accepts, and its file-format version is one the old reader knows. The table of
the old operators is data shipped in the package (`after/nn_tilde/libtorch-2.5.1-schemas.json`:
`torch._C._jit_get_all_schemas()` of 2.5.1 keyed `name.overload`, plus `max_operator_version`).
`check_operators` walks the inlined graph of every method of the module and of every submodule (nested blocks
included; calls through a module interface are not inlined, their code lives in the submodule's methods) and
reports, per method, each operator that is missing, or that needs more arguments than the old schema has (the
serializer drops trailing arguments left at their default, so only the others count), or whose argument names
differ. Control-flow and container nodes that TorchScript serializes as Python syntax (`if`, `for`, list
literals, attribute access, method calls, module-list indexing…) have no schema and are accepted.

`require_nn_tilde_compat` runs the check on a file an export command just wrote (`after export`,
`after export_midi`, `after export_autoencoder` fail loudly, naming the operator); `foreign_model_warning`
is the same check as a warning for models `after-device build` did not see exported.
"""

from __future__ import annotations

import ast
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import torch

from after.errors import InputError, ModelContractError
from after.nn_tilde.host import read_extra_files
from after.nn_tilde.module import METADATA_FILE

NN_TILDE_LIBTORCH = "2.5.1"  # the libtorch inside the official nn~ builds
NN_TILDE_SCHEMAS_FILE = f"libtorch-{NN_TILDE_LIBTORCH}-schemas.json"
OUR_MODEL_KINDS = ("audio", "midi", "codec")  # `kind` in the metadata of our exports (checked when written)

# Nodes without an operator schema that every TorchScript version serializes as plain Python syntax.
SYNTAX_NODES = frozenset({
    "prim::Constant", "prim::GetAttr", "prim::SetAttr", "prim::If", "prim::Loop", "prim::ListConstruct",
    "prim::ListUnpack", "prim::TupleConstruct", "prim::TupleUnpack", "prim::TupleIndex", "prim::TupleSlice",
    "prim::DictConstruct", "prim::CreateObject", "prim::isinstance", "prim::Uninitialized",
    "prim::RaiseException", "prim::unchecked_cast", "prim::Enter", "prim::Exit", "prim::Return",
    "prim::Param", "prim::CallMethod", "prim::ModuleContainerIndex",
})


@dataclass(frozen=True)
class OperatorSchemas:
    """Operator schemas of one libtorch version: `schemas` maps `ns::name.overload` (or `ns::name`) to the
    schema text."""

    version: str
    schemas: dict[str, str]
    max_operator_version: int


@dataclass(frozen=True)
class OperatorIssue:
    """One operator call that the target libtorch cannot run."""

    method: str
    operator: str  # `ns::name.overload`
    problem: str

    def __str__(self) -> str:
        return f"{self.method}: {self.operator}: {self.problem}"


def load_schemas(path: str | Path) -> OperatorSchemas:
    """Read a schema table written as `{"info": {"version", "max_operator_version", …}, "schemas": {…}}`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        info = data["info"]
        return OperatorSchemas(str(info["version"]), dict(data["schemas"]), int(info["max_operator_version"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a readable operator-schema table ({exc}); use the libtorch schema JSON "
                         f"shipped in tests/data") from None


def schema_key(schema: str) -> str:
    """`aten::add.Tensor(Tensor self, …) -> Tensor` → `aten::add.Tensor`."""
    return schema.split("(", 1)[0].strip()


def _split_top_level(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


@dataclass(frozen=True)
class SchemaArgument:
    name: str
    default: str | None  # the default's text, None when the argument is required


def schema_arguments(schema: str) -> list[SchemaArgument]:
    """The arguments of a schema in order (the keyword-only marker `*` is skipped)."""
    start = schema.index("(") + 1
    depth, end = 1, start
    while depth:
        depth += {"(": 1, ")": -1}.get(schema[end], 0)
        end += 1
    arguments = []
    for part in _split_top_level(schema[start:end - 1]):
        if part == "*":
            continue
        declaration, _, default = part.partition("=")
        arguments.append(SchemaArgument(declaration.split()[-1], default.strip() if default else None))
    return arguments


def _default_value(text: str) -> Any:
    """Python value of a schema default (`None`, `True`, `[0, 1]`, `"reflect"`, `1e-05`); raises ValueError
    for symbolic defaults (`contiguous_format`, `long`)."""
    return ast.literal_eval(text)


def _is_default(node_input: torch._C.Value, argument: SchemaArgument) -> bool:
    if argument.default is None or node_input.node().kind() != "prim::Constant":
        return False
    try:
        return node_input.toIValue() == _default_value(argument.default)
    except (ValueError, SyntaxError, RuntimeError):
        return False


def _walk(block: Any) -> Iterator[torch._C.Node]:
    for node in block.nodes():
        yield node
        for inner in node.blocks():
            yield from _walk(inner)


def method_names(module: torch.jit.ScriptModule) -> list[str]:
    """Every method compiled into a scripted module's top level (exported ones and their helpers)."""
    return list(module._c._method_names())


def check_operators(module: torch.jit.ScriptModule, schemas: OperatorSchemas,
                    methods: Sequence[str] | None = None) -> list[OperatorIssue]:
    """Issues of every operator in the inlined graphs of `methods` (default: all) of `module`, and of all
    methods of its submodules (once per scripted type), against `schemas`."""
    issues: dict[tuple[str, str, str], OperatorIssue] = {}
    graphs = [(method, getattr(module, method).inlined_graph)
              for method in (methods if methods is not None else method_names(module))]
    seen_types = {module._c._type().qualified_name()}
    for path, submodule in module.named_modules():
        type_name = submodule._c._type().qualified_name()
        if type_name in seen_types:
            continue
        seen_types.add(type_name)
        graphs += [(f"{path}.{method}", submodule._c._get_method(method).inlined_graph)
                   for method in method_names(submodule)]
    for method, graph in graphs:
        for node in _walk(graph):
            kind = node.kind()
            if kind in SYNTAX_NODES:
                continue
            schema = node.schema()
            if schema == "(no schema)":
                if kind not in schemas.schemas:
                    issue = OperatorIssue(method, kind, "node without a schema that the target does not know")
                    issues[(method, kind, issue.problem)] = issue
                continue
            problem = _schema_problem(node, schema, schemas)
            if problem:
                issues[(method, schema_key(schema), problem)] = OperatorIssue(method, schema_key(schema), problem)
    return list(issues.values())


def _schema_problem(node: torch._C.Node, schema: str, schemas: OperatorSchemas) -> str | None:
    key = schema_key(schema)
    old = schemas.schemas.get(key)
    if old is None:
        return f"not in libtorch {schemas.version}"
    if old == schema:
        return None
    new_arguments = schema_arguments(schema)
    old_arguments = schema_arguments(old)
    inputs = list(node.inputs())
    needed = len(inputs)
    while needed > 0 and needed <= len(new_arguments) and _is_default(inputs[needed - 1], new_arguments[needed - 1]):
        needed -= 1
    if needed > len(old_arguments):
        return f"called with {needed} arguments, libtorch {schemas.version} accepts at most {len(old_arguments)}"
    for new, old_argument in zip(new_arguments[:needed], old_arguments):
        if new.name != old_argument.name:
            return f"argument '{new.name}' is '{old_argument.name}' in libtorch {schemas.version}"
    return None


def file_format_version(path: str | Path) -> int:
    """The file-format version record of a saved TorchScript archive (`<root>/version`)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/version")]
            if not names:
                names = [n for n in archive.namelist() if n.endswith("/.data/version")]
            return int(archive.read(names[0]).decode().strip())
    except (OSError, zipfile.BadZipFile, IndexError, ValueError) as exc:
        raise InputError(f"{path}: not a TorchScript archive with a version record ({exc})") from None


def check_saved_model(path: str | Path, schemas: OperatorSchemas) -> list[str]:
    """All problems of a saved `.ts` for the target libtorch: its file-format version, then every operator
    issue of every method. Empty when the file should load and run there."""
    problems = []
    version = file_format_version(path)
    if version > schemas.max_operator_version:
        problems.append(f"file-format version {version} > {schemas.max_operator_version} "
                        f"(the most libtorch {schemas.version} reads)")
    module = torch.jit.load(str(path), map_location="cpu")
    problems.extend(str(issue) for issue in check_operators(module, schemas))
    return problems


def nn_tilde_schemas_path() -> Path:
    """The operator table of the libtorch inside official nn~ builds, shipped in the package."""
    from importlib.resources import files

    return Path(str(files("after.nn_tilde") / NN_TILDE_SCHEMAS_FILE))


_NN_TILDE_SCHEMAS: list[OperatorSchemas] = []


def nn_tilde_schemas() -> OperatorSchemas:
    """`load_schemas(nn_tilde_schemas_path())`, read once per process."""
    if not _NN_TILDE_SCHEMAS:
        _NN_TILDE_SCHEMAS.append(load_schemas(nn_tilde_schemas_path()))
    return _NN_TILDE_SCHEMAS[0]


def nn_tilde_problems(path: str | Path) -> list[str]:
    """`check_saved_model` of `path` against the libtorch of official nn~ builds."""
    return check_saved_model(path, nn_tilde_schemas())


def describe_problems(path: str | Path, problems: Sequence[str]) -> str:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return (f"{path}: official nn~ builds (libtorch {NN_TILDE_LIBTORCH}) cannot run this model: {problems[0]}"
            f"{more}")


def require_nn_tilde_compat(path: str | Path, shown_as: str | Path | None = None) -> None:
    """Raise `ModelContractError` naming the first operator (or the file-format version) that the libtorch of
    official nn~ builds lacks; `shown_as` is the name the message uses (the final name of a temporary file)."""
    problems = nn_tilde_problems(path)
    if problems:
        raise ModelContractError(describe_problems(shown_as or path, problems) + "; this export cannot be used in "
                                 "Max/Live/Pd, please report it (an operator newer than libtorch 2.5.1 is used)")


def foreign_model_warning(path: str | Path) -> str | None:
    """A warning when a model that none of our export commands wrote (they check their files) would fail to
    load or run in official nn~ builds; None when it should run there, or when it is one of ours."""
    try:
        metadata = json.loads(read_extra_files(path).get(METADATA_FILE, b"{}"))
    except (OSError, ValueError, zipfile.BadZipFile):
        metadata = {}
    if isinstance(metadata, dict) and metadata.get("kind") in OUR_MODEL_KINDS:
        return None
    try:
        problems = nn_tilde_problems(path)
    except (InputError, RuntimeError) as exc:
        return f"{path}: could not check it against libtorch {NN_TILDE_LIBTORCH} ({str(exc).splitlines()[0][:120]})"
    if not problems:
        return None
    return describe_problems(path, problems) + "; the device will not play in official nn~ builds (re-export the " \
        "model with torch ≤ 2.5, or with `after export`)"
