#!/usr/bin/env python3
"""Builds src/DataPool.Core/Matching/pinyin.txt, the pinyin table name matching compares homophones with.

Reads Unihan_Readings.txt (plain or .bz2) as Debian's unicode-data package ships it and keeps, for every
character of the CJK Unified Ideographs block (U+4E00..U+9FFF), the first (most customary) kMandarin reading
without its tone, u-umlaut written 'v'. The table groups characters by syllable, one line each:
"syllable<TAB>characters", so that it stays small (about 400 lines) and a diff shows what changed.

    python3 tools/matching/build_pinyin_table.py Unihan_Readings.txt.bz2 > src/DataPool.Core/Matching/pinyin.txt
"""
import bz2
import sys
import unicodedata
from collections import defaultdict


def toneless(reading: str) -> str:
    plain = []
    for c in unicodedata.normalize("NFD", reading):
        if c == "\u0308":  # the diaeresis of ü
            plain[-1] = "v"
        elif not unicodedata.combining(c):
            plain.append(c)
    return "".join(plain).lower()


def main(path: str) -> None:
    opener = bz2.open if path.endswith(".bz2") else open
    groups = defaultdict(list)
    with opener(path, "rt", encoding="utf-8") as readings:
        for line in readings:
            if line.startswith("#") or "\tkMandarin\t" not in line:
                continue
            code, _, values = line.rstrip("\n").split("\t")
            point = int(code[2:], 16)
            if 0x4E00 <= point <= 0x9FFF:
                groups[toneless(values.split()[0])].append(chr(point))
    print("# Toneless pinyin of the CJK Unified Ideographs (U+4E00..U+9FFF): the first kMandarin reading of")
    print("# Unihan_Readings.txt, one syllable a line, then its characters. Built by tools/matching/build_pinyin_table.py.")
    for syllable in sorted(groups):
        print(f"{syllable}\t{''.join(groups[syllable])}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode/Unihan_Readings.txt.bz2")
