"""The lake's paths and the few file operations the job needs, through Hadoop's FileSystem API so
the same code runs on file:// (tests), s3a:// (local store) and s3:// (Glue)."""

from dataclasses import dataclass

from pyspark.sql import SparkSession

BRONZE = "lake/bronze/order_lines"
SILVER = "lake/silver/order_lines"
QUARANTINE = "lake/quarantine/order_lines"
STAGING = "lake/_staging/order_lines"
MANIFEST = "_manifest.json"


def partition(prefix: str, dataset: str, dt: str) -> str:
    """`<prefix>/dataset=<id>/dt=<d>`: the dataset id is a partition before the date everywhere."""
    return f"{prefix}/dataset={dataset}/dt={dt}"


@dataclass(frozen=True)
class FileInfo:
    key: str
    bytes: int


class Lake:
    """Keys are relative to the lake root (`s3a://bucket`, `file:///tmp/x`); S3 has no directories,
    so 'exists' of a partition means 'has at least one object under it'."""

    def __init__(self, spark: SparkSession, root: str):
        self.root = root.rstrip("/")
        self._jvm = spark._jvm
        self._conf = spark._jsc.hadoopConfiguration()
        self._fs = self._path("").getFileSystem(self._conf)

    def uri(self, key: str) -> str:
        return f"{self.root}/{key}" if key else self.root

    def _path(self, key: str):
        return self._jvm.org.apache.hadoop.fs.Path(self.uri(key) + ("/" if not key else ""))

    def has_files(self, key: str) -> bool:
        return bool(self.list_files(key))

    def list_files(self, key: str) -> list[FileInfo]:
        """Files directly under `key` (not recursive), sorted by key; [] when there is nothing."""
        path = self._path(key)
        if not self._fs.exists(path):
            return []
        out = []
        for status in self._fs.listStatus(path):
            if status.isFile():
                name = status.getPath().getName()
                out.append(FileInfo(f"{key}/{name}", int(status.getLen())))
        return sorted(out, key=lambda f: f.key)

    def move(self, src: str, dst: str) -> None:
        """Renames one file (a copy and delete on S3). Raises IOError when the store refuses."""
        target = self._path(dst)
        # Object stores need no parent folder, and mkdirs there would leave a marker object behind.
        if not self._fs.getScheme().startswith("s3"):
            self._fs.mkdirs(target.getParent())
        if self._fs.exists(target):
            self._fs.delete(target, False)
        if not self._fs.rename(self._path(src), target):
            raise OSError(f"could not move {self.uri(src)} to {self.uri(dst)}")

    def delete(self, key: str, recursive: bool = False) -> None:
        self._fs.delete(self._path(key), recursive)

    def write_text(self, key: str, text: str) -> None:
        """One object written whole (on S3 a single PUT: readers see the old or the new one)."""
        stream = self._fs.create(self._path(key), True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def read_text(self, key: str) -> str | None:
        path = self._path(key)
        if not self._fs.exists(path):
            return None
        stream = self._fs.open(path)
        try:
            reader = self._jvm.java.io.BufferedReader(self._jvm.java.io.InputStreamReader(stream, "UTF-8"))
            lines = []
            line = reader.readLine()
            while line is not None:
                lines.append(line)
                line = reader.readLine()
            return "\n".join(lines)
        finally:
            stream.close()
