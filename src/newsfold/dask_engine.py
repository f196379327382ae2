"""The batch stages on a Dask cluster, for streams one machine cannot clean fast enough.

newsfold's per-article stages (cleaning, outlet and date from the removed lines, the copy fingerprint, the
clusterer's feature counts: :func:`newsfold.pipeline.prepare`) are pure, and take about two thirds of the CPU
of an ingest. On one machine they run in a process pool. Given the address of a Dask scheduler
(``newsfold ingest --dask tcp://host:8786``), they run on the cluster's workers instead, through
:meth:`distributed.Client.get_executor`, a standard :class:`concurrent.futures.Executor`.

Copy detection, story clustering and the store stay in the process that ingests, in arrival order, one
transaction per article: a copy links to the *earliest* original and a story id is decided on arrival and
never changed, so these decisions are sequential by nature (see docs/scaling.md). Several machines can
share one store by pointing ``--db`` at PostgreSQL.

Every worker needs the same version of newsfold installed (``pip install 'newsfold[dask]'``); the
connection is refused, naming the workers, when one has another.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass

from newsfold import __version__ as VERSION
from newsfold.errors import NewsfoldError

__all__ = ["DaskEngine", "dask_engine"]

#: The address that starts a cluster on this machine.
LOCAL = "local"
#: Seconds to wait for the scheduler to answer.
CONNECT_TIMEOUT = 10
# A scheduler's address: an optional protocol of Dask's, a host and a port ("tcp://10.0.0.5:8786",
# "scheduler:8786"). A web address is the dashboard's, not the scheduler's.
_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9a-fA-F:.]+\]|[^\s:/\[\]]+):(\d{1,5})$")


@dataclass(frozen=True, slots=True)
class DaskEngine:
    """An executor on the cluster's workers, and how many tasks they run at once (their threads)."""

    executor: Executor
    slots: int


def _worker_version() -> str:
    """Run on each worker: the newsfold it imports."""
    import newsfold

    return newsfold.__version__


def _probe(address: str) -> None:
    """Open one connection to ``address`` with Dask's own protocol and its handshake, within
    ``CONNECT_TIMEOUT``: a port where nothing listens, or where another server answers (a web server, the
    dashboard's port), fails here with a clear error, where a client would wait or fail with a traceback."""
    import asyncio
    import socket

    from distributed.comm import connect

    scheme, _, rest = address.rpartition("://")
    if scheme in ("", "tcp"):
        # A refused connection is known at once; Dask's client would retry until its timeout.
        host, _, port = rest.rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
        except OSError as exc:
            raise NewsfoldError(
                f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}"
            ) from exc

    async def handshake() -> None:
        comm = await connect(address, timeout=CONNECT_TIMEOUT)
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(handshake(), CONNECT_TIMEOUT + 1))
    except Exception as exc:  # noqa: BLE001 - whatever another server's bytes make of the handshake
        why = str(exc) or type(exc).__name__
        raise NewsfoldError(
            f"cannot reach the Dask scheduler at {address}: {why} (the scheduler's port is 8786 by default)"
        ) from exc


@contextmanager
def dask_engine(address: str) -> Iterator[DaskEngine]:
    """Connect to the Dask scheduler at ``address``; a :class:`~newsfold.errors.NewsfoldError` names what is
    wrong (the extra not installed, no scheduler there, no workers, another newsfold on a worker).

    ``local`` starts a cluster on this machine for the time of the ``with``: a single-threaded worker process
    per CPU (to try a setup, or to measure what Dask costs against the local process pool)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise NewsfoldError("--dask needs Dask's distributed package: pip install 'newsfold[dask]'") from exc
    if address == LOCAL:
        # The scheduler's web server takes a port even without a dashboard: a free one, not Dask's 8787.
        with LocalCluster(
            n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster:
            with dask_engine(cluster.scheduler_address) as engine:
                yield engine
        return
    found = _ADDRESS.match(address)
    if not found or not 0 < int(found.group(1)) < 65536:
        raise NewsfoldError(f"{address!r} is not a Dask scheduler address: give one like tcp://host:8786")
    _probe(address)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise NewsfoldError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
    try:
        slots = sum(client.nthreads().values())
        if not slots:
            raise NewsfoldError(f"the Dask cluster at {address} has no workers")
        ours = VERSION
        others = {worker: found for worker, found in client.run(_worker_version).items() if found != ours}
        if others:
            named = ", ".join(f"{worker} has {found}" for worker, found in sorted(others.items()))
            raise NewsfoldError(f"the Dask workers must run newsfold {ours}, as this machine does: {named}")
        # pure=False: every chunk is new work; hashing its articles to find an equal earlier task is waste.
        yield DaskEngine(client.get_executor(pure=False), slots)
    finally:
        client.close()
