"""The dataset store: an LMDB database of chunk records with a versioned, pickle-free schema.

Layout (schema version 2, documented in docs/DATA.md; version 1 databases, which cannot hold frame features,
are read unchanged):

* key `__info__`: UTF-8 JSON describing the whole database (`schema`, `sample_rate`, `num_signal`,
  `n_records`, `has_waveform`, `has_midi`, `latents`, `frame_features`, `augmentation`, `labels`,
  `summary`). It is written last, so a database without it is incomplete.
* keys `00000000`, `00000001`, …: one record per chunk, encoded by `encode_record`:
  `b"AFTR"` + uint32 little-endian header length + JSON header + raw little-endian array bytes. The header
  gives `schema`, `arrays` (`name → {dtype, shape, offset}`, offsets into the raw bytes), `notes`
  (`[[pitch, start_s, end_s, velocity], …]` or null when the database has no MIDI) and `metadata`.

Arrays: `waveform` int16 [num_signal] (PCM × 32767), `latents` float32 [C, T], `augment_<mode>_<i>` float32
[C, T'] (latents of augmented audio; T' varies with time stretch), and the frame features of version 2:
`descriptor_<name>` and `beat_clock`, float32 [T] at the latent frame rate (`after.data.descriptors`). Version
2 exists because a version-1 reader would take those arrays for augmented latents.
"""

from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import lmdb
import numpy as np

from after.data.midi import Note
from after.errors import InputError

SCHEMA_VERSION = 2
READABLE_SCHEMAS = (1, 2)
INFO_KEY = b"__info__"
MAGIC = b"AFTR"
INITIAL_MAP_SIZE = 64 * 2**20
MAX_READERS = 256
ALLOWED_DTYPES = ("int16", "float32")
AUGMENT_PREFIX = "augment_"
DESCRIPTOR_PREFIX = "descriptor_"
BEAT_CLOCK = "beat_clock"


def record_key(index: int) -> bytes:
    """LMDB key of record `index`."""
    return b"%08d" % index


@dataclass
class Record:
    """One chunk. `waveform` int16 [num_signal] or None; `latents` float32 [C, T] or None; `notes` (seconds,
    relative to the chunk start) or None without MIDI; `metadata` (`source`, `chunk_index`, `label`, parser
    extras); `augmented`: name → float32 [C, T'] latents of augmented copies; `features`: frame features,
    array name (`descriptor_<name>`, `beat_clock`) → float32 [T] aligned with the latent frames."""

    waveform: np.ndarray | None = None
    latents: np.ndarray | None = None
    notes: list[Note] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    augmented: dict[str, np.ndarray] = field(default_factory=dict)
    features: dict[str, np.ndarray] = field(default_factory=dict)

    def require_latents(self, where: str = "record") -> np.ndarray:
        """`latents`, for readers of databases whose info says they hold them; `InputError` naming `where` if
        this record has none."""
        if self.latents is None:
            raise InputError(f"{where}: holds no latents; prepare the database with --emb_model_path or run "
                             f"`after update_dataset`")
        return self.latents

    def require_waveform(self, where: str = "record") -> np.ndarray:
        """`waveform`, for readers of databases whose info says they hold them; `InputError` naming `where` if
        this record has none."""
        if self.waveform is None:
            raise InputError(f"{where}: holds no waveform; prepare the database with --save_waveform")
        return self.waveform

    def arrays(self) -> dict[str, np.ndarray]:
        out = {}
        if self.waveform is not None:
            out["waveform"] = self.waveform
        if self.latents is not None:
            out["latents"] = self.latents
        out.update(self.augmented)
        out.update(self.features)
        return out


def encode_record(record: Record) -> bytes:
    """Serialise a record (JSON header + raw array bytes)."""
    arrays = {}
    blobs = []
    offset = 0
    for name, array in record.arrays().items():
        array = np.ascontiguousarray(array)
        if array.dtype.name not in ALLOWED_DTYPES:
            raise ValueError(f"array '{name}' has dtype {array.dtype}; allowed: {ALLOWED_DTYPES}")
        blob = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        arrays[name] = {"dtype": array.dtype.name, "shape": list(array.shape), "offset": offset}
        blobs.append(blob)
        offset += len(blob)
    notes = None if record.notes is None else [[int(n.pitch), float(n.start), float(n.end), int(n.velocity)]
                                                for n in record.notes]
    header = json.dumps({"schema": SCHEMA_VERSION, "arrays": arrays, "notes": notes,
                         "metadata": record.metadata}).encode("utf-8")
    return b"".join([MAGIC, struct.pack("<I", len(header)), header, *blobs])


