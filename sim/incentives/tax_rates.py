"""Does work pay? The participation tax rate and the marginal effective tax rate.

Both measure how much of a gross krona of earnings a household does *not* keep, because tax
rises and means-tested benefits (försörjningsstöd, bostadsbidrag) fall; both are computed
from the household's **disposable income** as the model defines it (net earnings and other
net incomes, barnbidrag with flerbarnstillägg, underhållsstöd, bostadsbidrag,
försörjningsstöd and jobbpremie; :mod:`sim.engine.pipeline`, :mod:`sim.calculator.household`).

Participation tax rate (PTR), the extensive margin: the share of the gross earnings of a
job that is lost when a person moves from no work to that job, everything else in the
household unchanged::

    PTR = 1 − (D_in_work − D_out_of_work) / E_in_work

where ``E_in_work`` is the person's gross earnings (SEK/month) in the job, ``D_in_work``
the household's disposable income with them and ``D_out_of_work`` with the person's earnings
at zero. Definition as in the OECD tax-benefit model (OECD, *Benefits and Wages*; the
*Taxing Wages* framework of tax wedges extended to benefits), where the participation tax
rate is the share of the additional gross earnings of moving into work that higher taxes
and withdrawn benefits take away (paraphrased; the OECD text was not read here), and
Immervoll, Kleven, Kreiner & Saez (2007), "Welfare reform in European countries: a
microsimulation analysis", *Economic Journal* 117(516): 1-44, where the participation tax
rate is the net tax (taxes less transfers) in work less out of work, over the earnings,
``(T_in − T_out) / w``, which is the same thing. A PTR of 1 means the job adds nothing;
above 1, the household loses by working. It is undefined at zero earnings.

Marginal effective tax rate (METR, also EMTR), the intensive margin: the share of a small
increase ``Δ`` of gross earnings that is lost::

    EMTR = 1 − (D(E + Δ) − D(E)) / Δ

a forward difference over a discrete step, as tax-benefit models compute it (OECD
*Taxing Wages*; Immervoll et al. 2007, the effective marginal tax rate ``ΔT / Δw``, the
same thing). The step is part of the
result: the tax rounds annual incomes to whole hundreds of kronor and bostadsbidrag is
paid in whole hundreds a month (:mod:`sim.rules.inkomstskatt`,
:mod:`sim.rules.bostadsbidrag`), so a step of 100 kr/month (the default,
:data:`DEFAULT_EMTR_STEP`) shows those steps as they are; a larger step averages over them.
"""

from __future__ import annotations

import numpy as np

#: The default step of gross earnings for the marginal effective tax rate, SEK/month.
DEFAULT_EMTR_STEP = 100.0


def participation_tax_rate(
    *,
    disposable_in_work: np.ndarray,
    disposable_out_of_work: np.ndarray,
    gross_earnings: np.ndarray,
) -> np.ndarray:
    """``1 − (D_in − D_out) / E`` for each row; NaN where ``E`` is 0 (see module docstring).

    >>> participation_tax_rate(disposable_in_work=np.array([12000.0, 15000.0, 9000.0]),
    ...     disposable_out_of_work=np.array([10000.0, 10000.0, 9000.0]),
    ...     gross_earnings=np.array([10000.0, 20000.0, 0.0])).tolist()
    [0.8, 0.75, nan]
    """
    gross = np.asarray(gross_earnings, dtype=float)
    gain = np.asarray(disposable_in_work, dtype=float) - np.asarray(disposable_out_of_work)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(gross > 0, 1.0 - gain / np.where(gross > 0, gross, 1.0), np.nan)


def effective_marginal_tax_rate(
    *, disposable: np.ndarray, disposable_after_step: np.ndarray, step: float
) -> np.ndarray:
    """``1 − (D(E + Δ) − D(E)) / Δ`` for each row (see module docstring); ``step`` is Δ > 0.

    >>> effective_marginal_tax_rate(disposable=np.array([10000.0, 10000.0]),
    ...     disposable_after_step=np.array([10000.0, 10075.0]), step=100.0).tolist()
    [1.0, 0.25]
    """
    if not step > 0:
        raise ValueError("the step of the marginal effective tax rate must be positive")
    gain = np.asarray(disposable_after_step, dtype=float) - np.asarray(disposable, dtype=float)
    return 1.0 - gain / step
