"""Faithfulness tests for the runtime-map simulator (maplint/sim).

Each test names the runtime fact it pins down (go-runtime-maps.md §, or the
python-dict-semantics notes) so a failure says which part of the model drifted.
"""
from __future__ import annotations

import itertools
import json
import statistics
import time

import pytest

from maplint.sim import (
    GO_OPS,
    PY_OPS,
    growth_sizes,
    model_size,
    normalize_runtime,
    render_timeline,
    runtime_for_go,
    simulate,
    summary_line,
)
from maplint.sim import _explore_cached
from maplint.sim.go_common import MSG_CLONE, MSG_ITER, MSG_NILDEREF, MSG_READ, MSG_WRITES

GO_RUNTIMES = ("go1.23", "go1.24", "go1.27")
PY_RUNTIMES = ("cpython3.9", "cpython3.11", "cpython3.13t")


def classes(r):
    return {(o.kind, o.message) for o in r.outcomes}


def messages(r, kind):
    return {o.message for o in r.outcomes if o.kind == kind}


# --------------------------------------------------------------- runtimes


def test_runtime_for_go():
    assert runtime_for_go("1.22") == "go1.22"
    assert runtime_for_go("go1.24.3") == "go1.24"
    assert runtime_for_go(None) == "go1.27"
    with pytest.raises(ValueError):
        runtime_for_go("banana")


@pytest.mark.parametrize("raw,canon", [
    ("go1.23", "go1.23"), ("GO1.24", "go1.24"), ("1.27", "go1.27"), ("go1.21.5", "go1.21"),
    ("cpython3.9", "cpython3.9"), ("python3.11", "cpython3.11"), ("3.13t", "cpython3.13t"),
    ("cpython3.14t", "cpython3.14t"),
])
def test_normalize_runtime(raw, canon):
    assert normalize_runtime(raw) == canon


@pytest.mark.parametrize("bad", ["go1.5", "cpython3.12t", "jython2.7", "", "rust1.80"])
def test_normalize_runtime_rejects_with_help(bad):
    with pytest.raises(ValueError) as e:
        normalize_runtime(bad)
    assert "go1" in str(e.value) or "cpython" in str(e.value) or "CPython" in str(e.value)


def test_unknown_op_and_key_kind():
    with pytest.raises(ValueError, match="choose from"):
        simulate("go1.23", "insert", "upsert")
    with pytest.raises(ValueError, match="key kind"):
        simulate("go1.23", "insert", "insert", key_kind="pyhash")
    with pytest.raises(ValueError):
        simulate("cpython3.11", "incr", "range")


# --------------------------------------------------------------- scheduler


@pytest.mark.parametrize("rt", GO_RUNTIMES)
@pytest.mark.parametrize("a,b", list(itertools.combinations_with_replacement(GO_OPS, 2)))
def test_serial_schedules_are_always_correct(rt, a, b):
    """With no preemption every schedule is serial: the oracle must accept it
    (no fatal check can fire, no damage can be found)."""
    r = simulate(rt, a, b, key_kind="int64", bound=0)
    assert classes(r) == {("ok", "")}, summary_line(r)


@pytest.mark.parametrize("rt", PY_RUNTIMES)
@pytest.mark.parametrize("a,b", list(itertools.combinations_with_replacement(PY_OPS, 2)))
def test_python_serial_schedules_are_correct(rt, a, b):
    r = simulate(rt, a, b, bound=0)
    assert classes(r) == {("ok", "")}, summary_line(r)


def test_deterministic():
    _explore_cached.cache_clear()
    a = json.dumps(simulate("go1.27", "insert", "clear", key_kind="int64").to_json(), sort_keys=True)
    _explore_cached.cache_clear()
    b = json.dumps(simulate("go1.27", "insert", "clear", key_kind="int64").to_json(), sort_keys=True)
    assert a == b


def test_budget_is_reported():
    r = simulate("go1.23", "insert", "insert", key_kind="int64", size=8, budget=200)
    assert r.budget_hit
    assert "partial" in summary_line(r)
    assert r.explored > 0


def test_shares_sum_to_one_and_ok_last():
    r = simulate("go1.23", "insert", "insert", key_kind="int64")
    assert sum(o.count for o in r.outcomes) == r.explored
    assert abs(sum(o.share for o in r.outcomes) - 1) < 1e-9
    assert r.outcomes[-1].kind == "ok"
    shares = [o.share for o in r.outcomes if o.kind != "ok"]
    assert shares == sorted(shares, reverse=True)


