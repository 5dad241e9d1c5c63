"""CPython dicts shared between threads, at the statement/bytecode level.

What is modelled (shared/design/python-dict-semantics.md; CPython
`Objects/dictobject.c`, `Python/ceval.c`, `Python/bytecodes.c`):

* The compact dict (3.6+): `ma_used`, and a keys object with `dk_size`
  (length of the index table), `dk_usable`, `dk_nentries`, the index table
  (`DKIX_EMPTY` -1, `DKIX_DUMMY` -2, or an entry index) and the entries array
  (hash, key, value). Insertion appends an entry; deletion leaves a dummy
  index and a NULL entry; `insertion_resize` (when `dk_usable` is 0) rebuilds
  a compact table of `GROWTH_RATE(d) = used*3` rounded up to a power of two.
* Every single dict operation (`d[k]`, `d[k] = v`, `del d[k]`, `k in d`,
  `d.get`) is one atomic step: the GIL, or on free-threaded builds the
  per-object critical section (`Py_BEGIN_CRITICAL_SECTION` in
  `dict_ass_sub`/`PyDict_SetItem`) or the lock-free reader
  (`_Py_dict_lookup_threadsafe`), makes it so. The only code that runs inside
  an operation is a key's `__hash__` written in Python (`key_kind="pyhash"`),
  which runs *before* the dict is touched; it is its own step.
* The iteration guard (`dictiter_iternextkey`): the iterator remembers
  `di_used = ma_used` and `len`; each `next` raises
  `RuntimeError: dictionary changed size during iteration` if `ma_used`
  changed, and `RuntimeError: dictionary keys changed during iteration` if it
  finds an entry although `len` reached 0.

Where a thread can be switched out (the `sw` column of `STEPS`):
* GIL, CPython ≤ 3.9: at any bytecode boundary (the eval breaker is tested
  at the top of the loop for nearly every opcode).
* GIL, CPython 3.10+: only at calls (after `CALL` returns, at `RESUME` of a
  Python function such as `__hash__`) and on loop back-edges
  (`JUMP_BACKWARD`). So `d[k] += 1` with builtin keys cannot be interrupted.
* Free-threaded 3.13t+: anywhere between two atomic steps (threads really run
  in parallel; single operations stay atomic through per-object locks).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

from maplint.sim.scheduler import Verdict, World

PY_OPS = ("insert", "lookup", "delete", "incr", "get-set", "check-insert", "check-delete", "iterate",
          "check-insert-call", "check-delete-call")
PY_KEY_KINDS = ("builtin", "pyhash")
DKIX_EMPTY, DKIX_DUMMY = -1, -2
MINSIZE = 8
MSG_SIZE = "RuntimeError: dictionary changed size during iteration"
MSG_KEYS = "RuntimeError: dictionary keys changed during iteration"

# Statement each op stands for, and its steps: (pc, bytecode-level label).
SOURCE = {
    "insert": "d[k] = v",
    "lookup": "v = d[k]",
    "delete": "del d[k]",
    "incr": "d[k] += 1",
    "get-set": "d[k] = d.get(k, 0) + 1",
    "check-insert": "if k not in d: d[k] = v",
    "check-delete": "if k in d: del d[k]",
    "iterate": "for k in d: ...",
    # A call between the check and the act (`d[k] = load(k)`): when it
    # returns, the thread can be switched out (CHECK_EVAL_BREAKER after CALL).
    "check-insert-call": "if k not in d: d[k] = f()",
    "check-delete-call": "if k in d: f(); del d[k]",
}


def usable_fraction(n: int) -> int:
    return (n << 1) // 3


@dataclass(frozen=True)
class PyVersion:
    name: str
    mode: str  # "any" (≤3.9 GIL), "calls" (3.10+ GIL), "free" (3.13t+)


class DState:
    __slots__ = ("used", "size", "usable", "nentries", "indices", "entries", "version")

    def __init__(self) -> None:
        self.used = 0
        self.size = MINSIZE
        self.usable = usable_fraction(MINSIZE)
        self.nentries = 0
        self.indices = (DKIX_EMPTY,) * MINSIZE
        self.entries: tuple = ()
        self.version = 0  # which keys object: a resize makes a new one

    def copy(self) -> "DState":
        s = DState.__new__(DState)
        s.used, s.size, s.usable, s.nentries = self.used, self.size, self.usable, self.nentries
        s.indices, s.entries, s.version = self.indices, self.entries, self.version
        return s

    def key(self) -> tuple:
        return (self.used, self.size, self.usable, self.nentries, self.indices, self.entries, self.version)

    # --- dictobject.c, one atomic operation each
    def _probe(self, h: int):
        mask = self.size - 1
        perturb = h & ((1 << 64) - 1)
        i = h & mask
        for _ in range(4 * self.size + 64):
            yield i
            perturb >>= 5
            i = (i * 5 + perturb + 1) & mask
        raise RuntimeError("dict probe did not terminate")

    def lookup(self, k) -> int:
        """_Py_dict_lookup: entry index of k, or -1."""
        h = hash(k)
        for i in self._probe(h):
            ix = self.indices[i]
            if ix == DKIX_EMPTY:
                return -1
            if ix >= 0:
                e = self.entries[ix]
                if e is not None and e[0] == h and e[1] == k:
                    return ix
        return -1

    def get(self, k):
        ix = self.lookup(k)
        return None if ix < 0 else self.entries[ix][2]

    def setitem(self, k, v) -> str:
        """insertdict: update in place, or append an entry (insertion_resize first if dk_usable is 0)."""
        ix = self.lookup(k)
        if ix >= 0:
            h, kk, _ = self.entries[ix]
            self.entries = self.entries[:ix] + ((h, kk, v),) + self.entries[ix + 1:]
            return "value replaced in place"
        note = ""
        if self.usable <= 0:
            self.resize()
            note = f"insertion_resize → dk_size {self.size}; "
        h = hash(k)
        for i in self._probe(h):
            if self.indices[i] < 0:  # find_empty_slot: EMPTY or DUMMY
                break
        self.indices = self.indices[:i] + (self.nentries,) + self.indices[i + 1:]
        self.entries = self.entries + ((h, k, v),)
        self.nentries += 1
        self.usable -= 1
        self.used += 1
        return note + f"entry {self.nentries - 1} appended, index slot {i}"

    def delitem(self, k) -> bool:
        """delitem_common: index slot becomes DKIX_DUMMY, entry cleared."""
        h = hash(k)
        for i in self._probe(h):
            ix = self.indices[i]
            if ix == DKIX_EMPTY:
                return False
            if ix >= 0 and self.entries[ix] is not None and self.entries[ix][1] == k:
                self.indices = self.indices[:i] + (DKIX_DUMMY,) + self.indices[i + 1:]
                self.entries = self.entries[:ix] + (None,) + self.entries[ix + 1:]
                self.used -= 1
                return True
        return False

    def resize(self) -> None:
        """dictresize: new keys object of GROWTH_RATE(used*3), entries compacted."""
        want = self.used * 3
        size = MINSIZE
        while size < want:
            size <<= 1
        live = [e for e in self.entries if e is not None]
        self.size = size
        self.indices = (DKIX_EMPTY,) * size
        self.entries = ()
        self.nentries = 0
        self.usable = usable_fraction(size)
        self.used = 0
        self.version += 1
        for h, k, v in live:
            self.setitem(k, v)

    def items(self) -> list:
        return [(e[1], e[2]) for e in self.entries if e is not None]


class PyMachine:
    """Threads running one statement each on a shared dict."""

    def __init__(self, ops: tuple[str, ...], size: int, key_kind: str, version: PyVersion):
        self.ver = version
        self.kind = key_kind
        self.n = len(ops)
        self.sources = tuple(SOURCE[op] for op in ops)
        self.calls = tuple(op.endswith("-call") for op in ops)
        ops = tuple(op.removesuffix("-call") for op in ops)  # the rest of the model sees the plain check-then-act
        self.ops = ops
        sh = DState()
        self.initial_items = [(i, 100 + i) for i in range(1, size + 1)]
        for k, v in self.initial_items:
            sh.setitem(k, v)
        present = [k for k, _ in self.initial_items]
        counter = present[0] if present else 1
        fresh = iter(range(1001, 2000))
        keys, vals = [], []
        del_i = 0
        for idx, op in enumerate(ops):
            if op == "insert":
                keys.append(next(fresh))
            elif op in ("incr", "get-set"):
                keys.append(counter)
            elif op == "check-insert":
                keys.append(999)  # a shared key that is absent at the start
            elif op == "delete":
                # two `delete`s take distinct keys, the first one the shared key
                keys.append(present[min(del_i, len(present) - 1)] if present else 1)
                del_i += 1
            elif op == "check-delete":
                keys.append(present[0] if present else 1)  # every check-delete races on one key
            else:
                keys.append(None)
            vals.append(1000 + idx + 1)
        writer = next((k for k, o in zip(keys, ops) if o not in ("lookup", "iterate") and k is not None), None)
        keys = [(writer if writer is not None else (present[0] if present else 1)) if o == "lookup" else k
                for k, o in zip(keys, ops)]
        self.keys, self.vals = keys, vals
        self._sh0 = sh
        self._th0 = [self.start(i) for i in range(self.n)]

    # ------------------------------------------------------------ protocol
    def initial(self) -> World:
        return World(self._sh0.copy(), [dict(t) for t in self._th0])

    def start(self, i: int) -> dict:
        op = self.ops[i]
        first = {"insert": "store", "lookup": "load", "delete": "del", "incr": "load", "get-set": "get",
                 "check-insert": "contains", "check-delete": "contains", "iterate": "iter"}[op]
        g = {"op": op, "key": self.keys[i], "val": self.vals[i], "res": None, "exc": None, "tmp": None,
             "it": None, "entry": True, "src": self.sources[i], "call": self.calls[i]}
        self._goto(g, first, hashing=True)
        return g

    def _goto(self, g: dict, pc: str, hashing: bool = False, call_return: bool = False,
              back_edge: bool = False) -> None:
        """Move to `pc`; insert the Python __hash__ call before dict accesses for pyhash keys."""
        needs_hash = pc in ("store", "load", "del", "get", "contains") and self.kind == "pyhash"
        g["pc"] = "hash" if needs_hash else pc
        g["then"] = pc if needs_hash else None
        # May another thread run before this step?
        if self.ver.mode in ("any", "free"):
            g["sw"] = True
        else:
            g["sw"] = needs_hash or call_return or back_edge or g.get("entry", False)
        g["entry"] = False

    def done(self, w: World, i: int) -> bool:
        return w.th[i]["pc"] == "done"

    def sticky(self, w: World, i: int) -> bool:
        g = w.th[i]
        return g["pc"] != "done" and not g["sw"]

    def crashed(self, before, after, i, crash):
        return crash

    def view(self, w: World, i: int):
        sh: DState = w.sh
        rows = [("ma_used", str(sh.used)), ("dk_size", str(sh.size)), ("dk_usable", str(sh.usable)),
                ("dk_nentries", str(sh.nentries))]
        ck = next((k for k, o in zip(self.keys, self.ops) if o in ("incr", "get-set")), None)
        if ck is not None:
            v = sh.get(ck)
            rows.append((f"d[{ck}]", "missing" if v is None else str(v)))
        if i >= 0 and w.th[i].get("tmp") is not None:
            rows.append(("tmp", str(w.th[i]["tmp"])))
        return tuple(rows)

    def step(self, w: World, i: int):
        g = w.th[i]
        return getattr(self, "p_" + g["pc"].replace("-", "_"))(w.sh, g)

    # ------------------------------------------------------------ steps
    def p_hash(self, sh: DState, g):
        then = g["then"]
        g["pc"] = then
        g["then"] = None
        g["sw"] = self.ver.mode != "calls"  # the dict access right after runs without a switch (GIL 3.10+)
        return (f"{g['src']}: key.__hash__()", "Python code runs inside the operation: a thread switch point")

    def _raise(self, g, exc: str, label: str, detail: str):
        g["exc"] = exc
        g["pc"] = "done"
        return label, detail + f" → raises {exc}"

    def p_store(self, sh: DState, g):
        v = g["tmp"] + 1 if g["op"] in ("incr", "get-set") else g["val"]
        what = sh.setitem(g["key"], v)
        if g["op"] == "check-insert":
            g["res"] = "inserted"
        g["pc"] = "done"
        return f"{g['src']}: STORE_SUBSCR d[{g['key']}] = {v}", what

    def p_load(self, sh: DState, g):
        v = sh.get(g["key"])
        if v is None:
            return self._raise(g, f"KeyError: {g['key']}", f"{g['src']}: BINARY_SUBSCR d[{g['key']}]",
                               "key absent")
        g["tmp"] = v
        if g["op"] == "lookup":
            g["res"] = v
            g["pc"] = "done"
            return f"v = d[{g['key']}]: BINARY_SUBSCR", f"v = {v}"
        self._goto(g, "add")
        return f"{g['src']}: BINARY_SUBSCR d[{g['key']}]", f"loads {v}"

    def p_get(self, sh: DState, g):
        v = sh.get(g["key"])
        g["tmp"] = 0 if v is None else v
        # The call returns: CHECK_EVAL_BREAKER after CALL is a switch point.
        self._goto(g, "add", call_return=True)
        return f"{g['src']}: CALL d.get({g['key']}, 0)", f"returns {g['tmp']}"

    def p_add(self, sh: DState, g):
        self._goto(g, "store")
        return f"{g['src']}: BINARY_OP +", f"computes {g['tmp']} + 1 = {g['tmp'] + 1} (not stored yet)"

    def p_del(self, sh: DState, g):
        ok = sh.delitem(g["key"])
        if not ok:
            return self._raise(g, f"KeyError: {g['key']}", f"{g['src']}: DELETE_SUBSCR d[{g['key']}]",
                               "key already gone")
        if g["op"] == "check-delete":
            g["res"] = "deleted"
        g["pc"] = "done"
        return f"{g['src']}: DELETE_SUBSCR d[{g['key']}]", "index slot → DKIX_DUMMY, entry cleared"

    def p_contains(self, sh: DState, g):
        present = sh.lookup(g["key"]) >= 0
        act = present != (g["op"] == "check-insert")  # absent for an insert, present for a delete
        if not act:
            g["res"] = "skipped"
            g["pc"] = "done"
        elif g["call"]:
            g["after"] = "store" if g["op"] == "check-insert" else "del"
            g["pc"], g["then"] = "call", None
            g["sw"] = self.ver.mode != "calls"  # 3.10+ GIL: no switch before the call
        else:
            self._goto(g, "store" if g["op"] == "check-insert" else "del")
        return f"{g['src']}: CONTAINS_OP", f"{g['key']} {'in' if present else 'not in'} d"

    def p_call(self, sh: DState, g):
        self._goto(g, g.pop("after"), call_return=True)
        return f"{g['src']}: CALL f()", "the call returns: a thread switch point"

    def p_iter(self, sh: DState, g):
        # dictiter_new: di_used = ma_used, di_pos = 0, len = ma_used
        g["it"] = (sh.used, 0, sh.used)
        g["res"] = ()
        self._goto(g, "next")
        return "for k in d: GET_ITER", f"di_used = {sh.used}, len = {sh.used}"

    def p_next(self, sh: DState, g):
        di_used, pos, ln = g["it"]
        label = "for k in d: FOR_ITER (dictiter_iternextkey)"
        if di_used != sh.used:
            return self._raise(g, MSG_SIZE, label, f"di_used {di_used} != ma_used {sh.used}")
        n = sh.nentries
        while pos < n and sh.entries[pos] is None:
            pos += 1
        if pos >= n:
            g["pc"] = "done"
            return label, "no more entries: StopIteration"
        if ln == 0:
            return self._raise(g, MSG_KEYS, label, "found an entry although len reached 0")
        k = sh.entries[pos][1]
        g["it"] = (di_used, pos + 1, ln - 1)
        g["res"] = g["res"] + (k,)
        # The loop body ends with JUMP_BACKWARD: a switch point before the next FOR_ITER.
        self._goto(g, "next", back_edge=True)
        return label, f"yields {k} (entry {pos})"

    # ------------------------------------------------------------ oracle
    def _serial(self):
        out = []
        for order in permutations(range(self.n)):
            d = dict(self.initial_items)
            res = [None] * self.n
            exc = [None] * self.n
            for i in order:
                op, k = self.ops[i], self.keys[i]
                if op == "insert":
                    d[k] = self.vals[i]
                elif op == "lookup":
                    if k in d:
                        res[i] = d[k]
                    else:
                        exc[i] = f"KeyError: {k}"
                elif op == "delete":
                    if k in d:
                        del d[k]
                    else:
                        exc[i] = f"KeyError: {k}"
                elif op == "incr":
                    if k in d:
                        d[k] += 1
                    else:
                        exc[i] = f"KeyError: {k}"
                elif op == "get-set":
                    d[k] = d.get(k, 0) + 1
                elif op == "check-insert":
                    if k not in d:
                        d[k] = self.vals[i]
                        res[i] = "inserted"
                    else:
                        res[i] = "skipped"
                elif op == "check-delete":
                    if k in d:
                        del d[k]
                        res[i] = "deleted"
                    else:
                        res[i] = "skipped"
                elif op == "iterate":
                    res[i] = tuple(d)
            out.append((d, res, exc))
        return out

    def finish(self, w: World) -> Verdict:
        sh: DState = w.sh
        final = dict(sh.items())
        got_res = [g["res"] for g in w.th]
        got_exc = [g["exc"] for g in w.th]
        serial = self._serial()
        for d, res, exc in serial:
            if d == final and [tuple(r) if isinstance(r, tuple) else r for r in res] == got_res and exc == got_exc:
                return Verdict("ok", "", [("after both threads finish: check", f"d = {final}: same as a serial order")])
        # Exceptions first: they are what the user sees.
        for i, e in enumerate(got_exc):
            if e and not any(exc[i] == e for _, _, exc in serial):
                return Verdict("panic", e, [(f"thread {i + 1} raised", e)])
        for i, op in enumerate(self.ops):
            k = self.keys[i]
            if op in ("incr", "get-set"):
                want = max(d.get(k, 0) for d, _, _ in serial)
                if final.get(k, 0) < want:
                    return Verdict("corruption", "lost update",
                                   [("after both threads finish: check", f"d[{k}] = {final.get(k)}, expected {want}")])
        for i, op in enumerate(self.ops):
            k = self.keys[i]
            if op in ("delete", "check-delete") and not got_exc[i] and got_res[i] != "skipped" and k in final \
                    and all(d.get(k) != final[k] for d, _, _ in serial):
                return Verdict("corruption", "lost delete (the deleted key was written back)",
                               [("after both threads finish: check",
                                 f"thread {i + 1} deleted {k}, yet d[{k}] = {final[k]}: a read-modify-write "
                                 "that loaded it before the delete stored it back")])
        if self.ops.count("check-insert") > 1 and got_res.count("inserted") > 1:
            k = self.keys[self.ops.index("check-insert")]
            return Verdict("corruption", "both threads inserted (one value overwritten)",
                           [("after both threads finish: check",
                             f"both saw {k} absent and stored; d[{k}] = {final.get(k)}: the other value is lost")])
        if "check-delete" in self.ops and got_res.count("deleted") > 1:
            return Verdict("corruption", "both threads deleted the same key",
                           [("after both threads finish: check", "each thought it removed the key")])
        return Verdict("corruption", "result matches no serial order",
                       [("after both threads finish: check", f"d = {final}, results {got_res}")])
