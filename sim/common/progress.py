"""Progress for long commands, on stderr: bars on a terminal, short plain lines elsewhere.

Library functions take a ``progress`` callback (called with a text per stage, or None);
nothing prints on import or inside the library by itself, and the Python API passes None.
The texts a run sends are :class:`Step` values: strings (a plain callback such as
``list.append`` or ``print`` takes them as they are) that also name their stage, its
position (month 3 of 18) and its label (``2027-03``), so that the CLI's :class:`RunProgress`
shows them in Swedish or English, as a bar on a terminal or as one short line each in a
log. :class:`StageProgress` prints any text as one line with the elapsed seconds.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any, TextIO


class StageProgress:
    """Callable progress reporter: ``progress("calibrating")`` prints ``[  3.1 s] calibrating``."""

    def __init__(self, title: str, *, stream=None) -> None:
        self.title = title
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()

    def __call__(self, stage: str) -> None:
        elapsed = time.perf_counter() - self.start
        print(f"[{elapsed:6.1f} s] {self.title}: {stage}", file=self.stream, flush=True)

    def __enter__(self) -> StageProgress:
        self.start = time.perf_counter()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self("done")


class Step(str):
    """A progress text that names its stage: ``Step("months", label="2027-03", done=9,
    total=18, year=2027)`` reads ``months 2027-03 (9/18)``; ``fields`` fill the stage's name
    in :data:`STAGE_NAMES`.

    >>> step = Step("months", label="2027-03", done=9, total=18, year=2027, runs=10)
    >>> str(step), step.stage, step.done, step.fields["year"]
    ('months 2027-03 (9/18)', 'months', 9, 2027)
    """

    stage: str
    label: str
    done: int | None
    total: int | None
    fields: dict[str, Any]

    def __new__(
        cls,
        stage: str,
        *,
        label: str = "",
        done: int | None = None,
        total: int | None = None,
        **fields: Any,
    ) -> Step:
        text = " ".join(part for part in (stage, label) if part)
        if done is not None and total is not None:
            text += f" ({done}/{total})"
        step = super().__new__(cls, text)
        step.stage, step.label, step.done, step.total, step.fields = (
            stage,
            label,
            done,
            total,
            fields,
        )
        return step


#: Each stage of ``sim run``, in Swedish and English ({year}, {runs}, {seconds} from the
#: step's fields).
STAGE_NAMES: dict[str, tuple[str, str]] = {
    "population": ("läser befolkningen", "reading the population"),
    "compile": (
        "kompilerar modellen (endast första körningen, ca {seconds} s)",
        "compiling the model (first run only, about {seconds} s)",
    ),
    "prepare": ("förbereder {year}", "preparing {year}"),
    "months": ("simulerar {year} ({runs} körningar)", "simulating {year} ({runs} runs)"),
    "table": ("beräknar resultaten", "computing the results"),
    "files": ("skriver tabellerna", "writing the tables"),
    "charts": ("ritar diagram", "drawing the charts"),
    "report": ("skriver rapporten", "writing the report"),
}


def month_label(year: int, month: int) -> str:
    """A simulated month as ``YYYY-MM``: months 1-12 of ``year``, and the lead-in months
    0, -1, ... as December, November, ... of the year before.

    >>> month_label(2027, 3), month_label(2027, 0), month_label(2027, -5)
    ('2027-03', '2026-12', '2026-07')
    """
    if month >= 1:
        return f"{year}-{month:02d}"
    return f"{year - 1}-{12 + month:02d}"


def stage_name(step: str, lang: str = "sv") -> str:
    """The stage's name of a :class:`Step` in ``lang``; any other text as it is."""
    if not isinstance(step, Step) or step.stage not in STAGE_NAMES:
        return str(step)
    sv, en = STAGE_NAMES[step.stage]
    template = sv if lang == "sv" else en
    try:
        return template.format(**step.fields)
    except (KeyError, IndexError):
        return template.split(" (")[0].replace(" {year}", "")


class RunProgress:
    """The progress of ``sim run``: on a terminal (``stream.isatty()``) a live bar of the
    stage under way (the months' as 9/18 with the month's ``YYYY-MM``) and a line per stage
    passed, with its time; elsewhere (a log, CI) one short line per stage and month::

        [   0.4 s] förbereder 2027
        [   9.0 s] simulerar 2027 (10 körningar): 2027-03 (9/18)

    With ``hold_first``, the first stage's line is written once it has passed (in a log), or
    cleared (on a terminal) if it fails, so that bad input found while reading the inputs
    still ends in the one line of its error. Use it as a context manager: on leaving, the total time is
    shown (``klart på 23 s``), or the display stopped after an error.
    """

    def __init__(
        self,
        *,
        lang: str = "sv",
        stream: TextIO | None = None,
        live: bool | None = None,
        hold_first: bool = False,
    ) -> None:
        self.lang = lang
        self.hold_first = hold_first
        self.stream = stream or sys.stderr
        is_terminal = getattr(self.stream, "isatty", lambda: False)()
        self.live = is_terminal if live is None else live
        self.start = time.perf_counter()
        self._bar: Any = None
        self._task: Any = None
        self._stage: str | None = None
        self._stage_name = ""
        self._stage_start = self.start
        self._held: str | None = None  # the first stage's line, until it has passed
        self._n_steps = 0

    def __enter__(self) -> RunProgress:
        self.start = self._stage_start = time.perf_counter()
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(bar_width=24),
                TextColumn("{task.fields[count]} {task.fields[label]}"),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
        return self

    def __call__(self, step: str) -> None:
        stage = step.stage if isinstance(step, Step) else str(step)
        name = stage_name(step, self.lang)
        label = step.label if isinstance(step, Step) else ""
        done = step.done if isinstance(step, Step) else None
        total = step.total if isinstance(step, Step) else None
        self._n_steps += 1
        if self._bar is None:
            self._release()
            text = f"{name}: {label}" if label else name
            if done is not None and total is not None:
                text += f" ({done}/{total})"
            line = self._line(text)
            if self._n_steps == 1 and self.hold_first:
                self._held = line
            else:
                print(line, file=self.stream, flush=True)
            return
        if stage != self._stage:
            self._close_stage()
            self._task = self._bar.add_task(name, total=total, label=label, count="")
            self._stage, self._stage_name = stage, name
            self._stage_start = time.perf_counter()
        count = f"{done}/{total}" if done is not None and total is not None else ""
        self._bar.update(self._task, completed=done or 0, label=label, count=count)

    def _release(self) -> None:
        if self._held is not None:
            print(self._held, file=self.stream, flush=True)
            self._held = None

    def _close_stage(self) -> None:
        """On a terminal: the stage under way becomes a line with its time."""
        if self._task is None:
            return
        seconds = time.perf_counter() - self._stage_start
        self._bar.remove_task(self._task)
        shown = f"{seconds:.1f}".replace(".", "," if self.lang == "sv" else ".")
        self._bar.console.print(f"✓ {self._stage_name} ({shown} s)", highlight=False)
        self._task = None

    def _line(self, text: str) -> str:
        elapsed = time.perf_counter() - self.start
        return f"[{elapsed:6.1f} s] {text}"

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        seconds = time.perf_counter() - self.start
        if self._bar is not None:
            if kind is None:
                self._close_stage()
            self._bar.stop()
            self._bar = None
        if kind is None:
            self._release()
            done = "klart på" if self.lang == "sv" else "done in"
            print(f"{done} {seconds:.0f} s", file=self.stream, flush=True)
