# zsh-complete.zsh FOLDER LINE: the candidates zsh's completion system offers at the end of
# LINE, one a line, with the completion functions of FOLDER first in $fpath.
# A completion function runs only inside zle, so this drives an interactive zsh on a
# pseudo-terminal (zsh/zpty), types LINE and Tab, and has compadd report what it is given.
zmodload zsh/zpty || exit 1
folder=$1 line=$2
zpty shell zsh -f -i
zpty -w shell "PS1='' RPS1=''; unsetopt zle_bracketed_paste 2>/dev/null"
zpty -w shell "fpath=(${(q)folder} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w shell 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a hits; builtin compadd -A hits "$@"
  (( $#hits )) && print -rl -- "<hit>"${^hits} >&2
  builtin compadd -Q -- ""
}'
zpty -w shell "exec 2>/dev/tty; print '<ready>'"
zpty -r shell ready '*<ready>*' || exit 1
zpty -n -w shell "$line"$'\t'
# Read until the candidates have come and the output has been quiet for a while (10 s at most).
local out all=''
integer quiet=0 rounds=0
while (( quiet < 3 && rounds++ < 100 )); do
  sleep 0.1
  if zpty -r -t shell out; then
    all+=$out
    quiet=0
    while zpty -r -t shell out; do all+=$out; done
  elif [[ $all == *'<hit>'* ]]; then
    (( quiet++ ))
  fi
done
zpty -d shell
print -r -- "$all" | grep -ao '<hit>[^[:cntrl:]]*' | sed 's/^<hit>//'
