"""Which part of a comparison a visitor asked to see, read from the address (a GET form, so it
works without JavaScript and a printed or shared page shows the same thing).

Seven options by nine questions is far too long for a phone or for paper, so the page shows one
slice of it:

- ``?o=2&o=5`` - the options chosen (numbered from 1, in column order), every question;
- ``?q=<question anchor>`` - one question, every option (or only the chosen ones with ``o``);
- ``?all=1`` - everything, for a wide screen;
- nothing - the first question, every option, with the chooser and the list of questions.

Anything else in the address is ignored rather than refused: a link with a stale question or
option number still shows a sensible page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Selection:
    options: tuple[str, ...]
    anchors: tuple[str, ...]
    chosen: tuple[int, ...] = ()  # indexes into options, in column order
    question: str = ""  # one question's anchor, or "" for every question
    everything: bool = False

    @classmethod
    def from_query(cls, query, options: list[str], anchors: list[str]) -> Selection:
        chosen = set()
        for value in query.getlist("o")[: len(options)]:
            if value.isdigit() and 1 <= int(value) <= len(options):
                chosen.add(int(value) - 1)
        question = query.get("q", "")
        everything = query.get("all") == "1"
        return cls(
            options=tuple(options),
            anchors=tuple(anchors),
            chosen=tuple(sorted(chosen)),
            question=question if question in anchors else "",
            everything=everything,
        )

    @property
    def columns(self) -> list[int]:
        if self.chosen and not self.everything:
            return list(self.chosen)
        return list(range(len(self.options)))

    @property
    def row_anchors(self) -> list[str]:
        if self.everything or (self.chosen and not self.question):
            return list(self.anchors)
        if self.question:
            return [self.question]
        return list(self.anchors[:1])

    @property
    def one_question(self) -> bool:
        return len(self.row_anchors) == 1

    def _query(self, **extra) -> str:
        pairs = [("o", str(i + 1)) for i in self.chosen]
        pairs += [(k, v) for k, v in extra.items() if v]
        return "?" + urlencode(pairs) if pairs else "?"

    def link_to_question(self, anchor: str) -> str:
        return self._query(q=anchor) + f"#{anchor}"

    def is_chosen(self, index: int) -> bool:
        return index in self.chosen

    @property
    def neighbours(self) -> tuple[str, str]:
        """The questions before and after the one shown (anchors, or "" at either end)."""
        if not self.one_question:
            return "", ""
        i = self.anchors.index(self.row_anchors[0])
        before = self.anchors[i - 1] if i > 0 else ""
        after = self.anchors[i + 1] if i + 1 < len(self.anchors) else ""
        return before, after
