"""Pieces shared by the classic and the Swiss Go map models.

* `ghash`: a deterministic stand-in for the runtime's AES/wyhash hasher
  (`t.Hasher(key, h.hash0)` / `typ.Hasher(key, m.seed)`): a 64-bit mix of the
  key and the seed. Only its *role* matters: a re-seed (mapclear, Clear,
  a delete that empties the map) moves every key.
* `Scenario`: which keys and values the two operations use, chosen so the
  race is as tight as the runtime allows (both keys in one bucket / group).
* `serial_outcomes` + `classify`: the oracle. A run is correct iff its final
  contents and every operation's result equal those of *some* serial order of
  the operations (linearizability for two operations). Anything else is
  silent corruption, named by the first damage in `DAMAGE_ORDER`.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections import Counter
from itertools import permutations

M64 = (1 << 64) - 1

GO_OPS = ("insert", "lookup", "delete", "range", "len", "clear", "clone", "incr")
GO_KEY_KINDS = ("int32", "int64", "string", "generic")
WRITERS = {"insert", "delete", "clear", "incr"}

MSG_WRITES = "concurrent map writes"
MSG_READ = "concurrent map read and map write"
MSG_ITER = "concurrent map iteration and map write"
MSG_CLONE = "concurrent map clone and map write"
MSG_NILDEREF = "runtime error: invalid memory address or nil pointer dereference"
MSG_FAULT = "fault"

# Damage names, most telling first. The first one found names the outcome.
DAMAGE_ORDER = (
    "map left in writing state",
    "clone left in writing state",
    "phantom key",
    "duplicate key",
    "lost key",
    "key visible to range but not to lookup",
    "key visible to lookup but not to range",
    "lost update",
    "stale value",
    "len disagrees with contents",
    "reader saw a zero value for a present key",
    "reader missed a present key",
    "reader saw a stale value",
    "range yielded a key twice",
    "range missed a key",
    "range yielded a deleted key",
    "range yielded a stale value",
    "clone missing a key",
    "clone has a duplicate key",
    "clone has a stale value",
    "clone len disagrees with its contents",
    "len saw an impossible value",
)


def mix64(x: int) -> int:
    """splitmix64 finalizer: a cheap, well-spread 64-bit mix."""
    x &= M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def key_int(k) -> int:
    if isinstance(k, int):
        return k
    h = 0
    for ch in str(k).encode():
        h = (h * 131 + ch) & M64
    return h


def ghash(k, seed: int) -> int:
    return mix64(key_int(k) * 0x9E3779B97F4A7C15 + seed * 0xD6E8FEB86659FD93 + 0x632BE59BD9B4E019)


def seed_after(seed: int) -> int:
    """`rand()` at a re-seed: deterministic, and different from the old seed."""
    return (seed * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFF or 1


def make_key(kind: str, i: int):
    return f"k{i}" if kind == "string" else i


@dataclass(frozen=True)
class OpSpec:
    name: str
    key: object = None
    value: int = 0


@dataclass(frozen=True)
class Scenario:
    initial: tuple[tuple[object, int], ...]
    ops: tuple[OpSpec, ...]

    def universe(self) -> list:
        """Every key that can matter to the audit, in a stable order."""
        seen = []
        for k, _ in self.initial:
            seen.append(k)
        for op in self.ops:
            if op.key is not None and op.key not in seen:
                seen.append(op.key)
        return seen


def build_scenario(ops: tuple[str, ...], size: int, kind: str, colocate, grows: bool = False) -> Scenario:
    """Keys and values for `ops` on a map holding `size` entries.

    colocate(candidates, anchor) picks from `candidates` the keys that share
    `anchor`'s bucket/group in the model's layout (None anchor: any), so the
    two writers contend for the same slots as they would in a long loop.
    grows: an insert of this pair grows the map; a reader then reads a key
    that is already present (in the inserted key's bucket), so the growth
    races (reader miss, torn B/buckets) can show. Otherwise a cache-style
    reader reads the key the writer writes (zero-value window, W3).
    """
    initial = tuple((make_key(kind, i), 100 + i) for i in range(1, size + 1))
    present = [k for k, _ in initial]
    fresh = (make_key(kind, i) for i in range(1001, 100000))
    specs: list[OpSpec | None] = [None] * len(ops)
    writer_key = None
    # The counter of m[k]++ is shared by every incr; it exists when the map is non-empty.
    incr_key = present[0] if present else next(fresh)
    anchor = incr_key if "incr" in ops else (present[0] if present else None)
    insert_keys = colocate(fresh, anchor, sum(1 for o in ops if o == "insert"))
    ins_i = 0
    del_i = 0
    for idx, op in enumerate(ops):
        if op == "insert":
            specs[idx] = OpSpec(op, insert_keys[ins_i], 1000 + idx + 1)
            ins_i += 1
            writer_key = writer_key or specs[idx].key
        elif op == "incr":
            specs[idx] = OpSpec(op, incr_key, 1)
            writer_key = writer_key or incr_key
    for idx, op in enumerate(ops):
        if op == "delete":
            if present:
                # Deleters take distinct present keys (the anchor first, so a
                # delete shares the writers' bucket).
                specs[idx] = OpSpec(op, present[min(del_i, len(present) - 1)])
            else:
                specs[idx] = OpSpec(op, writer_key if writer_key is not None else make_key(kind, 1))
            del_i += 1
            writer_key = writer_key or specs[idx].key
    for idx, op in enumerate(ops):
        if op == "lookup":
            if grows and present:
                key = anchor
            else:
                key = writer_key if writer_key is not None else (present[0] if present else make_key(kind, 1))
            specs[idx] = OpSpec(op, key)
        elif specs[idx] is None:
            specs[idx] = OpSpec(op)
    return Scenario(initial, tuple(specs))  # type: ignore[arg-type]


# ---------------------------------------------------------------- oracle


def _apply(op: OpSpec, m: dict):
    if op.name == "insert":
        m[op.key] = op.value
        return None
    if op.name == "incr":
        m[op.key] = m.get(op.key, 0) + 1
        return None
    if op.name == "lookup":
        return (m.get(op.key, 0), op.key in m)
    if op.name == "delete":
        m.pop(op.key, None)
        return None
    if op.name == "range":
        return tuple(sorted(m.items(), key=lambda kv: str(kv[0])))
    if op.name == "len":
        return len(m)
    if op.name == "clear":
        m.clear()
        return None
    if op.name == "clone":
        return tuple(sorted(m.items(), key=lambda kv: str(kv[0])))
    raise ValueError(op.name)


@dataclass(frozen=True)
class Serial:
    order: tuple[int, ...]
    final: dict
    results: tuple
    # contents just before each op ran (for range/clone semantics)
    before: tuple


def serial_outcomes(sc: Scenario) -> list[Serial]:
    out = []
    for order in permutations(range(len(sc.ops))):
        m = dict(sc.initial)
        results: list = [None] * len(sc.ops)
        before: list = [None] * len(sc.ops)
        for i in order:
            before[i] = dict(m)
            results[i] = _apply(sc.ops[i], m)
        out.append(Serial(order, m, tuple(results), tuple(before)))
    return out


@dataclass
class Observed:
    """What a sequential audit of the final runtime state sees."""

    range_items: list  # (k, v) pairs a fresh range yields (duplicates kept)
    lookups: dict  # key -> (v, ok) from a fresh lookup
    length: int
    stuck: bool = False  # the writing flag is still set
    results: tuple = ()  # per op: what the racing op returned
    clone: dict | None = None  # per op index: {"items": [...], "len": n, "stuck": bool}


def _damages_for(sc: Scenario, ob: Observed, s: Serial) -> list[tuple[str, str]]:
    dmg: list[tuple[str, str]] = []
    rng_keys = [k for k, _ in ob.range_items]
    rng = {}
    for k, v in ob.range_items:
        rng.setdefault(k, v)
    known = set(sc.universe())
    for k in rng_keys:
        if k not in known:
            dmg.append(("phantom key", f"range yields key {k!r} that no one inserted"))
            break
    counts = Counter(rng_keys)
    dups = sorted((k for k, c in counts.items() if c > 1), key=str)
    if dups:
        dmg.append(("duplicate key", f"key {dups[0]!r} is stored in two slots"))
    for k in sorted(known | set(rng), key=str):
        in_final = k in s.final
        lv, lok = ob.lookups.get(k, (0, False))
        in_rng = k in rng
        if in_final and not lok and not in_rng:
            dmg.append(("lost key", f"key {k!r} was written but neither lookup nor range finds it"))
        elif in_rng and not lok:
            dmg.append(("key visible to range but not to lookup",
                        f"range yields {k!r} but m[{k!r}] reports it absent"))
        elif lok and not in_rng:
            dmg.append(("key visible to lookup but not to range", f"m[{k!r}] finds it, range does not"))
        elif not in_final and (lok or in_rng):
            dmg.append(("stale value", f"key {k!r} should be gone but is still present"))
        if in_final and lok:
            want = s.final[k]
            if lv != want:
                incr = any(op.name == "incr" and op.key == k for op in sc.ops)
                if incr and 0 < lv < want:
                    dmg.append(("lost update", f"m[{k!r}] is {lv}, the increments should make it {want}"))
                else:
                    dmg.append(("stale value", f"m[{k!r}] is {lv}, expected {want}"))
    n_keys = len(set(rng_keys))
    if ob.length != n_keys:
        dmg.append(("len disagrees with contents", f"len(m) = {ob.length} but the map holds {n_keys} keys"))
    for i, op in enumerate(sc.ops):
        got = ob.results[i] if i < len(ob.results) else None
        want = s.results[i]
        if op.name == "lookup" and got != want:
            v, ok = got
            if ok and v == 0:
                dmg.append(("reader saw a zero value for a present key",
                            f"v, ok := m[{op.key!r}] returned (0, true)"))
            elif not ok and want[1]:
                dmg.append(("reader missed a present key", f"m[{op.key!r}] reported absent"))
            else:
                dmg.append(("reader saw a stale value", f"m[{op.key!r}] returned {got}, expected {want}"))
        elif op.name == "len" and got != want:
            dmg.append(("len saw an impossible value", f"len(m) returned {got}, expected {want}"))
        elif op.name == "range":
            dmg.extend(_range_damage(got or (), s.before[i], s.final, sc, i))
        elif op.name == "clone":
            dmg.extend(_clone_damage(got, dict(want), ob))
    return dmg


def _range_damage(got, before: dict, after: dict, sc: Scenario, me: int) -> list[tuple[str, str]]:
    """Go's range contract under concurrent change, made strict: every key
    present both before and after is produced exactly once, nothing deleted
    by the other operation before the range started is produced, values come
    from before or after."""
    out = []
    keys = [k for k, _ in got]
    for k, c in Counter(keys).items():
        if c > 1:
            return [("range yielded a key twice", f"range produced {k!r} twice")]
    for k in sorted(set(before) & set(after), key=str):
        if k not in keys:
            out.append(("range missed a key", f"range never produced {k!r}"))
    for k, v in got:
        if k not in before and k not in after:
            out.append(("range yielded a deleted key", f"range produced {k!r}, absent before and after"))
        elif v != before.get(k, v) and v != after.get(k, v):
            out.append(("range yielded a stale value", f"range produced {k!r} = {v}"))
    return out


def _clone_damage(got, want: dict, ob: Observed) -> list[tuple[str, str]]:
    if got is None:
        return []
    out = []
    if got.get("stuck"):
        out.append(("clone left in writing state",
                    "the clone copied writing = 1: its first use fatals although no one else touches it"))
    items = got["items"]
    keys = [k for k, _ in items]
    seen = set()
    for k in keys:
        if k in seen:
            out.append(("clone has a duplicate key", f"the clone holds {k!r} twice"))
            break
        seen.add(k)
    for k in want:
        if k not in seen:
            out.append(("clone missing a key", f"the clone lacks {k!r}"))
            break
    for k, v in items:
        if k in want and want[k] != v:
            out.append(("clone has a stale value", f"clone[{k!r}] = {v}, expected {want[k]}"))
            break
    if got["len"] != len(seen):
        out.append(("clone len disagrees with its contents", f"len(clone) = {got['len']} with {len(seen)} keys"))
    return out


def classify(sc: Scenario, ob: Observed) -> tuple[str, list[tuple[str, str]]]:
    """('ok', []) or (damage name, [(name, detail), ...]) against the closest serial order."""
    best = None
    for s in serial_outcomes(sc):
        d = _damages_for(sc, ob, s)
        # A clone result must match the same serial order: compare against
        # the clone's own snapshot (before the other op or after it).
        if best is None or len(d) < len(best):
            best = d
        if not d:
            break
    if ob.stuck:
        best = [("map left in writing state",
                 "writing is still 1 after both writers returned: every later access fatals")] + (best or [])
    if not best:
        return "ok", []
    best.sort(key=lambda d: DAMAGE_ORDER.index(d[0]) if d[0] in DAMAGE_ORDER else 99)
    return best[0][0], best
