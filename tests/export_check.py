"""`sirisk export` read back: the workbook with openpyxl, the CSV files with Python's csv
module, every number compared with what the result file holds (h5py), for a run, a stress
and a sweep result set; a scenario name and a programme name that a spreadsheet would take
for formulas; the Danish dialect; refusals.

Usage: export_check.py SIRISK_BINARY SOURCE_DIR"""
import csv
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import openpyxl

BINARY, SOURCE = sys.argv[1:3]
STATS = ["mean", "sd", "mcse", "min", "q01", "q05", "q10", "q25", "q50", "q75", "q90", "q95",
         "q99", "max", "es95", "es99", "es95_upper", "es99_upper", "p_negative", "n_nan",
         "n_infinite"]
# the English headings of the level tables' statistics (sim/cli/words.c), by attribute
HEADINGS = {
    "mean": "mean", "sd": "standard deviation", "mcse": "Monte Carlo error of the mean",
    "min": "minimum", "max": "maximum", "q01": "1% quantile", "q05": "5% quantile",
    "q10": "10% quantile", "q25": "25% quantile", "q50": "median", "q75": "75% quantile",
    "q90": "90% quantile", "q95": "95% quantile", "q99": "99% quantile",
    "es95": "mean of the worst 5%", "es99": "mean of the worst 1%",
    "es95_upper": "mean of the top 5%", "es99_upper": "mean of the top 1%",
    "p_negative": "share of trials below 0", "n_nan": "trials without a value",
    "n_infinite": "trials with an infinite value", "deterministic": "deterministic (spreadsheet)",
}
BY_HEADING = {v: k for k, v in HEADINGS.items()}


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


# How far a number of the export may be from the file's: 0 in CSV files (written to read
# back as the same double); libxlsxwriter writes 16 significant digits, so a workbook's
# number is the file's to within 1e-15 of it (Excel shows 15).
TOLERANCE = {"csv": 0.0, "xlsx": 1e-15}
tolerance = 0.0


def same(got, want, what):
    """A number of the export equals the file's, NaN as an empty cell."""
    if want is None or (isinstance(want, float) and math.isnan(want)):
        assert got is None, "%s: expected an empty cell, got %r" % (what, got)
        return 1
    assert got is not None and abs(float(got) - float(want)) <= tolerance * abs(float(want)), \
        "%s: %r != %r" % (what, got, want)
    return 1


def heading_id(h):
    """A heading less its units: "share of trials below 0 [1 (share of trials)]"."""
    return re.sub(r" \[.*\]$", "", h)


def sheet_rows(ws):
    rows = ws if isinstance(ws, list) else list(ws.iter_rows(values_only=True))
    return [heading_id(h) for h in rows[0]], rows[1:]


def check_level_sheet(ws, f, with_level):
    heads, rows = sheet_rows(ws)
    n = 0
    for row in rows:
        r = dict(zip(heads, row))
        level = "" if not with_level else "/programmes/" + r["programme"]
        metric = r["metric (name in the file)"]
        attrs = f[level + "/summary/" + metric].attrs
        assert r["units"] == attrs["units"]
        for h, v in r.items():
            if h in BY_HEADING and BY_HEADING[h] in STATS:
                n += same(v, float(attrs[BY_HEADING[h]]), "%s %s %s" % (level, metric, h))
        n += same(r["deterministic (spreadsheet)"], float(f[level + "/deterministic/" + metric][()]),
                  metric + " deterministic")
    expected = sum(len(f[("" if not with_level else "/programmes/" + p) + "/summary"])
                   for p in (f["programmes"] if with_level else [""]))
    assert len(rows) == expected, (len(rows), expected)
    return n


def term(f, text):
    """The value of one term of the report's and tests' expressions (sim/cli/sheets.h)."""
    path, _, attr = text.partition("#")
    return float(f[path].attrs[attr]) if attr else float(f[path][()])


def check_figures(ws, f, figures):
    """A figure | units | value sheet: each label's value, computed from the file."""
    heads, rows = sheet_rows(ws)
    n = 0
    seen = set()
    for row in rows:
        r = dict(zip(heads, row))
        want = figures[r["figure"]](f)
        n += same(r["value"], want, r["figure"])
        seen.add(r["figure"])
    assert seen == set(figures) or seen <= set(figures), seen
    return n


def share_positive(path):
    return lambda f: np.count_nonzero(f[path][:] > 0) / len(f[path])


