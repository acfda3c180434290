"""Smoke test of an installed handgunfai wheel, as a `pip install handgunfai` user gets it.

Run by .ci/run as `python -c "$(cat .ci/user_smoke.py)" REPO` from a temp directory
outside the repo, in a venv holding only the wheel and its (unpinned) dependencies.
argv[1] is the repo path (used only to find data_samples/).

Parts of the API that do not exist yet are skipped with a printed note; anything that
exists but fails raises (non-zero exit).
"""
import importlib, inspect, sys, sysconfig, tempfile
from pathlib import Path

repo = Path(sys.argv[1]).resolve()
print(f'python {sys.version.split()[0]} at {sys.executable}')

import handgunfai, fastai, fastcore, torch, torchvision
print(f'handgunfai {getattr(handgunfai, "__version__", "?")}  fastai {fastai.__version__}  '
      f'fastcore {fastcore.__version__}  torch {torch.__version__}  torchvision {torchvision.__version__}')
pkg = Path(handgunfai.__file__).resolve()
site = Path(sysconfig.get_paths()['purelib']).resolve()
print(f'handgunfai.__file__ = {pkg}')
assert site in pkg.parents, f'handgunfai imported from {pkg}, not from the venv site-packages {site}'
assert repo not in pkg.parents or site in repo.parents, f'handgunfai imported from the source tree {repo}'


def optional_module(name):
    "Import `name`; None (with a note) only if that very module does not exist yet."
    try: return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name != name: raise
        print(f'SKIP: module {name} does not exist yet')


def optional_attr(mod, attr):
    if mod is None: return None
    f = getattr(mod, attr, None)
    if f is None: print(f'SKIP: {mod.__name__}.{attr} does not exist yet')
    return f


def kwargs_for(f, **candidates):
    "Pass only the keyword arguments `f` accepts."
    try: params = inspect.signature(f).parameters
    except (TypeError, ValueError): return {}
    if any(p.kind == p.VAR_KEYWORD for p in params.values()): return candidates
    return {k: v for k, v in candidates.items() if k in params}


def shapes(x):
    if hasattr(x, 'shape'): return tuple(x.shape)
    if isinstance(x, (list, tuple)): return type(x)(shapes(o) for o in x)
    if isinstance(x, dict): return {k: shapes(v) for k, v in x.items()}
    return type(x).__name__


data = optional_module('handgunfai.data')
records = None
read_voc = optional_attr(data, 'read_voc')
if read_voc:
    src = repo/'data_samples'/'webcam'
    assert src.is_dir(), f'{src} is missing'
    records = read_voc(src)
    print(f'read_voc({src}): {len(records)} records')
    assert len(records) > 0, 'read_voc returned no records'

detection_dls = optional_attr(data, 'detection_dls')
if detection_dls:
    if records is None: print('SKIP: detection_dls needs records from read_voc')
    else:
        dls = detection_dls(records, **kwargs_for(detection_dls, bs=2, num_workers=0))
        b = dls.one_batch()
        print(f'detection_dls: one batch, shapes {shapes(b)}')

samples_path = optional_attr(optional_module('handgunfai.samples'), 'samples_path')
if samples_path:
    with tempfile.TemporaryDirectory() as d:
        p = Path(samples_path(Path(d)/'samples'))
        assert (p/'webcam'/'Annotations').is_dir(), f'samples_path returned {p}, which has no webcam/Annotations'
        print(f'samples_path: {p} has webcam/Annotations')

print('user smoke test: OK')
