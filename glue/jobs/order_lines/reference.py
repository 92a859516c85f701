"""Reference data of the cleaning rules, versioned as CSV files beside this module (reference/*.csv).

They are read with pkgutil, so they load the same from the repository, from the zip that Glue gets
through --extra-py-files, and from spark-submit --py-files. Each file names its sources in comments.
"""

import csv
import hashlib
import io
import pkgutil
from dataclasses import dataclass, field

FILES = ("states.csv", "state_aliases.csv", "pin_zones.csv", "cities.csv")


def _rows(text: str) -> list[dict[str, str]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [
        {k: (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(io.StringIO("\n".join(lines)))
    ]


@dataclass(frozen=True)
class Reference:
    """The lookups the rules turn into Spark map literals."""

    states: tuple[str, ...]
    state_aliases: dict[str, str]
    pin_zones: dict[str, tuple[str, ...]]
    cities: dict[str, str]
    sha256: str = field(default="")

    @property
    def known_cities(self) -> frozenset[str]:
        return frozenset(alias for alias, city in self.cities.items() if alias == city)


def parse(texts: dict[str, str]) -> Reference:
    """Builds the lookups from file contents and checks that they agree with each other.

    Raises ValueError when an alias or a zone names a state that is not one of the 36.
    """
    states = tuple(r["state"] for r in _rows(texts["states.csv"]))
    if len(states) != 36 or len(set(states)) != 36:
        raise ValueError(f"states.csv must list 36 distinct states/UTs, found {len(set(states))}")
    known = set(states)
    aliases = {r["alias"]: r["state"] for r in _rows(texts["state_aliases.csv"])}
    zones = {r["zone"]: tuple(s for s in r["states"].split("|") if s) for r in _rows(texts["pin_zones.csv"])}
    unknown = {s for s in aliases.values() if s and s not in known}
    unknown |= {s for group in zones.values() for s in group if s not in known}
    if unknown:
        raise ValueError(f"reference data names states that are not in states.csv: {sorted(unknown)}")
    cities = {r["alias"]: r["city"] for r in _rows(texts["cities.csv"])}
    digest = hashlib.sha256("".join(texts[f] for f in FILES).encode()).hexdigest()
    return Reference(states, aliases, zones, cities, digest)


def load() -> Reference:
    """Reads the packaged reference files."""
    texts = {}
    for name in FILES:
        data = pkgutil.get_data(__package__, f"reference/{name}")
        if data is None:
            raise FileNotFoundError(f"reference/{name} is missing from the {__package__} package")
        texts[name] = data.decode("utf-8")
    return parse(texts)
