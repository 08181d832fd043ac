"""Time training and suggesting for 5,000 answers and 30 codes against a 10-second target.

Run as ``python bench/bench_assisted_coding.py [--answers N] [--runs N] [--seed N]``. The answers
are fictional ones from the synthetic generator with its sixteen topic codes switched on, so that
there are 30 codes: the 14 starter codes and 16 topics. The suggester trains on N coded answers
and then suggests codes for N new ones. The script prints the median train, suggest and total
times, whether the target was met, the assistant's agreement with held-out human coding (micro
F1 and mean Cohen's kappa over codes) and the number of coded examples per code; it exits with 1
when the target is missed. The answers come from templates, so the agreement figures are an upper
bound for this pipeline, not a forecast for real survey answers.

With ``--program SLUG`` it also reads the coded answers of that program from PeerMentor's database
(the one the ``peermentor`` command uses: ``PEERMENTOR_DATA_DIR`` or ``DATABASE_URL``), such as the
demo's close-out answers, and prints the assistant's agreement with held-out human coding on them:
it learns from 80 % of the answers coded by people or the consensus (never the assistant's own) and
is compared with the coding of the rest. Without such a program it says so and skips that part.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Import the package from this checkout's src/ whether or not it is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peermentor.qualitative.assist import Suggester, evaluate_heldout, train
from peermentor.qualitative.synthetic_answers import SyntheticAnswer, code_keys, generate

TARGET_SECONDS = 10.0


def timed(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median time of ``runs`` calls, in seconds, and the last call's result."""
    timings = []
    result = None
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings), result


def print_timings(train_s: float, suggest_s: float, answers: int, codes: int) -> bool:
    """Print the times and return whether the total met the target."""
    total = train_s + suggest_s
    met = total <= TARGET_SECONDS
    print(f"answers: {answers:,} to train on, {answers:,} to suggest for; codes: {codes}")
    print(f"train:   {train_s:6.2f} s")
    print(f"suggest: {suggest_s:6.2f} s")
    print(
        f"total:   {total:6.2f} s  (target ≤ {TARGET_SECONDS:.0f} s: {'met' if met else 'MISSED'})"
    )
    return met


def print_agreement(report: dict[str, Any], examples: dict[str, int]) -> None:
    """Print the held-out agreement, overall and per code, with each code's coded examples."""
    micro = report["micro"]
    print(
        f"\nheld-out agreement ({report['n_train']:,} train / {report['n_test']:,} test, "
        f"threshold {report['threshold']}, top {report['top_k']}):"
    )
    print(
        f"micro precision {fmt(micro['precision'])}, recall {fmt(micro['recall'])}, "
        f"F1 {fmt(micro['f1'])}; mean kappa over codes {fmt(report['mean_kappa'])}"
    )
    print(f"\n{'code':<26}{'examples':>9}{'train':>7}{'test':>6}{'F1':>7}{'kappa':>7}")
    for code, figures in report["codes"].items():
        print(
            f"{code:<26}{examples.get(code, 0):>9}{figures['train_examples']:>7}"
            f"{figures['test_positives']:>6}{fmt(figures['f1']):>7}{fmt(figures['kappa']):>7}"
        )
    for code, reason in report["not_suggested"].items():
        print(f"not suggested: {code} ({reason})")


def fmt(value: float | None) -> str:
    """A figure to three decimals, or n/a when it is undefined."""
    return "n/a" if value is None else f"{value:.3f}"


def program_agreement(slug: str, seed: int) -> None:
    """Print the held-out agreement on a program's coded answers, or why there is none."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peermentor.settings")
    import django

    django.setup()
    from peermentor.programs.models import Program
    from peermentor.qualitative.selectors import training_examples

    program = Program.objects.filter(slug=slug).first()
    if program is None:
        print(f"\nprogram {slug!r}: not in this database; skipping the agreement on real coding.")
        return
    coded = [(text, codes) for _, text, codes in training_examples(program=program)]
    print(f"\nprogram {slug!r}: {len(coded):,} answers coded by people or the consensus")
    started = time.perf_counter()
    try:
        report = evaluate_heldout(coded, seed=seed)
    except ValueError as error:
        print(f"too few coded answers to hold some out ({error}); skipping.")
        return
    print(f"held-out evaluation took {time.perf_counter() - started:.2f} s")
    names = dict(program.codes.values_list("pk", "name"))
    report["codes"] = {names.get(int(c), c): row for c, row in report["codes"].items()}
    report["not_suggested"] = {
        names.get(int(c), c): why for c, why in report["not_suggested"].items()
    }
    examples = Counter(names.get(int(code), code) for _, codes in coded for code in codes)
    print_agreement(report, dict(examples))


def main() -> int:
    """Run the benchmark, print the figures, and return 1 if the target was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument(
        "--program", metavar="SLUG", help="also measure agreement on this program's coding"
    )
    args = parser.parse_args()
    coded: list[SyntheticAnswer] = generate(args.answers, seed=args.seed, topics=True)
    new = [answer.text for answer in generate(args.answers, seed=args.seed + 1, topics=True)]
    train_s, suggester = timed(lambda: train(coded, seed=args.seed), args.runs)
    assert isinstance(suggester, Suggester)
    suggest_s, _ = timed(lambda: suggester.suggest(new), args.runs)
    met = print_timings(train_s, suggest_s, args.answers, len(code_keys(topics=True)))
    print_agreement(evaluate_heldout(coded, seed=args.seed), suggester.examples_per_code)
    if args.program:
        program_agreement(args.program, args.seed)
    else:
        print("\nno --program SLUG given: skipping the agreement on a program's real coding.")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
