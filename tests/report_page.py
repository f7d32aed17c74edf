"""The HTML page of `sirisk report` as a reader's browser shows it.

Renders the report of a run, a stress and a sweep result set (English, and the run in
Danish) in headless Chromium and checks that the page loads without a console message,
that every chart is an SVG with drawn marks, a title, axis labels, a reading and a table,
that the page refers to nothing outside itself, and that every number on it equals what
the file holds: each number carries its value and where the file has it (data-v,
data-src), which is read back with h5py, and its shown text is redone from the value.
A screenshot of each kind is kept in the artefact directory.

Usage: report_page.py SIRISK_BINARY SOURCE_DIR ARTEFACT_DIR
Exit 77 (skipped) only when no Chromium is installed."""
import html.parser
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

BINARY, SOURCE, ARTEFACTS = sys.argv[1:4]
MINUS = "\u2212"


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    def all(self, tag=None, cls=None):
        for c in self.children:
            if (tag is None or c.tag == tag) and (
                    cls is None or cls in c.attrs.get("class", "").split()):
                yield c
            yield from c.all(tag, cls)

    def content(self):
        return self.text + "".join(c.content() for c in self.children)


class Tree(html.parser.HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.at = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.at)
        self.at.children.append(node)
        if tag not in self.VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(Node(tag, attrs, self.at))

    def handle_endtag(self, tag):
        node = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data):
        self.at.text += data


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browse(browser, page, screenshot=None, height=6000):
    """The DOM Chromium builds from page, and its console messages."""
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--enable-logging=stderr", "--v=0", "--window-size=1000,%d" % height]
    r = run(common + ["--dump-dom", "file://" + page], timeout=120)
    assert r.returncode == 0, r.stderr
    console = [line for line in r.stderr.splitlines() if ":CONSOLE" in line]
    if screenshot:
        s = run(common + ["--screenshot=" + screenshot, "file://" + page], timeout=120)
        assert s.returncode == 0 and os.path.getsize(screenshot) > 10000, s.stderr
        console += [line for line in s.stderr.splitlines() if ":CONSOLE" in line]
    return r.stdout, console


# ---- the numbers -------------------------------------------------------------------------

def term(f, text):
    text = text.strip()
    m = re.fullmatch(r"(.*?)(?:#(\w+))?\[(\d+)(?:,(\d+))?\]", text)
    if m:   # an element of a dataset, or of an attribute
        path, attr = m.group(1), m.group(2)
        d = f[path].attrs[attr] if attr else f[path]
        return float(d[int(m.group(3))] if m.group(4) is None
                     else d[int(m.group(3)), int(m.group(4))])
    if "#" in text:
        path, attr = text.split("#")
        obj = f if path in ("", "/") else f[path]
        return float(obj.attrs[attr])
    return float(f[text][()])


def evaluate(f, source):
    """The value of a data-src expression (sim/cli/sheets.h) and whether it is exact."""
    if source.startswith("positive "):
        x = f[source[len("positive "):]][:]
        return np.count_nonzero(x > 0) / len(x), True
    if source.startswith("cumulative "):
        # a quantile over trials of each trial's cumulative flow up to a year (the file's
        # quantile levels; linear between order statistics, as GSL's)
        m = re.fullmatch(r"cumulative (.*)\[(\d+),(\d+)\]", source)
        d = f[m.group(1)]
        y, j = int(m.group(2)), int(m.group(3))
        paths = np.cumsum(d[:, :-1], axis=1)
        value = float(np.quantile(paths[:, y], d.attrs["quantile_levels"][j]))
        return (value, abs(value)), False
    if source.startswith("unfounded "):
        level = source[len("unfounded "):].rstrip("/")
        net = f[level + "/trials/municipality_net_sib"][:]
        pay = f[level + "/trials/payments"][:]
        return np.count_nonzero((pay > 0) & (net + pay <= 0)) / len(net), True
    parts = re.split(r" ([+-]) ", source)
    value, scale = term(f, parts[0]), abs(term(f, parts[0]))
    for op, t in zip(parts[1::2], parts[2::2]):
        v = term(f, t)
        scale = max(scale, abs(v))
        value = value + v if op == "+" else value - v
    return (value, scale), len(parts) == 1


