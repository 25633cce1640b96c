"""How long steps tell their progress, without the core knowing about terminals."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives the steps of a long operation; the CLI draws them, the API ignores them."""

    def start(self, step: str, total: int | None = None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...

    def finish(self, step: str, detail: str = "") -> None: ...


class SilentProgress:
    def start(self, step: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def finish(self, step: str, detail: str = "") -> None:
        pass
