#!/bin/sh
# Tests of `make install` and `make uninstall`, run from the repository
# root on what is already built (nothing is rebuilt when it is up to date):
#  - a staged install (DESTDIR, PREFIX=/usr/local): exactly the expected
#    files, the headers being those a program of the library needs (the
#    ones the public headers include, transitively), the shared library's
#    soname and link, pkg-config's file, the manual page, the completion
#    (it parses, completes every option of --help and nothing else, and
#    the values of --format, --policy, --rule and --input-format); then
#    uninstall leaves no file;
#  - an install into a folder (PREFIX, LIBDIR, INCLUDEDIR outside PREFIX):
#    every installed header compiles alone with pkg-config's flags; a
#    program linked with `pkg-config --libs adthresh` (the shared library)
#    and with `pkg-config --static --libs adthresh` (libadthresh.a) prints
#    the numbers the installed adthresh prints for the same scores.
# Environment: B (the build folder), SANITIZE (as make check passes it),
# CC, MAKE, PKG_CONFIG.  Ends with "install: N passed, M failed".
set -u
B=${B:-build}
SANITIZE=${SANITIZE:-}
CC=${CC:-cc}
MAKE=${MAKE:-make}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0

# The headers a program needs: these and every header they include.
roots="api.h cli.h run.h report.h output.h eval.h curve.h format.h samples.h metrics.h error.h version.h"

ok() {
	passed=$((passed + 1))
	echo "ok $1"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ ! -s "$tmp/why" ] || head -n 30 "$tmp/why"
}

# check NAME COMMAND...: runs COMMAND, its output to $tmp/why.
check() {
	name=$1
	shift
	if "$@" >"$tmp/why" 2>&1; then ok "$name"; else fail "$name"; fi
}

# make, without the jobserver of a make that runs this script, with the
# build folder and sanitizers of the build under test.
run_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$MAKE" --no-print-directory B="$B" \
		SANITIZE="$SANITIZE" "$@"
}

san=
[ -z "$SANITIZE" ] || san="-fsanitize=$SANITIZE"

# The closure of $roots over include/adthresh, sorted.
public_headers() {
	todo=$roots
	seen=
	while [ -n "$todo" ]; do
		set -- $todo
		h=$1
		shift
		todo=$*
		case " $seen " in *" $h "*) continue ;; esac
		seen="$seen $h"
		todo="$todo $(sed -n 's|^#include "adthresh/\(.*\)"|\1|p' "include/adthresh/$h")"
	done
	printf '%s\n' $seen | sort
}

# ---- A staged install: what goes where ----

dest=$tmp/dest
check "make install DESTDIR PREFIX=/usr/local" run_make install DESTDIR="$dest" PREFIX=/usr/local
{
	printf '%s\n' usr/local/bin/adthresh usr/local/lib/libadthresh.a \
		usr/local/lib/libadthresh.so usr/local/lib/libadthresh.so.1 \
		usr/local/lib/pkgconfig/adthresh.pc \
		usr/local/share/bash-completion/completions/adthresh \
		usr/local/share/man/man1/adthresh.1 \
		usr/local/lib/python3/dist-packages/adthresh/__init__.py
	public_headers | sed 's|^|usr/local/include/adthresh/|'
} | sort >"$tmp/expected"
(cd "$dest" && find . ! -type d | sed 's|^\./||' | sort) >"$tmp/got"
check "installed files: exactly the expected ones" diff -u "$tmp/expected" "$tmp/got"

lib=$dest/usr/local/lib
check "libadthresh.so links to libadthresh.so.1" \
	test "$(readlink "$lib/libadthresh.so")" = libadthresh.so.1 -a -f "$lib/libadthresh.so.1" \
	-a ! -L "$lib/libadthresh.so.1"
check "libadthresh.so.1 has the soname libadthresh.so.1" \
	sh -c "readelf -d '$lib/libadthresh.so.1' | grep -q 'SONAME.*\\[libadthresh\\.so\\.1\\]'"
check "adthresh.pc names /usr/local, its folders under \${prefix}" \
	grep -qx -e 'prefix=/usr/local' "$lib/pkgconfig/adthresh.pc"
check "adthresh.pc: libdir and includedir" \
	sh -c "grep -qx 'libdir=\${prefix}/lib' '$lib/pkgconfig/adthresh.pc' &&
		grep -qx 'includedir=\${prefix}/include' '$lib/pkgconfig/adthresh.pc'"
