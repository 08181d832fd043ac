"""Documentation that the code keeps true: every setting and command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


def test_every_environment_variable_is_documented() -> None:
    settings_source = (ROOT / "src" / "peermentor" / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r'env\.[a-z_]+\(\s*"([A-Z_]+)"', settings_source))
    assert len(variables) > 15
    missing = sorted(v for v in variables if f"`{v}`" not in CONFIGURATION)
    assert not missing, f"Document these in docs/configuration.md: {missing}"


def test_every_peermentor_command_is_documented() -> None:
    ours = [name for name, app in get_commands().items() if app.startswith("peermentor")]
    assert {"serve", "demo", "createadmin"} <= set(ours)
    missing = sorted(name for name in ours if f"`peermentor {name}" not in CONFIGURATION)
    assert not missing, f"Document these commands in docs/configuration.md: {missing}"


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make run" in first_block
    assert "make test" in first_block
    for login in ("director@example.org", "evaluator@example.org", "member8@example.org"):
        assert login in readme
