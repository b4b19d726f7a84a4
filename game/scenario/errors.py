"""Problems found in a story file, each with file, line and path."""

from __future__ import annotations

from dataclasses import dataclass

from .toml_lines import Path


@dataclass(frozen=True)
class StoryProblem:
    file: str
    line: int | None
    path: Path
    message: str
    severity: str = "error"  # or "warning"

    @property
    def dotted(self) -> str:
        out = ""
        for part in self.path:
            if isinstance(part, int):
                out += f"[{part}]"
            else:
                out += ("." if out else "") + str(part)
        return out or "(file)"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.dotted}: {self.message}"


class StoryError(Exception):
    """Raised when a story cannot be used; carries every problem found."""

    def __init__(self, problems: list[StoryProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