def unfounded(f):
    net, pay = f["trials/municipality_net_sib"][:], f["trials/payments"][:]
    return np.count_nonzero((pay > 0) & (net + pay <= 0)) / len(net)


RISK = {
    "Price of transferring the risk: expected payments \u2212 expected programme cost":
        lambda f: term(f, "/summary/payments#mean") - term(f, "/summary/programme_cost#mean"),
    "Expected overpayment (deadweight, measurement noise)":
        lambda f: term(f, "/summary/overpayment#mean"),
    "Share of trials that pay while the payer's savings are 0 or less": unfounded,
}
INVESTORS = {
    "Probability that investors lose money": lambda f: term(f, "/summary/investor_loss#mean"),
    "IRR, median": lambda f: term(f, "/summary/investor_irr#q50"),
    "IRR, 5% quantile": lambda f: term(f, "/summary/investor_irr#q05"),
    "IRR, mean of the trials with an IRR": lambda f: term(f, "/summary/investor_irr#mean"),
    "Trials without an IRR": lambda f: term(f, "/summary/investor_irr#n_nan"),
    "Multiple of money, median": lambda f: term(f, "/summary/investor_moic#q50"),
    "Multiple of money, 5% quantile": lambda f: term(f, "/summary/investor_moic#q05"),
    "NPV at the investors' rate, mean": lambda f: term(f, "/summary/investor_npv#mean"),
    "NPV at the investors' rate, mean of the worst 5%":
        lambda f: term(f, "/summary/investor_npv#es95"),
    "Paid by the first-loss guarantor, mean": lambda f: term(f, "/summary/guarantor_paid#mean"),
    "Share of trials in which the guarantor pays": share_positive("/trials/guarantor_paid"),
    "Passed to reinvestment by the surplus cap, mean": lambda f: term(f, "/summary/reinvested#mean"),
    "Share of trials in which the surplus cap binds": share_positive("/trials/reinvested"),
}
DECISION = {"Fund it itself: savings \u2212 programme cost": "municipality_net_selffund",
            "Pay by results: savings \u2212 payments": "municipality_net_sib"}


def check_decision(ws, f):
    heads, rows = sheet_rows(ws)
    n = 0
    for row in rows:
        r = dict(zip(heads, row))
        metric = DECISION[r["figure"]]
        attrs = f["summary/" + metric].attrs
        for h in ("mean", "5% quantile", "mean of the worst 5%", "share of trials below 0"):
            n += same(r[h], float(attrs[BY_HEADING[h]]), metric + " " + h)
        n += same(r["deterministic (spreadsheet)"], float(f["deterministic/" + metric][()]), metric)
    assert len(rows) == 2
    return n


def check_budget(ws, f):
    heads, rows = sheet_rows(ws)
    n = 0
    for row in rows:
        r = dict(zip(heads, row))
        level = "" if r["programme"] == "portfolio" else "/programmes/" + r["programme"]
        d = f[level + "/annual/" + r["metric (name in the file)"]]
        y = int(r["year"]) - int(d.attrs["first_year"])
        for j, q in enumerate(d.attrs["quantiles"]):
            head = "median" if q == 0.5 else "%d%% quantile" % round(100 * q)
            n += same(r[head], float(d[y, j]), "%s %s %s" % (level, d.name, head))
    return n


def check_stresses(ws, f):
    heads, rows = sheet_rows(ws)
    n = 0
    for row in rows:
        r = dict(zip(heads, row))
        s, base = f["stress/" + r["stress"] + "/summary/" + r["metric (name in the file)"]], \
            f["stress/base/summary/" + r["metric (name in the file)"]]
        n += same(r["mean"], float(s.attrs["mean"]), "stress mean")
        n += same(r["5% quantile"], float(s.attrs["q05"]), "stress q05")
        n += same(r["change in the mean"], s.attrs["mean"] - base.attrs["mean"], "change")
        n += same(r["change in the 5% quantile"], s.attrs["q05"] - base.attrs["q05"], "change")
    return n


def check_sweep(ws, f):
    rows = ws if isinstance(ws, list) else list(ws.iter_rows(values_only=True))
    table = list(f["sweep/table"])           # creation order: the sheet's order of columns
    values = f["sweep/values"][:]
    keys = 1 if values.ndim == 1 else values.shape[1]
    n = 0
    for i, row in enumerate(rows[1:]):
        assert float(row[0]) == i
        for j in range(keys):
            text = (f["sweep/value_text"][i] if keys == 1 else f["sweep/value_text"][i, j]).decode()
            assert str(row[1 + 2 * j]) == text or float(row[1 + 2 * j]) == float(text), (row, text)
            n += same(row[2 + 2 * j], values[i] if keys == 1 else values[i, j], "swept value")
        for c, name in enumerate(table):
            n += same(row[1 + 2 * keys + c], float(f["sweep/table/" + name][i]), name)
    assert len(rows) - 1 == len(values)
    return n


