#!/usr/bin/env python3
"""Execute the notebooks in place so that their outputs (figures, tables, printed figures) are stored
for the docs site and the README, like fastai's own notebooks.

    python .ci/run_nbs.py                 # every notebook in nbs/
    python .ci/run_nbs.py nbs/00_data.ipynb ...

Cells marked `#| slow` or `#| cuda`, cells with `#| eval: false` and `nbdev_export()` cells are NOT run and
their outputs are cleared: slow cells read ../shared/data, and nothing from there may enter the repository,
not even as a thumbnail. Console progress bars are dropped from the stored text, and photo-like figures
(PNGs over 100 KB, e.g. `show_batch`) are stored as JPEGs at most 1200 px wide, to keep the repository
small. Run `nbdev_clean` and `python .ci/readme.py` afterwards. CI never runs this (outputs hold timings); `nbdev_test` runs the tests.
"""
import base64, io, re, sys, time
from pathlib import Path

from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readme import ROOT, _is_false, split_directives  # noqa: E402  (the README renderer reads directives the same way)

SKIP = {'slow', 'cuda'}
_re_progress = re.compile(r'\|[█-]{10,}\||^Epoch \d+/\d+ :')


def skipped(cell):
    if cell.cell_type != 'code': return True
    d, _ = split_directives(cell.source)
    return bool(SKIP & d.keys()) or _is_false(d.get('eval')) or 'nbdev_export(' in cell.source


def clean_text(text):
    "Keep the last state of each `\\r`-rewritten line; drop progress bars and torch's jit deprecation warning."
    lines = [line.split('\r')[-1].lstrip('█') for line in text.split('\n')]
    keep, drop_next = [], False
    for line in lines:
        if drop_next: drop_next = False; continue
        if 'torch.jit.script` is deprecated' in line: drop_next = True; continue
        if _re_progress.search(line) or line.strip() == '█': continue
        keep.append(line)
    return '\n'.join(keep)


def photo_as_jpeg(png_b64, max_width=1200, quality=85):
    "A large PNG figure (base64) re-encoded as a JPEG (base64); returns None for small ones (plots stay PNG)."
    png = base64.b64decode(png_b64)
    if len(png) < 100_000: return None
    im = Image.open(io.BytesIO(png)).convert('RGB')
    if im.width > max_width: im = im.resize((max_width, round(im.height * max_width / im.width)), Image.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, 'JPEG', quality=quality, optimize=True)
    return base64.b64encode(buf.getvalue()).decode()


def tidy(cell):
    for out in cell.get('outputs', []):
        data = out.get('data', {})
        if 'image/png' in data and (jpeg := photo_as_jpeg(data['image/png'])):
            data['image/jpeg'] = jpeg
            del data['image/png']
        if out.get('output_type') == 'stream':
            text = clean_text(''.join(out['text']) if isinstance(out['text'], list) else out['text'])
            out['text'] = text.splitlines(keepends=True)  # the list form Jupyter and jupytext write
    cell['outputs'] = [o for o in cell.get('outputs', []) if not (o.get('output_type') == 'stream' and not ''.join(o['text']).strip())]


def run_notebook(path):
    nb = read_nb(path)
    for cell in nb.cells:
        if cell.cell_type == 'code': cell.outputs, cell.execution_count = [], None
    shell = CaptureShell(path)
    t0 = time.time()
    with working_directory(path.parent):
        shell.run_all(nb, exc_stop=True, preproc=skipped, postproc=tidy)
    write_nb(nb, path)
    print(f'{path.relative_to(ROOT)}: {sum(1 for c in nb.cells if c.get("outputs"))} cells with output, {time.time() - t0:.0f}s')


if __name__ == '__main__':
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT/'nbs').glob('[!_]*.ipynb'))
    for p in paths: run_notebook(p)
