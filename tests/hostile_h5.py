"""Result files for the reader's tests, built with h5py (Debian's /usr/bin/python3).

    /usr/bin/python3 hostile_h5.py DIR CASE...

writes DIR/CASE.h5 for each CASE. `valid` is a small result set in sirisk's layout (a
portfolio of one programme, 4 trials, a decision table), `valid_sweep` a sweep file of 3
points, and every other case one of them with one object made hostile: declared sizes the
file does not hold, several values where the layout has one, a class or rank the layout
does not have, a link that is not hard. Each is a few tens of kilobytes. `nonfinite` is a
valid file of 4,000 trials with trials left out of some metrics' statistics, `escapes` one
whose programme names hold terminal escapes. `slow` is a valid file whose 2**27 trials are
all stored (compressed chunks, each written once), so that reading it takes a while.
"""
import sys
import zlib

import h5py
import numpy as np

N = 4  # trials of the valid files
METRICS = ["savings_total", "programme_cost", "payments", "payer_net_sib",
           "payer_net_selffund", "overpayment", "investor_npv", "investor_irr",
           "investor_loss"]
UNITS = {"investor_irr": "per year (annual effective rate)", "investor_loss": "1"}
SCENARIO = "name: Hostile file   # for the reader's tests\nsimulation: {trials: 4}\n"
STR = h5py.string_dtype()          # variable-length UTF-8, as sirisk writes
CHUNK = 32768                      # values per chunk, as sirisk writes

h5py.get_config().track_order = True   # groups list links as written, as sirisk's do


def set_attr(obj, name, value, dtype=None):
    if name in obj.attrs:
        del obj.attrs[name]
    if dtype is None:
        obj.attrs[name] = value
    else:
        obj.attrs.create(name, value, dtype=dtype)


def level(g, trials=N):
    """trials/, summary/ and deterministic/ of one level, every metric."""
    t, s, d = g.create_group("trials"), g.create_group("summary"), g.create_group("deterministic")
    for k, m in enumerate(METRICS):
        x = np.arange(trials, dtype="f8") * 1e6 - 1e6 * k
        ds = t.create_dataset(m, data=x)
        set_attr(ds, "units", UNITS.get(m, "DKK (present value)"), STR)
        sm = s.create_dataset(m, data=float(x.mean()))
        set_attr(sm, "units", UNITS.get(m, "DKK (present value)"), STR)
        for stat in ["mean", "sd", "mcse", "q05", "q50", "q95", "es95"]:
            sm.attrs[stat] = float(x.mean())
        sm.attrs["n_nan"] = 0.0
        d.create_dataset(m, data=float(x.mean()))


def root(f, trials=N):
    f.attrs["sirisk_version"] = "0.1.0"
    f.attrs["format_version"] = np.int32(1)
    f.attrs["created_utc"] = "2027-01-01T00:00:00Z"
    f.attrs["seed"] = np.uint64(7)
    f.attrs["trials"] = np.uint64(trials)
    f.attrs["rng"] = "SplitMix64"
    for name in ["sirisk_version", "created_utc", "rng"]:
        set_attr(f, name, f.attrs[name], STR)
    f.create_dataset("scenario", data=SCENARIO, dtype=STR)


def valid(f):
    root(f)
    level(f)
    level(f.create_group("programmes").create_group("pilot"))


def valid_sweep(f, k=3):
    valid(f)
    sw = f.create_group("sweep")
    v = sw.create_dataset("values", data=np.arange(1, k + 1, dtype="f8") * 500)
    set_attr(v, "param", "programmes[0].cohort.size", STR)
    set_attr(v, "design", "single", STR)
    sw.create_dataset("value_text", data=[str(500 * (i + 1)) for i in range(k)], dtype=STR)
    points = sw.create_group("points")
    for i in range(k):
        points.create_group(str(i))
    table = sw.create_group("table")
    for name, heading in [("participants", "persons"), ("savings_per_participant", "sav/p")]:
        c = table.create_dataset(name, data=np.arange(k, dtype="f8"))
        set_attr(c, "units", "DKK per participant", STR)
        set_attr(c, "heading", heading, STR)


def unwritten(g, name, shape, chunks=None):
    """A chunked dataset of the given shape of which no chunk is ever written."""
    if name in g:
        del g[name]
    return g.create_dataset(name, shape=shape, dtype="f8",
                            chunks=chunks or tuple(min(n, CHUNK) for n in shape))


def trials_declared(f, n):
    """The root declares n trials, and its trials datasets as many, never written."""
    valid(f)
    set_attr(f, "trials", n, "u8")
    for m in METRICS:
        unwritten(f["trials"], m, (n,))


def sweep_rows(f, shape):
    valid_sweep(f)
    unwritten(f["sweep"], "values", shape,
              chunks=tuple(min(n, 1024) for n in shape))
    set_attr(f["sweep/values"], "param", "programmes[0].cohort.size", STR)
    for c in list(f["sweep/table"]):
        unwritten(f["sweep/table"], c, (shape[0],))


def several_strings(f, obj, name, fixed):
    """Attribute (or, with name None, the dataset obj) holding three strings."""
    texts = ["first", "second", "third" * 50]
    dtype = "S300" if fixed else STR
    if name is None:
        parent, leaf = obj.rsplit("/", 1)
        g = f[parent or "/"]
        del g[leaf]
        g.create_dataset(leaf, data=np.array(texts, dtype=dtype))
    else:
        set_attr(f[obj], name, np.array(texts, dtype=dtype))


