"""Place lookup helpers: transliteration of Cyrillic and Chinese spellings, a similarity threshold
for "did you mean", and nearest places for coordinates.

A name resolves when its case-folded form, or its Latin transliteration, equals a node's id, name or
alias (or their transliterations).  Suggestions are offered only above :data:`SIMILARITY`
(difflib ratio on the transliterated forms), so "Tashkent" never suggests "Baku".  A query written
as coordinates (``"41.3,69.2"``) lists the nearest network places by great-circle distance.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Final

#: Least difflib ratio (0-1) for a "did you mean" suggestion.
SIMILARITY: Final = 0.75

_CYRILLIC: Final = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
    "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u",
    "ү": "u", "һ": "h", "і": "i", "ў": "o", "ґ": "g", "є": "ye", "ї": "yi", "ə": "e", "ø": "o", "ł": "l",
}  # fmt: skip
# Hanzi of corridor place names (Hanyu Pinyin without tones); unknown characters are kept as they are.
_HANZI: Final = {
    "西": "xi", "安": "an", "上": "shang", "海": "hai", "重": "chong", "庆": "qing", "成": "cheng",
    "都": "du", "连": "lian", "云": "yun", "港": "gang", "喀": "ka", "什": "shi", "乌": "wu", "鲁": "lu",
    "木": "mu", "齐": "qi", "阿": "a", "拉": "la", "山": "shan", "口": "kou", "霍": "huo", "尔": "er",
    "果": "guo", "斯": "si", "宁": "ning", "波": "bo", "舟": "zhou", "郑": "zheng", "州": "zhou",
    "义": "yi", "乌市": "wushi", "兰": "lan", "北": "bei", "京": "jing", "天": "tian", "津": "jin",
    "广": "guang", "深": "shen", "圳": "zhen", "青": "qing", "岛": "dao", "武": "wu", "汉": "han",
    "长": "chang", "沙": "sha", "南": "nan", "昌": "chang", "合": "he", "肥": "fei", "苏": "su",
    "杭": "hang", "厦": "xia", "门": "men", "福": "fu", "东": "dong", "莞": "guan", "吐": "tu",
    "尕": "ga", "特": "te", "伊": "yi", "宁市": "ningshi", "哈": "ha", "萨": "sa", "克": "ke",
}  # fmt: skip
_COORDS: Final = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)\s*$")


def latin(text: str) -> str:
    """Case-folded Latin form: Cyrillic and known Hanzi transliterated, accents and punctuation dropped."""
    out: list[str] = []
    for ch in text.casefold():
        if ch in _CYRILLIC:
            out.append(_CYRILLIC[ch])
        elif ch in _HANZI:
            out.append(_HANZI[ch])
        else:
            out.append(ch)
    flat = unicodedata.normalize("NFKD", "".join(out))
    flat = "".join(c for c in flat if not unicodedata.combining(c)).replace("ı", "i")
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", flat)


def latin_index(names: Mapping[str, str]) -> dict[str, str]:
    """Transliterated key → node id (first wins, like the exact index)."""
    out: dict[str, str] = {}
    for key, node_id in names.items():
        out.setdefault(latin(key), node_id)
    return out


def similar(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Candidates (transliterated keys) whose similarity to ``name`` is at least :data:`SIMILARITY`."""
    return difflib.get_close_matches(latin(name), list(candidates), n=n, cutoff=SIMILARITY)


def coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` if ``text`` is written as coordinates, else None."""
    m = _COORDS.match(text)
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))
