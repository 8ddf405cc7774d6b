"""`python -m bench.library.report`: bench/results/library.json as the Markdown tables of docs/performance.md."""

import json

from bench.harness import RESULTS

PATHS = (
    ("a_gateway", "(a) gateway"),
    ("t_traced", "(t) gateway, tracing on"),
    ("b_direct", "(b) library"),
    ("c_sql", "(c) SQL floor"),
)


def figures_table(report: dict) -> str:
    lines = [
        "| shape | path | req/s | p50 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in report["figures"].items():
        for key, label in PATHS:
            if key in row:
                f = row[key]
                lines.append(f"| {name} | {label} | {f['rps']} | {f['p50_ms']} | {f['p99_ms']} | {f['errors']} |")
        lines.append(f"| {name} | (a)/(b), (b)/(c) at p50 | | {row['a_over_b_p50']} | {row['b_over_c_p50']} | |")
        if "t_over_a_p50" in row:
            lines.append(f"| {name} | (t)/(a) at p50 | | {row['t_over_a_p50']} | | |")
    return "\n".join(lines)


def main() -> None:
    report = json.loads((RESULTS / "library.json").read_text())
    print(figures_table(report))
    print()
    print(f"library RSS peak: {report['library_rss']['peak_rss_mb']} MB; delete space: {report['delete_space']}")
    if "tracing" in report:
        print(f"spans the traced processes exported: {report['tracing']}")
    print(f"unindexed foreign keys: {report['unindexed_foreign_keys'] or 'none'}")
    for name, statements in report["plans"].items():
        for statement in statements:
            scans = statement["seq_scans"] or "none"
            print(f"{name}: seq scans {scans}, generic plan {statement['generic_plan_seq_scans'] or 'none'}")


if __name__ == "__main__":
    main()