def shown(value, fmt, scale, lang):
    """The text sirisk shows for value (sim/cli/lang.c), redone."""
    if math.isnan(value):
        return "i.a." if lang == "da" else "n/a"
    conversion, digits, group = fmt[0], int(re.match(r"\w(\d+)", fmt).group(1)), fmt.endswith("g")
    text = ("%%.%d%s" % (digits, conversion)) % abs(value * scale)
    negative = value < 0 and text.strip("0.") != ""
    whole, _, frac = text.partition(".")
    if group and conversion == "f":
        whole = "{:,}".format(int(whole))
    point, thousands = (",", ".") if lang == "da" else (".", ",")
    whole = whole.replace(",", "\0").replace("\0", thousands)
    text = whole + (point + frac if frac else "")
    return (MINUS if negative else "") + text


def check_numbers(root, f, lang):
    spans = list(root.all("span", "n"))
    checked = 0
    for s in spans:
        v = float(s.attrs["data-v"])
        text = s.content()
        expect = shown(v, s.attrs["data-f"], float(s.attrs["data-s"]), lang)
        assert text == expect, "shown %r, expected %r for %s" % (text, expect, s.attrs)
        source = s.attrs.get("data-src")
        if source is None:
            continue
        got, exact = evaluate(f, source)
        if exact:
            want = got if not isinstance(got, tuple) else got[0]
            assert v == want or (math.isnan(v) and math.isnan(want)), (source, v, want)
        else:
            want, scale = got
            assert abs(v - want) <= 1e-12 * max(scale, 1.0), (source, v, want)
        checked += 1
    assert checked >= 20, "only %d numbers name their source" % checked
    return checked


def check_histograms(root, f):
    """Every table of trials per bar counts the file's trials as sirisk's bins do."""
    tables = list(root.all("table", "hist"))
    for t in tables:
        names = t.attrs["data-trials"].split()
        bins = int(t.attrs["data-bins"])
        lo, hi = float(t.attrs["data-lo"]), float(t.attrs["data-hi"])
        finite = [c[np.isfinite(c)] for c in (f[n][:] for n in names)]
        for c in finite:   # the range holds every trial: none is left out of the bars
            assert lo <= c.min() and c.max() <= hi, (names, lo, hi)
        width = (hi - lo) / bins
        rows = [r for r in t.all("tr") if list(r.all("td"))]
        assert len(rows) == bins
        for j, c in enumerate(finite):
            index = np.clip(np.floor((c - lo) / width), 0, bins - 1).astype(int)
            want = np.bincount(index, minlength=bins)
            got = [int(list(r.all("td"))[2 + j].content()) for r in rows]
            assert list(want) == got, (names[j], list(want), got)
    return len(tables)


# ---- the page ---------------------------------------------------------------------------

def check_page(dom, console, f, lang, charts):
    assert not console, "console messages: %s" % console
    tree = Tree()
    tree.feed(dom)
    root = tree.root
    page = next(root.all("html"))
    assert page.attrs.get("lang") == lang
    assert not list(root.all("script")), "the page needs no script"
    for node in root.all():
        for attr in ("src", "href"):
            ref = node.attrs.get(attr)
            assert ref is None or ref.startswith("#"), "refers outside itself: %s" % ref
        assert "http" not in node.attrs.get("xlink:href", "")
    svgs = list(root.all("svg", "chart"))
    assert len(svgs) == charts, "%d charts, expected %d" % (len(svgs), charts)
    for svg in svgs:
        title = next(svg.all("title")).content().strip()
        assert title, "a chart without a title"
        marks = list(svg.all("g", "marks"))
        drawn = [m for g in marks for m in g.all()
                 if m.tag in ("rect", "path", "polyline", "circle", "line")]
        assert drawn, "chart %s draws no marks" % title
        for axis in svg.all("g", "axis"):
            if "x" in axis.attrs["class"].split():
                label = [t for t in axis.all("text", "axis-label")]
                assert label and label[0].content().strip(), "x axis without a label: %s" % title
        figure = svg.parent
        assert figure.tag == "figure", title
        assert next(figure.all("figcaption")).content().strip()
        assert [p for p in figure.all("p", "reading") if p.content().strip()], \
            "chart %s has no reading" % title
        assert list(figure.all("table")), "chart %s has no table" % title
    numbers = check_numbers(root, f, lang)
    hists = check_histograms(root, f)
    return numbers, hists


