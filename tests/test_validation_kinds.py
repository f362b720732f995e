"""Every problem kind in messages.py is provoked by a test: each test declares the kinds it makes the validator
report with @pytest.mark.provokes(...) (checked while it runs, tests/conftest.py), and this test compares the
declarations with the kinds."""

import ast
import re
from pathlib import Path

from ipanalysis.config import PROJECT_ROOT
from ipanalysis.messages import FRAGMENTS, LANGUAGES, MESSAGES, PROBLEM_KINDS

TESTS = Path(__file__).parent


def declared_kinds() -> dict[str, list[str]]:
    """Kind -> the test files that declare it, read from the sources (so it does not depend on which tests ran)."""
    found: dict[str, list[str]] = {}
    for path in sorted(TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "provokes":
                for arg in node.args:
                    assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), ast.unparse(node)
                    found.setdefault(arg.value, []).append(path.name)
    return found


def test_every_problem_kind_is_provoked_by_a_test():
    declared = declared_kinds()
    missing = [kind for kind in PROBLEM_KINDS if kind not in declared]
    assert not missing, f"problem kinds no test provokes: {missing}"


def test_tests_declare_only_real_kinds():
    assert not set(declared_kinds()) - set(PROBLEM_KINDS)


def test_fragments_are_message_parts_the_code_uses():
    """A fragment is not a problem kind in disguise: the code names it (or builds type_<field type>)."""
    code = "".join(path.read_text(encoding="utf-8") for path in (PROJECT_ROOT / "ipanalysis").rglob("*.py")
                   if path.name != "messages.py")
    for fragment in FRAGMENTS:
        assert fragment in MESSAGES
        assert f'"{fragment}"' in code or (fragment.startswith("type_") and 'Text(f"type_' in code), fragment


def test_every_message_exists_in_every_language_with_the_same_fields():
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        fields = [set(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGUAGES]
        assert all(f == fields[0] for f in fields), key
        assert re.search(r"[\u4e00-\u9fff]", texts["zh"]), key
