"""Keep a build off the user's home folder and out of a copied project's original.

A build sets HOME and the matplotlib, IPython and Jupyter folders to its own scratch and cache folders, so a
read-only or unusual HOME cannot change its outputs or leak a machine path into them (matplotlib and IPython warn
with full paths when they cannot write to the home folder).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import PROJECT_ROOT


class MisplacedEnvironment(RuntimeError):
    """The environment imports ipanalysis from another folder than the one it belongs to."""


def isolated_variables(scratch: Path, cache: Path) -> dict[str, str]:
    """Environment variables that point every per-user folder of the stack into scratch (thrown away after the
    build) or cache (kept between builds: matplotlib's font list takes seconds to rebuild)."""
    folders = {
        "HOME": scratch / "home",
        "XDG_CONFIG_HOME": scratch / "config",
        "XDG_DATA_HOME": scratch / "data",
        "XDG_CACHE_HOME": cache,
        "MPLCONFIGDIR": cache / "matplotlib",
        "IPYTHONDIR": scratch / "ipython",
        "JUPYTER_CONFIG_DIR": scratch / "jupyter" / "config",
        "JUPYTER_DATA_DIR": scratch / "jupyter" / "data",
        "JUPYTER_RUNTIME_DIR": scratch / "jupyter" / "runtime",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    variables = {name: str(folder) for name, folder in folders.items()}
    return variables | {"JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


@contextmanager
def isolated(variables: dict[str, str]) -> Iterator[None]:
    """Set the variables for this process and the processes it starts; restore the previous values afterwards."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def misplaced_environment(prefix: Path = Path(sys.prefix), project_root: Path = PROJECT_ROOT) -> str | None:
    """Why this environment would build from another folder's code and data, or None when it is consistent.

    A project copied with `cp -r` keeps its .venv, whose editable install still imports ipanalysis (and so reads
    data/, notebooks/ and figures/) from the original folder.
    """
    venv = prefix.resolve()
    owner = venv.parent
    if venv.name != ".venv" or not (owner / "pyproject.toml").is_file() or owner == project_root.resolve():
        return None
    return (
        f"{venv} imports ipanalysis from {project_root}, so it would build from that folder's code and data: "
        f"{owner} was copied together with its .venv. Fix: cd {owner} && rm -rf .venv && make setup"
    )


def main() -> int:
    """Exit 1 with the reason when the environment belongs to another folder (run by make before every target)."""
    problem = misplaced_environment()
    if problem:
        print(f"ipanalysis: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
