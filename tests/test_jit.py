"""sim.common.jit: the compiled code computes what its Python source says, and its cache follows
the rules' sources.

The rules are stated once, as compiled functions (sim/rules/); the one check of the compiled
passes is that numba's machine code gives the numbers of the same code interpreted by Python
(``NUMBA_DISABLE_JIT=1``), bit for bit, on random households (sim.engine.random_inputs). The legal
numbers themselves are the worked cases' (tests/cases/, the rules' doctests).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from numba.core.dispatcher import Dispatcher

import sim
from sim.common import jit
from sim.engine.pipeline import compute
from sim.engine.random_inputs import random_month
from sim.law.assumptions import default_assumptions
from sim.rules.bidragstak import FourthChildOrder
from sim.scenarios.scenario import load_scenario

#: Laws that reach every branch: the tilläggsbidrag of 2024 and early 2025, current law,
#: the bidragstak half and fully phased in under each reading of the fourth child, with the
#: modernised norm's cuts, and SOU 2025:15 model B.
LAWS = [
    ("baseline", dt.date(2024, 3, 1), FourthChildOrder.BIRTH_ORDER),
    ("baseline", dt.date(2025, 3, 1), FourthChildOrder.BIRTH_ORDER),
    ("baseline", dt.date(2026, 3, 1), FourthChildOrder.BIRTH_ORDER),
    ("bidragstak", dt.date(2027, 3, 1), FourthChildOrder.MOST_EXPENSIVE),
    ("bidragstak", dt.date(2027, 9, 1), FourthChildOrder.BIRTH_ORDER),
    ("kombinerad", dt.date(2027, 11, 1), FourthChildOrder.AVERAGE),
    ("sou2025_modell_b", dt.date(2027, 3, 1), FourthChildOrder.BIRTH_ORDER),
]


def month_outputs() -> dict[str, np.ndarray]:
    """Every array of the engine's month (:class:`sim.engine.pipeline.MonthResult`) for 3 000 random
    households under each of :data:`LAWS`, with the persons grouped by household and
    shuffled (the passes group them again). Children's earnings earlier in the year lie
    around the exempt amount (SoL 12 kap. 9 §) and some households have a norm top-up, so
    that every branch of the rules is taken."""
    rng = np.random.default_rng(22)
    persons, households = random_month(3_000, rng=rng)
    to_date = np.where(persons.is_child, rng.choice([0.0, 58_000.0, 70_000.0], persons.n), 0.0)
    earnings = np.where(
        persons.is_child & (rng.random(persons.n) < 0.3), 3_000.0, persons.earnings_gross
    )
    persons = dataclasses.replace(persons, earnings_gross=earnings, earnings_year_to_date=to_date)
    households = dataclasses.replace(
        households, norm_topup=np.where(rng.random(households.n) < 0.1, 400.0, 0.0)
    )
    order = np.random.default_rng(23).permutation(persons.household_idx.size)
    shuffled = dataclasses.replace(
        persons,
        **{
            f.name: getattr(persons, f.name)[order]
            for f in dataclasses.fields(persons)
            if isinstance(getattr(persons, f.name), np.ndarray)
        },
    )
    outputs = {}
    for name, when, reading in LAWS:
        law = load_scenario(name).law(when.year).resolve(when)
        assumptions = default_assumptions().with_values(
            {"bidragstak.fourth_child_order": float(reading)}
        )
        for grouping, people in (("grouped", persons), ("shuffled", shuffled)):
            result = compute(people, households, law, assumptions)
            for field, values in dataclasses.asdict(result).items():
                outputs[f"{name} {when} {grouping} {field}"] = np.asarray(values)
    return outputs


def test_the_compiled_passes_equal_their_code_interpreted(tmp_path):
    """The engine compiled (the households in ranges on threads where the machine has
    several cores) and interpreted by Python (NUMBA_DISABLE_JIT=1, one thread): every
    array, bit for bit, in dtype and value (NaN, -0.0 included)."""
    saved = tmp_path / "interpreted.npz"
    script = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import numpy as np; "
        f"import test_jit; np.savez({str(saved)!r}, **test_jit.month_outputs())"
    )
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1", "NUMBA_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr
    compiled = month_outputs()
    with np.load(saved) as interpreted:
        assert sorted(interpreted.files) == sorted(compiled)
        for name, values in compiled.items():
            want = interpreted[name]
            assert values.dtype == want.dtype, name
            assert np.array_equal(values.view(np.uint8), want.view(np.uint8)), name
    # The draw reaches the rules' branches: flerbarnstillägg, underhållsstöd, bostadsbidrag
    # paid and reduced to nothing, tilläggsbidrag where the law has it, the fourth-child
    # rule, households of more than seven persons.
    base = "baseline 2024-03-01 grouped"
    # ... and jobbstimulans, children's counted earnings, FS paid and reduced by income.
    assert compiled[f"{base} jobbstimulans_applies"].any()
    assert (compiled[f"{base} counted_child_earnings"] > 0).any()
    paid = compiled[f"{base} forsorjningsstod"]
    assert (paid > 0).any() and (paid < compiled[f"{base} fs_entitlement"]).any()
    for field in ("flerbarnstillagg", "underhallsstod", "tillaggsbidrag"):
        assert (compiled[f"{base} {field}"] > 0).any(), field
    families = compiled[f"{base} barnbidrag"] > 0
    assert (compiled[f"{base} bostadsbidrag"][families] == 0).any()
    assert (compiled[f"{base} bostadsbidrag"][families] > 0).any()
    assert not compiled["baseline 2026-03-01 grouped tillaggsbidrag"].any()
    for name, when, _ in LAWS[3:]:
        assert (compiled[f"{name} {when} grouped fourth_child_reduction"] > 0).any(), name
    assert (compiled[f"{base} n_persons"] > 7).any()


# --- the cache follows the rules' sources --------------------------------------------------

RULE = """
from sim.common.jit import jit


