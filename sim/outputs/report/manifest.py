"""The report's manifest section: how the results were made, as a short table, and the
output folder's files with their size and SHA-256 (the whole record is ``manifest.json``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.catalogue import labels
from sim.catalogue.labels import text as _t
from sim.outputs.formatting import format_number
from sim.outputs.names import assumption_set_name, population_name
from sim.outputs.report.templates import Table, report_section


def _short_hash(digest: Any) -> str:
    return str(digest or "")[:12]


def _size(n: int, lang: str) -> str:
    if n >= 1_000_000:
        return format_number(n / 1e6, decimals=1, lang=lang) + " MB"
    if n >= 1000:
        return format_number(n / 1e3, decimals=0, lang=lang) + " kB"
    return format_number(n, lang=lang) + " B"


def manifest_section(
    manifest: Mapping[str, Any], lang: str, files: Mapping[str, int]
) -> dict[str, Any]:
    """How the results were made, as a short table; the whole record is ``manifest.json``."""
    sets = manifest.get("assumption_sets") or {}
    scenarios = "; ".join(
        f"{labels.scenario(s['name'], lang)} ({s.get('file', '')}, "
        f"{assumption_set_name(sets.get(s['name'], s.get('assumption_set', '')), lang)})"
        for s in manifest.get("scenarios", [])
    )
    profile = manifest.get("kommun_profile") or {}
    facts = [
        (_t(lang, "Version", "Version"), f"sim {manifest.get('version', '')}"),
        (_t(lang, "Git-commit", "Git commit"), _short_hash(manifest.get("git_revision")) or "–"),
        (_t(lang, "Skapad", "Created"), str(manifest.get("created", "–"))),
        (
            _t(lang, "Befolkning", "Population"),
            f"{population_name(manifest)} ({_t(lang, 'dataår', 'data year')} "
            f"{manifest.get('population_year', '–')}, {_t(lang, 'frö', 'seed')} "
            f"{manifest.get('population_seed', '–')}, "
            f"manifest {_short_hash(manifest.get('population_manifest_sha256')) or '–'})",
        ),
        (_t(lang, "Frö", "Seed"), str(manifest.get("seed", ""))),
        (_t(lang, "År", "Year"), str(manifest.get("year", ""))),
        (_t(lang, "Scenarier (antagandeuppsättning)", "Scenarios (assumption set)"), scenarios),
    ]
    if manifest.get("n_replications"):
        facts.append((_t(lang, "Replikeringar", "Replications"), str(manifest["n_replications"])))
    if profile:
        facts.append((_t(lang, "Kommunprofil", "Municipal profile"), str(profile.get("namn", ""))))
    facts.append(
        (
            _t(lang, "Antagandefilerna", "Assumption files"),
            "SHA-256 " + (_short_hash(manifest.get("assumptions_digest")) or "–"),
        )
    )
    for name, digest in (manifest.get("law_digest") or {}).items():
        facts.append(
            (
                _t(
                    lang,
                    f"Lagen i {labels.scenario(name, lang)}",
                    f"Law of {labels.scenario(name, lang)}",
                ),
                "SHA-256 " + _short_hash(digest),
            )
        )
    command = manifest.get("command")
    if command:
        facts.append((_t(lang, "Kommando", "Command"), " ".join(str(c) for c in command)))
    recorded = manifest.get("results_sha256") or {}
    file_rows = [
        [
            name,
            _size(files[name], lang) if name in files else "–",
            _short_hash(recorded.get(name)) or "–",
        ]
        for name in sorted(set(files) | set(recorded))
    ]
    return report_section(
        "manifest",
        _t(lang, "Manifest", "Manifest"),
        "manifest.html.j2",
        facts=Table(
            [_t(lang, "Uppgift", "Item"), _t(lang, "Värde", "Value")],
            facts,
            numeric=False,
            css="text manifest",
        ),
        files=Table(
            [_t(lang, "Fil", "File"), _t(lang, "Storlek", "Size"), "SHA-256"],
            file_rows,
            numeric=False,
            css="manifest",
        ),
        note=_t(
            lang,
            "Hela uppgiften, med alla hashsummor i full längd (SHA-256, här de första 12 "
            "tecknen): ",
            "The whole record, with every hash in full (SHA-256, here its first 12 characters): ",
        ),
    )
