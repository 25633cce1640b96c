"""How long steps tell their progress, without the core knowing about terminals."""

from __future__ import annotations

import sys
from typing import Any, Protocol


class Progress(Protocol):
    """Receives the steps of a long operation; the CLI draws them, the API ignores them."""

    def start(self, step: str, total: int | None = None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def tally(self, step: str, done: int, total: int, unit: str) -> None:
        """``done`` of ``total`` units of the step are done (parts finishing in any order)."""
        ...

    def finish(self, step: str, detail: str = "") -> None: ...


class SilentProgress:
    def start(self, step: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def tally(self, step: str, done: int, total: int, unit: str) -> None:
        pass

    def finish(self, step: str, detail: str = "") -> None:
        pass


class TerminalProgress:
    """Progress bars on standard error (rich), ticks for the steps finished."""

    def __init__(self) -> None:
        # Imported here: only a terminal session pays for rich.
        from rich.console import Console
        from rich.progress import Progress as Bars

        self._console = Console(stderr=True)
        self._bars = Bars(console=self._console, transient=True)
        self._task: Any = None

    def start(self, step: str, total: int | None = None) -> None:
        if self._task is None:
            self._bars.start()
        else:
            self._bars.remove_task(self._task)
        self._task = self._bars.add_task(step, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._bars.advance(self._task, amount)

    def tally(self, step: str, done: int, total: int, unit: str) -> None:
        if self._task is not None:
            description = f"{step}: {done}/{total} {unit}"
            self._bars.update(self._task, description=description, completed=done, total=total)

    def finish(self, step: str, detail: str = "") -> None:
        self._console.print(f"[green]✓[/] {step}" + (f": {detail}" if detail else ""))
        if self._task is not None:
            self._bars.remove_task(self._task)
            self._task = None
            self._bars.stop()


def progress_on_stderr() -> Progress:
    """Bars when standard error is a terminal; nothing in a pipe, a log or CI."""
    return TerminalProgress() if sys.stderr.isatty() else SilentProgress()