def check_tables(tables, h5, kind):
    """Every number of the export's tables (name: rows, the first the headings) against the
    file."""
    n = 0
    with h5py.File(h5, "r") as f:
        if kind == "sweep":
            assert sorted(tables) == ["provenance", "sweep"], sorted(tables)
            n += check_sweep(tables["sweep"], f)
        else:
            n += check_level_sheet(tables["summary"], f, False)
            n += check_level_sheet(tables["programmes"], f, True)
            n += check_decision(tables["decision"], f)
            n += check_figures(tables["risk_transfer"], f, RISK)
            n += check_figures(tables["investors"], f, INVESTORS)
            n += check_budget(tables["budget_years"], f)
            if kind == "stress":
                n += check_stresses(tables["stresses"], f)
        prov = dict(tables["provenance"][1:])
        assert float(prov["trials"]) == f.attrs["trials"]
        seed = prov["seed of the random numbers"]   # text (a CSV reader may take it for a number)
        assert (seed if isinstance(seed, str) else "%d" % seed) == str(f.attrs["seed"])
        assert prov["SHA-256 of the scenario text"] == f.attrs["scenario_sha256"]
    return n


def read_workbook(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:   # every number is a number, never text or a formula
        for row in ws.iter_rows(min_row=2):
            for c in row:
                assert c.data_type in ("n", "s") or c.value is None, (ws.title, c.data_type)
    return wb.sheetnames, {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


NUMBER = re.compile(r"-?\d+(\.\d+)?(e[+-]\d+)?|nan|-?inf")


def read_csv(path, danish):
    """The rows of a CSV file: numbers as floats, empty fields as None. RFC 4180: CRLF after
    every record; the Danish dialect: a byte order mark, ';' and a decimal comma."""
    with open(path, newline="", encoding="utf-8") as fh:
        raw = fh.read()
    assert raw.startswith("\ufeff") == danish
    assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
    rows = list(csv.reader(raw.lstrip("\ufeff").splitlines(), delimiter=";" if danish else ","))
    out = [rows[0]]
    for row in rows[1:]:
        cells = []
        for cell in row:
            plain = cell.replace(",", ".") if danish else cell
            if cell == "":
                cells.append(None)
            elif NUMBER.fullmatch(plain) and not (danish and "." in cell):
                cells.append(float(plain))
            else:
                cells.append(cell)
        out.append(cells)
    return out


def main():
    work = tempfile.mkdtemp(prefix="sirisk-export-")
    scenarios = os.path.join(SOURCE, "scenarios")
    kinds = [
        ("run", [BINARY, "run", os.path.join(scenarios, "default.yaml"), "--trials", "300",
                 "-o", "run.h5", "--quiet"]),
        ("stress", [BINARY, "stress", os.path.join(scenarios, "default.yaml"), "--trials", "150",
                    "--only", "recession,no_effect", "-o", "stress.h5", "--quiet"]),
        ("sweep", [BINARY, "sweep", os.path.join(scenarios, "scale.yaml"), "--trials", "100",
                   "--param", "programmes[0].cohort.size", "--values", "250,2000",
                   "-o", "sweep.h5", "--quiet"]),
    ]
    global tolerance
    for kind, make in kinds:
        r = run(make, cwd=work)
        assert r.returncode == 0, r.stderr
        h5 = os.path.join(work, kind + ".h5")
        r = run([BINARY, "export", h5], cwd=work)
        assert r.returncode == 0 and r.stdout == "wrote %s\n" % h5.replace(".h5", ".xlsx"), r
        names, sheets = read_workbook(h5.replace(".h5", ".xlsx"))
        tolerance = TOLERANCE["xlsx"]
        n = check_tables(sheets, h5, kind)
        tolerance = TOLERANCE["csv"]
        for dialect, danish in (("rfc4180", False), ("danish", True)):
            out = os.path.join(work, "%s-%s" % (kind, dialect))
            r = run([BINARY, "export", h5, "--format", "csv", "--dialect", dialect, "-o", out],
                    cwd=work)
            assert r.returncode == 0, r.stderr
            tables = {name: read_csv("%s-%s.csv" % (out, name), danish) for name in names}
            for name in names:   # the same cells as the workbook's
                assert len(tables[name]) == len(sheets[name]), name
            n += check_tables(tables, h5, kind)
        print("%s: %d numbers of the workbook and the CSV files equal the file's" % (kind, n))

    # one table, named by --table, with a .csv name that chooses the format
    r = run([BINARY, "export", "run.h5", "--table", "decision", "-o", "d.csv"], cwd=work)
    assert r.returncode == 0 and os.path.exists(os.path.join(work, "d.csv")), r.stderr

    # text that a spreadsheet would take for a formula stays text
    with open(os.path.join(scenarios, "default.yaml"), encoding="utf-8") as fh:
        text = fh.read()
    hostile = "=HYPERLINK(\"http://example.com\",\"x\")"
    text = re.sub(r"^name: .*$", "name: '%s'" % hostile, text, count=1, flags=re.M)
    with open(os.path.join(work, "hostile.yaml"), "w", encoding="utf-8") as fh:
        fh.write(text)
    r = run([BINARY, "run", "hostile.yaml", "--trials", "20", "-o", "hostile.h5", "--quiet"],
            cwd=work)
    assert r.returncode == 0, r.stderr
    with h5py.File(os.path.join(work, "hostile.h5"), "r+") as f:   # a crafted file's name
        first = list(f["programmes"])[0]
        f.copy("programmes/" + first, "programmes/@SUM(1+1)")
        f.copy("programmes/" + first, "programmes/-2+3")
    for dialect, sep in (("rfc4180", ","), ("danish", ";")):
        r = run([BINARY, "export", "hostile.h5", "--format", "csv", "--dialect", dialect,
                 "-o", "h-" + dialect], cwd=work)
        assert r.returncode == 0, r.stderr
        with open(os.path.join(work, "h-%s-provenance.csv" % dialect), encoding="utf-8") as fh:
            prov = fh.read()
        quoted = hostile.replace('"', '""')
        assert '"\'%s"' % quoted in prov, prov
        with open(os.path.join(work, "h-%s-programmes.csv" % dialect), encoding="utf-8") as fh:
            rows = list(csv.reader(fh.read().lstrip("\ufeff").splitlines(), delimiter=sep))
        names = {row[0] for row in rows[1:]}
        assert "'@SUM(1+1)" in names and "'-2+3" in names and "@SUM(1+1)" not in names, names
    r = run([BINARY, "export", "hostile.h5"], cwd=work)
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(os.path.join(work, "hostile.xlsx"))
    cells = [c for row in wb["provenance"].iter_rows() for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" for c in cells), cells
    cells = [c for row in wb["programmes"].iter_rows() for c in row if c.value == "@SUM(1+1)"]
    assert cells and all(c.data_type == "s" for c in cells)
    print("formula-like text stays text: CSV fields start with an apostrophe, workbook "
          "cells are strings")

    # refusals: not a result set (74), a table the file lacks and contradictory options (64);
    # nothing is written, an earlier file stays
    with open(os.path.join(work, "plain.h5"), "w") as fh:
        fh.write("not HDF5\n")
    with open(os.path.join(work, "plain.xlsx"), "w") as fh:
        fh.write("earlier\n")
    before = sorted(os.listdir(work))
    for args, code, message in (
            (["export", "plain.h5"], 74, "not a sirisk result set"),
            (["report", "plain.h5"], 74, "not a sirisk result set"),
            (["export", "missing.h5"], 66, "cannot open"),
            (["export", "run.h5", "--table", "sweep", "--format", "csv"], 64, "has no table 'sweep'"),
            (["export", "run.h5", "--table", "nonsense"], 64, "--table: expected one of"),
            (["export", "run.h5", "--format", "xlsx", "-o", "x.csv"], 64, "does not name"),
            (["export", "run.h5", "--dialect", "danish"], 64, "--dialect applies to --format csv"),
            (["report", "run.h5", "--lang", "fr"], 64, "--lang: expected en or da, got 'fr'"),
            (["report", "run.h5", "--format", "csv"], 64, "--format is an option of export")):
        r = run([BINARY] + args, cwd=work)
        assert r.returncode == code and message in r.stderr, (args, r.returncode, r.stderr)
    assert sorted(os.listdir(work)) == before, set(os.listdir(work)) ^ set(before)
    with open(os.path.join(work, "plain.xlsx")) as fh:
        assert fh.read() == "earlier\n"
    print("refusals: exit 74, 66 and 64 with their messages, and no file written")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