def decode_record(data: bytes | None, where: str = "record") -> Record:
    """Parse bytes written by `encode_record`; `InputError` for a missing record (None), foreign data or an
    unknown schema."""
    if data is None:
        raise InputError(f"{where}: missing from the database (it was not written completely); prepare it again")
    if data[:4] != MAGIC:
        raise InputError(f"{where}: not an after dataset record; prepare the data with `after prepare_dataset`")
    (length,) = struct.unpack("<I", data[4:8])
    header = json.loads(data[8:8 + length])
    check_schema(header.get("schema"), where)
    body = memoryview(data)[8 + length:]
    record = Record(metadata=header["metadata"])
    if header["notes"] is not None:
        record.notes = [Note(int(p), float(s), float(e), int(v)) for p, s, e, v in header["notes"]]
    for name, spec in header["arrays"].items():
        dtype = np.dtype(spec["dtype"]).newbyteorder("<")
        count = int(np.prod(spec["shape"]))
        array = np.frombuffer(body, dtype=dtype, count=count, offset=spec["offset"]).reshape(spec["shape"])
        array = array.astype(dtype.newbyteorder("="))  # native order, writable copy
        if name == "waveform":
            record.waveform = array
        elif name == "latents":
            record.latents = array
        elif name.startswith(AUGMENT_PREFIX):
            record.augmented[name] = array
        else:
            record.features[name] = array
    return record


def check_schema(version: Any, where: str) -> None:
    """Refuse schema versions this code does not know."""
    if version not in READABLE_SCHEMAS:
        raise InputError(f"{where}: dataset schema version {version!r} is not supported (this after reads "
                         f"versions {', '.join(map(str, READABLE_SCHEMAS))}); prepare the dataset again with this "
                         f"version of after")


@dataclass(frozen=True)
class DatabaseInfo:
    """What a database holds. `latent_shape` is [C, T] per record and `codec_ratio` the codec's samples per
    latent frame (both None without valid latents); `labels` are the distinct record labels."""

    n_records: int
    sample_rate: int
    num_signal: int
    has_waveform: bool
    has_latents: bool
    latent_shape: tuple[int, int] | None
    codec_ratio: int | None
    has_midi: bool
    labels: tuple[str, ...]
    augmentations: tuple[str, ...] = ()
    latents_state: str = "none"
    descriptors: tuple[str, ...] = ()
    has_beat_clock: bool = False
    # How the descriptors were analysed (`frame_features.window`): "causal", or "centred" for databases whose
    # descriptors predate causal windows (no `window` entry); None without descriptors.
    descriptor_window: str | None = None


_READ_ENVS: dict[tuple[int, str], lmdb.Environment] = {}


def _open_env(path: Path) -> lmdb.Environment:
    """The read-only environment of `path` in this process (LMDB allows one open environment per path and
    process, so it is shared and opened lazily in each DataLoader worker)."""
    key = (os.getpid(), str(path.resolve()))
    if key in _READ_ENVS:
        return _READ_ENVS[key]
    for stale in [k for k in _READ_ENVS if k[1] == key[1]]:  # inherited through fork: unusable here
        _READ_ENVS.pop(stale).close()
    if not (path / "data.mdb").is_file():
        raise InputError(f"{path}: not a dataset (no data.mdb); create one with `after prepare_dataset`")
    try:
        env = lmdb.open(str(path), readonly=True, lock=False, readahead=False, meminit=False,
                        max_readers=MAX_READERS, subdir=True)
    except lmdb.Error as exc:
        raise InputError(f"{path}: cannot open the dataset ({str(exc).splitlines()[0]}); "
                         f"prepare it again with `after prepare_dataset`") from None
    _READ_ENVS[key] = env
    return env


def release(path: str | os.PathLike) -> None:
    """Close this process's read-only environment of `path` (before writing to or replacing it)."""
    env = _READ_ENVS.pop((os.getpid(), str(Path(path).resolve())), None)
    if env is not None:
        env.close()


