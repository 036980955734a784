#!/usr/bin/env python3
"""Lists import circles between the modules of src/ (a `use crate::a::b` or `crate::a::b` path in
module m is an edge m -> a::b's module). Exit status 1 if there is a circle."""
import os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")

def module_of(path):
    rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib"):
        rel = rel[:-1]
    return "::".join(rel)

mods = {}
for d, _, files in os.walk(ROOT):
    for f in files:
        if f.endswith(".rs"):
            p = os.path.join(d, f)
            mods[module_of(p)] = p

def resolve(path):
    parts = path.split("::")
    while parts:
        m = "::".join(parts)
        if m in mods:
            return m
        parts.pop()
    return None

def top(m):
    # Files under one module directory form one node when they are that module's children.
    return m

edges = {}
for m, p in mods.items():
    text = open(p, encoding="utf-8").read()
    # Drop #[cfg(test)] modules (tests may import anything).
    text = re.split(r"#\[cfg\(test\)\]\s*mod tests", text)[0]
    text = re.sub(r"//[^\n]*", "", text)
    targets = set()
    for use in re.findall(r"crate::([A-Za-z_][A-Za-z0-9_:]*)", text):
        t = resolve(use.rstrip(":"))
        if t is not None and t != m and not t.startswith(m + "::") and not m.startswith(t + "::") if t else False:
            targets.add(t)
    # `use super::x` inside a module directory
    for use in re.findall(r"\bsuper::([A-Za-z_][A-Za-z0-9_]*)", text):
        parent = m.rsplit("::", 1)[0] if "::" in m else ""
        t = resolve((parent + "::" + use) if parent else use)
        if t and t != m and not m.startswith(t + "::"):
            targets.add(t)
    edges[m] = targets

# Tarjan's strongly connected components.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def strong(v):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(edges):
    if v not in index:
        strong(v)
for c in sccs:
    print(f"circle of {len(c)}: " + ", ".join(c))
    for a in c:
        print(f"  {a} -> " + ", ".join(sorted(t for t in edges[a] if t in c)))
sys.exit(1 if sccs else 0)