check "adthresh.pc: the version of version.h" \
	grep -qx "Version: $(sed -n 's/^#define ADTHRESH_VERSION "\(.*\)"/\1/p' include/adthresh/version.h)" \
	"$lib/pkgconfig/adthresh.pc"
man=$dest/usr/local/share/man/man1/adthresh.1
check "the manual page: a page of adthresh with its options" \
	sh -c "grep -q '^\\.TH ADTHRESH \"1\"' '$man' && grep -q 'fail\\\\-under' '$man'"

# ---- The completion ----

comp=$dest/usr/local/share/bash-completion/completions/adthresh
check "the completion parses (bash -n)" bash -n "$comp"

# complete LINE: what the completion offers at the end of LINE, one a line.
complete_line() {
	bash -c '. "$1"; COMP_LINE=$2; COMP_POINT=${#2}; _adthresh; printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$comp" "$1" | sed '/^$/d' | sort
}

# The options of --help: the left column of the lines that start with an
# option ("  -f, --format FMT   text...", "      --image-threshold X, ...").
"$B/adthresh" --help >"$tmp/help"
grep -E '^  (    )?-' "$tmp/help" | sed -E 's/^ +//; s/  .*//' |
	grep -oE -- '(^|[ ,])--?[A-Za-z][a-z-]*' | sed 's/^[ ,]*//' | sort -u >"$tmp/help-opts"
complete_line "adthresh -" >"$tmp/comp-opts"
check "--help lists options" test "$(wc -l <"$tmp/help-opts")" -gt 40
check "completion: every option of --help" sh -c "comm -23 '$tmp/help-opts' '$tmp/comp-opts' |
	{ ! grep .; }"
check "completion: no option that --help does not list" sh -c "comm -13 '$tmp/help-opts' \
	'$tmp/comp-opts' | { ! grep .; }"

# value LINE EXPECTED...: the completion of LINE is exactly EXPECTED.
value() {
	line=$1
	shift
	printf '%s\n' "$@" | sed '/^$/d' | sort >"$tmp/want"
	complete_line "$line" >"$tmp/have"
	check "completion of '$line'" diff -u "$tmp/want" "$tmp/have"
}
value "adthresh --format " text json csv markdown
value "adthresh -f m" markdown
value "adthresh --format=j" json
value "adthresh --input-format js" json jsonl
value "adthresh --rule " ge gt
value "adthresh --policy " image= pixel= f1 youden corner recall: fpr: precision: sigma:
value "adthresh --policy image=re" recall:
value "adthresh --policy=pixel=s" sigma:
value "adthresh --resize-masks " nearest
value "adthresh --normalize " minmax
value "adthresh --delimiter t" tab
value "adthresh --maps da"
value "adthresh --threads "
value "adthresh da"
value "adthresh --quiet da"

# Every value offered is one --help names.
for v in text json csv markdown tsv jsonl ge gt f1 youden corner recall: fpr: precision: sigma: \
	nearest minmax; do
	grep -q -- "[ (]${v%:}[:, )]" "$tmp/help" || grep -q -- "[ (]${v%:}\$" "$tmp/help" ||
		echo "$v" >>"$tmp/unnamed"
done
check "every value completed is named by --help" test ! -s "$tmp/unnamed"

