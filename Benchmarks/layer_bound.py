#!/usr/bin/env python3
"""Per-layer bound of a pipelined fetch on two cores, from each layer's stages.

Usage: layer_bound.py LAYOUT WORKDIR [--runs N] [--url BASE]

LAYOUT is an OCI layout with one image; WORKDIR a scratch directory on the
filesystem the rootfs goes to (a tmpfs in run.sh). For each layer it measures
the CPU time (user + sys, median of N runs) of: inflating the blob
(igzip -dc, or zstd -dc), `tar -xf` of the decompressed layer into a rootfs
that already holds the layers before it, `openssl dgst -sha256` of the blob,
and with --url (BASE/<digest> is the blob, e.g.
http://127.0.0.1:5000/v2/bench/large/blobs) its `curl` download. Then:

  bound_i = max(inflate_i, tar_i, (inflate_i + tar_i + sha_i + curl_i) / 2)

Inflating one gzip layer is serial, and a layer's files cannot be written
before its bytes are inflated, so a layer cannot take less than its inflate
nor less than its writing; with two cores, nor less than half its stages.
Σ bound_i is what an extraction that overlaps stages only within a layer
can reach; a pipeline that also overlaps neighbouring layers (read-ahead)
can go somewhat below it, down to Σ-stages/2.
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess


def cpu_of(command, runs, before=None):
    """Median user+sys CPU seconds of `command` (a shell string) over runs."""
    samples = []
    for _ in range(runs):
        if before:
            before()
        start = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(["bash", "-c", command], check=True, stdout=subprocess.DEVNULL)
        end = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append(end.ru_utime - start.ru_utime + end.ru_stime - start.ru_stime)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("layout")
    parser.add_argument("work")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url")
    args = parser.parse_args()
    layout, work, runs, url = args.layout, args.work, args.runs, args.url
    index = json.load(open(os.path.join(layout, "index.json")))
    manifest_digest = index["manifests"][0]["digest"].split(":", 1)[1]
    manifest = json.load(open(os.path.join(layout, "blobs", "sha256", manifest_digest)))
    rootfs = os.path.join(work, "rootfs")
    tars = os.path.join(work, "tars")
    shutil.rmtree(rootfs, ignore_errors=True)
    os.makedirs(tars, exist_ok=True)
    print("| layer | MB | inflate s | tar -x s | sha256 s | curl s | bound s | bound is |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    totals = {"inflate": 0.0, "tar": 0.0, "sha": 0.0, "curl": 0.0, "bound": 0.0}
    for number, layer in enumerate(manifest["layers"], 1):
        digest = layer["digest"]
        blob = os.path.join(layout, "blobs", "sha256", digest.split(":", 1)[1])
        inflate = "zstd -q -dc" if "zstd" in layer["mediaType"] else ("igzip -dc" if shutil.which("igzip") else "gzip -dc")
        tar = os.path.join(tars, f"{number}.tar")
        subprocess.run(f"{inflate} {blob} > {tar}", shell=True, check=True)
        stages = {"inflate": cpu_of(f"{inflate} {blob} >/dev/null", runs), "sha": cpu_of(f"openssl dgst -sha256 {blob}", runs)}
        stages["curl"] = cpu_of(f"curl -sS --fail -o /dev/null {url}/{digest}", runs) if url else 0.0

        # The layer goes over the rootfs of the layers before it: with one run
        # in place, with more over a fresh copy each time (twice the space).
        base = rootfs + ".base"

        def fresh():
            if runs == 1:
                os.makedirs(rootfs, exist_ok=True)
            else:
                shutil.rmtree(rootfs, ignore_errors=True)
                if os.path.isdir(base):
                    subprocess.run(["cp", "-a", base, rootfs], check=True)
                else:
                    os.makedirs(rootfs)
            subprocess.run(["sync"], check=True)

        stages["tar"] = cpu_of(f"tar -xf {tar} -C {rootfs}", runs, before=fresh)
        if runs > 1:
            shutil.rmtree(base, ignore_errors=True)
            os.rename(rootfs, base)
        os.remove(tar)
        limits = {"inflate": stages["inflate"], "tar -x": stages["tar"], "Σ/2": sum(stages.values()) / 2}
        which = max(limits, key=limits.get)
        bound = limits[which]
        for key in stages:
            totals[key] += stages[key]
        totals["bound"] += bound
        print(f"| {number} | {layer['size'] / 1e6:.0f} | {stages['inflate']:.2f} | {stages['tar']:.2f} | {stages['sha']:.2f} "
              f"| {stages['curl']:.2f} | {bound:.2f} | {which} |")
    whole = (totals["inflate"] + totals["tar"] + totals["sha"] + totals["curl"]) / 2
    print(f"| all | | {totals['inflate']:.2f} | {totals['tar']:.2f} | {totals['sha']:.2f} | {totals['curl']:.2f} "
          f"| {totals['bound']:.2f} | Σ per-layer bounds (Σ-stages/2: {whole:.2f}) |")
    shutil.rmtree(rootfs, ignore_errors=True)
    shutil.rmtree(rootfs + ".base", ignore_errors=True)


if __name__ == "__main__":
    main()
