"""docs/cli.md is the command line's own help: a new or changed flag cannot go undocumented."""

from __future__ import annotations

from sim import cli_reference


def test_docs_cli_is_the_command_lines_help():
    assert cli_reference.DOC.read_text(encoding="utf-8") == cli_reference.reference(), (
        "docs/cli.md is stale: run python -m sim.cli_reference (make docs)"
    )


def test_every_command_and_flag_of_run_is_in_it():
    text = cli_reference.reference()
    for needle in ("## sim run", "--scenarios", "--kommun", "## sim household", "--json"):
        assert needle in text