def read_info(env: lmdb.Environment, path: Path) -> dict[str, Any]:
    """The `__info__` mapping of an open database, schema-checked."""
    with env.begin() as txn:
        raw = txn.get(INFO_KEY)
    if raw is None:
        raise InputError(f"{path}: incomplete dataset (no {INFO_KEY.decode()} entry; was `after prepare_dataset` "
                         f"interrupted?); prepare it again")
    try:
        info = json.loads(raw)
    except ValueError:
        raise InputError(f"{path}: corrupt dataset header; prepare the dataset again") from None
    check_schema(info.get("schema"), str(path))
    return info


def info_from_mapping(info: dict[str, Any]) -> DatabaseInfo:
    latents = info.get("latents") or {}
    valid = latents.get("state") == "valid"
    features = info.get("frame_features") or {}  # computed at the latents' frame rate: valid with them
    return DatabaseInfo(
        n_records=int(info["n_records"]),
        sample_rate=int(info["sample_rate"]),
        num_signal=int(info["num_signal"]),
        has_waveform=bool(info["has_waveform"]),
        has_latents=valid,
        latent_shape=tuple(latents["shape"]) if valid else None,
        codec_ratio=int(latents["ratio"]) if valid else None,
        has_midi=bool(info["has_midi"]),
        labels=tuple(info.get("labels", ())),
        augmentations=tuple(latents.get("augment_keys", ())) if valid else (),
        latents_state=latents.get("state", "none"),
        descriptors=tuple(features.get("descriptors", ())) if valid else (),
        has_beat_clock=bool(features.get("beat_clock", False)) if valid else False,
        descriptor_window=features.get("window") or "centred" if valid and features.get("descriptors") else None,
    )


def database_info(path: str | os.PathLike) -> DatabaseInfo:
    """Describe a database; `InputError` if it is missing, incomplete, corrupt or of an unknown schema."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: dataset not found; create it with `after prepare_dataset --output_path {path}`")
    return info_from_mapping(read_info(_open_env(path), path))


class DatabaseReader:
    """Read-only access to one database. The LMDB environment opens lazily in each process, so instances can
    be handed to DataLoader workers (fork or spawn)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(f"{self.path}: dataset not found; create it with `after prepare_dataset`")
        self.info = info_from_mapping(read_info(_open_env(self.path), self.path))

    def __len__(self) -> int:
        return self.info.n_records

    def __getitem__(self, index: int) -> Record:
        if not 0 <= index < len(self):
            raise IndexError(index)
        with _open_env(self.path).begin() as txn:
            data = txn.get(record_key(index))
        if data is None:
            raise InputError(f"{self.path}: record {index} is missing; prepare the dataset again")
        return decode_record(data, f"{self.path} record {index}")


class DatabaseWriter:
    """Writes records in batched transactions; the map starts small and doubles on `MDB_MAP_FULL` (the failed
    transaction is retried), so no huge fixed map is needed."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        release(self.path)
        self.env = lmdb.open(str(self.path), map_size=INITIAL_MAP_SIZE, subdir=True, max_readers=MAX_READERS)

    def put_many(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        """Store key/value pairs in one transaction, growing the map as needed."""
        items = list(items)
        while True:
            try:
                with self.env.begin(write=True) as txn:
                    for key, value in items:
                        txn.put(key, value)
                return
            except lmdb.MapFullError:
                self.env.set_mapsize(self.env.info()["map_size"] * 2)

    def put_records(self, start_index: int, records: Iterable[Record]) -> None:
        self.put_many((record_key(start_index + i), encode_record(r)) for i, r in enumerate(records))

    def read_info(self) -> dict[str, Any]:
        return read_info(self.env, self.path)

    def write_info(self, info: dict[str, Any]) -> None:
        self.put_many([(INFO_KEY, json.dumps({**info, "schema": SCHEMA_VERSION}).encode("utf-8"))])

    def get_record(self, index: int) -> Record:
        with self.env.begin() as txn:
            return decode_record(txn.get(record_key(index)), f"{self.path} record {index}")

    def close(self) -> None:
        self.env.sync()
        self.env.close()
