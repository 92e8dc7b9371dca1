"""Run every benchmark and print its table (make bench). Numbers, not assertions: this machine is shared."""

from __future__ import annotations

import argparse
import sys

import bench_answer
import bench_index
import injection
import load
import soak


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a 10-second load run instead of 60 s")
    a = ap.parse_args()
    for name, fn in (("index", bench_index.main), ("answer", bench_answer.main), ("soak", soak.main),
                     ("injection", injection.main), ("load", lambda: load.main(20, 10 if a.quick else 60))):
        print(f"\n# {name}", flush=True)
        print(fn(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
