"""How fast does community.markup render typical posts? Prints posts/second."""

from __future__ import annotations

import statistics
import time

from _setup import django_on_scratch_database

django_on_scratch_database()

from community import markup  # noqa: E402

SHORT = "Спасибо, **очень помогло**! Посмотрите ещё https://city.example.org/reglament"
LONG = "\n\n".join(
    [
        "## Как подготовить служебную записку",
        "1. Уточните адресата.\n2. Сформулируйте суть в первом абзаце.\n3. Приложите документы.",
        "| Шаг | Срок |\n|---|:-:|\n| Черновик | 1 день |\n| Согласование | 3 дня |",
        "```python\ndef deadline(days: int) -> int:\n    return days * 2\n```",
        "> Совет наставника: не стесняйтесь спрашивать.",
    ]
    * 4
)


def measure(text: str, rounds: int = 5, per_round: int = 200) -> tuple[float, float]:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            markup.render(text)
        rates.append(per_round / (time.perf_counter() - start))
    return statistics.median(rates), min(rates)


# Hostile input at the length limit. Linear-time linkify, the bracket budget and the
# bounded link scan keep these fast; before them, "a-." x 8000 took 16 s and 4 000 "["
# took 2 s. Backslash escapes stay superlinear inside Python-Markdown (each match
# rebuilds the paragraph); the last two lines show that remaining worst case.
PATHOLOGICAL = [
    ("run 'a-.' x 8000", "a-." * 8000),
    ("run 'a' x 32000", "a" * 32_000),
    ("run '(' x 16000", "(" * 16_000),
    ("'[' x 32000", "[" * 32_000),
    ("'![' x 16000", "![" * 16_000),
    ("'[](' x 10000", "[](" * 10_000),
    ("'[' x 50 + ']' x 50 nested", ("[" * 50 + "]" * 50) * 300),
    ("'\\*' x 16000", "\\*" * 16_000),
    ("'[' x 50 + '\\*' x 15975", "[" * 50 + "\\*" * 15_975),
]


if __name__ == "__main__":
    for name, text in [("short reply", SHORT), ("long practice write-up", LONG)]:
        median, worst = measure(text)
        print(f"{name:24} {len(text):6} chars  {median:8.0f} renders/s (worst round {worst:.0f})")
    for name, text in PATHOLOGICAL:
        start = time.perf_counter()
        markup.render(text)
        print(f"{name:24} {len(text):6} chars  {(time.perf_counter() - start) * 1000:8.1f} ms")
