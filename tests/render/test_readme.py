from pathlib import Path

from policygraph.config import SETTINGS, load_settings
from policygraph.render.readme import embed, updated

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_blocks_are_current():
    """`policygraph docs --update README.md` regenerates them after a change."""
    text = README.read_text(encoding="utf-8")
    assert updated(text, load_settings(env={}).ontology_dir) == text


def test_the_readme_documents_every_setting():
    text = README.read_text(encoding="utf-8")
    assert [s.name for s in SETTINGS if f"| `{s.name}` |" not in text] == []


def test_embed_replaces_only_its_block():
    text = "a\n<!-- x:start -->\nold\n<!-- x:end -->\nb\n<!-- y:start -->\nkeep\n<!-- y:end -->\n"
    assert embed(text, "x", "new\n") == text.replace("old", "new")
