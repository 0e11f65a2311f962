"""The decision dossier as a PDF (reportlab): A4, an embedded TrueType font, real text.

The font is Bitstream Vera Sans, which ships inside the reportlab wheel and has €, é, ë and the other
letters of Dutch; it is embedded (as a subset) so the text is searchable and copies correctly. Every
text goes through `_text`: XML-escaped (area names such as `<img src=x>` print as they are written,
never as markup) and with the few characters the font lacks replaced. The map is drawn as vector paths
from the metres of EPSG:31370, so the scale bar is exact at any zoom.
"""

from __future__ import annotations

import io
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from geo.exports import NUMERIC_KINDS
from geo.reports.dossier import Dossier, PathChart
from geo.reports.static_map import StaticMap, scale_text
from geo.reports.tables import Table as ReportTable

FONT, FONT_BOLD = "GeoVera", "GeoVeraBd"
PAGE = A4
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN
MAP_MAX_HEIGHT = 150 * mm
_REPLACE = {
    "Δ": "verschil ",
    "→": "->",
    "−": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "…": "...",
    "’": "'",
    "‘": "'",
}

#: letters with a combining mark the font cannot draw (the mean p-bar of the formula)
_REPLACE_SEQUENCES = {"p\u0304": "p_gem"}


@lru_cache(maxsize=1)
def _fonts() -> frozenset[int]:
    """Register the embedded fonts once; returns the code points the font can draw."""
    regular = TTFont(FONT, "Vera.ttf")
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    return frozenset(regular.face.charToGlyph)


def _plain(text: object) -> str:
    """Text the font can draw: known substitutes, then `?` for what it lacks; control characters gone."""
    glyphs = _fonts()
    out = []
    for seq, plain in _REPLACE_SEQUENCES.items():
        text = str(text).replace(seq, plain)
    for ch in str(text):
        ch = _REPLACE.get(ch, ch)
        for c in ch:
            if c in "\n\t":
                out.append(" ")
            elif ord(c) < 32:
                continue
            else:
                out.append(c if ord(c) in glyphs else "?")
    return "".join(out)


def _text(text: object) -> str:
    """Paragraph markup for plain text: escaped, so user text is never read as markup."""
    return escape(_plain(text))


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, spaceAfter=4)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=8),
        "h1": ParagraphStyle("h1", base, fontName=FONT_BOLD, fontSize=12.5, leading=16, spaceBefore=8),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceBefore=4),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7, leading=8.5, textColor=colors.HexColor("#444444")),
        "cell": ParagraphStyle("cell", base, fontSize=7, leading=8.4, spaceAfter=0),
        "num": ParagraphStyle("num", base, fontSize=7, leading=8.4, spaceAfter=0, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, fontSize=7, leading=8.4, spaceAfter=0),
    }


# ------------------------------------------------------------------------------------------- map
class MapFlowable(Flowable):
    """The static map: unit polygons filled by area, area outlines, scale bar, north arrow."""

    def __init__(self, the_map: StaticMap, width: float, max_height: float) -> None:
        super().__init__()
        self.map = the_map
        w, h = max(the_map.width_m, 1.0), max(the_map.height_m, 1.0)
        self.scale = min(width / w, max_height / h)
        self.width, self.height = w * self.scale, h * self.scale

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def _xy(self, x: float, y: float) -> tuple[float, float]:
        minx, miny = self.map.bounds[0], self.map.bounds[1]
        return (x - minx) * self.scale, (y - miny) * self.scale

    def _path(self, rings):
        p = self.canv.beginPath()
        for ring in rings:
            pts = ring.tolist()
            if len(pts) < 3:
                continue
            p.moveTo(*self._xy(*pts[0]))
            for x, y in pts[1:]:
                p.lineTo(*self._xy(x, y))
            p.close()
        return p

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setLineJoin(1)
        c.setStrokeColor(colors.white)
        c.setLineWidth(0.15)
        for shape in self.map.shapes:
            c.setFillColor(colors.HexColor(shape.fill))
            c.drawPath(self._path(shape.rings), fill=1, stroke=1, fillMode=1)
        c.setStrokeColor(colors.HexColor("#1f1f1f"))
        c.setLineWidth(0.7)
        for rings in self.map.outlines:
            c.drawPath(self._path(rings), fill=0, stroke=1)
        self._scale_bar()
        self._north()
        c.restoreState()

    def _scale_bar(self) -> None:
        c = self.canv
        length = self.map.scale_m * self.scale
        x0, y0 = 4 * mm, 4 * mm
        c.setFillColor(colors.white)
        c.setStrokeColor(colors.white)
        c.rect(x0 - 1.5 * mm, y0 - 1.5 * mm, length + 3 * mm + 14 * mm, 6 * mm, fill=1, stroke=0)
        c.setFillColor(colors.black)
        c.setStrokeColor(colors.black)
        c.setLineWidth(0.6)
        half = length / 2
        c.rect(x0, y0, half, 1.4 * mm, fill=1, stroke=1)
        c.rect(x0 + half, y0, half, 1.4 * mm, fill=0, stroke=1)
        c.setFont(FONT, 6.5)
        c.drawString(x0 + length + 1.5 * mm, y0, _plain(scale_text(self.map.scale_m)))

    def _north(self) -> None:
        c = self.canv
        x, y = self.width - 6 * mm, self.height - 12 * mm
        c.setFillColor(colors.black)
        p = c.beginPath()
        p.moveTo(x, y + 8 * mm)
        p.lineTo(x - 2.2 * mm, y + 2 * mm)
        p.lineTo(x, y + 3.2 * mm)
        p.lineTo(x + 2.2 * mm, y + 2 * mm)
        p.close()
        c.drawPath(p, fill=1, stroke=0)
        c.setFont(FONT_BOLD, 8)
        c.drawCentredString(x, y - 1.5 * mm, "N")


