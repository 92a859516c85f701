"""Errors the job raises on purpose. Their names appear in Glue's ErrorMessage and in the local log,
so the glue-transform step can tell rejected input (exit 1) from a crash (exit 3)."""


class InputRejected(Exception):
    """Input the job refuses on purpose: the step exits 1 and nothing is written."""

    marker = "[input-rejected]"

    def __str__(self) -> str:
        return f"{self.marker} {type(self).__name__}: {super().__str__()}"


class SchemaDriftError(InputRejected):
    """A bronze partition whose columns are not the ones the job knows."""

    def __init__(self, where: str, missing: list[str], unexpected: list[str], other: list[str] | None = None):
        self.where, self.missing, self.unexpected = where, sorted(missing), sorted(unexpected)
        self.other = list(other or [])
        parts = []
        if self.missing:
            parts.append("missing columns: " + ", ".join(f'"{c}"' for c in self.missing))
        if self.unexpected:
            parts.append("unexpected columns: " + ", ".join(f'"{c}"' for c in self.unexpected))
        parts.extend(self.other)
        super().__init__(f"{where}: schema drift, {'; '.join(parts)}")

    @classmethod
    def combine(cls, problems: list["SchemaDriftError"]) -> "SchemaDriftError":
        """One error naming every drifting partition (the first carries the lists)."""
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        others = [p.args[0] for p in problems[1:]]
        return cls(first.where, first.missing, first.unexpected, first.other + [f"and {o}" for o in others])


class NoBronzeError(InputRejected):
    """None of the requested dates has a bronze partition."""