def test_witness_ends_in_the_failure():
    r = simulate("go1.23", "insert", "insert", key_kind="int64")
    o = r.outcome("fatal", MSG_WRITES)
    assert o.witness[-1].failure
    assert sum(s.failure for s in o.witness) == 1
    assert {s.actor for s in o.witness} == {1, 2}


# --------------------------------------------------------------- Go: detection


@pytest.mark.parametrize("rt", GO_RUNTIMES)
def test_xor_flag_lets_two_writers_pass_the_entry_check(rt):
    """§1.2/§2.2, D2/D3: the flag update is a plain load + XOR + store after
    hashing, so both writers can pass the entry check; one of them then trips
    the exit check (`concurrent map writes` at exit)."""
    r = simulate(rt, "insert", "insert", key_kind="int64")
    o = r.outcome("fatal", MSG_WRITES)
    assert o is not None
    entry, exit_ = o.site("entry check"), o.site("exit check")
    assert entry and exit_
    w = exit_.witness
    entries = [s for s in w if "entry check" in s.label]
    assert {s.actor for s in entries} == {1, 2}, "both writers passed the entry check"
    assert w[-1].failure and "exit check" in w[-1].label


def test_classic_d1_entry_check_witness_is_shortest():
    """D1: A sets hashWriting; B's entry check sees it. Five steps."""
    r = simulate("go1.23", "insert", "insert", key_kind="int64")
    w = r.outcome("fatal", MSG_WRITES).witness
    assert [s.actor for s in w] == [1, 1, 1, 1, 2]
    assert "store" in w[3].label and dict(w[3].state)["flags"] == "hashWriting"


@pytest.mark.parametrize("rt", GO_RUNTIMES)
@pytest.mark.parametrize("reader", ["lookup", "range", "len", "clone"])
@pytest.mark.parametrize("writer", ["insert", "delete", "clear", "incr"])
def test_a_reader_never_reports_concurrent_map_writes(rt, reader, writer):
    """§0: readers only check the flag, never set it, so a writer never sees
    a reader: `concurrent map writes` needs two writers."""
    r = simulate(rt, reader, writer, key_kind="int64")
    assert MSG_WRITES not in messages(r, "fatal")


@pytest.mark.parametrize("rt", GO_RUNTIMES)
def test_observer_names_the_message(rt):
    """§0: the message names the function that observed the flag."""
    assert MSG_READ in messages(simulate(rt, "lookup", "insert", key_kind="int64"), "fatal")
    assert MSG_ITER in messages(simulate(rt, "range", "insert", key_kind="int64"), "fatal")
    assert MSG_WRITES in messages(simulate(rt, "clear", "insert", key_kind="int64"), "fatal")


@pytest.mark.parametrize("rt", GO_RUNTIMES)
def test_readers_and_len_alone_are_safe(rt):
    for a, b in [("lookup", "lookup"), ("range", "lookup"), ("len", "range"), ("clone", "lookup")]:
        assert classes(simulate(rt, a, b)) == {("ok", "")}


def test_len_is_never_checked():
    """W5: len(m) is a plain load of count/used: no fatal, whatever the writer does."""
    for rt in GO_RUNTIMES:
        r = simulate(rt, "len", "insert", key_kind="int64")
        assert not messages(r, "fatal")


def test_clone_message_per_version():
    """§2.2: go1.24's mapclone2 iterates and Puts, so a racing write is
    reported as iteration; classic and go1.25+ Map.Clone check once."""
    r23 = simulate("go1.23", "clone", "insert", key_kind="int64")
    r24 = simulate("go1.24", "clone", "insert", key_kind="int64")
    r27 = simulate("go1.27", "clone", "insert", key_kind="int64")
    assert MSG_CLONE in messages(r23, "fatal")
    assert MSG_CLONE not in messages(r24, "fatal")
    assert MSG_ITER in messages(r24, "fatal")
    assert MSG_CLONE in messages(r27, "fatal")


def test_poisoned_clone_only_on_go125_plus():
    """S-P2: Map.Clone copies the header including `writing`."""
    assert "clone left in writing state" in messages(simulate("go1.27", "clone", "insert"), "corruption")
    assert "clone left in writing state" in messages(simulate("go1.25", "clone", "insert"), "corruption")
    assert "clone left in writing state" not in messages(simulate("go1.24", "clone", "insert"), "corruption")
    assert "clone left in writing state" not in messages(simulate("go1.23", "clone", "insert"), "corruption")


