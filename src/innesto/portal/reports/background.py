"""Reports rendered in a background process at low priority, never in a serving worker.

A PDF report takes 10-20 s of CPU. Rendered inside a gunicorn worker, it takes that worker
away from every other page and, on a small machine, competes at full priority with the
worker serving the home page. So on a cache miss the serving request only starts a job
and answers "being prepared" (503 with ``Retry-After``):

1. it takes the report's lock in the shared store (someone else holding it: the report is
   already being prepared), then one of ``REPORT_RENDERS_PER_CLIENT`` places for its client
   and one of ``REPORT_RENDERS_TOTAL`` for the whole site (else 429 / 503, lock given back);
2. it starts ``python -m innesto.portal.reports.background`` with the job's description and
   hands the lock and the places over to it;
3. the job lowers its own priority (``os.nice(REPORT_RENDER_NICE)``, default 19), caps its
   CPU time at ``REPORT_RENDER_TIMEOUT`` seconds, renders the report as an anonymous
   visitor of the same URL would see it, stores it in the shared cache and gives the lock
   and places back (a job killed before that: they expire after ``REPORT_RENDER_TIMEOUT``).

The next request for the same report is served from the cache. With
``REPORT_RENDER_BACKGROUND = False`` (tests, ``innesto archive``) the serving process
renders under the same lock and limits instead (:func:`innesto.portal.reports.snapshots
.rendered`).

Example (what a job is given; ``start`` runs it)::

    Job(key="innesto:report:pdf:1:2019-03-01:en:v3", kind="pdf", edition=1,
        day="2019-03-01", language="en", path="/en/report/2006/report.pdf",
        host="example.org", secure=True, slots=["innesto:slot:report-site:..."])
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field

#: jobs started by this process, reaped (``poll``) when the next one starts
_RUNNING: list[subprocess.Popen[bytes]] = []


@dataclass(frozen=True)
class Job:
    """Everything a render job needs, passed to it as JSON on its command line."""

    key: str
    kind: str
    edition: int
    day: str
    language: str
    path: str
    host: str
    secure: bool
    slots: list[str] = field(default_factory=list)
    timeout: int = 86400
    cpu_seconds: int = 300
    nice: int = 19

    @property
    def lock(self) -> str:
        return f"{self.key}:lock"


def start(job: Job) -> int:
    """Start ``job`` in its own process (which releases its lock and slots); its pid."""
    _RUNNING[:] = [p for p in _RUNNING if p.poll() is None]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "innesto.portal.reports.background",
         json.dumps(dataclasses.asdict(job))],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        start_new_session=True)  # not killed with the worker that started it
    _RUNNING.append(proc)
    return proc.pid


def _render(job: Job) -> bytes:
    from django.test import RequestFactory
    from django.utils import translation

    from innesto.portal.plans.models import Edition
    from innesto.portal.reports.views import make_report

    edition = Edition.objects.get(pk=job.edition)
    request = RequestFactory().get(job.path, {"date": job.day}, HTTP_HOST=job.host,
                                   secure=job.secure)
    request.LANGUAGE_CODE = job.language
    with translation.override(job.language):
        return make_report(job.kind, request, edition, dt.date.fromisoformat(job.day))


def run(job: Job) -> None:
    """The job's body (in the background process, Django set up): render, store, and
    give the lock and the places back whatever happens."""
    from django.core.cache import cache

    from innesto.portal.site import throttle

    began = time.monotonic()
    try:
        body = _render(job)
        cache.set(job.key, body, timeout=job.timeout)
        cache.set(f"{job.key}:job", {"pid": os.getpid(), "nice": os.nice(0),
                                     "seconds": round(time.monotonic() - began, 3)},
                  timeout=job.timeout)
    finally:
        cache.delete(job.lock)
        for key in job.slots:
            throttle.release(key)


def main(argv: list[str]) -> int:
    job = Job(**json.loads(argv[0]))
    os.nice(job.nice)
    resource.setrlimit(resource.RLIMIT_CPU, (job.cpu_seconds, job.cpu_seconds))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innesto.portal.settings")
    import django

    django.setup()
    run(job)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
