"""Fill English msgstr entries of a gettext catalogue from a JSON or Python mapping.

Usage: python scripts/translate.py PATH/TO/django.po MAPPING.json

The mapping is {"German msgid": "English text"}; entries already translated
are left alone unless --force is given. Fuzzy flags on filled entries are cleared.
"""

import argparse
import json
import sys

import polib


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("po")
    parser.add_argument("mapping")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    with open(args.mapping, encoding="utf-8") as fh:
        mapping: dict[str, str] = json.load(fh)
    catalogue = polib.pofile(args.po)
    filled = 0
    for entry in catalogue:
        if entry.msgid in mapping and (args.force or not entry.msgstr or entry.fuzzy):
            entry.msgstr = mapping[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    catalogue.save()
    missing = [e.msgid for e in catalogue if not e.msgstr and not e.obsolete]
    print(f"filled {filled}; still untranslated: {len(missing)}")
    for msgid in missing:
        print("  -", msgid[:100].replace("\n", " "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
