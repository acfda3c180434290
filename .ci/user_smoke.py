"""Smoke test of an installed handgunfai wheel, as a `pip install handgunfai` user gets it.

Run by .ci/run as `python -c "$(cat .ci/user_smoke.py)" REPO` from a temp directory outside the
repo, in a venv holding only the wheel and its (unpinned, newest) dependencies. argv[1] is the
repo path, used only to find data_samples/. Any failure raises (non-zero exit). HANDGUNFAI_HOME (set by
.ci/run) keeps the caches out of ~/.cache.
"""
import os, subprocess, sys, sysconfig, tempfile
from pathlib import Path

repo = Path(sys.argv[1]).resolve()
SMOKE_IMAGE = 'webcam_001.jpg'   # a frame where the bundled detector finds the gun
print(f'python {sys.version.split()[0]} at {sys.executable}')

import handgunfai, fastai, fastcore, torch, torchvision, cv2
print(f'handgunfai {handgunfai.__version__}  fastai {fastai.__version__}  fastcore {fastcore.__version__}  '
      f'torch {torch.__version__}  torchvision {torchvision.__version__}  opencv {cv2.__version__}')
pkg = Path(handgunfai.__file__).resolve()
site = Path(sysconfig.get_paths()['purelib']).resolve()
assert site in pkg.parents, f'handgunfai imported from {pkg}, not from the venv site-packages {site}'

from PIL import Image
from handgunfai.data.records import read_voc
from handgunfai.data.samples import samples_path
from handgunfai.data.datablock import detection_dls
from handgunfai.models.proposals import ProposalCache
from handgunfai.models.learner import handgun_learner, load_model
from handgunfai.inference import Predictor

# The repository's data_samples/ loads, and a batch comes out with its boxes.
records = read_voc(repo/'data_samples'/'webcam')
print(f'read_voc: {len(records)} records, {sum(r.is_negative for r in records)} negatives')
assert len(records) == 150
dls = detection_dls(records, size=128, bs=4, proposals=ProposalCache())
xb, pb, bb, lb = dls.one_batch()
print(f'one batch: images {tuple(xb.shape)}, proposals {tuple(pb.shape)}, boxes {tuple(bb.shape)}')

with tempfile.TemporaryDirectory() as d:
    d = Path(d)
    # Without a repository around it, the package generates its own samples.
    p = samples_path(d/'samples')
    assert p != repo/'data_samples' and len(read_voc(p/'webcam')) == 150, p
    print(f'samples_path generated {p}')
    # A tiny Fast R-CNN trains, exports, loads back and detects under the newest fastai.
    small = [r for r in records if not r.is_negative][:6] + [r for r in records if r.is_negative][:2]
    dls = detection_dls(small, size=128, bs=4, augment=False, proposals=ProposalCache(max_proposals=50),
                        split=lambda o: (list(range(6)), [6, 7]))
    learn = handgun_learner(dls, 'alexnet', 'fast_rcnn', weights=None, rois_per_image=16)
    learn.fit_one_cycle(1, lr_max=slice(1e-3, 1e-2))
    learn.threshold = 0.   # keep every detection; export keeps the threshold
    learn.path = d
    learn.export('model.pkl')   # into learn.path, as fastai's export does
    saved = d/'model.pkl'
    assert saved.is_file(), sorted(d.iterdir())
    for predictor in Predictor(load_model(saved)), Predictor(str(saved)):
        assert predictor.threshold == 0., predictor.threshold
        det = predictor(small[0].path)
        assert det['boxes'].ndim == 2 and det['boxes'].shape[1] == 4, det['boxes'].shape
        assert len(det['scores']) == len(det['labels']) == len(det['boxes'])
    # A list in, a list out: a path, a PIL image and an OpenCV (BGR) array of the same frame.
    frame = cv2.imread(str(small[0].path))
    dets = predictor([small[0].path, Image.open(small[0].path), frame])
    assert isinstance(dets, list) and len(dets) == 3 and all(o['boxes'].shape[1] == 4 for o in dets)
    print(f'trained, exported and reloaded: {len(det["boxes"])} boxes; a batch of 3 frames gave {[len(o["boxes"]) for o in dets]}')
    # The console script is installed in this environment's scripts folder. The user venv is not
    # activated, and a `handgunfai` elsewhere on PATH (a dev install) would test the wrong package.
    script = Path(sysconfig.get_path('scripts'))/'handgunfai'
    assert script.exists(), f'console script missing: {script}'
    out = subprocess.run([str(script), '--help'], capture_output=True, text=True, check=True).stdout
    assert 'demo' in out

    # The bundled detector works with no network: a sitecustomize makes every non-loopback connection fail.
    from handgunfai.models.zoo import bundled_models, DEFAULT_DETECTOR
    assert DEFAULT_DETECTOR in bundled_models(), bundled_models()
    (d/'offline').mkdir()
    (d/'offline'/'sitecustomize.py').write_text(
        "import socket\n_connect = socket.socket.connect\n"
        "def connect(self, addr):\n"
        "    if isinstance(addr, tuple) and addr[0] not in ('127.0.0.1', '::1', 'localhost'): raise OSError('no network in this test')\n"
        "    return _connect(self, addr)\n"
        "socket.socket.connect = connect\n")
    offline = {**os.environ, 'PYTHONPATH': str(d/'offline')}
    listed = subprocess.run([str(script), 'models'], capture_output=True, text=True, check=True, env=offline).stdout
    print(listed.strip())
    assert listed.startswith(DEFAULT_DETECTOR), listed
    image = repo/'data_samples'/'webcam'/'JPEGImages'/SMOKE_IMAGE
    subprocess.run([str(script), 'detect', DEFAULT_DETECTOR, str(image), '--out', str(d/'drawn')], check=True, env=offline)
    drawn, plain = cv2.imread(str(d/'drawn'/f'{image.stem}.jpg')), cv2.imread(str(image))
    def red(a): return int(((a[..., 2] > 200) & (a[..., 1] < 60) & (a[..., 0] < 60)).sum())
    assert red(drawn) - red(plain) > 200, (red(drawn), red(plain))     # a box was drawn in red
    print(f'offline: `handgunfai models` lists {DEFAULT_DETECTOR}; `handgunfai detect` drew its box on {image.name}')

print('user smoke test: OK')
