"""The locks match their human files: what requirements*.in names is pinned in the lock with
hashes, the lock holds nothing no named package needs, and the code imports nothing the human
file leaves out (README, "Upgrading a package")."""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = Path(__file__).resolve().parent.parent
LOCKS = {"requirements.in": "requirements.txt", "requirements-dev.in": "requirements-dev.txt"}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(?P<version>\S+)")


@dataclass
class Pin:
    version: str
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def human_requirements(text: str) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def lock_pins(text: str) -> dict[str, Pin]:
    """name -> its pin, the hashes under it and what it is there for (the compiler's `# via`)."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            match = PIN.match(line)
            assert match, f"not pinned with ==: {line!r}"
            current = pins[canonicalize_name(match["name"])] = Pin(match["version"])
            continue
        item = line.strip().rstrip("\\").strip()
        if item.startswith("--hash="):
            current.hashes.append(item.removeprefix("--hash="))
        elif item.startswith("# via "):
            current.via.append(item.removeprefix("# via ").strip())
        elif item.startswith("#   "):
            current.via.append(item.removeprefix("#").strip())
    return pins


def unmet(human: str, lock: str) -> list[str]:
    """What a lock fails its human file in, one line each (empty when it matches)."""
    pins = lock_pins(lock)
    named = {canonicalize_name(r.name): r for r in human_requirements(human)}
    wrong = [
        f"{name}: {requirement.specifier or 'named'} but "
        + (f"locked at {pins[name].version}" if name in pins else "not in the lock")
        for name, requirement in named.items()
        if name not in pins or not requirement.specifier.contains(pins[name].version, True)
    ]
    wrong += [f"{name}: no --hash" for name, pin in pins.items() if not pin.hashes]
    # Needed: named in the human file, or needed by a package that is (the compiler's `via`).
    needed, todo = set(), [name for name in pins if name in named]
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo += [other for other, pin in pins.items() if name in pin.via]
    wrong += [
        f"{name}: in the lock, needed by nothing named" for name in pins if name not in needed
    ]
    return wrong


def read(name: str) -> str:
    return (PROJECT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("human", LOCKS)
def test_each_lock_satisfies_its_human_file(human):
    assert unmet(read(human), read(LOCKS[human])) == []


def test_the_dev_lock_keeps_the_runtime_versions():
    """Tests run on the versions users get: what both locks hold, they pin alike."""
    assert "-c requirements.txt" in read("requirements-dev.in").splitlines()
    runtime, dev = lock_pins(read("requirements.txt")), lock_pins(read("requirements-dev.txt"))
    assert {n: p.version for n, p in dev.items() if n in runtime} == {
        n: runtime[n].version for n in dev if n in runtime
    }


HUMAN = "streamlit==1.67.0\npsycopg[binary]==3.3.9  # the driver\n"
LOCK = """# header
streamlit==1.67.0 \\
    --hash=sha256:aa
    # via -r requirements.in
psycopg==3.3.9 \\
    --hash=sha256:bb
    # via -r requirements.in
psycopg-binary==3.3.9 \\
    --hash=sha256:cc
    # via psycopg
"""


@pytest.mark.parametrize(
    "human, lock, expected",
    [
        (HUMAN, LOCK, []),
        (
            HUMAN.replace("1.67.0", "1.68.0"),
            LOCK,
            ["streamlit: ==1.68.0 but locked at 1.67.0"],
        ),
        (HUMAN + "starlette>=1.0\n", LOCK, ["starlette: >=1.0 but not in the lock"]),
        (HUMAN, LOCK.replace("    --hash=sha256:bb\n", ""), ["psycopg: no --hash"]),
        (
            HUMAN.replace("psycopg[binary]==3.3.9  # the driver\n", ""),
            LOCK,
            [
                "psycopg-binary: in the lock, needed by nothing named",
                "psycopg: in the lock, needed by nothing named",
            ],
        ),
    ],
    ids=["matching", "version moved", "not locked", "no hash", "left behind"],
)
def test_a_lock_that_drifted_from_its_human_file_is_caught(human, lock, expected):
    assert sorted(unmet(human, lock)) == expected


def test_a_lock_line_without_an_exact_pin_is_refused():
    with pytest.raises(AssertionError, match="not pinned"):
        lock_pins("streamlit>=1.67 \\\n    --hash=sha256:aa\n")


CODE = [
    *PROJECT.glob("lib/**/*.py"),
    *PROJECT.glob("pages/*.py"),
    *PROJECT.glob("scripts/*.py"),
    PROJECT / "app.py",
    PROJECT / "serve.py",
]


def third_party_imports() -> set[str]:
    found = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"lib", "__future__"}


def test_every_package_the_code_imports_is_named_in_requirements_in():
    """A package that only arrives as another's dependency floats: named, it is pinned."""
    named = {canonicalize_name(r.name) for r in human_requirements(read("requirements.in"))}
    distributions = packages_distributions()
    missing = {
        module: distributions.get(module)
        for module in third_party_imports()
        if not {canonicalize_name(d) for d in distributions.get(module, [])} & named
    }
    assert missing == {}
