#!/usr/bin/env python3
"""How long rutube-dl takes from its start to its first segment request, on the fake RuTube.

usage: bench/first-segment.py RUTUBE_DL FAKE_RUTUBE MEDIA_DIR RUNS [fake switches...]
e.g.   bench/first-segment.py build/cli/rutube-dl build/tests/fake-rutube/fake-rutube \\
           /tmp/rtdl-bench-media 5 --latency 50 --rate 4000000 --segments 160

Every run starts a fresh fake. The fake's --log stamps each request with its arrival on the
monotonic clock, counted from the fake's own start; one marker request sent just before
rutube-dl starts ties that count to this script's clock. Prints each run and the medians:
start to first segment request, play options request to first segment request, and how far
apart the play options and video info requests arrived (0 when they go at once).
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

VIDEO = "2ce725b3dc1a243f8456458975ecd872"  # the fake catalog's main video


def arrival(lines, needle):
    times = [int(f[-1]) for f in lines if needle in f[2]]
    return min(times) if times else None


def one_run(rtdl, fake, media, switches):
    work = tempfile.mkdtemp(prefix="rtdl-first-segment.")
    try:
        server = subprocess.Popen(
            [fake, "--media", media, "--port-file", work + "/port", "--log", work + "/log"]
            + switches, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not (os.path.exists(work + "/port") and open(work + "/port").read().strip()):
                if server.poll() is not None:
                    sys.exit("the fake did not start")
                time.sleep(0.02)
            api = open(work + "/port").read().split()[0]
            marker_sent = time.monotonic()
            try:
                urllib.request.urlopen(api + "/marker", timeout=30).read()
            except OSError:
                pass  # a 404 is expected: only its arrival time counts
            started = time.monotonic()
            done = subprocess.run(
                [rtdl, "--ignore-config", "--api-base", api, "-q", "best", "--container", "ts",
                 "-o", work + "/out", VIDEO],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finally:
            server.terminate()
            server.wait()
        lines = [line.rstrip("\n").split("\t") for line in open(work + "/log")]
        offset = marker_sent * 1000 - arrival(lines, "/marker")
        options = arrival(lines, "/api/play/options/")
        info = arrival(lines, "/api/video/")
        segment = arrival(lines, "/segment-")
        return (offset + segment - started * 1000, segment - options,
                None if info is None else abs(info - options), done.returncode)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    rtdl, fake, media, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    results = [one_run(rtdl, fake, media, sys.argv[5:]) for _ in range(runs)]
    for r in results:
        print("start -> first segment %4.0f ms; options -> first segment %4d ms; "
              "options ~ info %s ms; exit %d" % r)
    print("median: start -> first segment %.0f ms, options -> first segment %.0f ms "
          "(%d runs; load average %s)" % (
              statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
              runs, " ".join(open("/proc/loadavg").read().split()[:3])))


main()