# --------------------------------------------------------------- Go: damage


@pytest.mark.parametrize("rt", ["go1.24", "go1.27"])
def test_swiss_map_left_stuck_in_writing_state(rt):
    """S-P1: the exit toggles (`writing ^= 1`), so two writers that both pass
    both checks can leave writing == 1 forever."""
    r = simulate(rt, "insert", "insert", key_kind="int64")
    o = r.outcome("corruption", "map left in writing state")
    assert o is not None
    assert dict(o.witness[-1].state)["writing"] == "1"


def test_classic_flag_can_never_stick():
    """§3: the classic exit uses &^=, so the bit cannot stay set."""
    for a, b in [("insert", "insert"), ("insert", "delete"), ("clear", "insert"), ("incr", "incr")]:
        r = simulate("go1.23", a, b, key_kind="int64")
        assert "map left in writing state" not in messages(r, "corruption")


@pytest.mark.parametrize("rt", GO_RUNTIMES)
def test_clear_vs_insert_resurrects_len(rt):
    """C-12/S-7: the insert loads count before clear zeroes it and stores
    count+1 afterwards (or stores its key before the memclr): len(m) counts a
    key the map does not hold."""
    r = simulate(rt, "clear", "insert", key_kind="generic")
    o = r.outcome("corruption", "len disagrees with contents")
    assert o is not None
    last = o.witness[-1]
    assert last.actor == 0 and "len(m) = 1" in last.detail and "0 keys" in last.detail


@pytest.mark.parametrize("rt", GO_RUNTIMES)
def test_clear_reseed_leaves_key_visible_to_range_only(rt):
    """C-12/S-7: the insert hashed with the old seed; after the clear re-seeds,
    lookups (generic path: tophash / H2 compare) miss the key range yields."""
    r = simulate(rt, "clear", "insert", key_kind="generic")
    assert r.outcome("corruption", "key visible to range but not to lookup")


def test_classic_fast64_single_bucket_lookup_does_not_hash():
    """map_fast64.go:74: with B == 0 the fast path scans the bucket without
    hashing, so the stale-seed key is still found: no range-only key."""
    r = simulate("go1.23", "clear", "insert", key_kind="int64")
    assert not r.outcome("corruption", "key visible to range but not to lookup")


@pytest.mark.parametrize("rt", GO_RUNTIMES)
def test_lost_increments_need_no_flag_overlap(rt):
    """C-15/S-11 (W3): m[k]++ stores through the returned pointer after the
    flag is cleared: lost increments, never detected."""
    r = simulate(rt, "incr", "incr", key_kind="int64")
    o = r.outcome("corruption", "lost update")
    assert o is not None
    assert any("m[k]++ load" in s.label for s in o.witness)


@pytest.mark.parametrize("rt", GO_RUNTIMES)
def test_reader_sees_zero_value_in_the_post_return_window(rt):
    """C-7 (W3): the key is stored, mapassign returned and cleared the flag,
    the caller has not stored the value yet: (0, true)."""
    r = simulate(rt, "lookup", "insert", key_kind="int64")
    assert r.outcome("corruption", "reader saw a zero value for a present key")


def test_same_slot_overwrite_loses_a_key():
    """C-2: both writers pick the same empty slot."""
    r = simulate("go1.23", "insert", "insert", key_kind="int64")
    assert r.outcome("corruption", "lost key")


def test_duplicate_key_only_on_fast_paths():
    """C-3: the fast paths store tophash before the key; a second writer of
    the same absent key skips the half-written slot and stores it again."""
    fast = simulate("go1.23", "incr", "incr", key_kind="int64", size=0)
    generic = simulate("go1.23", "incr", "incr", key_kind="generic", size=0)
    assert fast.outcome("corruption", "duplicate key")
    assert not generic.outcome("corruption", "duplicate key")


def test_classic_growth_races():
    """At a growth threshold (insert #9: B 0→1): double evacuation throws
    `bad map state` (C-5), the grow finishing under an evacuator is a nil
    dereference panic (C-11/ev_start), a torn B/buckets read faults (C-9)."""
    assert 8 in growth_sizes("go1.23")
    r = simulate("go1.23", "insert", "insert", key_kind="int64", size=8)
    assert "bad map state" in messages(r, "fatal")
    assert "fault" in messages(r, "fatal")
    assert MSG_NILDEREF in messages(r, "panic")
    assert not r.budget_hit


