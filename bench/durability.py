"""How many acknowledged consents survive a SIGKILL of the server, on SQLite and PostgreSQL.

Streams consent POSTs from several client threads at a real `consent-server serve` (gunicorn, two
workers) on a fresh database, kills the whole process group mid-stream, then looks up every consent id
that was answered 201. The contract says every one of them is stored: found must equal acknowledged.

    python bench/durability.py [--backend sqlite|postgresql|both] [--seconds 5] [--threads 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    # Run as `python bench/durability.py`: the checkout's packages (bench, tests) become importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serverkit import BACKENDS, measure_durability, postgres_unavailable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both")
    parser.add_argument("--seconds", type=float, default=5.0, help="streaming time before the SIGKILL")
    parser.add_argument("--threads", type=int, default=8, help="client threads sending consents")
    args = parser.parse_args(argv)

    lost = 0
    for backend in BACKENDS if args.backend == "both" else (args.backend,):
        if backend == "postgresql" and (reason := postgres_unavailable()):
            print(f"durability {backend}: skipped, {reason}")
            continue
        with tempfile.TemporaryDirectory(prefix=f"durability-{backend}-") as directory:
            report = measure_durability(backend, Path(directory), args.seconds, args.threads)
        print(report.summary(), flush=True)
        for consent_id in report.lost:
            print(f"  lost: {consent_id}")
        lost += len(report.lost)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
