"""Copies a sirisk result set into a much smaller one that is still a valid result set:
every group, attribute and non-metric dataset is kept (in creation order, hard links kept
as hard links), but the metric groups (trials, summary, annual, deterministic) keep only
the metrics named, and a level's other groups only those named. Used by make_corpus.sh:
the fuzzer's seeds must be a few KB, and a full result set of even a tiny scenario is
hundreds of KB (one object header per metric, per level).

usage: prune_resultset.py SOURCE.h5 TARGET.h5 --metrics M,M,... [--drop NAME,...]
  --drop: names of links left out wherever they appear (e.g. programmes, macro).
"""
import argparse

import h5py

METRIC_GROUPS = {"trials", "summary", "annual", "yearly", "yearly_pv", "deterministic",
                 "parameters"}


def copy_attrs(src, dst):
    for name in src.attrs:
        # attrs.create keeps the stored type and shape (variable-length strings stay so)
        dst.attrs.create(name, src.attrs[name], dtype=src.attrs.get_id(name).dtype)


def links_in_order(group):
    """Link names in creation order where the group tracks it (h5py iterates so), else by
    name."""
    return list(group)


def prune(src_group, dst_group, metrics, drop, seen, in_metric_group):
    copy_attrs(src_group, dst_group)
    for name in links_in_order(src_group):
        if name in drop:
            continue
        obj = src_group[name]
        if in_metric_group and name not in metrics:
            continue
        addr = h5py.h5o.get_info(obj.id).addr
        if addr in seen:                      # a hard link to an object already copied
            dst_group[name] = dst_group.file[seen[addr]]
            continue
        if isinstance(obj, h5py.Group):
            child = dst_group.create_group(name, track_order=True)
            seen[addr] = child.name
            prune(obj, child, metrics, drop, seen, name in METRIC_GROUPS)
        else:
            src_group.copy(obj, dst_group, name=name)
            seen[addr] = dst_group[name].name


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("target")
    ap.add_argument("--metrics", required=True)
    ap.add_argument("--drop", default="")
    a = ap.parse_args()
    metrics = set(a.metrics.split(","))
    drop = set(x for x in a.drop.split(",") if x)
    with h5py.File(a.source, "r") as src, h5py.File(a.target, "w", track_order=True) as dst:
        prune(src, dst, metrics, drop, {}, False)


if __name__ == "__main__":
    main()