def test_classic_reader_misses_key_during_evacuation():
    """C-8: the reader picked the old bucket, the writer's evacuation marked
    its slots evacuatedX/Y (and cleared the keys): the present key is missed."""
    r = simulate("go1.23", "lookup", "insert", key_kind="generic", size=8)
    assert r.outcome("corruption", "reader missed a present key")


def test_no_growth_below_the_threshold():
    r = simulate("go1.23", "insert", "insert", key_kind="int64", size=4)
    assert "bad map state" not in messages(r, "fatal")
    assert not any("hashGrow" in s.label for o in r.outcomes for s in o.witness)


def test_swiss_lost_value_store_after_grow():
    """S-4 (W3): the caller stores the value through a pointer into the small
    group after the other writer's growToTable copied it."""
    r = simulate("go1.24", "insert", "insert", key_kind="int64", size=7)
    o = r.outcome("corruption", "stale value")
    assert o and "is 0" in o.witness[-1].detail


def test_swiss_has_no_classic_throws():
    for rt in ("go1.24", "go1.27"):
        r = simulate(rt, "insert", "insert", key_kind="int64", size=8)
        assert "bad map state" not in messages(r, "fatal")
        assert "oldoverflow is not nil" not in messages(r, "fatal")


def test_swiss_torn_small_to_table_switch_faults_later():
    """S-6: one writer tested dirLen == 0, the other's growToTable stored the
    directory into dirPtr, and putSlotSmall runs on the directory; the damaged
    table pointer faults at the next table access (after both returned).
    go1.27 tries putSlotSmall on a full group before growing, so two inserts
    into an 8-entry map can race this way. go1.24–1.26 take the small path
    only while used < 8, which the grower must see as 8: that needs a third
    writer, beyond a two-operation simulation (the notes measured 1-2 % there
    vs 5-16 % on go1.27)."""
    for rt, size in (("go1.27", 8),):
        r = simulate(rt, "insert", "insert", key_kind="int64", size=size)
        o = r.outcome("fatal", "fault")
        assert o is not None, summary_line(r)
        site = o.site("after both return")
        assert site and any("putSlotSmall(m.dirPtr)" in s.label for s in site.witness)


def test_small_map_full_fatal_until_go126():
    """go1.24.11 map.go:563 (kept in 1.25.5 and 1.26.6): `m.used < 8` was seen
    but the group is full. go1.27 grows instead."""
    msg = "small map with no empty slot (concurrent map writes?)"
    assert msg in messages(simulate("go1.24", "insert", "delete", key_kind="int64", size=8), "fatal")
    assert msg in messages(simulate("go1.26", "insert", "delete", key_kind="int64", size=8), "fatal")
    assert msg not in messages(simulate("go1.27", "insert", "delete", key_kind="int64", size=8), "fatal")


def test_swiss_crash_path_hang():
    """S-10: go1.24+ `fatal` holds printlock while a racing nil-deref panic
    holds paniclk: the process prints and hangs. Classic never hangs."""
    r = simulate("go1.24", "insert", "clear", key_kind="int64", size=8)
    assert any(o.kind == "hang" and "printlock" in o.message for o in r.outcomes)
    r23 = simulate("go1.23", "insert", "clear", key_kind="int64", size=8)
    assert not any(o.kind == "hang" for o in r23.outcomes)


def test_size_classes():
    assert model_size("go1.23", "insert", "insert", None) == 4
    assert model_size("go1.23", "insert", "insert", 8) == 8
    assert model_size("go1.23", "insert", "insert", 52) == 13
    assert model_size("go1.23", "insert", "insert", 51) == 12
    assert model_size("go1.23", "lookup", "lookup", 1000) == 20
    assert model_size("go1.27", "insert", "lookup", 56) == 14
    assert model_size("go1.27", "insert", "lookup", 100) == 20
    r = simulate("go1.23", "insert", "insert", key_kind="int64", size=52)
    assert r.model_size == 13 and r.size == 52 and r.notes


# --------------------------------------------------------------- CPython


