# bash completion for adthresh                              -*- shell-script -*-
#
# Completes the options (the list below, which the install tests check
# against `adthresh --help`), the values of the options that take a
# word from a fixed set (--format, --input-format, --rule, --policy,
# --delimiter, --resize-masks, --normalize), and file names everywhere
# else (SCORES, --maps, --masks, -o and the other FILE options).  It needs
# only bash: bash-completion is not used.

_adthresh_options='--input-format --delimiter --score-col --label-col --id-col
--positive-label --maps --masks --mask-suffix --split --resize-masks
--max-pixels --memory --threads
--map-maxima --batch --keep-going --save-thresholds --thresholds
--image-threshold --pixel-threshold --fail-under --gate --rule
--allow-one-class --policy --compare-policies --max-fpr --normalize --aupro
--aupimo --curves --curve-points --plot --per-defect --per-image
--save-counts --shard --merge --format
--columns --output --quiet --verbose --help --version -f -o -q -v -h -V'

# The words an option's value is completed from; returns 1 for an option
# that takes a file name, 2 for one whose value is free text (a number, a
# column, a gate), 3 for an option that takes no value.
_adthresh_values()
{
	case $1 in
	-f | --format) _adthresh_words='text json csv markdown' ;;
	--input-format) _adthresh_words='csv tsv json jsonl' ;;
	--rule) _adthresh_words='ge gt' ;;
	--delimiter) _adthresh_words=', ; tab' ;;
	--resize-masks) _adthresh_words='nearest' ;;
	--normalize) _adthresh_words='minmax' ;;
	--policy)
		# [LEVEL=]P: a level prefix, then a policy; a policy with a
		# target (recall:R) is completed up to its colon.
		local p='f1 youden corner recall: fpr: precision: sigma:'
		case $2 in
		image=* | pixel=*) _adthresh_words=$(printf "${2%%=*}=%s " $p) ;;
		*) _adthresh_words="image= pixel= $p" ;;
		esac
		;;
	-o | --output | --maps | --masks | --save-thresholds | --thresholds | --curves | \
		--plot | --per-image | --save-counts)
		return 1
		;;
	--score-col | --label-col | --id-col | --positive-label | --max-pixels | --threads | \
		--image-threshold | --pixel-threshold | --fail-under | --gate | --max-fpr | \
		--curve-points | --mask-suffix | --split | --memory | --columns | --shard)
		return 2
		;;
	*) return 3 ;;
	esac
	return 0
}

_adthresh()
{
	# The words up to the cursor, split at blanks only: readline also
	# splits at = and :, which --format=json and --policy image=recall:R
	# hold.
	local line=${COMP_LINE:0:COMP_POINT} cur= prev= opt val words
	local -a w
	read -r -a w <<<"$line"
	if [[ $line == *[[:blank:]] ]]; then
		prev=${w[${#w[@]} - 1]}
	else
		cur=${w[${#w[@]} - 1]}
		((${#w[@]} > 1)) && prev=${w[${#w[@]} - 2]}
	fi
	COMPREPLY=()

	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		val=${cur#*=}
	elif [[ $prev == -* && $prev != *=* ]] && { _adthresh_values "$prev" "$cur" || (($? != 3)); }; then
		opt=$prev
		val=$cur
	elif [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$_adthresh_options" -- "$cur"))
		return 0
	else
		return 0 # SCORES: file names (complete -o default)
	fi

	local _adthresh_words=
	_adthresh_values "$opt" "$val"
	case $? in
	0) ;;
	1) return 0 ;; # a file name
	*)
		compopt +o default 2>/dev/null
		return 0
		;;
	esac
	compopt +o default 2>/dev/null
	words=$(compgen -W "$_adthresh_words" -- "$val")
	# Readline replaces only the text after the last = or : of the word.
	local head=${cur%"${cur##*[=:]}"}
	local c
	for c in $words; do
		[[ $c == ';' ]] && c='\;'
		COMPREPLY+=("${cur%"$val"}$c")
	done
	COMPREPLY=("${COMPREPLY[@]#"$head"}")
	[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *[=:] ]] && compopt -o nospace 2>/dev/null
	return 0
}

complete -o default -F _adthresh adthresh
