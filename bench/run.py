"""``make bench``: every benchmark, side by side with its baseline, into bench/README.md.

python -m bench.run                          # everything (about 15 minutes on 2 cores)
python -m bench.run --only http,hotpath      # some parts: http, hotpath, suite, quick,
                                             # client, generate
python -m bench.run --runs 5 --duration 10   # more and longer runs
python -m bench.run --no-prism               # skip the peer (said so in the results)
python -m bench.run --profile refund_201     # cProfile of the sandbox's hot path
python -m bench.run --render                 # README.md's results again, from results.json
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench import client_bench, hotpath, http_bench, regen_bench, report, suite_bench
from bench.load import wrk_version
from bench.results import Results

PARTS = ("http", "hotpath", "suite", "quick", "client", "generate")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts (default: all of {', '.join(PARTS)})",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument(
        "--duration", type=int, default=5, help="seconds of load per wrk run (default 5)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--max-examples",
        type=int,
        default=25,
        help="Schemathesis examples per operation (default 25)",
    )
    parser.add_argument(
        "--request-timeout",
        type=int,
        default=2,
        help="Schemathesis request timeout in seconds (default 2)",
    )
    parser.add_argument("--no-prism", action="store_true", help="do not measure Prism")
    parser.add_argument(
        "--baseline-src",
        type=Path,
        metavar="DIR",
        help="http: also serve the sandbox of another source tree (e.g. `git archive <commit>` "
        "unpacked into DIR) as 'sandbox@base', measured in the same run",
    )
    parser.add_argument(
        "--no-readme",
        action="store_true",
        help="only print the results (README.md and results.json stay as they are)",
    )
    parser.add_argument(
        "--profile",
        choices=sorted(hotpath.SCENARIOS),
        help="profile one scenario of the sandbox's hot path and exit",
    )
    parser.add_argument(
        "--render",
        action="store_true",
        help="rewrite README.md's results from results.json, measure nothing",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.profile:
        hotpath.profile(args.profile, 3000)
        return 0
    if args.render:
        results, info, settings = report.read_results()
        report.write(results, info, settings, update_readme=True)
        return 0
    parts = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        print(
            f"unknown part(s): {', '.join(unknown)}; choose from {', '.join(PARTS)}",
            file=sys.stderr,
        )
        return 2
    results = Results()
    info = report.machine({"code": report.git_commit()})
    settings = {
        "runs per figure": str(args.runs),
        "HTTP load": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency "
        f"({wrk_version()}), loopback",
        "Schemathesis": f"max-examples {args.max_examples} per operation, seed "
        f"{suite_bench.SEED}, request-timeout {args.request_timeout} s, "
        "one worker, the suite's checks",
        "parts": ", ".join(parts),
    }
    with tempfile.TemporaryDirectory(prefix="bench-logs-") as logs:
        log_dir = Path(logs)
        if "hotpath" in parts:
            print("== sandbox hot path, in-process", flush=True)
            hotpath.measure(results, runs=args.runs, count=2000)
        if "http" in parts:
            print("== sandbox, ceiling and Prism over HTTP", flush=True)
            http_bench.measure(
                results,
                runs=args.runs,
                duration=args.duration,
                threads=args.threads,
                connections=args.connections,
                with_prism=not args.no_prism,
                log_dir=log_dir,
                baseline_src=args.baseline_src,
            )
        if "suite" in parts:
            print("== Schemathesis against the sandbox and Prism", flush=True)
            suite_bench.measure_schemathesis(
                results,
                runs=args.runs,
                max_examples=args.max_examples,
                timeout=args.request_timeout,
                with_prism=not args.no_prism,
                log_dir=log_dir,
            )
        if "quick" in parts:
            print("== the quick profile (make conformance)", flush=True)
            suite_bench.measure_quick_profile(results, runs=args.runs)
        if "client" in parts:
            print("== the client", flush=True)
            client_bench.measure(results, runs=args.runs, calls=2000)
        if "generate" in parts:
            print("== make generate", flush=True)
            regen_bench.measure(results, runs=args.runs)
    info["load average at end"] = report.load_average()
    if "http" in parts and not args.no_prism and http_bench.PRISM.exists():
        info["Prism"] = http_bench.prism_version()
    report.write(results, info, settings, update_readme=not args.no_readme)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