def test_incr_loses_updates_free_threaded_but_not_with_the_gil():
    """d[k] += 1 with builtin keys: no switch point between BINARY_SUBSCR and
    STORE_SUBSCR with the GIL on 3.10+; any bytecode on ≤3.9; anywhere on 3.13t."""
    assert simulate("cpython3.13t", "incr", "incr").outcome("corruption", "lost update")
    assert simulate("cpython3.9", "incr", "incr").outcome("corruption", "lost update")
    assert classes(simulate("cpython3.11", "incr", "incr")) == {("ok", "")}
    assert classes(simulate("cpython3.12", "incr", "incr", key_kind="builtin")) == {("ok", "")}


def test_incr_with_python_hash_loses_updates_with_the_gil():
    """A __hash__ written in Python is a call: a switch point inside STORE_SUBSCR."""
    r = simulate("cpython3.11", "incr", "incr", key_kind="pyhash")
    o = r.outcome("corruption", "lost update")
    assert o and any("__hash__" in s.label for s in o.witness)


@pytest.mark.parametrize("rt", PY_RUNTIMES + ("cpython3.12", "cpython3.14t"))
def test_get_set_loses_updates_everywhere(rt):
    """d[k] = d.get(k, 0) + 1: the call to get is a switch point on every version."""
    assert simulate(rt, "get-set", "get-set").outcome("corruption", "lost update")


@pytest.mark.parametrize("rt", PY_RUNTIMES)
@pytest.mark.parametrize("writer", ["insert", "delete"])
def test_iteration_guard(rt, writer):
    """dictiter_iternextkey: di_used != ma_used → RuntimeError (the loop's
    back-edge is a switch point even with the GIL)."""
    r = simulate(rt, "iterate", writer)
    assert r.outcome("panic", "RuntimeError: dictionary changed size during iteration")
    assert "raises RuntimeError" in summary_line(r)


def test_iterate_vs_value_update_is_fine():
    """Replacing a value does not change ma_used: no RuntimeError."""
    for rt in PY_RUNTIMES:
        r = simulate(rt, "iterate", "incr")
        assert not r.outcome("panic", "RuntimeError: dictionary changed size during iteration")


def test_check_then_act():
    assert simulate("cpython3.13t", "check-delete", "check-delete").outcome("panic", "KeyError: 1")
    assert simulate("cpython3.9", "check-insert", "check-insert").outcome(
        "corruption", "both threads inserted (one value overwritten)")
    assert classes(simulate("cpython3.11", "check-insert", "check-insert")) == {("ok", "")}
    assert simulate("cpython3.11", "check-delete", "check-delete", key_kind="pyhash").outcome("panic", "KeyError: 1")


def test_lost_delete():
    """A read-modify-write that loaded the key before a delete writes it back."""
    assert simulate("cpython3.11", "delete", "get-set").outcome(
        "corruption", "lost delete (the deleted key was written back)")
    assert classes(simulate("cpython3.11", "delete", "incr")) == {("ok", "")}
    assert simulate("cpython3.13t", "delete", "incr").outcome(
        "corruption", "lost delete (the deleted key was written back)")


def test_python_never_claims_a_go_crash():
    for rt in PY_RUNTIMES:
        for a, b in itertools.combinations_with_replacement(PY_OPS, 2):
            r = simulate(rt, a, b)
            assert not messages(r, "fatal")
            assert "concurrent map" not in summary_line(r)


def test_python_dict_resize_is_modelled():
    """insertion_resize: an 8-slot keys object has dk_usable 5; the sixth
    insert rebuilds it at GROWTH_RATE = used*3 → 16."""
    r = simulate("cpython3.11", "insert", "insert", size=4)
    w = r.outcomes[0].witness
    sizes = [dict(s.state)["dk_size"] for s in w if s.actor]
    assert sizes == ["8", "16"]
    assert "insertion_resize" in w[1].detail


# --------------------------------------------------------------- output


def test_summary_line_format():
    r = simulate("go1.23", "insert", "insert", key_kind="int64")
    line = summary_line(r)
    assert line.startswith("→ fatal error: concurrent map writes in ")
    assert f"of {r.explored:,} schedules" in line
    assert "silent lost key in" in line
    assert "ok" not in line


def test_summary_no_failure():
    r = simulate("go1.27", "lookup", "lookup")
    assert summary_line(r) == f"→ no failure in {r.explored:,} schedules"


