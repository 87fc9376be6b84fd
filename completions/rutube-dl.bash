# bash completion for rutube-dl                                     -*- shell-script -*-
# Installed as bash-completion's completions/rutube-dl; works without bash-completion too
# (source it). tests/docs/check-options.sh keeps its options equal to `rutube-dl --help`.

_rutube_dl()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    # The value of the option before the cursor.
    case $prev in
    -q | --quality)
        COMPREPLY=($(compgen -W 'best worst ask 1080 720 480 360 240 144' -- "$cur"))
        return
        ;;
    --container)
        COMPREPLY=($(compgen -W 'mp4 mkv ts m4a mp3 opus flac' -- "$cur"))
        return
        ;;
    --audio-format)
        COMPREPLY=($(compgen -W 'm4a mp3 opus flac' -- "$cur"))
        return
        ;;
    --prefer-codec)
        COMPREPLY=($(compgen -W 'h264 hevc av1' -- "$cur"))
        return
        ;;
    --print)
        # A comma list: complete the field after the last comma.
        local done=${cur%"${cur##*,}"}
        COMPREPLY=($(compgen -P "$done" -W 'id url title duration author' -- "${cur##*,}"))
        compopt -o nospace 2>/dev/null
        return
        ;;
    -o | --output-dir)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    -a | --batch-file | -f | --download-archive | --config-location)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    -O | --output | -d | --delimiter | -J | --jobs | --playlist-items | --match-title | \
        --max-downloads | --sub-langs | -j | --concurrent-fragments | --retries | --timeout | \
        -r | --limit-rate | --live-duration | --wait-for-video | --user-agent | --proxy | --api-proxy | --api-base | --download-sections)
        return # a value of the user's own
        ;;
    esac

    if [[ $cur == -* ]]; then
        local options='
            --quality --prefer-codec --list-formats --list-subs
            --batch-file --delimiter --jobs --playlist-items --match-title --max-downloads
            --download-archive --flat --print --abort-on-error
            --output-dir --output --restrict-filenames --container --extract-audio
            --audio-format --download-sections --embed-thumbnail --no-embed-thumbnail
            --write-thumbnail --embed-subs --embed-chapters --no-embed-chapters --split-chapters --live-duration --live-from-start
            --wait-for-video --write-subs
            --sub-langs --write-info-json --force
            --no-continue --quiet --verbose
            --concurrent-fragments --retries --timeout --limit-rate --user-agent --proxy
            --api-proxy --api-base --insecure
            --ignore-config --config-location
            --help --version
            -q -F -a -f -d -J -o -O -x -v -j -r -h -V'
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi
    # Addresses are typed or pasted; files are the likeliest thing to complete otherwise.
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
} &&
    complete -F _rutube_dl rutube-dl
