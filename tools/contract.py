"""`make contract`: write website/openapi.json from the request's rules; `--check` only says whether it is stale."""

import argparse
import sys

from contract import openapi


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if website/openapi.json differs, write nothing")
    args = parser.parse_args(argv)
    wanted = openapi.render()
    current = openapi.DOCUMENT.read_text(encoding="utf-8") if openapi.DOCUMENT.exists() else ""
    if current == wanted:
        print(f"{openapi.DOCUMENT.name} is up to date")
        return 0
    if args.check:
        print(f"{openapi.DOCUMENT.name} is stale: run `make contract` and commit it", file=sys.stderr)
        return 1
    openapi.DOCUMENT.write_text(wanted, encoding="utf-8")
    print(f"wrote {openapi.DOCUMENT.relative_to(openapi.DOCUMENT.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
