# Where one tool run's wall time went, from the fake's --timing file (one line per answered
# request: role, method, path?query, range, status, arrived, answered, done, bytes, end; the
# times wall-clock seconds, comparable with the harness's `date +%s.%N`). Sourced by run.sh.
#
# profile_run TIMING T0 T1 -> one tab-separated line:
#   startup  start (T0) -> first request on the API listener ("-" when the tool made none:
#            aria2c and curl are handed the segment list)
#   setup    first API request -> first segment request
#   transfer first segment request -> last segment body done
#   tail     the time the last 10% of the body bytes took
#   tail_avg bodies in flight over that tail, time-weighted mean
#   tail_max the most bodies in flight at once over it
#   finish   last segment body done -> exit (T1): remux, fsync, rename
#   api_conc the most API answers under way at once (play options and video info together
#            show as 2)
#   ranged   segment requests for a part of a body (a Range other than "bytes=0-", which
#            ffmpeg sends for every whole one): the tail split into byte ranges
#   xfer_avg bodies in flight over the whole transfer, time-weighted mean (16 for a client
#            that keeps -j 16 busy from the first segment request to the last byte)
# Only requests that arrived after T0 count (the harness's own set-up requests come before).
# A body counts as in flight from its answer (after --latency) to its end; its bytes are
# spread evenly over that span, which is how --rate sends them. "-" for what the file cannot
# tell (no segment body at all).
profile_run() { # TIMING T0 T1
    [ -s "$1" ] || { printf -- '-\t-\t-\t-\t-\t-\t-\t-\t-\t-\n'; return; }
    awk -F'\t' -v t0="$2" -v t1="$3" '
        function min(a, b) { return a < b ? a : b }
        # The harness'"'"'s own set-up requests (before T0) are not the tool'"'"'s.
        $6 < t0 { next }
        {
            path = $3; sub(/\?.*/, "", path)
            if ($1 == "api") {
                if (fa == "" || $6 < fa) fa = $6
                na++; as[na] = $6; ae[na] = $8
            }
            if (path !~ /\/(segment-[0-9]+-v1-a1\.(ts|m4s)|init-v1-a1\.mp4)$/) next
            if (fs == "" || $6 < fs) fs = $6
            if ($4 != "-" && $4 != "bytes=0-") ranged++
            if ($9 > 0 && ($5 == 200 || $5 == 206)) {
                nb++; bs[nb] = $7; be[nb] = $8; bb[nb] = $9; total += $9
                if (ld == "" || $8 > ld) ld = $8
            }
        }
        END {
            # The most API answers under way at once: a sweep over their starts and ends.
            apic = 0
            for (i = 1; i <= na; i++) {
                c = 0
                for (k = 1; k <= na; k++) if (as[k] <= as[i] && ae[k] > as[i]) c++
                if (c > apic) apic = c
            }
            if (!nb) { printf "%s\t-\t-\t-\t-\t-\t-\t%d\t%d\t-\n", fa == "" ? "-" : fa - t0, apic, ranged; exit }
            # 1 ms bins from the first segment request to the last body byte.
            nbin = int((ld - fs) * 1000) + 1
            for (i = 1; i <= nb; i++) {
                i0 = int((bs[i] - fs) * 1000); i1 = int((be[i] - fs) * 1000)
                if (i0 < 0) i0 = 0
                if (i1 >= nbin) i1 = nbin - 1
                per = bb[i] / (i1 - i0 + 1)
                for (k = i0; k <= i1; k++) { got[k] += per; inflight[k]++ }
            }
            all = 0
            for (k = 0; k < nbin; k++) all += inflight[k]
            for (k = 0; k < nbin; k++) { cum += got[k]; if (cum >= 0.9 * total) break }
            t90 = k
            sum = 0; mx = 0
            for (k = t90; k < nbin; k++) { sum += inflight[k]; if (inflight[k] > mx) mx = inflight[k] }
            printf "%s\t%s\t%.3f\t%.3f\t%.1f\t%d\t%.3f\t%d\t%d\t%.1f\n",
                fa == "" ? "-" : sprintf("%.3f", fa - t0), fa == "" ? "-" : sprintf("%.3f", fs - fa),
                ld - fs, (nbin - t90) / 1000, sum / (nbin - t90), mx, t1 - ld, apic, ranged,
                all / nbin
        }' "$1"
}
