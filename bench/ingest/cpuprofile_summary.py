"""Self time of a V8 CPU profile (`node --cpu-prof`), summed per function and per file group.

    .venv/bin/python bench/ingest/cpuprofile_summary.py /tmp/prof/*.cpuprofile [--top 25]

A sample's time (its timeDelta) is charged to the node on top of the stack when it was taken, so
the sums are self time. Groups: our code (tasks/dist or src), kafkajs, the AWS SDK, other packages,
node internals (node:…), and V8's own entries ((garbage collector), (program), (idle)). The
profile covers the main thread only: gzip and inflate run on libuv's thread pool and are absent.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path


def group(url: str, name: str) -> str:
    if not url:
        return name if name.startswith("(") else "(native)"
    if "/node_modules/kafkajs/" in url:
        return "kafkajs"
    if "/node_modules/@aws-sdk/" in url or "/node_modules/@smithy/" in url:
        return "aws-sdk"
    if "/node_modules/" in url:
        return "packages: " + url.split("/node_modules/")[-1].split("/")[0]
    if url.startswith("node:"):
        return "node internals"
    return "our code"


def summarise(path: Path) -> tuple[Counter, Counter, float]:
    profile = json.loads(path.read_text())
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    per_node: Counter = Counter()
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        per_node[node_id] += max(delta, 0)
    functions: Counter = Counter()
    groups: Counter = Counter()
    for node_id, micros in per_node.items():
        frame = nodes[node_id]
        url, name = frame.get("url", ""), frame.get("functionName") or "(anonymous)"
        where = url.split("/dist/")[-1].split("/node_modules/")[-1] if url else ""
        functions[f"{name} {where}:{frame.get('lineNumber', 0) + 1}" if where else name] += micros
        groups[group(url, name)] += micros
    return functions, groups, sum(per_node.values())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--rows", type=int, default=0, help="rows the run handled: adds µs per row")
    args = parser.parse_args()
    for path in args.profiles:
        functions, groups, total = summarise(path)
        busy = total - groups.get("(idle)", 0)
        per_row = f", {busy / args.rows:.2f} µs/row busy" if args.rows else ""
        print(f"# {path.name}: {total / 1e6:.1f} s sampled, {busy / 1e6:.1f} s not idle{per_row}")
        print("\n| group | self s | share of busy |\n|---|---:|---:|")
        for name, micros in groups.most_common():
            if name != "(idle)":
                print(f"| {name} | {micros / 1e6:.2f} | {micros / busy:.1%} |")
        print("\n| function | self s | share of busy |\n|---|---:|---:|")
        for name, micros in [(n, m) for n, m in functions.most_common() if n != "(idle)"][: args.top]:
            print(f"| `{name}` | {micros / 1e6:.2f} | {micros / busy:.1%} |")
        print()


if __name__ == "__main__":
    main()
