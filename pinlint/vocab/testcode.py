"""Test sources: the one definition of code and configuration that is never shipped in the app.

Every rule, every language and resolution use this module, so a file is test code everywhere or nowhere.
A file is a test source when, below the scanned folder, its path shows one of:

- **Android/Gradle**: a test source set under ``src/`` (``src/test``, ``src/androidTest``, ``src/testDebug``,
  ``src/testFixtures``, ``src/sharedTest``, ``src/screenshotTest``, any set ending in ``Test``), or a module
  folder named as a test or test-support module (``tests``, ``testing``, ``unit-tests``, ``fooTestUtils``).
- **Xcode**: a test target's folder (``AppTests/``, ``AppUITests/``, ``NetworkingSpecs/``) or a test file
  (``PinningTests.swift``, ``LoginSpec.m``).
- Test doubles in any language, by file name: ``MockSession.swift``, ``FakeDns.kt``, ``ApiStub.m``.
- **JavaScript/TypeScript**: ``__tests__/`` and ``__mocks__/`` folders, ``*.test.*``, ``*.spec.*`` and
  ``test.ts``-style files, Detox end-to-end suites (``detox/``), Storybook stories (``*.stories.*``).
- **Python**: ``tests/``, ``test_*.py``, ``*_test.py``, ``conftest.py``.
- **Dart/Flutter**: ``test/``, ``integration_test/``, ``test_driver/``, ``*_test.dart``.
- **.NET**: ``*.Tests``/``*.UnitTests``/``*.UITests`` projects and ``*Tests.cs`` files.
- Everywhere: ``test``, ``tests``, ``testing``, ``spec``, ``specs``, ``e2e``, ``testdata`` folders.

Folders at or above the scanned folder never count: scanning a checkout that happens to live in
``~/tests/app`` is not a scan of test code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Folder names (compared lower-case) that hold only test code, in every ecosystem.
TEST_FOLDERS = frozenset({
    "test", "tests", "testing", "__tests__", "__mocks__", "spec", "specs", "e2e", "testdata",
    "integration_test", "test_driver", "unittests", "uitests", "androidtest", "detox",
})
#: Suffixes of folder names for test targets and test projects (Xcode ``AppTests``, .NET ``App.Tests``).
TEST_FOLDER_SUFFIXES = ("Tests", "Test", "Specs")
#: Suffixes (compared lower-case) of .NET test project folders (``App.Tests``, ``App.UnitTests``).
TEST_PROJECT_SUFFIXES = (".tests", ".test", ".unittests", ".uitests", ".integrationtests")
#: Gradle source sets of tests (``src/<set>/``); sets ending in ``Test`` count too.
TEST_SOURCE_SETS = ("test", "androidTest", "testFixtures", "sharedTest", "screenshotTest", "integrationTest")
#: Words in a module folder name that mark a test or test-support module.
TEST_MODULE_WORDS = frozenset({"test", "tests", "testing", "testutil", "testutils"})
#: File name endings of test files.
TEST_FILE_SUFFIXES = (
    ".test.js", ".test.jsx", ".test.ts", ".test.tsx", ".test.mjs", ".test.cjs",
    ".spec.js", ".spec.jsx", ".spec.ts", ".spec.tsx", ".spec.mjs",
    "_test.py", "_tests.py", "_test.dart",
    "Tests.cs", "Test.cs", "Tests.swift", "Test.swift", "Spec.swift", "Tests.m", "Test.m", "Spec.m",
    ".stories.js", ".stories.jsx", ".stories.ts", ".stories.tsx",
)

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def _words(name: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(name)}


def _test_folder(name: str) -> bool:
    lowered = name.lower()
    return lowered in TEST_FOLDERS or lowered.endswith(TEST_PROJECT_SUFFIXES) or name.endswith(TEST_FOLDER_SUFFIXES)


def _test_source_set(name: str) -> bool:
    return name.startswith(TEST_SOURCE_SETS) or name.endswith("Test")


#: Languages whose test files are also named ``test_x.ext`` / ``x_test.ext`` / ``test.ext``.
_SCRIPT_EXTENSIONS = (".py", ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".dart")


#: Test doubles by file name (``MockSession.swift``, ``FakeDns.kt``, ``ApiStub.m``): a capital letter after
#: the prefix, so ``Mockingbird.swift`` is not one.
_TEST_DOUBLE = re.compile(r"^(Mock|Fake)[A-Z_]|(Mock|Fake|Stub|Stubs)$")


def _test_file(name: str) -> bool:
    if name.endswith(TEST_FILE_SUFFIXES) or name == "conftest.py":
        return True
    stem, dot, extension = name.rpartition(".")
    if dot and _TEST_DOUBLE.search(stem):
        return True
    if not dot or "." + extension not in _SCRIPT_EXTENSIONS:
        return False
    return stem in ("test", "tests") or stem.startswith("test_") or stem.endswith(("_test", "_tests"))


def is_test_source_set(name: str | None) -> bool:
    """Whether a Gradle source set (or a build-variant label taken from one) holds tests (``androidTest``)."""
    return bool(name) and _test_source_set(str(name))


def is_test_module(name: str) -> bool:
    """Whether a module folder's name marks a test or test-support module (``unit-tests``, ``fooTestUtils``)."""
    return bool(TEST_MODULE_WORDS & _words(name))


