"""The figures the README states are the built corpus's, as its home page counts them, and its
sample report is what ``validate`` prints."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from policygraph.cli import main
from policygraph.read.evidence.coverage import overview

PROJECT = Path(__file__).resolve().parents[2]
README = (PROJECT / "README.md").read_text(encoding="utf-8")


def _figure(pattern: str) -> int:
    found = re.search(pattern, README)
    assert found, pattern
    return int(found.group(1).replace(",", ""))


def test_the_readme_counts_what_the_home_page_counts(corpus_store):
    figures = overview(corpus_store)
    assert _figure(r"\*\*([\d,]+) agreement sections\*\*") == figures.counts["sections"]
    assert _figure(r"\*\*([\d,]+) chapters\*\*") == figures.counts["chapters"]
    assert _figure(r"\*\*([\d,]+)\*\* of them are the parts an assessment judges") == sum(
        chapter.sections for chapter in figures.coverage
    )
    assert _figure(r"\*\*([\d,]+) assessment reports\*\*") == figures.counts["reports"]
    assert _figure(r"\*\*([\d,]+) decisions\*\*") == figures.counts["decisions"]


def test_the_sample_report_is_what_validate_prints():
    sample = PROJECT / "tests" / "shapes" / "invalid" / "budget-malformed.ttl"
    printed = CliRunner().invoke(main, ["validate", str(sample)]).output.splitlines()
    assert f"  {printed[0]}" in README.splitlines()
    assert f"  {printed[-1]}" in README.splitlines()