# The installed Python package finds the installed library beside it and
# gives what the installed program gives.
py_f1() {
	# A sanitized library needs its runtime preloaded (tests/check.sh);
	# python's own allocations are no finding.
	(cd "$tmp" && export PYTHONPATH="$dest/usr/local/lib/python3/dist-packages" &&
		if [ -n "${SAN_PRELOAD:-}" ]; then
			export LD_PRELOAD="$SAN_PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
		fi && "$PYTHON" -c '
import adthresh, sys
r = adthresh.evaluate(scores=[0.1, 0.4, 0.35, 0.8], labels=[0, 0, 1, 1])
assert adthresh.__file__.startswith(sys.argv[1]), adthresh.__file__
print(repr(r["image"]["f1"]), r["image"]["tp"], r["image"]["fp"])' "$dest")
}
cli_f1() {
	printf 'score,label\n0.1,0\n0.4,0\n0.35,1\n0.8,1\n' |
		"$dest/usr/local/bin/adthresh" -f json - |
		"$PYTHON" -c 'import json, sys; i = json.load(sys.stdin)["image"]; print(repr(i["f1"]), i["tp"], i["fp"])'
}
PYTHON=${PYTHON:-/usr/bin/python3}
py=$(py_f1)
cli=$(cli_f1)
check "the installed Python package: the installed program's result ($py)" \
	test -n "$py" -a "$py" = "$cli"
check "make uninstall DESTDIR PREFIX=/usr/local" run_make uninstall DESTDIR="$dest" PREFIX=/usr/local
(cd "$dest" && find . ! -type d) >"$tmp/left"
check "uninstall leaves no file" test ! -s "$tmp/left"
check "uninstall removes include/adthresh/" test ! -d "$dest/usr/local/include/adthresh"

# ---- An install into a folder: building against it ----

prefix=$tmp/prefix
libdir=$prefix/lib64
incdir=$tmp/include
check "make install PREFIX LIBDIR INCLUDEDIR" \
	run_make install PREFIX="$prefix" LIBDIR="$libdir" INCLUDEDIR="$incdir"
PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
check "adthresh.pc: an INCLUDEDIR outside PREFIX is absolute" \
	grep -qx "includedir=$incdir" "$libdir/pkgconfig/adthresh.pc"
cflags=$($PKG_CONFIG --cflags adthresh)
check "pkg-config --cflags names the installed headers" \
	sh -c "echo ' $cflags ' | grep -q -- ' -I$incdir '"

# Each installed header alone, with nothing but pkg-config's flags.
n=0
bad=
for h in "$incdir"/adthresh/*.h; do
	h=${h##*/}
	n=$((n + 1))
	printf '#include <adthresh/%s>\n' "$h" >"$tmp/h.c"
	$CC -std=c11 -Wall -Wextra -Wpedantic -Werror $cflags -c -o "$tmp/h.o" "$tmp/h.c" \
		>>"$tmp/h.log" 2>&1 || bad="$bad $h"
done
: >"$tmp/why"
[ -z "$bad" ] || { echo "do not compile alone:$bad"; head -n 20 "$tmp/h.log"; } >"$tmp/why"
if [ "$n" -gt 0 ] && [ -z "$bad" ]; then ok "each of the $n installed headers compiles alone"; else
	fail "each installed header compiles alone"; fi

# The same scores through the installed program.
printf 'score,label\n0.1,0\n0.4,0\n0.35,1\n0.8,1\n0.7,0\n0.9,1\n0.8,0\n0.65,1\n' >"$tmp/scores.csv"
"$prefix/bin/adthresh" --format csv "$tmp/scores.csv" >"$tmp/cli.csv"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ print $col["threshold"] "," $col["f1"] "," $col["precision"] "," $col["recall"] "," \
	  $col["tp"] "," $col["fp"] "," $col["fn"] "," $col["tn"] "," $col["auroc"] "," $col["ap"] }' \
	"$tmp/cli.csv" >"$tmp/expected"
"$prefix/bin/adthresh" --version | sed -n 2p >>"$tmp/expected"

libs=$($PKG_CONFIG --libs adthresh)
check "build against libadthresh.so (pkg-config --cflags --libs)" \
	$CC -std=c11 -Wall -Wextra -Werror $san -o "$tmp/example" tests/install/example.c $cflags $libs
check "the program needs libadthresh.so.1" \
	sh -c "readelf -d '$tmp/example' | grep -q 'NEEDED.*\\[libadthresh\\.so\\.1\\]'"
LD_LIBRARY_PATH=$libdir "$tmp/example" >"$tmp/shared.out" 2>&1
check "linked with libadthresh.so: the numbers of adthresh" diff -u "$tmp/expected" "$tmp/shared.out"

# --static adds the libraries libadthresh.a needs; -Bstatic makes -ladthresh
# take the archive (cJSON has no static library on Debian, so the program
# as a whole cannot be static).
static_libs=$($PKG_CONFIG --static --libs adthresh |
	sed 's/-ladthresh/-Wl,-Bstatic -ladthresh -Wl,-Bdynamic/')
check "build against libadthresh.a (pkg-config --static --libs)" \
	$CC -std=c11 -Wall -Wextra -Werror $san -o "$tmp/example-static" tests/install/example.c \
	$cflags $static_libs
check "the static program needs no libadthresh.so" \
	sh -c "! readelf -d '$tmp/example-static' | grep -q 'NEEDED.*libadthresh'"
"$tmp/example-static" >"$tmp/static.out" 2>&1
check "linked with libadthresh.a: the numbers of adthresh" diff -u "$tmp/expected" "$tmp/static.out"

check "make uninstall PREFIX LIBDIR INCLUDEDIR" \
	run_make uninstall PREFIX="$prefix" LIBDIR="$libdir" INCLUDEDIR="$incdir"
find "$prefix" "$incdir" ! -type d >"$tmp/left"
check "uninstall leaves no file" test ! -s "$tmp/left"

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
