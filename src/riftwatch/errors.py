"""riftwatch's exceptions.

    RiftwatchError
    ├── IngestError        an input cannot be read (carries .input, .location)
    ├── ConfigError        a bad option, lexicon or knowledge-base file
    ├── PipelineError      the NLP pipeline cannot be built or run
    ├── StoreError         the DuckDB store cannot be opened or written
    │   └── MigrationError a schema migration failed
    └── NotFound           a requested record does not exist (status 404)

The CLI turns these into one-line messages; the web layer maps ``status``.
"""

from __future__ import annotations


class RiftwatchError(Exception):
    status = 500


class IngestError(RiftwatchError):
    status = 400

    def __init__(self, message: str, *, input: str | None = None, location: str | None = None):
        super().__init__(message)
        self.input = input
        self.location = location


class ConfigError(RiftwatchError):
    status = 400


class PipelineError(RiftwatchError):
    pass


class StoreError(RiftwatchError):
    pass


class MigrationError(StoreError):
    pass


class NotFound(RiftwatchError):
    status = 404
