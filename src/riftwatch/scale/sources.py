"""Inputs for the Ray engine: local paths or filesystem URIs, listed and read per file.

Files are listed on the driver with the local engine's rules (folders recursively, in
sorted order, hidden entries skipped) and named as it names them (``DIR/sub/file.txt``),
so ``Document.input`` matches. Each file is then read on a worker with the project's own
reader (``read_inputs``): JSON Lines, CSV, JSON, text, HTML, feeds, their gzipped forms,
and Parquet (record columns mapped by the same ``FieldMap``), so a document gets the
same id, date and source on both engines.

A URI is opened with pyarrow's filesystems (``s3://``, ``gs://``, ``hdfs://``,
``file://``) and else with fsspec (any protocol it has an implementation for). A file on a
remote filesystem is copied to a local temporary file before it is read: the readers
stream local files, and a coding worker spends far longer on a file than copying it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow.fs as pafs

from ..errors import ConfigError
from ..ingest import FieldMap, read_inputs
from ..ingest.records import Context, Options, from_record
from ..model import Document, Rejected

PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: its path on ``filesystem`` and the name documents will carry."""

    filesystem: int
    """Index into the list of filesystems the listing returns."""
    path: str
    name: str
    index: int
    """Position in the sorted listing: the local engine's reading order."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What ``read_inputs`` is asked (the ``code`` command's reading options)."""

    fields: FieldMap | None = None
    published: dt.date | None = None
    max_bytes: int = 50_000_000
    source: str | None = None


def _has_scheme(value: str) -> bool:
    head, sep, _ = value.partition("://")
    return bool(sep) and head.isascii() and head.replace("+", "").replace("-", "").isalnum()


def filesystem_for(uri: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem and path of a local path or URI (pyarrow first, then fsspec)."""
    if not _has_scheme(uri):
        return pafs.LocalFileSystem(), os.path.abspath(uri)
    try:
        return pafs.FileSystem.from_uri(uri)
    except (ValueError, TypeError, OSError, NotImplementedError):
        pass  # pyarrow does not know the scheme: try fsspec
    try:
        import fsspec
        from fsspec.core import url_to_fs
    except ImportError as e:
        raise ConfigError(
            f"cannot open {uri}: pyarrow does not know it and fsspec is absent"
        ) from e
    try:
        fs, path = url_to_fs(uri)
    except (ValueError, ImportError) as e:
        raise ConfigError(f"cannot open {uri}: {e}") from e
    assert isinstance(fs, fsspec.AbstractFileSystem)
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), path


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.split("/"))


def list_inputs(
    inputs: list[str],
) -> tuple[list[pafs.FileSystem], list[InputFile], list[Rejected]]:
    """The files to read, in the local engine's order, and the inputs that do not exist."""
    filesystems: list[pafs.FileSystem] = []
    files: list[InputFile] = []
    missing: list[Rejected] = []
    for given in inputs:
        fs, root = filesystem_for(given)
        fs_index = len(filesystems)
        filesystems.append(fs)
        try:
            info = fs.get_file_info(root)
        except OSError as e:
            missing.append(Rejected(given, None, f"cannot read: {e}"))
            continue
        if info.type == pafs.FileType.NotFound:
            missing.append(Rejected(given, None, "no such file or directory"))
            continue
        if info.type == pafs.FileType.File:
            files.append(InputFile(fs_index, root, given, len(files)))
            continue
        base = root.rstrip("/")
        found = []
        for entry in fs.get_file_info(pafs.FileSelector(base, recursive=True)):
            if entry.type != pafs.FileType.File:
                continue
            relative = entry.path[len(base) :].lstrip("/")
            if not _hidden(relative):
                found.append((tuple(relative.split("/")), entry.path))
        prefix = given.rstrip("/")
        for parts, path in sorted(found):
            if _has_scheme(given):
                name = "/".join((prefix, *parts))
            else:
                name = os.path.join(given, *parts)
            files.append(InputFile(fs_index, path, name, len(files)))
    return filesystems, files, missing


def read_file(
    fs: pafs.FileSystem, path: str, name: str, options: ReadOptions
) -> Iterator[Document | Rejected]:
    """The documents (and rejected parts) of one file, read as the local engine reads it."""
    if path.lower().endswith(PARQUET_SUFFIXES):
        yield from _read_parquet(fs, path, name, options)
        return
    if isinstance(fs, pafs.LocalFileSystem):
        yield from _renamed(read_inputs([path], **_kwargs(options)), path, name)
        return
    with tempfile.TemporaryDirectory(prefix="riftwatch-") as tmp:
        local = str(Path(tmp) / path.rsplit("/", 1)[-1])
        try:
            with fs.open_input_stream(path) as src, open(local, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
        except OSError as e:
            yield Rejected(name, None, f"cannot read: {e}")
            return
        yield from _renamed(read_inputs([local], **_kwargs(options)), local, name)


def _kwargs(options: ReadOptions) -> dict[str, object]:
    return {
        "fields": options.fields,
        "published": options.published,
        "max_bytes": options.max_bytes,
        "source": options.source,
    }


def _renamed(
    items: Iterator[Document | Rejected], path: str, name: str
) -> Iterator[Document | Rejected]:
    for item in items:
        if item.input == path:
            item = replace(item, input=name)
        yield item


def _read_parquet(
    fs: pafs.FileSystem, path: str, name: str, options: ReadOptions
) -> Iterator[Document | Rejected]:
    import pyarrow.parquet as pq

    ctx = Context(
        name,
        Options(
            fields=options.fields or FieldMap(),
            published=options.published,
            max_bytes=options.max_bytes,
            source=options.source,
        ),
    )
    try:
        reader = pq.ParquetFile(fs.open_input_file(path))
        row = 0
        for batch in reader.iter_batches(batch_size=1024):
            for record in batch.to_pylist():
                row += 1
                yield from_record(ctx, record, f"row {row}")
    except (OSError, ValueError) as e:  # pyarrow reports corrupt files as ArrowInvalid
        yield ctx.reject(None, f"cannot read as Parquet: {e}")
        return
    if row == 0:
        yield ctx.reject(None, "no documents found in this parquet input")
