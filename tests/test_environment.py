"""The pinned environment: requirements.txt, requirements.lock and environment.yml agree."""

import re

import yaml

from ipanalysis.config import PROJECT_ROOT

NOT_PACKAGES = {"python", "pip"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str], separator: str) -> dict[str, str]:
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition(separator)
            found[normalise(name)] = version
    return found


def requirement_pins(text: str) -> dict[str, str]:
    return pins(text.splitlines(), "==")


def conda_pins(text: str) -> dict[str, str]:
    dependencies = yaml.safe_load(text)["dependencies"]
    conda = [item for item in dependencies if isinstance(item, str)]
    pip = [line.replace("==", "=") for item in dependencies if isinstance(item, dict) for line in item.get("pip", [])]
    return {name: version for name, version in pins(conda + pip, "=").items() if name not in NOT_PACKAGES}


def drift(requirements_text: str, environment_text: str) -> dict[str, tuple]:
    """Packages whose pin differs between requirements.txt and environment.yml: name -> (pip pin, conda pin)."""
    pip, conda = requirement_pins(requirements_text), conda_pins(environment_text)
    return {name: (pip.get(name), conda.get(name)) for name in pip.keys() | conda.keys() if pip.get(name) != conda.get(name)}


def read(name: str) -> str:
    return (PROJECT_ROOT / name).read_text(encoding="utf-8")


def test_every_direct_requirement_is_pinned_exactly():
    for line in read("requirements.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line.strip()), line


def test_environment_yml_names_the_same_packages_and_versions():
    assert drift(read("requirements.txt"), read("environment.yml")) == {}


def test_drift_is_detected_both_ways():
    changed = read("environment.yml").replace("pandas=3.1.1", "pandas=3.0.0").replace("  - scipy=1.17.1\n", "")
    assert drift(read("requirements.txt"), changed) == {"pandas": ("3.1.1", "3.0.0"), "scipy": ("1.17.1", None)}


def test_lock_contains_every_direct_requirement_at_its_version():
    lock = requirement_pins(read("requirements.lock"))
    for name, version in requirement_pins(read("requirements.txt")).items():
        assert lock.get(name) == version, name


def test_environment_yml_pins_python_3_11():
    assert "python=3.11" in yaml.safe_load(read("environment.yml"))["dependencies"]
