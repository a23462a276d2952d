"""Finding the external tools the validator needs, and saying how to install the missing ones."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from workbench.config import Settings

FAUST_HINT = "install FAUST: `apt-get install faust` (Debian/Ubuntu) or `brew install faust` (macOS)"
JUCE_HINT = (
    "install the JUCE module headers: `apt-get install juce-modules-source` (Debian/Ubuntu), "
    "or clone JUCE and set JUCE_DIR to its `modules` folder"
)
GXX_HINT = "install a C++ compiler: `apt-get install g++` (Debian/Ubuntu) or `xcode-select --install` (macOS)"
FAUST2JUCE_HINT = (
    "install faust2juce: it ships with FAUST (`apt-get install faust`, `brew install faust`)"
)

_JUCE_CANDIDATES = (
    Path("/usr/share/juce/modules"),
    Path("/usr/local/share/juce/modules"),
    Path("/opt/homebrew/share/juce/modules"),
)


@dataclass(frozen=True)
class Toolchain:
    """Where each tool lives, or None when it is missing."""

    faust: str | None
    gxx: str | None
    faust2juce: str | None
    juce_modules: Path | None

    def missing_for(self, language: str, *, render: bool = False) -> str | None:
        """The install hint for what `language` needs and is missing, None when all is there."""
        hints: list[str] = []
        if language == "faust":
            if not self.faust:
                hints.append(FAUST_HINT)
            if render and not self.gxx:
                hints.append(GXX_HINT)
        elif language == "cpp":
            if not self.gxx:
                hints.append(GXX_HINT)
            if not self.juce_modules:
                hints.append(JUCE_HINT)
        return "; ".join(hints) or None


def _juce_modules(settings: Settings) -> Path | None:
    configured = settings.retrieval.juce_dir
    candidates = []
    if configured:
        candidates += [configured / "modules", configured]
    candidates += list(_JUCE_CANDIDATES)
    for folder in candidates:
        if (folder / "juce_core" / "juce_core.h").is_file():
            return folder
    return None


def find_tools(settings: Settings) -> Toolchain:
    """Look the tools up on PATH (and JUCE in the configured and usual places)."""
    return Toolchain(
        faust=shutil.which(settings.validation.faust_command),
        gxx=shutil.which(settings.validation.cxx_command),
        faust2juce=shutil.which("faust2juce"),
        juce_modules=_juce_modules(settings),
    )


def tool_report(settings: Settings) -> dict[str, str]:
    """One line per tool for status pages: its path, or how to install it."""
    tools = find_tools(settings)
    return {
        "faust": tools.faust or FAUST_HINT,
        "g++": tools.gxx or GXX_HINT,
        "juce modules": str(tools.juce_modules) if tools.juce_modules else JUCE_HINT,
        "faust2juce": tools.faust2juce or FAUST2JUCE_HINT,
    }