def slow(f):
    """2**27 trials (1 GiB per metric) of 0, every chunk stored: one chunk compressed once
    and written as is, and one stored dataset that every metric links to (as a stress
    file's base links to the root's)."""
    n = 1 << 27
    root(f, n)
    level(f)
    t = f["trials"]
    for m in METRICS:
        del t[m]
    chunk = zlib.compress(np.zeros(CHUNK, dtype="f8").tobytes(), 9)
    stored = t.create_dataset("payments", shape=(n,), dtype="f8", chunks=(CHUNK,),
                              compression="gzip")
    for i in range(n // CHUNK):
        stored.id.write_direct_chunk((i * CHUNK,), chunk)
    for m in METRICS:
        if m != "payments":
            t[m] = stored


def nonfinite(f):
    """4,000 trials; some metrics' statistics leave out NaN or infinite trials."""
    root(f, 4000)
    level(f, 4000)
    level(f.create_group("programmes").create_group("pilot"), 4000)
    f["summary/savings_total"].attrs["n_infinite"] = 19.0
    f["summary/investor_irr"].attrs["n_nan"] = 1120.0
    f["summary/investor_loss"].attrs["n_infinite"] = np.uint64(1)   # a count may be an integer


def escapes(f):
    """Two programmes whose names would clear the screen and reverse the text."""
    root(f)
    level(f)
    p = f.create_group("programmes")
    level(p.create_group("pilot\x1b[2J"))
    level(p.create_group("east\u202e"))


def replace(g, name, **dataset):
    del g[name]
    g.create_dataset(name, **dataset)


def hostile(base, change):
    """A case: the valid file (or sweep file) base with one change."""
    def build(f):
        base(f)
        change(f)
    return build


CASES = {
    "valid": valid,
    "valid_sweep": valid_sweep,
    "slow": slow,
    "nonfinite": nonfinite,
    "escapes": escapes,
    # a numeric attribute holding several elements
    "multi_format_version": hostile(valid, lambda f: set_attr(f, "format_version", [1, 1, 1],
                                                              "i4")),
    "multi_trials": hostile(valid, lambda f: set_attr(f, "trials", [4, 4], "u8")),
    "multi_seed": hostile(valid, lambda f: set_attr(f, "seed", [7, 7, 7], "u8")),
    "multi_mean": hostile(valid, lambda f: set_attr(f["summary/savings_total"], "mean",
                                                    [1.0, 2.0, 3.0])),
    "multi_n_nan": hostile(valid, lambda f: set_attr(f["summary/investor_irr"], "n_nan",
                                                     [1.0, 2.0])),
    # several strings where the layout has one, variable- and fixed-length
    "vlen_units": hostile(valid, lambda f: several_strings(f, "summary/savings_total", "units",
                                                           False)),
    "fixed_units": hostile(valid, lambda f: several_strings(f, "summary/savings_total", "units",
                                                            True)),
    "vlen_version": hostile(valid, lambda f: several_strings(f, "/", "sirisk_version", False)),
    "fixed_version": hostile(valid, lambda f: several_strings(f, "/", "sirisk_version", True)),
    "vlen_scenario": hostile(valid, lambda f: several_strings(f, "/scenario", None, False)),
    "fixed_scenario": hostile(valid, lambda f: several_strings(f, "/scenario", None, True)),
    "vlen_design": hostile(valid_sweep, lambda f: several_strings(f, "sweep/values", "design",
                                                                  False)),
    "fixed_design": hostile(valid_sweep, lambda f: several_strings(f, "sweep/values", "design",
                                                                   True)),
    "vlen_heading": hostile(valid_sweep, lambda f: several_strings(
        f, "sweep/table/participants", "heading", False)),
    "fixed_heading": hostile(valid_sweep, lambda f: several_strings(
        f, "sweep/table/participants", "heading", True)),
    # declared sizes the file does not hold
    "trials_2p61": lambda f: trials_declared(f, 1 << 61),
    "trials_2p28_unwritten": lambda f: trials_declared(f, 1 << 28),
    "sweep_1e9_rows": lambda f: sweep_rows(f, (10**9,)),
    "sweep_2p33_by_2p31": lambda f: sweep_rows(f, (1 << 33, 1 << 31)),
    # a class or rank the layout does not have
    "string_format_version": hostile(valid, lambda f: set_attr(f, "format_version", "1", STR)),
    "string_trials": hostile(valid, lambda f: set_attr(f, "trials", "4", STR)),
    "string_mean": hostile(valid, lambda f: set_attr(f["summary/payments"], "mean", "a lot",
                                                     STR)),
    "number_units": hostile(valid, lambda f: set_attr(f["summary/payments"], "units", 5.0)),
    "rank2_trials": hostile(valid, lambda f: replace(f["trials"], "payments",
                                                     data=np.zeros((N, 2)))),
    "rank1_deterministic": hostile(valid, lambda f: replace(f["deterministic"], "payments",
                                                            data=[1.0, 2.0, 3.0])),
    "rank2_table_column": hostile(valid_sweep, lambda f: replace(
        f["sweep/table"], "participants", data=np.zeros((3, 2)))),
    "string_sweep_values": hostile(valid_sweep, lambda f: replace(
        f["sweep"], "values", data=["a", "b", "c"], dtype=STR)),
    "n_nan_over_trials": hostile(valid, lambda f: set_attr(f["summary/investor_irr"], "n_nan",
                                                           9.0)),
    # links that are not hard: another file's objects, or a cycle
    "external_link": hostile(valid, lambda f: (f.__delitem__("summary"), f.__setitem__(
        "summary", h5py.ExternalLink("elsewhere.h5", "/summary")))),
    "soft_link": hostile(valid, lambda f: f["programmes"].__setitem__("again",
                                                                      h5py.SoftLink("/"))),
}


def main():
    directory = sys.argv[1]
    for case in sys.argv[2:]:
        with h5py.File(f"{directory}/{case}.h5", "w") as f:
            CASES[case](f)


if __name__ == "__main__":
    main()