def test_timeline_two_columns_and_failure_mark():
    r = simulate("go1.27", "insert", "insert", key_kind="int64")
    text = render_timeline(r)
    lines = text.splitlines()
    assert "goroutine 1" in lines[1] and "goroutine 2" in lines[1] and "state" in lines[1]
    assert "✗" in text and "writing=1" in text
    # The failing row is in goroutine 2's column: after the first separator.
    fail = next(line for line in lines if "✗" in line)
    assert fail.index("✗") > fail.index("│")
    assert "thread 1" in render_timeline(simulate("cpython3.9", "incr", "incr"))


def test_json_shape():
    doc = simulate("go1.23", "incr", "incr", key_kind="int64").to_json()
    json.dumps(doc)
    assert set(doc) >= {"runtime", "ops", "outcomes", "explored", "budget_hit"}
    o = doc["outcomes"][0]
    assert set(o) >= {"kind", "message", "share", "witness"}
    st = o["witness"][0]
    assert set(st) == {"actor", "label", "detail", "state", "failure"}


def test_cached():
    a = simulate("go1.27", "insert", "lookup", key_kind="string")
    b = simulate("go1.27", "insert", "lookup", key_kind="string")
    assert a.outcomes is b.outcomes


def test_median_time_per_simulation_under_100ms():
    """The brief: ≤ 100 ms median for one finding (default size, uncached)."""
    _explore_cached.cache_clear()
    times = []
    for rt in GO_RUNTIMES:
        for a, b in [("insert", "insert"), ("lookup", "insert"), ("range", "insert"), ("incr", "incr"),
                     ("delete", "insert"), ("clear", "insert"), ("clone", "insert")]:
            t = time.perf_counter()
            simulate(rt, a, b, key_kind="int64")
            times.append(time.perf_counter() - t)
    assert statistics.median(times) < 0.1, times


@pytest.mark.parametrize("rt,a,b", [("go1.23", "insert", "insert"), ("go1.23", "range", "delete"),
                                    ("go1.27", "incr", "insert"), ("go1.27", "clone", "clear"),
                                    ("go1.24", "range", "insert"), ("cpython3.11", "iterate", "insert"),
                                    ("cpython3.13t", "incr", "check-delete")])
def test_a_step_changes_only_its_own_actor(rt, a, b):
    """The search shares the other actors' locals between a state and its
    children (scheduler.World.child): a step of actor i must leave every
    other actor's locals untouched."""
    from maplint import sim
    from maplint.sim.scheduler import explore

    rt = normalize_runtime(rt)
    fam = sim._family(rt)
    kk = "builtin" if fam[0] == "py" else "int64"
    machine = sim._machine(fam, (a, b), kk, 4)
    step = machine.step
    checked = []

    def guarded(w, i):
        others = [(j, dict(t)) for j, t in enumerate(w.th) if j != i]
        r = step(w, i)
        for j, before in others:
            assert w.th[j] == before, f"a step of actor {i} changed actor {j}'s locals"
        checked.append(i)
        return r

    machine.step = guarded
    finish = machine.finish

    def audited(w):
        before = (w.sh.key(), [dict(t) for t in w.th])
        v = finish(w)
        assert (w.sh.key(), w.th) == before, "the final audit changed the world (worlds share their state)"
        return v

    machine.finish = audited
    ex = explore(machine, 3, 40_000)
    assert checked and ex.explored > 0


@pytest.mark.parametrize("rt,a,b,size", [("go1.23", "insert", "insert", 7), ("go1.23", "range", "insert", 4),
                                         ("go1.27", "incr", "insert", 0), ("go1.27", "clear", "range", 4),
                                         ("go1.24", "insert", "insert", 14), ("cpython3.13t", "incr", "get-set", 4),
                                         ("cpython3.9", "iterate", "delete", 4)])
def test_reused_moves_give_the_plain_search(rt, a, b, size):
    """A step depends only on the shared state and the stepping actor's
    locals, all of them in the state key (scheduler.explore reuses a step
    for every state with the same pair): the same counts, states and
    witnesses as stepping every state afresh."""
    from maplint import sim
    from maplint.sim.scheduler import explore

    rt = normalize_runtime(rt)
    fam = sim._family(rt)
    kk = "builtin" if fam[0] == "py" else "int64"
    plain = explore(sim._machine(fam, (a, b), kk, size), 3, 40_000, reuse_moves=False)
    reused = explore(sim._machine(fam, (a, b), kk, size), 3, 40_000)
    assert (reused.counts, reused.states, reused.explored) == (plain.counts, plain.states, plain.explored)
    assert reused.witnesses == plain.witnesses
