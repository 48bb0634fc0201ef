"""Documented means stable: every CLI command has help text and a section in the docs."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import typer

from riftwatch.cli import app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from cli_reference import commands  # noqa: E402


def _all_commands():
    return commands(typer.main.get_command(app), ["riftwatch"])


def test_docs_every_command_has_help_text():
    missing = [" ".join(p) for p, cmd in _all_commands() if not (cmd.help or "").strip()]
    assert missing == []


def test_docs_every_command_is_in_the_cli_reference():
    reference = (ROOT / "docs" / "cli-reference.md").read_text()
    missing = [" ".join(p) for p, _ in _all_commands() if f"## {' '.join(p)}\n" not in reference]
    assert missing == [], "run: python scripts/cli_reference.py"


def test_docs_every_option_of_code_is_in_the_cli_reference():
    reference = (ROOT / "docs" / "cli-reference.md").read_text()
    code = typer.main.get_command(app).get_command(click.Context(click.Group()), "code")
    opts = [o for p in code.params for o in p.opts if o.startswith("--")]
    assert [o for o in opts if o not in reference] == []