@jit
def rule(x):
    return 2.0 * x
"""

KERNEL = """
from sim.common.jit import jit
from sim.rules.probe_rule import rule


@jit
def kernel(x):
    return rule(x) + 1.0
"""

RUN_KERNEL = """
from sim.common.jit import is_cached
from sim.probe_kernel import kernel
print(is_cached(kernel), kernel(1.0))
"""


def test_an_edited_rule_reaches_the_cached_kernels_that_call_it(tmp_path):
    """numba alone keeps a kernel's machine code until the kernel's own file changes, so a
    kernel calling a rule of sim/rules/ would compute the old rule after the rule alone is
    edited. A kernel calling a rule, in a copy of sim: compiled and cached, then found
    in the cache, then, with the rule edited (its file only), not found
    (sim.precompile.is_cold's answer) and compiled again with the edit."""
    source = Path(sim.__file__).parent
    copy = tmp_path / "src" / "sim"
    (copy / "rules").mkdir(parents=True)
    (copy / "common").mkdir()
    for name in ("__init__.py", "common/__init__.py", "common/jit.py", "rules/__init__.py"):
        shutil.copy(source / name, copy / name)
    (copy / "rules" / "probe_rule.py").write_text(RULE, encoding="utf-8")
    (copy / "probe_kernel.py").write_text(KERNEL, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path / "src"),
        "NUMBA_CACHE_DIR": str(tmp_path / "cache"),
    }
    env.pop("NUMBA_DISABLE_JIT", None)

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", RUN_KERNEL],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert run() == ["False", "3.0"]  # compiled
    assert run() == ["True", "3.0"]  # from the cache
    (copy / "rules" / "probe_rule.py").write_text(RULE.replace("2.0", "20.0"), encoding="utf-8")
    assert run() == ["False", "21.0"]  # the edit, compiled again
    assert run() == ["True", "21.0"]


def _compiled_functions() -> list[tuple[str, str, Dispatcher]]:
    """Every compiled function of the model's modules that the engine and the population
    load: (module, name, dispatcher)."""
    for name in (
        "sim.engine.pipeline",
        "sim.precompile",
        "sim.population.receipt",
        "sim.simulation.year",
    ):
        importlib.import_module(name)
    found = []
    for module_name, module in sorted(sys.modules.items()):
        if module_name.split(".")[0] != "sim" or module is None:
            continue
        for name, value in vars(module).items():
            if isinstance(value, Dispatcher) and value.py_func.__module__ == module_name:
                found.append((module_name, name, value))
    return found


def _compiled_callees(dispatcher: Dispatcher) -> set[str]:
    """The modules of the compiled functions ``dispatcher``'s code names (as globals, or as
    attributes of modules it names)."""
    function = dispatcher.py_func
    names: set[str] = set()
    codes = [function.__code__]
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if inspect.iscode(c))
    modules = set()
    for name in names:
        value = function.__globals__.get(name)
        candidates = [value]
        if inspect.ismodule(value):
            candidates = [getattr(value, attribute, None) for attribute in names]
        for candidate in candidates:
            if isinstance(candidate, Dispatcher):
                modules.add(candidate.py_func.__module__)
    return modules


#: Modules of the sibling branch of issue 22 (the incomes and entitlements), whose kernels
#: call rules but still use numba.njit directly: to be converted to sim.common.jit there.
def test_compiled_code_calls_compiled_code_of_its_own_module_and_the_rules_only():
    """The convention that makes the rules' digest enough (sim/common/jit.py): a compiled
    function's machine code holds that of the compiled functions it calls, so those must be
    of its own module (numba's own stamp) or of sim/rules/, and then it must be made by
    sim.common.jit.jit (stamped with the rules' digest)."""
    compiled = _compiled_functions()
    assert {
        "sim.engine.benefits_pass",
        "sim.engine.riksnorm_pass",
        "sim.engine.fourth_child_pass",
    } <= {m for m, _, _ in compiled}
    calling_rules = set()
    for module_name, name, dispatcher in compiled:
        others = _compiled_callees(dispatcher) - {module_name}
        assert all(m.startswith(jit.RULES_PACKAGE + ".") for m in others), (name, others)
        if others:
            calling_rules.add(f"{module_name}.{name}")
            assert jit.follows_rules(dispatcher), (
                f"{module_name}.{name} is not made by sim.common.jit"
            )
    assert {
        "sim.engine.benefits_pass._benefits",
        "sim.engine.fourth_child_pass._fourth_child",
        "sim.engine.net_income_pass._add_persons",
        "sim.engine.entitlement_pass._households",
    } <= calling_rules


def test_the_digest_covers_every_rule_and_only_the_rules(tmp_path, monkeypatch):
    """rules_digest changes with any file of the rules package, by content and by name."""
    package = tmp_path / "rules_copy"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(jit, "RULES_PACKAGE", "rules_copy")

    def digest() -> str:
        jit.rules_digest.cache_clear()
        importlib.invalidate_caches()
        return jit.rules_digest()

    try:
        first = digest()
        (package / "a.py").write_text("x = 2\n", encoding="utf-8")
        second = digest()
        (package / "b.py").write_text("", encoding="utf-8")
        third = digest()
        (tmp_path / "elsewhere.py").write_text("y = 1\n", encoding="utf-8")
        assert len({first, second, third}) == 3 and digest() == third
    finally:
        jit.rules_digest.cache_clear()
