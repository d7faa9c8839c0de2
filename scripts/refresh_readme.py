#!/usr/bin/env python3
"""Re-runs the commands shown in README.md and puts their real output under them.

Usage: python3 scripts/refresh_readme.py target/release/claimgraph

Builds the sample corpus (and ../shared/seeds when present) into a temporary folder, then
rewrites every fenced block whose first line is `$ claimgraph query|run|shell|eval ...`. A `run`
block marked `(first statements)` keeps as many statements as it showed before. The files
the README's script and shell examples read are in scripts/readme/.
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(argv, stdin=None):
    done = subprocess.run(argv, cwd=ROOT, stdin=stdin, capture_output=True, text=True)
    return done.stdout + done.stderr, done.returncode


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp()
    sample = os.path.join(work, "sample.cgraph")
    seeds = os.path.join(work, "seeds.cgraph")
    run([binary, "build", "corpus", "--graph", sample])
    seeds_dir = os.path.join(ROOT, "..", "shared", "seeds")
    if os.path.isdir(seeds_dir):
        run([binary, "build", seeds_dir, "--graph", seeds])
    readme_path = os.path.join(ROOT, "README.md")
    text = open(readme_path, encoding="utf-8").read()
    files = os.path.join(ROOT, "scripts", "readme")

    def refresh(block):
        lines = block.split("\n")
        first = lines[0]
        if not first.startswith("$ claimgraph "):
            return block
        command, _, remark = first[2:].partition("   ")
        on_seeds = len(lines) > 1 and lines[1] == "(on the seed articles)"
        args = shlex.split(command)[1:]
        if args[0] not in ("query", "run", "shell", "eval"):
            return block
        graph = seeds if on_seeds else sample
        args = [graph if a == "sample.cgraph" else a for a in args]
        stdin = None
        if "<" in args:
            at = args.index("<")
            stdin = open(os.path.join(files, args[at + 1]), encoding="utf-8")
            args = args[:at]
        args = [os.path.join(files, a) if a == "check.kgq" else a for a in args]
        output, status = run([binary] + args, stdin=stdin)
        output = output.replace(files + os.sep, "")
        if "(first statements)" in remark:
            keep = sum(1 for line in lines if line.startswith("-- "))
            sections = re.split(r"(?m)^(?=-- )", output)
            output = "".join(sections[: keep + 1]).rstrip("\n") + "\n"
        head = [first] + (["(on the seed articles)"] if on_seeds else [])
        new = head + output.rstrip("\n").split("\n")
        if "$ echo $?" in lines:
            new += ["$ echo $?", str(status)]
        return "\n".join(new)

    text = re.sub(
        r"(?ms)^```\n(\$ claimgraph .*?)\n```$",
        lambda m: "```\n" + refresh(m.group(1)) + "\n```",
        text,
    )
    open(readme_path, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main()
