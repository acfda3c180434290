#!/usr/bin/env python3
"""Extract the README's Python code, as a reader would paste it, into one script.

    python .ci/readme_code.py [README.md] --out SCRIPT   # write the script
    python .ci/readme_code.py [README.md] --list         # print the blocks it would run (and check they compile)

Every ```` ```python ```` fenced block of README.md is taken, in README order (the Colab install cell is
one: it does nothing outside Colab). A block is left out only when the last non-blank line before its
fence is the HTML comment `<!-- no-run -->` (invisible on GitHub); use that only for code a reader is
not meant to run as is. At least one block must sit under the `## Quick start` heading.

The script prints `--- README block k/n (README.md line L)` before each block, so a failure points at the
README. .ci/run runs it with the dev venv's python in a fresh empty folder (so it cannot lean on the
repository's layout) and fails if it errors, runs too long, or writes into the repository.
Standard library only.
"""
import argparse, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NO_RUN = '<!-- no-run -->'
QUICK_START = re.compile(r'^##\s+Quick start\s*$', re.IGNORECASE)
_re_open = re.compile(r'^(`{3,})\s*(\{?\s*\.?python3?\s*\}?)\s*$')   # ```python, ``` python, ```{python}
_re_any_open = re.compile(r'^(`{3,}|~{3,})')


def blocks(text):
    "The README's python blocks: [(first code line number, code, section heading, skipped)], in order."
    out, lines, i, heading, prev = [], text.splitlines(), 0, '', ''
    while i < len(lines):
        line = lines[i]
        m, other = _re_open.match(line), _re_any_open.match(line)
        if m or other:
            fence = (m or other).group(1)
            j = i + 1
            while j < len(lines) and not (lines[j].startswith(fence[0] * len(fence)) and not lines[j].strip(fence[0]).strip()):
                j += 1
            if j == len(lines): raise SystemExit(f'readme_code: unterminated code fence at README line {i + 1}')
            if m: out.append((i + 2, '\n'.join(lines[i + 1:j]), heading, prev.strip() == NO_RUN))
            prev, i = lines[j], j + 1
            continue
        if line.startswith('#'): heading = line.strip()
        if line.strip(): prev = line
        i += 1
    return out


def script(readme_path, found):
    run = [b for b in found if not b[3]]
    parts = [f'# The Python code of {readme_path.name}, block by block, as a reader pastes it (written by .ci/readme_code.py).\n']
    for k, (line, code, heading, _) in enumerate(run, 1):
        label = f"--- README block {k}/{len(run)} ({readme_path.name} line {line}, {heading or 'top'})"
        parts.append(f'print({label!r}, flush=True)\n{code}\n')
    return '\n'.join(parts)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('readme', nargs='?', type=Path, default=ROOT/'README.md')
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument('--out', type=Path, help='write the script here')
    g.add_argument('--list', action='store_true', help='print the blocks and whether each runs')
    a = p.parse_args(argv)
    if not a.readme.is_file(): sys.exit(f'readme_code: {a.readme} not found')
    found = blocks(a.readme.read_text(encoding='utf-8'))
    run = [b for b in found if not b[3]]
    if not run: sys.exit(f'readme_code: no ```python block to run in {a.readme}')
    if not any(QUICK_START.match(h) for _, _, h, _ in run):
        sys.exit(f'readme_code: no runnable ```python block under "## Quick start" in {a.readme}')
    for line, code, _, skipped in found:
        if skipped: continue
        try: compile(code, f'{a.readme.name} line {line}', 'exec')
        except SyntaxError as e: sys.exit(f'readme_code: the ```python block at {a.readme.name} line {line} does not compile: {e}')
    if a.list:
        for line, code, heading, skipped in found:
            first = next((l for l in code.splitlines() if l.strip()), '')
            print(f"{'skip' if skipped else 'run '}  line {line:4d}  {heading or 'top'}: {len(code.splitlines())} lines, {first.strip()[:70]}")
        print(f'{len(run)} of {len(found)} python blocks run')
        return 0
    a.out.write_text(script(a.readme, found), encoding='utf-8')
    print(f'readme_code: wrote {a.out}: {len(run)} of {len(found)} python blocks of {a.readme.name}')
    return 0


if __name__ == '__main__': sys.exit(main())