class Swatch(Flowable):
    def __init__(self, color: str, size: float = 3 * mm) -> None:
        super().__init__()
        self.color, self.size = color, size

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setFillColor(colors.HexColor(self.color))
        self.canv.setStrokeColor(colors.HexColor("#555555"))
        self.canv.setLineWidth(0.3)
        self.canv.rect(0, 0, self.size, self.size, fill=1, stroke=1)


def _legend(the_map: StaticMap, styles) -> Table:
    cells = [[Swatch(color), Paragraph(_text(label), styles["cell"])] for color, label in the_map.legend]
    per_col = (len(cells) + 2) // 3
    columns = [cells[i * per_col : (i + 1) * per_col] for i in range(3)]
    rows = []
    for r in range(per_col):
        row = []
        for col in columns:
            row.extend(col[r] if r < len(col) else ["", ""])
        rows.append(row)
    swatch, label = 5 * mm, WIDTH / 3 - 5 * mm
    table = Table(rows, colWidths=[swatch, label] * 3, hAlign="LEFT", splitInRow=1)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
    return table


# ------------------------------------------------------------------------------------------- charts
class PathRow(Flowable):
    """One row of small charts: per area its amount over the years (line with dots) and the formula's
    amount (dashed), each on its own vertical scale; start and last amount written under it."""

    PER_ROW = 4
    HEIGHT = 27 * mm

    def __init__(self, chart: PathChart, indices: list[int], width: float) -> None:
        super().__init__()
        self.chart, self.indices = chart, indices
        self.width, self.height = width, self.HEIGHT

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        cell = self.width / self.PER_ROW
        for k, i in enumerate(self.indices):
            self._cell(k * cell, cell - 3 * mm, i)

    def _cell(self, x0: float, w: float, i: int) -> None:
        c, chart = self.canv, self.chart
        values, target = chart.amounts[i], chart.targets[i]
        top, plot_h, bottom = self.height - 4 * mm, 14 * mm, self.height - 18 * mm
        c.saveState()
        c.setFont(FONT_BOLD, 6.5)
        c.setFillColor(colors.black)
        name = full = _plain(chart.areas[i])
        while pdfmetrics.stringWidth(name, FONT_BOLD, 6.5) > w and len(full) > 4:
            full = full[:-1]
            name = full.rstrip() + "..."
        c.drawString(x0, top + 1 * mm, name)
        lo, hi = min([*values, target]), max([*values, target])
        span = hi - lo or max(abs(hi), 1.0)

        def y(v: float) -> float:
            return bottom + (v - lo) / span * plot_h

        n = len(values)
        xs = [x0 + (w * j / (n - 1) if n > 1 else w / 2) for j in range(n)]
        c.setStrokeColor(colors.HexColor("#cccccc"))
        c.setLineWidth(0.3)
        c.line(x0, bottom, x0 + w, bottom)
        c.setStrokeColor(colors.HexColor("#888888"))
        c.setDash(2, 1.5)
        c.line(x0, y(target), x0 + w, y(target))
        c.setDash()
        c.setStrokeColor(colors.HexColor("#1f5fa8"))
        c.setFillColor(colors.HexColor("#1f5fa8"))
        c.setLineWidth(1)
        path = c.beginPath()
        path.moveTo(xs[0], y(values[0]))
        for xj, v in zip(xs[1:], values[1:], strict=True):
            path.lineTo(xj, y(v))
        c.drawPath(path, stroke=1, fill=0)
        for xj, v in zip(xs, values, strict=True):
            c.circle(xj, y(v), 0.55, stroke=0, fill=1)
        c.setFont(FONT, 5.5)
        c.setFillColor(colors.HexColor("#333333"))
        fmt_amount = _amount_text(chart.unit)
        c.drawString(x0, bottom - 3 * mm, _plain(fmt_amount(values[0])))
        c.drawRightString(x0 + w, bottom - 3 * mm, _plain(fmt_amount(values[-1])))
        c.restoreState()


def _amount_text(unit: str):
    from geo import fmt as nl

    return nl.euro if unit == "euro" else nl.number