def below_root(path: str, roots: Iterable[str] = ()) -> list[str]:
    """The parts of ``path`` (POSIX, as reported) below the longest of ``roots`` that contains it."""
    parts = [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]
    best = 0
    for root in roots:
        root_parts = [part for part in root.replace("\\", "/").split("/") if part not in ("", ".")]
        if len(root_parts) > best and parts[:len(root_parts)] == root_parts and len(parts) > len(root_parts):
            best = len(root_parts)
    return parts[best:]


def is_test_source(path: str, roots: Iterable[str] = ()) -> bool:
    """Whether the file at ``path`` (as reported, POSIX) is test code or test configuration.

    ``roots`` are the scanned folders as reported; only the part of the path below the one that holds the
    file is looked at. A path outside every root (or with no roots) is judged whole, without ``..``.
    """
    parts = [part for part in below_root(path, roots) if part != ".."]
    if not parts:
        return False
    folders, name = parts[:-1], parts[-1]
    if _test_file(name):
        return True
    for index, folder in enumerate(folders):
        if _test_folder(folder):
            return True
        if folder == "src" and index + 1 < len(folders) and _test_source_set(folders[index + 1]):
            return True
        if folder == "src" and index > 0 and is_test_module(folders[index - 1]):
            return True
    return False


#: Folders (compared lower-case) of mock and fixture data: canned responses and sample records that the
#: app may bundle for previews or a demo mode, but that name no server the app talks to.
MOCK_FOLDERS = frozenset({
    "mock", "mocks", "mockdata", "mock_data", "mock-data", "fixture", "fixtures", "__fixtures__", "stubs",
    "fakes", "sampledata", "sample_data", "sample-data", "preview content", "preview_content",
})


#: File names of mock data and fakes kept beside shipped code: ``MockData.swift``, ``mock_responses.py``,
#: ``FakeApiClient.kt``, ``mocks.ts`` (a capital, ``_``, ``-`` or ``.`` ends the word, so ``Mockingbird`` is not).
MOCK_FILE = re.compile(r"^(?:[Mm]ock|MOCK|[Ff]ake|FAKE)(?:s|data|Data)?(?:$|[A-Z_\-.])")


def is_mock_source(path: str, roots: Iterable[str] = ()) -> bool:
    """Whether the file sits in a mock or fixture folder (below the scanned folder), or is named as mock
    data or a fake: URLs there are data, not traffic (CLR203 reports them as info)."""
    parts = [part for part in below_root(path, roots) if part != ".."]
    if not parts:
        return False
    return any(folder.lower() in MOCK_FOLDERS for folder in parts[:-1]) or bool(MOCK_FILE.match(parts[-1]))
