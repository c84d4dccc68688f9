"""The databases the store tests run on: a SQLite file under tmp, and a real PostgreSQL server —
a throwaway cluster (`initdb` + `pg_ctl start`) on a free loopback port, one fresh database per
test. Nothing is mocked.

PostgreSQL is Debian's `postgresql` package (scripts/install_system_deps.sh installs it). Without
it the PostgreSQL half is skipped locally and FAILS in CI (CI=true), as the browser tests do.
As root, the cluster runs as the `postgres` user (PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import free_port, missing

#: where Debian puts the server's programs (the versioned folder), then PATH
_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def postgres_bin() -> Path | None:
    folders = sorted(glob.glob(_BIN_GLOB), key=lambda f: int(Path(f).parent.name) if Path(f).parent.name.isdigit() else 0)
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found and shutil.which("pg_ctl") else None


class Cluster:
    """A PostgreSQL cluster in a temporary folder; `database()` gives the URL of a new empty database."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="planner-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.counter = itertools.count(1)
        self.run_as: list[str] = []
        if os.getuid() == 0:  # initdb and postgres refuse root
            user = "postgres" if _user_exists("postgres") else "nobody"
            shutil.chown(self.folder, user=user)
            os.chmod(self.folder, 0o700)
            self.run_as = ["runuser", "-u", user, "--"]

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self.run_as, *command], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "planner", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://planner@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        import psycopg

        name = f"store_test_{next(self.counter)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=planner dbname=postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        missing("PostgreSQL (initdb, pg_ctl) is not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing("psycopg is not installed (pip install -e .)")
    cluster = Cluster(bin_dir)
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        shutil.rmtree(cluster.folder, ignore_errors=True)
        missing(f"a PostgreSQL cluster could not be started: {error}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind: a new SQLite file, a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'planner.db'}"
    return request.getfixturevalue("postgres_cluster").database()


@pytest.fixture
def other_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second empty database of the same kind as `store_url` (restore, cross-store checks)."""
    if "postgresql" in request.node.callspec.params.get("store_url", ""):
        return request.getfixturevalue("postgres_cluster").database()
    return f"sqlite:///{tmp_path / 'other.db'}"
