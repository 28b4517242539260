#!/usr/bin/env python3
"""Per-thread CPU time of one run, by thread name (what each pipeline stage
costs, and how much of the wall time each thread was off the CPU).

Usage: thread_cpu.py [--stdin FILE] -- CMD ARGS...

Samples /proc/PID/task/*/stat every 10 ms while CMD runs and keeps each
thread's last user and system time (a thread's figures are lost only for its
last < 10 ms). Threads of one name (the prefetch threads, one per blob) are
summed. Prints one line per name: threads, user s, system s, on-CPU share of
the run's wall time.
"""
import collections
import os
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    stdin = subprocess.DEVNULL
    if args[:1] == ["--stdin"]:
        stdin = open(args[1], "rb")
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    ticks = os.sysconf("SC_CLK_TCK")
    start = time.monotonic()
    process = subprocess.Popen(args, stdin=stdin, stdout=subprocess.DEVNULL)
    last = {}
    while process.poll() is None:
        try:
            for tid in os.listdir(f"/proc/{process.pid}/task"):
                try:
                    with open(f"/proc/{process.pid}/task/{tid}/stat") as f:
                        text = f.read()
                except OSError:
                    continue
                name = text[text.index("(") + 1:text.rindex(")")]
                fields = text[text.rindex(")") + 2:].split()
                last[tid] = (name, int(fields[11]), int(fields[12]))
        except OSError:
            pass
        time.sleep(0.01)
    wall = time.monotonic() - start
    total = collections.defaultdict(lambda: [0, 0, 0])
    for name, user, system in last.values():
        entry = total[name]
        entry[0] += 1
        entry[1] += user
        entry[2] += system
    print(f"wall {wall:.2f} s, exit status {process.returncode}")
    print(f"{'thread':<18} {'count':>5} {'user s':>8} {'sys s':>8} {'on-CPU':>7}")
    for name, (count, user, system) in sorted(total.items(), key=lambda item: -(item[1][1] + item[1][2])):
        busy = (user + system) / ticks
        print(f"{name:<18} {count:>5} {user / ticks:>8.2f} {system / ticks:>8.2f} {100 * busy / wall:>6.0f}%")


if __name__ == "__main__":
    main()
