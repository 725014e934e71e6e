"""Record serialisation, schema versioning and LMDB map growth."""

import json
from pathlib import Path

import numpy as np
import pytest

from after.data.midi import Note
from after.data.store import (
    INFO_KEY,
    INITIAL_MAP_SIZE,
    SCHEMA_VERSION,
    DatabaseReader,
    DatabaseWriter,
    Record,
    database_info,
    decode_record,
    encode_record,
)
from after.errors import InputError


def write_db(path: Path, records: list[Record], **info) -> None:
    writer = DatabaseWriter(path)
    writer.put_records(0, records)
    writer.write_info({"sample_rate": 16000, "num_signal": 1024, "n_records": len(records), "has_waveform": True,
                       "has_midi": True, "latents": None, "labels": ["x"], **info})
    writer.close()


def test_record_round_trip() -> None:
    rng = np.random.default_rng(0)
    record = Record(waveform=rng.integers(-32768, 32767, 1024).astype(np.int16),
                    latents=rng.standard_normal((8, 4)).astype(np.float32),
                    notes=[Note(60, 0.0, 0.5, 100), Note(64, 0.25, 1.0, 7)],
                    metadata={"source": "a/b.wav", "chunk_index": 3, "label": "piano"},
                    augmented={"augment_shift_0": rng.standard_normal((8, 5)).astype(np.float32)})
    data = encode_record(record)
    assert b"pickle" not in data and data[:4] == b"AFTR"
    back = decode_record(data)
    assert np.array_equal(back.waveform, record.waveform) and np.array_equal(back.latents, record.latents)
    assert back.notes == record.notes and back.metadata == record.metadata
    assert np.array_equal(back.augmented["augment_shift_0"], record.augmented["augment_shift_0"])
    assert decode_record(encode_record(Record(metadata={"label": "x"}))).notes is None


def test_unknown_schema_is_refused(tmp_path: Path) -> None:
    write_db(tmp_path / "db", [Record(metadata={"label": "x"})])
    writer = DatabaseWriter(tmp_path / "db")
    info = json.loads(writer.env.begin().get(INFO_KEY))
    writer.put_many([(INFO_KEY, json.dumps({**info, "schema": 99}).encode())])
    writer.close()
    with pytest.raises(InputError, match="schema version 99 is not supported"):
        database_info(tmp_path / "db")
    record = encode_record(Record(metadata={})).replace(b'"schema": %d' % SCHEMA_VERSION, b'"schema": 7')
    with pytest.raises(InputError, match="schema version 7"):
        decode_record(record)


def test_missing_or_incomplete_database(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        database_info(tmp_path / "nothing")
    (tmp_path / "folder").mkdir()
    with pytest.raises(InputError, match="not a dataset"):
        database_info(tmp_path / "folder")
    writer = DatabaseWriter(tmp_path / "partial")
    writer.put_records(0, [Record(metadata={"label": "x"})])
    writer.close()
    with pytest.raises(InputError, match="incomplete dataset"):
        database_info(tmp_path / "partial")


def test_map_grows_past_initial_size(tmp_path: Path) -> None:
    chunk = np.zeros(2**20, dtype=np.int16)  # 2 MiB per record
    n = INITIAL_MAP_SIZE // chunk.nbytes + 8
    write_db(tmp_path / "db", [Record(waveform=chunk + i, metadata={"label": "x"}) for i in range(n)])
    reader = DatabaseReader(tmp_path / "db")
    assert len(reader) == n and reader[n - 1].waveform[0] == n - 1


def test_a_missing_record_or_array_is_a_one_line_error():
    with pytest.raises(InputError, match="db record 3: missing from the database.*prepare it again"):
        decode_record(None, "db record 3")
    empty = Record(metadata={"label": "x"})
    with pytest.raises(InputError, match="r: holds no latents.*--emb_model_path"):
        empty.require_latents("r")
    with pytest.raises(InputError, match="r: holds no waveform.*--save_waveform"):
        empty.require_waveform("r")
    assert Record(latents=np.zeros((2, 3), np.float32)).require_latents().shape == (2, 3)
