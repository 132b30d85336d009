#!/bin/sh
# Golden tests of the adthresh program.  Each case is tests/cli/cases/NAME.sh,
# a shell command run from the repository root with the built adthresh first
# on PATH; its standard output, standard error and exit status must equal
# NAME.out, NAME.err and NAME.exit byte for byte.
#   UPDATE=1 sh tests/cli/run.sh        rewrite the expected files
#   sh tests/cli/run.sh NAME...         run only these cases
#   VALGRIND=1 sh tests/cli/run.sh      run adthresh under valgrind (with the
#                                       suppressions of tests/cli/valgrind.supp)
# A case that cannot run here (a limit the system or a sanitizer does not
# support) prints "skip: REASON" and exits 77; it counts as skipped, as do
# under valgrind the cases listed in tests/cli/valgrind.skip.
set -u
ADTHRESH=${ADTHRESH:-build/adthresh}
dir=tests/cli/cases
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The command name `adthresh` runs the binary under test.
mkdir -p "$tmp/bin"
bin=$(cd "$(dirname "$ADTHRESH")" && pwd)/$(basename "$ADTHRESH")
if [ "${VALGRIND:-0}" = 1 ]; then
	# tests/cli/valgrind.supp: leaks of the libraries, not of adthresh.
	supp=$(pwd)/tests/cli/valgrind.supp
	printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full \\\n  --errors-for-leak-kinds=definite,indirect --suppressions="%s" "%s" "$@"\n' "$supp" "$bin" >"$tmp/bin/adthresh"
else
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$bin" >"$tmp/bin/adthresh"
fi
chmod +x "$tmp/bin/adthresh"

if [ $# -gt 0 ]; then
	cases=$*
else
	cases=$(cd "$dir" && ls *.sh | sed 's/\.sh$//')
fi

passed=0
failed=0
skipped=0
for name in $cases; do
	if [ "${VALGRIND:-0}" = 1 ] &&
		why=$(sed -n "s/^$name //p" tests/cli/valgrind.skip) && [ -n "$why" ]; then
		skipped=$((skipped + 1))
		echo "skip $name ($why)"
		continue
	fi
	PATH="$tmp/bin:$PATH" LC_ALL=C TMPDIR="$tmp" sh "$dir/$name.sh" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	echo $? >"$tmp/exit"
	if [ "$(cat "$tmp/exit")" = 77 ] && grep -q '^skip: ' "$tmp/out"; then
		skipped=$((skipped + 1))
		echo "skip $name ($(sed -n 's/^skip: //p' "$tmp/out" | head -n 1))"
		continue
	fi
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/out" "$dir/$name.out"
		cp "$tmp/err" "$dir/$name.err"
		cp "$tmp/exit" "$dir/$name.exit"
	fi
	bad=
	for part in out err exit; do
		if ! cmp -s "$tmp/$part" "$dir/$name.$part"; then
			bad="$bad $part"
		fi
	done
	if [ -z "$bad" ]; then
		passed=$((passed + 1))
		echo "ok $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name (differs:$bad)"
		for part in $bad; do
			diff -u "$dir/$name.$part" "$tmp/$part" | head -n 20
		done
	fi
done
if [ "$skipped" -gt 0 ]; then
	echo "cli: $passed passed, $failed failed, $skipped skipped"
else
	echo "cli: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
