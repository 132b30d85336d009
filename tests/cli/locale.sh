#!/bin/sh
# Output must not depend on the locale: every output format of the sample
# (data/scores.csv, and the data/bottle maps with their scores) under
# de_DE.UTF-8, whose decimal separator is a comma, must equal the output
# under C byte for byte, standard error and exit status included.
# Generates de_DE.UTF-8 when it is missing and this runs as root (the
# Debian package locales provides the definition); otherwise says why and
# counts the suite as skipped.
set -u
ADTHRESH=${ADTHRESH:-build/adthresh}
loc=de_DE.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

has_locale() {
	[ "$(LC_ALL=$loc locale decimal_point 2>/dev/null)" = "," ]
}

if ! has_locale && [ "$(id -u)" = 0 ] && command -v localedef >/dev/null 2>&1; then
	echo "locale: generating $loc (localedef -i de_DE -f UTF-8 $loc)"
	localedef -i de_DE -f UTF-8 "$loc" >"$tmp/localedef.log" 2>&1 || cat "$tmp/localedef.log"
fi
if ! has_locale; then
	echo "skip locale: no $loc locale with a decimal comma here; it needs the" \
		"Debian package locales and root for: localedef -i de_DE -f UTF-8 $loc"
	echo "locale: 0 passed, 0 failed, 1 skipped"
	exit 0
fi

passed=0
failed=0
# name|arguments
while IFS='|' read -r name args; do
	for l in C "$loc"; do
		# shellcheck disable=SC2086 # args is a word list on purpose
		LC_ALL=$l LANG=$l "$ADTHRESH" $args >"$tmp/$l.out" 2>"$tmp/$l.err" </dev/null
		echo $? >>"$tmp/$l.err"
	done
	if cmp -s "$tmp/C.out" "$tmp/$loc.out" && cmp -s "$tmp/C.err" "$tmp/$loc.err" &&
		grep -q '[0-9]\.[0-9]' "$tmp/C.out"; then
		passed=$((passed + 1))
		echo "ok $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name: output under $loc differs from C (or has no decimal point)"
		diff -u "$tmp/C.out" "$tmp/$loc.out" | head -n 20
		diff -u "$tmp/C.err" "$tmp/$loc.err" | head -n 20
	fi
done <<EOF
scores-text|data/scores.csv
scores-json|--format json data/scores.csv
scores-csv|--format csv data/scores.csv
scores-markdown|--format markdown data/scores.csv
bottle-text|--maps data/bottle --masks data/bottle data/bottle/scores.csv
bottle-json|--format json --maps data/bottle --masks data/bottle data/bottle/scores.csv
bottle-csv|--format csv --maps data/bottle --masks data/bottle data/bottle/scores.csv
bottle-markdown|--format markdown --maps data/bottle --masks data/bottle data/bottle/scores.csv
EOF
echo "locale: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
