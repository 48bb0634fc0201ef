"""Text repair and language check, run on each document before NLP.

- ``repair_text(text) -> Repaired``: fixes mojibake, HTML leftovers, repeated paragraphs,
  odd whitespace and quotes, and glued words, keeping a map back to the original offsets.
- ``detect_language(text) -> str``: ISO 639-1 code, ``"und"`` when there is too little text.
"""

from __future__ import annotations

from riftwatch.text.language import detect_language
from riftwatch.text.repair import Repaired, repair_text

__all__ = ["Repaired", "detect_language", "repair_text"]
