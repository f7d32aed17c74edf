"""Checks a result set written by tests/test_h5write.c (the synthetic set whose values are
closed-form): every trial value, and every summary statistic recomputed with numpy.
Usage: h5write_check.py FILE METRICS ANNUAL_METRICS (comma-separated, in written order)."""
import hashlib
import re
import sys

import h5py
import numpy as np

path, names, annual = sys.argv[1], sys.argv[2].split(','), sys.argv[3].split(',')
N, Y, FIRST = 5000, 3, 2027
LEVELS = [0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99]
i = np.arange(N)


def trial_value(m, level):
    return (((i * 7919) % 1000) - 300.0) * (m + 1) * 1000.0 + 0.5 * m + 1e5 * level


def close(a, b):
    assert np.isclose(a, b, rtol=1e-12, atol=1e-6), (a, b)


with h5py.File(path, 'r') as f:
    a = f.attrs
    assert a['format_version'] == 2 and a['format_version'].dtype == np.int32
    assert a['seed'] == 20261127 and a['seed'].dtype == np.uint64
    assert a['trials'] == N and a['trials'].dtype == np.uint64
    for k in ('sirisk_version', 'created_utc', 'scenario_sha256', 'rng', 'gsl_version',
              'hdf5_version', 'libyaml_version'):
        assert isinstance(a[k], str) and a[k], k
    assert a['rng'] == 'test-rng'
    assert a['hdf5_version'] == h5py.version.hdf5_version
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', a['created_utc'])
    text = f['scenario'].asstr()[()]
    assert text.startswith('name: Synthetic portfolio'), text
    assert a['scenario_sha256'] == hashlib.sha256(text.encode()).hexdigest()
    assert list(f['programmes']) == ['copenhagen', 'aarhus'], list(f['programmes'])
    for prefix, level in (('', 0), ('programmes/copenhagen/', 1),
                          ('programmes/aarhus/', 2)):
        assert list(f[prefix + 'trials']) == names
        assert list(f[prefix + 'summary']) == names, list(f[prefix + 'summary'])
        assert list(f[prefix + 'deterministic']) == names
        assert list(f[prefix + 'annual']) == annual, list(f[prefix + 'annual'])
        assert isinstance(f[prefix + 'summary'].attrs['tail_definition'], str)
        for m, name in enumerate(names):
            x = trial_value(m, level)
            if level == 0 and name == 'savings_state':
                x[3] = np.nan
            if level == 0 and name == 'investor_moic':
                x[5], x[6] = np.inf, -np.inf
            t = f[prefix + 'trials/' + name]
            assert t.dtype == np.float64 and t.shape == (N,)
            assert t.chunks is not None and t.compression == 'gzip'
            assert np.array_equal(t[()], x, equal_nan=True), name
            fin = x[np.isfinite(x)]
            s = f[prefix + 'summary/' + name]
            assert s.shape == () and s[()] == s.attrs['mean']
            close(s.attrs['mean'], fin.mean())
            close(s.attrs['sd'], fin.std(ddof=1))
            close(s.attrs['mcse'], fin.std(ddof=1) / np.sqrt(fin.size))
            assert s.attrs['min'] == fin.min() and s.attrs['max'] == fin.max()
            for p in LEVELS:
                close(s.attrs['q%02d' % round(100 * p)], np.quantile(fin, p))
            assert s.attrs['var95'] == s.attrs['q05'] and s.attrs['var99'] == s.attrs['q01']
            close(s.attrs['es95'], fin[fin <= s.attrs['var95']].mean())
            close(s.attrs['es99'], fin[fin <= s.attrs['var99']].mean())
            close(s.attrs['es95_upper'], fin[fin >= s.attrs['q95']].mean())
            close(s.attrs['es99_upper'], fin[fin >= s.attrs['q99']].mean())
            assert s.attrs['p_negative'] == (fin < 0).mean()
            assert s.attrs['n_nan'] == np.isnan(x).sum()
            assert s.attrs['n_infinite'] == np.isinf(x).sum()
            assert s.attrs['n_nan'] + s.attrs['n_infinite'] + fin.size == N
            d = f[prefix + 'deterministic/' + name]
            assert d.shape == () and d[()] == 1e6 * (m + 1) + 1e5 * level
            for ds in (t, s, d):
                assert isinstance(ds.attrs['units'], str), ds.name
                assert isinstance(ds.attrs['description'], str), ds.name
                assert ds.attrs['units'] == t.attrs['units'], ds.name
        for name in annual:
            m = names.index(name)
            ds = f[prefix + 'annual/' + name]
            assert ds.shape == (Y, 9) and ds.attrs['first_year'] == FIRST
            assert np.array_equal(ds.attrs['quantiles'], LEVELS)
            assert ds.attrs['units'] == 'DKK (nominal, per calendar year)'
            assert isinstance(ds.attrs['description'], str)
            for y in range(Y):
                flow = (m + 1) * 1000.0 * (y + 1) + i + level
                assert np.allclose(ds[y], np.quantile(flow, LEVELS), rtol=1e-12)
        # every trial's yearly flows, the horizon's years and the column after it
        for group, k in (('yearly', 0), ('yearly_pv', 1)):
            assert list(f[prefix + group]) == annual, list(f[prefix + group])
            for name in annual:
                m = names.index(name)
                ds = f[prefix + group + '/' + name]
                flows = ((m + 1) * 1000.0 * (np.arange(Y + 1) + 1)[None, :] + i[:, None] +
                         level - 0.25 * k)
                assert ds.shape == (N, Y + 1) and ds.dtype == np.float64
                assert ds.chunks is not None and ds.compression == 'gzip'
                assert np.array_equal(ds[()], flows), name
                assert ds.attrs['first_year'] == FIRST
                assert ds.attrs['units'].startswith('DKK (')
                assert np.array_equal(ds.attrs['quantile_levels'], LEVELS)
                assert np.allclose(ds.attrs['mean'], flows.mean(axis=0), rtol=1e-12)
                assert np.allclose(ds.attrs['quantile_values'],
                                   np.quantile(flows, LEVELS, axis=0).T, rtol=1e-12)
                assert np.array_equal(ds.attrs['p_negative'], (flows < 0).mean(axis=0))
        # the budget table, from the nominal yearly net results and the payback years
        b = f[prefix + 'budget']
        assert b.attrs['payer'] == 'municipality' and b.attrs['first_year'] == FIRST
        year = b['year'][()]
        assert np.array_equal(year[:Y], FIRST + np.arange(Y)) and np.isnan(year[Y])
        for net in ('payer_net_selffund', 'payer_net_sib'):
            flows = f[prefix + 'yearly/' + net][()]
            assert np.allclose(b[net + '_mean'][()], flows.mean(axis=0), rtol=1e-12)
            assert np.allclose(b[net + '_q05'][()], np.quantile(flows, 0.05, axis=0), rtol=1e-12)
            assert np.allclose(b[net + '_q95'][()], np.quantile(flows, 0.95, axis=0), rtol=1e-12)
            assert np.array_equal(b[net + '_p_negative'][()], (flows < 0).mean(axis=0))
            assert np.allclose(b[net + '_cumulative_mean'][()], flows.mean(axis=0).cumsum(),
                               rtol=1e-12)
        for kind in ('selffund', 'sib'):
            years = f[prefix + 'trials/payback_year_' + kind][()] - FIRST
            inside = (years >= 0) & (years < Y)
            share = [((years == y) & inside).mean() for y in range(Y)] + [(~inside).mean()]
            assert np.allclose(b['payback_share_' + kind][()], share, rtol=0, atol=1e-15)
            assert abs(b['payback_share_' + kind][()].sum() - 1) < 1e-12
print('checked')
