#!/usr/bin/python3
"""Cross-check --normalize minmax against exact rational arithmetic.

anomalib's min-max normalisation of a score x for the threshold t over the
scores' range [min, max] is clamp((x - t) / (max - min) + 1/2, 0, 1).  For
score files whose min and max are extreme doubles, and thresholds given with
--image-threshold at, between and beyond them, the "normalized" object of
`adthresh --format json --normalize minmax` must hold

  threshold   exactly 0.5
  min, max    the normalisation of min and of max, within 2^-52 of the exact
              value computed with fractions.Fraction from the very doubles
              (null when min == max)

Why 2^-52 (one ulp of 1): the two differences and their quotient are each
rounded once (relative error at most u = 2^-53 each), which moves a quotient
q of magnitude at most 1/2 (the values that do not clamp) by at most
1.5 u + O(u^2); adding 1/2 rounds once more, by at most half an ulp of a
value below 1, 2^-54.  1.5 u + 2^-54 = 2^-52.  Clamping never adds error.
Where max - min or x - t would overflow, both are taken of halves: exact
for such large numbers, and a subnormal operand's lost bit (2^-1075)
divided by a range over 2^1023 is invisible.

Cases: ranges touching +-DBL_MAX (whose differences overflow), huge
positive and negative ranges that do not overflow, subnormal ranges, ranges
mixing subnormals with huge scores, negative ranges, t at min, at max, at 0,
one ulp inside, beyond either end; then random doubles of random exponents
from a fixed seed.  The largest error seen is printed, in units of 2^-53.

Run it with Debian's Python:

    /usr/bin/python3 tests/oracle/normalize_oracle.py

Environment:
  ADTHRESH=PATH    the binary (default build/adthresh)

Ends with "normalize-oracle: N passed, M failed".
"""
import math
import os
import random
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

MAX = sys.float_info.max
TINY = 5e-324  # the smallest subnormal
TOL = Fraction(1, 2**52)


def exact(x, t, lo, hi):
    """The normalisation of x in exact arithmetic, or None when hi == lo."""
    if not hi > lo:
        return None
    v = (Fraction(x) - Fraction(t)) / (Fraction(hi) - Fraction(lo)) + Fraction(1, 2)
    return min(max(v, Fraction(0)), Fraction(1))


def nudge(x, toward):
    return math.nextafter(x, toward)


def fixed_cases():
    """(name, scores, threshold) with scores[0] the minimum, scores[1] the maximum."""
    c = []
    ranges = {
        "full": (-MAX, MAX),
        "issue": (-1e308, MAX),
        "just-over": (-9e307, 9e307),
        "half-max": (-MAX / 2, MAX / 2),
        "positive-huge": (1e308, MAX),
        "negative-huge": (-MAX, -1e308),
        "max-and-tiny": (TINY, MAX),
        "minus-max-and-tiny": (-MAX, TINY),
        "subnormal": (TINY, 1e-310),
        "subnormal-signed": (-1e-320, 1e-320),
        "subnormal-ulp": (TINY, 2 * TINY),
        "negative": (-1e10, -1e-5),
        "negative-ulp": (nudge(-1.0, -2.0), -1.0),
        "unit": (0.0, 1.0),
        "tiny-and-huge-negative": (-MAX, -TINY),
    }
    for name, (lo, hi) in ranges.items():
        thresholds = {
            "at-min": lo,
            "at-max": hi,
            "min-next": nudge(lo, hi),
            "max-prev": nudge(hi, lo),
            "mid": lo / 2 + hi / 2,
            "zero": 0.0,
            "below": nudge(lo, -math.inf) if lo > -MAX else lo,
            "above": nudge(hi, math.inf) if hi < MAX else hi,
            "far-below": -MAX,
            "far-above": MAX,
            "tiny": TINY,
            "minus-tiny": -TINY,
        }
        for tname, t in thresholds.items():
            c.append((f"{name}/{tname}", [lo, hi], t))
    # a third score inside the range changes nothing but the counts
    c.append(("three-scores", [-1e308, MAX, 1e308], 1e308))
    c.append(("all-equal", [1e308, 1e308], 1e308))
    return c


