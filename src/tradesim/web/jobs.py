"""The dashboard's jobs: a submitted run solved in the background by :func:`tradesim.run`.

A job is one call of :func:`tradesim.api.run` (the one path from a scenario to a stored run, the
same the CLI and the API take: resolve, reuse a stored run of the same key, else solve and record)
in a thread pool of ``workers`` threads. What the page needs beyond the run is the job's: its id,
whether it is queued, running, done or failed, the seconds it waited and ran, the error text and
HTTP status of a failure, and whether a stored run was given back (``reused``).

The job learns its run through :class:`JobStore`, the results store as the job's call of
:func:`tradesim.run` sees it: a stored run found for the key is the job's run (``reused``); a run
recorded is the job's run, unless the job was abandoned meanwhile (it ran past ``solve_timeout``
and was reported failed, 504), in which case nothing is recorded: a late answer is never stored.
Submissions of one scenario while its job is queued or running join that job.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tradesim.errors import StoreError, TradesimError
from tradesim.results.store import RunStore
from tradesim.web.submissions import Submission


@dataclass
class Job:
    """One submitted run and where it stands."""

    job_id: str
    key: str
    label: str
    timeout: float
    submitted: float = field(default_factory=time.monotonic)
    started: float | None = None
    finished: float | None = None
    status: str = "queued"
    run_id: str | None = None
    reused: bool = False
    error: str | None = None
    code: int = 200

    def abandoned(self) -> bool:
        """Whether the job ran past its timeout (then it is failed, 504, and stays so)."""
        now = time.monotonic()
        if self.status == "running" and self.started is not None and now - self.started > self.timeout:
            self.status, self.code = "failed", 504
            self.error = f"the solve took longer than {self.timeout:.0f} s and was abandoned"
            self.finished = now
        return self.status == "failed" and self.code == 504

    def public(self) -> dict:
        """The job as ``GET /api/jobs/{id}`` gives it."""
        self.abandoned()
        now = time.monotonic()
        return {"job_id": self.job_id, "status": self.status, "run_id": self.run_id, "reused": self.reused,
                "error": self.error, "scenario": self.label,
                "elapsed": round((self.finished or now) - (self.started or now), 2),
                "waited": round((self.started or now) - self.submitted, 2)}

    def fail(self, err: Exception) -> None:
        """A failure: the engine's error text (422), else an internal error (500), never a bare 500."""
        if isinstance(err, TradesimError):
            self.status, self.error, self.code = "failed", str(err), 422
        else:
            self.status, self.error, self.code = "failed", f"internal error: {type(err).__name__}: {err}", 500


class JobStore:
    """The results store as one job's call of :func:`tradesim.run` sees it (``store=``): reads pass
    through; a run found or recorded becomes the job's; nothing is recorded once the job is
    abandoned; a store error is kept for the job's error text (``tradesim.run`` only warns)."""

    def __init__(self, runs: RunStore, job: Job):
        self.runs, self.job = runs, job
        self.error: StoreError | None = None

    def find(self, key: str) -> str | None:
        """:meth:`RunStore.find`; a run found is the job's run, given back (``reused``)."""
        found = self.runs.find(key)
        if found is not None and not self.job.abandoned():
            self.job.run_id, self.job.reused = found, True
        return found

    def result(self, run_id: str, scenario=None, baseline=None):
        """:meth:`RunStore.result` (the found run rebuilt, bit-checked, as ``tradesim.run`` returns it)."""
        return self.runs.result(run_id, scenario, baseline)

    def record(self, result, **settings) -> str | None:
        """:meth:`RunStore.record`, unless the job was abandoned (then ``None``, nothing written)."""
        return self._kept(lambda: self.runs.record(result, **settings))

    def record_family(self, run, family: str, *, origin: str = "web", reuse: bool = True) -> str | None:
        """:meth:`RunStore.record_family`; with ``reuse`` a stored run of the same key is the job's (``reused``)."""
        from tradesim.results.family_runs import key_of_run

        if reuse and self.find(key_of_run(family, run)) is not None:  # a family run is solved either way
            return self.job.run_id
        return self._kept(lambda: self.runs.record_family(run, family, origin=origin, reuse=reuse))

    def _kept(self, write) -> str | None:
        if self.job.abandoned():
            return None  # abandoned: its answer came too late to be trusted by the caller
        try:
            self.job.run_id = write()
        except StoreError as err:
            self.error = err
            raise
        return self.job.run_id


class Jobs:
    """The jobs of one dashboard: a pool of ``workers`` threads solving over ``runs``."""

    def __init__(self, runs: RunStore, *, workers: int = 2, solve_timeout: float = 300.0):
        self.runs, self.solve_timeout = runs, solve_timeout
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tradesim-solve")
        self.by_id: dict[str, Job] = {}
        self._inflight: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        """The job of this id, or ``None``."""
        return self.by_id.get(job_id)

    def submit(self, sub: Submission, reuse: bool = True) -> Job:
        """A job for ``sub``: the queued or running job of the same run key (with ``reuse``), else a new one."""
        with self._lock:
            if reuse and sub.key in self._inflight:
                return self.by_id[self._inflight[sub.key]]
            job = Job(uuid.uuid4().hex[:12], sub.key, sub.label, self.solve_timeout)
            self.by_id[job.job_id] = job
            self._inflight[sub.key] = job.job_id
            self.pool.submit(self._solve, job, sub, reuse)
            return job

    def wait(self, job: Job, poll: float = 0.05) -> Job:
        """Block until ``job`` is done or failed (or abandoned)."""
        while job.public()["status"] in ("queued", "running"):
            time.sleep(poll)
        return job

    def _solve(self, job: Job, sub: Submission, reuse: bool) -> None:
        import tradesim.api as api  # looked up at call time: the one path, whatever module holds it

        job.status, job.started = "running", time.monotonic()
        store = JobStore(self.runs, job)
        try:
            api.run(sub.source, sub.baseline, store=store, reuse=reuse, origin="web")
            if job.abandoned():
                return
            if job.run_id is None:
                raise store.error or StoreError("the run was not recorded")
            job.status = "done"
        except Exception as err:  # noqa: BLE001 - reported to the page, never a bare 500
            if not job.abandoned():
                job.fail(err)
        finally:
            job.finished = job.finished or time.monotonic()
            with self._lock:
                self._inflight.pop(job.key, None)