def _path_chart(chart: PathChart, styles) -> list:
    """The small charts in rows (a row never splits over two pages) and how to read them."""
    rows = [
        PathRow(chart, list(range(i, min(i + PathRow.PER_ROW, len(chart.areas)))), WIDTH)
        for i in range(0, len(chart.areas), PathRow.PER_ROW)
    ]
    first, last = chart.labels[0], chart.labels[-1]
    note = Paragraph(
        _text(
            f"Per gebied het bedrag van {first} tot {last} (blauw, links het startbedrag en rechts het "
            "bedrag van het laatste jaar) en het bedrag volgens de formule (gestreept); elk gebied op zijn "
            "eigen schaal."
        ),
        styles["small"],
    )
    head = [Paragraph(_text("Overgang per gebied"), styles["h2"]), note, Spacer(1, 1 * mm)]
    return [KeepTogether([*head, rows[0]]), *rows[1:]]  # the heading never alone at the foot of a page


# ------------------------------------------------------------------------------------------- tables
def _widths(rows: list[list[str]], numeric: list[bool], size: float = 7) -> tuple[list[float], bool]:
    """Column widths in points: numbers and header words never wrap when the page allows it; text columns
    share what is left in proportion to their text. The flag says whether everything fits unwrapped."""
    pad = 5
    n = len(rows[0])
    low, want = [], []
    for j in range(n):
        head_word = max((pdfmetrics.stringWidth(w, FONT_BOLD, size) for w in rows[0][j].split()), default=0)
        cells = [pdfmetrics.stringWidth(r[j], FONT_BOLD, size) for r in rows[1:]] or [0.0]
        longest = max(cells)
        low.append(max(head_word, longest if numeric[j] else min(longest, 22 * mm)) + pad)
        want.append(max(low[-1], min(longest, 70 * mm) + pad))
    if sum(want) <= WIDTH:
        return want, True
    if sum(low) >= WIDTH:
        return [WIDTH * w / sum(low) for w in low], False
    spare = WIDTH - sum(low)
    extra = [w - lo for w, lo in zip(want, low, strict=True)]
    return [lo + spare * e / sum(extra) for lo, e in zip(low, extra, strict=True)], True


def _sized(styles, size: float) -> dict[str, ParagraphStyle]:
    return {
        k: ParagraphStyle(f"{k}{size}", styles[k], fontSize=size, leading=size * 1.2)
        for k in ("head", "cell", "num")
    }


def _table(table: ReportTable, styles) -> Table:
    rows = table.text_rows()
    numeric = [c.kind in NUMERIC_KINDS for c in table.columns]
    size = 7.0
    widths, fits = _widths(rows, numeric, size)
    while not fits and size > 5.5:  # a wide table gets a smaller font rather than broken words
        size -= 0.25
        widths, fits = _widths(rows, numeric, size)
    styles = _sized(styles, size)
    data = [[Paragraph(_text(h), styles["head"]) for h in rows[0]]]
    for row in rows[1:]:
        data.append(
            [Paragraph(_text(v), styles["num" if n else "cell"]) for v, n in zip(row, numeric, strict=True)]
        )
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for i in range(2, len(data), 2):
        style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f7f7f7")))
    if table.total and len(data) > 1:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black))
        data[-1] = [Paragraph(f"<b>{p.text}</b>", p.style) for p in data[-1]]
    out = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    out.setStyle(TableStyle(style))
    return out


# ------------------------------------------------------------------------------------------- document
def render(dossier: Dossier) -> bytes:
    """The PDF bytes of `dossier`."""
    styles = _styles()
    story: list = [Paragraph(_text(dossier.title), styles["title"])]
    facts = [
        [Paragraph(_text(k), styles["head"]), Paragraph(_text(v), styles["cell"])] for k, v in dossier.facts
    ]
    facts_table = Table(facts, colWidths=[40 * mm, WIDTH - 40 * mm], hAlign="LEFT", splitInRow=1)
    facts_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                                     ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
    story += [facts_table, Spacer(1, 4 * mm)]
    for part in dossier.parts:
        head = [Paragraph(_text(part.title), styles["h1"])]
        head += [Paragraph(_text(p), styles["body"]) for p in part.paragraphs]
        if part.map is not None:
            the_map = MapFlowable(part.map, WIDTH, MAP_MAX_HEIGHT)
            story.append(KeepTogether([*head, the_map]))
            story += [Spacer(1, 2 * mm), _legend(part.map, styles)]
            story.append(
                Paragraph(
                    _text(
                        f"Schaalbalk en coördinaten: {part.map.crs}. Noorden boven. {part.map.attribution}"
                    ),
                    styles["small"],
                )
            )
        else:
            story.append(KeepTogether(head))
        for table in part.tables:
            if len(part.tables) > 1:
                story.append(Paragraph(_text(table.title), styles["h2"]))
            story.append(_table(table, styles))
            story.extend(Paragraph(_text(n), styles["small"]) for n in table.notes)
            story.append(Spacer(1, 3 * mm))
        if part.chart is not None and part.chart.areas:
            story += _path_chart(part.chart, styles)
    buffer = io.BytesIO()
    footer = _plain(dossier.footer())

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 8 * mm, footer[:150])
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, f"pagina {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_plain(dossier.title),
        author="Gebiedsplanner 1G1P",
        subject="Beslissingsdossier",
        lang="nl-BE",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