def add_budget_years(path):
    """Each trial's yearly net results and the budget table, as the result-set format 2 of
    the budget years lays them out (its documentation), with made-up flows: the report's
    charts of them are checked before sirisk writes them."""
    rng = np.random.default_rng(7)
    levels = np.array([0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99])
    with h5py.File(path, "r+") as f:
        n = int(f.attrs["trials"])
        first = int(f["annual/savings_total"].attrs["first_year"])
        years = f["annual/savings_total"].shape[0]
        g = f.create_group("yearly")
        for name, level in (("municipality_net_selffund", -1.0e6), ("municipality_net_sib", -0.2e6)):
            x = rng.normal(level, 1.0e6, (n, years + 1))
            x[:, -1] = 0.0
            d = g.create_dataset(name, data=x)
            d.attrs["first_year"] = np.int32(first)
            d.attrs["units"] = "DKK (nominal, per calendar year)"
            d.attrs["mean"] = x.mean(axis=0)
            d.attrs["quantile_levels"] = levels
            d.attrs["quantile_values"] = np.quantile(x, levels, axis=0).T
            d.attrs["p_negative"] = (x < 0).mean(axis=0)
        b = f.create_group("budget")
        b.attrs["payer"] = "municipality"
        b.create_dataset("year", data=np.r_[np.arange(first, first + years), np.nan])
        for name in ("payback_share_selffund", "payback_share_sib"):
            share = rng.random(years + 1)
            b.create_dataset(name, data=share / share.sum()).attrs["units"] = "1 (share of trials)"


def main():
    browser = chromium()
    if browser is None:
        print("SKIPPED: no Chromium (chromium) is installed, so the report's page was not "
              "rendered; install Debian's chromium to run this test")
        return 77
    os.makedirs(ARTEFACTS, exist_ok=True)
    work = tempfile.mkdtemp(prefix="sirisk-report-")
    scenarios = os.path.join(SOURCE, "scenarios")
    kinds = [
        ("default", [BINARY, "run", os.path.join(scenarios, "default.yaml"), "--trials", "300",
                     "-o", "default.h5", "--quiet"], "default.h5", 5),
        ("stress", [BINARY, "stress", os.path.join(scenarios, "default.yaml"), "--trials", "200",
                    "-o", "stress.h5", "--quiet"], "stress.h5", 8),
        ("sweep", [BINARY, "sweep", os.path.join(scenarios, "scale.yaml"), "--trials", "150",
                   "--param", "programmes[0].cohort.size,programmes[0].contract.baseline.size",
                   "--values", "[250,125],[2000,1000],[16000,8000]", "-o", "sweep.h5",
                   "--quiet"], "sweep.h5", 3),
    ]
    kinds.append(("budget-years", [shutil.which("cp"), "default.h5", "years.h5"], "years.h5", 7))
    for kind, make, h5, charts in kinds:
        r = run(make, cwd=work)
        assert r.returncode == 0, r.stderr
        if kind == "budget-years":
            add_budget_years(os.path.join(work, h5))
        for lang in (["en", "da"] if kind == "default" else ["en"]):
            page = os.path.join(work, "%s-%s.html" % (kind, lang))
            r = run([BINARY, "report", h5, "-o", page, "--lang", lang], cwd=work)
            assert r.returncode == 0 and r.stdout.startswith("wrote "), r.stderr
            shot = os.path.join(ARTEFACTS, "report-%s%s.png" % (kind, "" if lang == "en" else "-da"))
            dom, console = browse(browser, page, shot)
            with h5py.File(os.path.join(work, h5), "r") as f:
                numbers, hists = check_page(dom, console, f, lang, charts)
            print("%s (%s): %d charts, %d numbers checked against the file, %d histogram "
                  "tables recounted; screenshot %s" % (kind, lang, charts, numbers, hists, shot))
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
