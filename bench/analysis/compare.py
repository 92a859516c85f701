"""The bench's verdict on one pair of builds: the two physical designs must give the same marts.

A speed ratio between two builds means something only if they computed the same thing, so the
bench compares every mart's row count and content checksum of both builds and reports each mart
that differs. tests/bench/test_analysis_compare.py feeds it known-different outputs.
"""

from __future__ import annotations


def differences(ours: dict[str, tuple[int, str]], peer: dict[str, tuple[int, str]]) -> list[str]:
    """One line per mart whose (rows, checksum) differ between the builds, or that only one has."""
    out = []
    for mart in sorted(set(ours) | set(peer)):
        a, b = ours.get(mart), peer.get(mart)
        if a is None or b is None:
            out.append(f"{mart}: only in the {'peer' if a is None else 'partitioned'} build")
        elif a != b:
            out.append(f"{mart}: {a[0]} rows {a[1][:12]} vs {b[0]} rows {b[1][:12]}")
    return out
