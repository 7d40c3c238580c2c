"""The report's sources: every source it cites, once (:class:`Sources`), the list of
sources section, and a URL as a link."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from sim.catalogue.labels import text as _t
from sim.outputs.report.templates import report_section

#: The mark of a secondary source in the source list.
SECONDARY_MARK = ("(sekundär källa)", "(secondary source)")


def source_link(url: str) -> Markup | str:
    """A URL as a link showing its shortened self; a text with a URL in it, with that URL
    as a link; any other text as it is (escaped)."""
    if not url or not url.startswith(("http://", "https://")):
        inside = re.search(r"https?://\S+", url or "")
        if inside:  # a source named in words with its URL: the URL as a link
            before, _, after = url.partition(inside.group(0))
            return Markup("{}{}{}").format(before, source_link(inside.group(0)), after)
        return url or ""
    return Markup('<a href="{}">{}</a>').format(url, _short(url))


def _short(url: str, width: int = 60) -> str:
    return url if len(url) <= width else url[: width - 1] + "…"


class Sources:
    """Every source the report cites, once (by its URL, else its text, and whether it is
    cited as a secondary source), in the order first cited, with what cites it."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.items: dict[str, dict[str, Any]] = {}

    def add(self, text: Any, url: str = "", *, secondary: bool = False) -> None:
        text = " ".join(str(text or "").split())
        url = url if url and url.startswith(("http://", "https://")) else ""
        if not text and not url:
            return
        # A primary page cited for a value that was taken from a secondary one is listed
        # twice: once as it is, once marked.
        item = self.items.setdefault(
            f"{secondary}:{url or text}",
            {"texts": [], "url": url, "url_text": _short(url, 90), "secondary": secondary},
        )
        if text and text not in item["texts"]:
            item["texts"].append(text)

    def listed(self) -> list[dict[str, Any]]:
        """The sources for the template: ``text`` (what cites it, at most three names),
        ``url``, ``url_text``, ``secondary``."""
        out = []
        for item in self.items.values():
            texts = item["texts"] or [item["url_text"]]
            more = len(texts) - 3
            text = "; ".join(texts[:3]) + (
                _t(self.lang, f" m.fl. ({more} till)", f" and {more} more") if more > 0 else ""
            )
            out.append({**item, "text": text})
        return out


def sources_section(sources: Sources, lang: str) -> dict[str, Any]:
    items = sources.listed()
    n_secondary = sum(1 for s in items if s["secondary"])
    return report_section(
        "kallforteckning",
        _t(lang, "Källförteckning", "List of sources"),
        "sources.html.j2",
        intro=_t(
            lang,
            f"Varje källa som rapporten hänvisar till: lagrum och förarbeten för reglerna, "
            f"underlag för antagandena, kalibreringens och jämförelsens källor. {n_secondary} "
            f"av {len(items)} är sekundära källor (nyhetsartiklar, sammanställningar) och "
            f"märkta så; de bör ersättas med primärkällan innan siffran används i ett "
            f"remissvar.",
            f"Every source the report cites: the law and preparatory works of the rules, the "
            f"evidence for the assumptions, the sources of the calibration and of the "
            f"comparison. {n_secondary} of {len(items)} are secondary sources (news articles, "
            f"compilations) and marked as such; replace them by the primary source before "
            f"using the figure in a remiss answer.",
        ),
        sources=items,
        secondary_mark=_t(lang, *SECONDARY_MARK),
    )
