"""A bounded, thread-safe cache of whole query answers, keyed by what decides them.

The key holds the dataset version, so a new build makes every older entry unreachable; they
leave as newer answers push them out (least recently used first). Bounds: a number of entries,
a largest entry and a total size.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class CachedAnswer:
    content_type: str
    body: bytes
    etag: str


class AnswerCache:
    def __init__(self, *, max_entries: int, max_entry_bytes: int, max_total_bytes: int) -> None:
        self._entries: OrderedDict[Hashable, CachedAnswer] = OrderedDict()
        self._max_entries = max_entries
        self._max_entry_bytes = max_entry_bytes
        self._max_total_bytes = max_total_bytes
        self._total = 0
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._max_entries > 0 and self._max_entry_bytes > 0 and self._max_total_bytes > 0

    def get(self, key: Hashable) -> CachedAnswer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: CachedAnswer) -> bool:
        """Keep ``answer`` unless it is larger than an entry may be; whether it was kept."""
        size = len(answer.body)
        if not self.enabled or size > self._max_entry_bytes or size > self._max_total_bytes:
            return False
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._total -= len(previous.body)
            self._entries[key] = answer
            self._total += size
            while len(self._entries) > self._max_entries or self._total > self._max_total_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._total -= len(evicted.body)
        return True

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def total_bytes(self) -> int:
        return self._total


__all__ = ["AnswerCache", "CachedAnswer"]
