#!/usr/bin/env python3
"""Runs a benchmark command only on a quiet machine and says how quiet it stayed.

usage: run_quiet.py [--idle 0.92] [--max-wait 1800] -- COMMAND ...
Waits until the CPUs have been at least --idle idle over 4 s, runs COMMAND (its output passes
through), then prints how many CPU-seconds other processes used during the run: the busy time in
/proc/stat over the run minus the command's own user + system time (children included). A run
counts when that is under 5 % of one core (BENCHMARKS.md). Linux only; standard library only."""
import os, resource, subprocess, sys, time


def cpu_times():
    """(busy, total) clock ticks of all CPUs, from /proc/stat."""
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def main():
    args = sys.argv[1:]
    idle_needed, max_wait = 0.92, 1800.0
    while args and args[0] != "--":
        flag, value = args[0], float(args[1])
        if flag == "--idle": idle_needed = value
        elif flag == "--max-wait": max_wait = value
        else: sys.exit(f"unknown option {flag}")
        args = args[2:]
    command = args[1:]
    if not command: sys.exit(__doc__)
    tick = os.sysconf("SC_CLK_TCK")
    waited = 0.0
    while True:
        busy0, total0 = cpu_times()
        time.sleep(4)
        busy1, total1 = cpu_times()
        idle = 1 - (busy1 - busy0) / max(total1 - total0, 1)
        if idle >= idle_needed: break
        waited += 4
        if waited > max_wait: sys.exit(f"the machine did not get quiet within {max_wait:.0f} s (idle {idle:.0%})")
    load = open("/proc/loadavg").read().split()[0]
    print(f"# quiet: {idle:.1%} idle over 4 s, load average {load}, waited {waited:.0f} s", flush=True)
    busy_start, _ = cpu_times()
    start = time.time()
    status = subprocess.call(command)
    elapsed = time.time() - start
    busy_end, _ = cpu_times()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    others = (busy_end - busy_start) / tick - (usage.ru_utime + usage.ru_stime)
    verdict = "counts" if others < 0.05 * elapsed else "DISTURBED: repeat it"
    print(f"# wall {elapsed:.1f} s, other processes {max(others, 0):.2f} CPU-s ({verdict})", flush=True)
    sys.exit(status)


main()