def random_double(rng):
    kind = rng.random()
    if kind < 0.1:
        return rng.choice([MAX, -MAX, TINY, -TINY, 0.0])
    if kind < 0.25:  # subnormal
        return rng.choice([1, -1]) * rng.randrange(1, 2**52) * TINY
    mantissa = (2**52 + rng.getrandbits(52)) / 2**53  # [0.5, 1), exactly
    return rng.choice([1, -1]) * math.ldexp(mantissa, rng.randrange(-1073, 1025))


def random_cases(rng, count):
    c = []
    for i in range(count):
        a, b = random_double(rng), random_double(rng)
        if math.isinf(a) or math.isinf(b):
            continue
        lo, hi = min(a, b), max(a, b)
        pick = rng.random()
        if pick < 0.3:
            t = rng.choice([lo, hi])
        elif pick < 0.7 and hi > lo:
            t = lo + (hi - lo) * rng.random() if math.isfinite(hi - lo) else \
                lo / 2 + hi / 2 + (hi / 2 - lo / 2) * (rng.random() - 0.5)
        else:
            t = random_double(rng)
        if not math.isfinite(t):
            continue
        c.append((f"random-{i}", [lo, hi], t))
    return c


def check_case(work, name, scores, t):
    path = work / (name.replace("/", "-") + ".csv")
    # labels: the minimum normal, every other score anomalous (two classes)
    rows = [f"{s!r},{0 if k == 0 else 1}" for k, s in enumerate(scores)]
    path.write_text("score,label\n" + "\n".join(rows) + "\n", encoding="ascii")
    args = ["--format", "json", "--normalize", "minmax", "--image-threshold", repr(t), path]
    rc, out, err = harness.run(args)
    doc, problems = harness.parse_json(rc, out, err, level="image")
    worst = Fraction(0)
    if doc is None:
        return problems, worst, args
    img = doc["image"]
    lo, hi = min(scores), max(scores)
    if img.get("min") != lo or img.get("max") != hi:
        problems.append(f"min/max: {img.get('min')!r} {img.get('max')!r}, expected {lo!r} {hi!r}")
    norm = img.get("normalized")
    if not isinstance(norm, dict):
        return problems + [f"no normalized object: {norm!r}"], worst, args
    if hi > lo and norm.get("threshold") != 0.5:
        problems.append(f"normalized threshold {norm.get('threshold')!r}, expected 0.5")
    for key, x in (("min", lo), ("max", hi)):
        want, got = exact(x, t, lo, hi), norm.get(key)
        if want is None:
            if got is not None:
                problems.append(f"normalized {key}: {got!r}, expected null (min == max)")
            continue
        if not isinstance(got, float) and not isinstance(got, int):
            problems.append(f"normalized {key}: {got!r}, expected {float(want)!r}")
            continue
        diff = abs(Fraction(got) - want)
        worst = max(worst, diff)
        if diff > TOL:
            problems.append(f"normalized {key}: {got!r}, exact {float(want)!r} "
                            f"(off by {float(diff / Fraction(1, 2**53)):.3g} x 2^-53)")
    return problems, worst, args


def check_all(work, suite):
    rng = random.Random(20240612)
    cases = fixed_cases() + random_cases(rng, 300)
    worst = Fraction(0)
    for name, scores, t in cases:
        problems, w, args = check_case(work, name, scores, t)
        worst = max(worst, w)
        suite.record(name, problems, "adthresh " + " ".join(map(str, args)))
    suite.notes.append(f"normalize-oracle: largest error {float(worst * 2**53):.3g} x 2^-53 "
                       f"(tolerance 2 x 2^-53)")
    return f"{len(cases)} cases"


def main():
    return harness.run_suite("normalize-oracle", check_all)


if __name__ == "__main__":
    sys.exit(main())
