# bash completion for the salesdesk programs (salesdesk(1), salesdesk(7)).  Installed as
# /usr/share/bash-completion/completions/salesdesk, with a link for each name on the
# PATH; report, receivables and complaints are completed as "salesdesk report" and so on.
#
# The options, their metavariables and their fixed values are read from the program's
# own --help (the usage lines and the option table of src/lib/tool.c), so that the
# completion cannot disagree with the program: a new option or value needs no edit here.

# _salesdesk_help CMD...: the help text, cached per command for the shell session
_salesdesk_help()
{
	local key="$*"
	if [[ ${_salesdesk_help_key-} != "$key" ]]; then
		_salesdesk_help_text=$("$@" --help 2>/dev/null)
		_salesdesk_help_key=$key
	fi
	printf '%s\n' "$_salesdesk_help_text"
}

# _salesdesk_values HELP OPT: the fixed values of OPT, "a b c" from "OPT a|b|c" in the
# usage lines or the option table; nothing for a metavariable such as FILE or COL:week|month
_salesdesk_values()
{
	local v
	v=$(grep -o -- "$2 [a-z0-9][a-z0-9-]*\(|[a-z0-9-]*\)\+" <<<"$1" | head -n 1)
	[[ -n $v ]] && printf '%s\n' "${v#* }" | tr '|' ' '
}

_salesdesk()
{
	local cur prev words cword
	_init_completion || return

	local -a cmd=("${words[0]}")
	if [[ ${words[0]##*/} == salesdesk ]]; then
		if ((cword == 1)); then
			mapfile -t COMPREPLY < <(compgen -W 'order-intake dispatch-plan freight-audit
				receivables complaints report merge daily' -- "$cur")
			return
		fi
		cmd+=("${words[1]}")
	fi

	local help table opts long meta
	help=$(_salesdesk_help "${cmd[@]}")
	[[ -n $help ]] || return
	# the option table as "SHORT LONG META" rows ("-" for none); META is an upper-case
	# metavariable or a|b values, not the first word of the help text
	table=$(awk '/^Options:/ { on = 1; next } on && /^$/ { exit } on {
		s = "-"; l = $1; m = $2
		if ($1 ~ /^-.,$/) { s = substr($1, 1, 2); l = $2; m = $3 }
		if (m !~ /^[A-Z]/ && m !~ /\|/) m = "-"
		print s, l, m }' <<<"$help")
	opts=$(awk '{ if ($1 != "-") print $1; print $2 }' <<<"$table")

	if [[ $prev == -* ]]; then
		read -r long meta < <(awk -v o="$prev" '$1 == o || $2 == o { print $2, $3 }' <<<"$table")
		if [[ -n ${meta-} && $meta != - ]]; then
			case $long in
			--input-encoding) opts='auto UTF-8 GB18030 GBK UTF-16' ;;
			--delimiter) opts='tab , ; |' ;;
			*)
				opts=$(_salesdesk_values "$help" "$long")
				if [[ -z $opts ]]; then
					[[ $meta == *FILE* || $meta == *.csv ]] && _filedir
					return
				fi ;;
			esac
			mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return
	fi
	_filedir
}
complete -F _salesdesk salesdesk order-intake dispatch-plan freight-audit salesdesk-daily
