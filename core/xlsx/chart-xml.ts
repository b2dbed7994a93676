/**
 * Charts as the package holds them (ECMA-376 Part 1, 21.2 DrawingML Charts and 20.5 SpreadsheetML Drawing): a
 * drawing part per sheet anchoring each chart to cells, its alternative text on the frame's `xdr:cNvPr` (`descr`,
 * what Excel's Alt Text pane and screen readers read), and one `c:chartSpace` part per chart whose series read
 * their data from the sheet's cells (`c:f`), with the values the core computed as the cache so the chart shows
 * before a recalculation. Element order follows the schema (tests/schemas/ecma376-transitional/dml-chart.xsd).
 * Pure text.
 */
import { rangeA1, sheetRef } from "../spec.js";
import type { ChartSpec } from "../chart.js";
import { escapeAttr, escapeText, REL_NS, REL_TYPE, relationship, relationships, XML_HEAD } from "./package-text.js";

const DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
const A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main";
const CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart";
export const DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml";
export const CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const CHART_REL = `${REL_TYPE}chart`;

/**
 * Series colours, each at least 3:1 against the white plot area (WCAG 2.1 1.4.11, non-text contrast), and each
 * series also told apart by its marker or its value label, never by colour alone (1.4.1).
 */
export const SERIES_COLOURS = ["1F4E79", "C55A11", "375623", "7030A0", "404040", "833C0B"];
const MARKERS = ["circle", "square", "triangle", "diamond", "x", "star"];

/** One sheet's drawing part: a two-cell anchor per chart, each pointing at its chart part by relationship id. */
export function drawingXml(frames: string[]): string {
  return `${XML_HEAD}<xdr:wsDr xmlns:xdr="${DRAWING_NS}" xmlns:a="${A_NS}">${frames.join("")}</xdr:wsDr>`;
}

/** One chart's anchor in a drawing: `id` unique in the drawing, `relId` the drawing's relationship to the chart. */
function chartFrameXml(chart: ChartSpec, id: number, name: string, relId: string): string {
  const { row, col, rows, cols } = chart.anchor;
  const marker = (tag: string, r: number, c: number) =>
    `<xdr:${tag}><xdr:col>${c}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${r}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:${tag}>`;
  return (
    `<xdr:twoCellAnchor editAs="oneCell">${marker("from", row - 1, col - 1)}${marker("to", row - 1 + rows, col - 1 + cols)}` +
    `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${id}" name="${escapeAttr(name)}" descr="${escapeAttr(chart.altText)}" title="${escapeAttr(chart.title)}"/>` +
    `<xdr:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></xdr:cNvGraphicFramePr></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>` +
    `<a:graphic><a:graphicData uri="${CHART_NS}"><c:chart xmlns:c="${CHART_NS}" xmlns:r="${REL_NS}" r:id="${relId}"/></a:graphicData></a:graphic>` +
    `</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
  );
}

/** The drawing's relationships to its chart parts (targets relative to xl/drawings/). */
function drawingRelsXml(chartParts: string[]): string {
  return relationships(chartParts.map((part, i) => relationship(`rId${i + 1}`, CHART_REL, `../charts/${part}`)));
}

const val = (tag: string, value: string | number) => `<c:${tag} val="${value}"/>`;

function richText(text: string, size: number, bold: boolean): string {
  return (
    `<c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}" b="${bold ? 1 : 0}"/></a:pPr>` +
    `<a:r><a:rPr lang="en-US" sz="${size}" b="${bold ? 1 : 0}"/><a:t>${escapeText(text)}</a:t></a:r></a:p></c:rich>`
  );
}

/** Axis and legend text: 10 pt, dark grey on white (over 4.5:1). */
const TEXT_PROPS =
  '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1000"><a:solidFill><a:srgbClr val="262626"/></a:solidFill></a:defRPr></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>';

const solid = (hex: string) => `<a:solidFill><a:srgbClr val="${hex}"/></a:solidFill>`;

/** One chart part: the chart's series reading `sheetName`'s cells, the computed values as their cache. */
function chartSpaceXml(chart: ChartSpec, sheetName: string): string {
  const ref = (range: ChartSpec["categories"]) => escapeText(`${sheetRef(sheetName)}!${rangeA1(range, true)}`);
  const format = chart.percent ? "0%" : "General";
  const count = chart.categoryLabels.length;
  const categories =
    `<c:cat><c:strRef><c:f>${ref(chart.categories)}</c:f><c:strCache><c:ptCount val="${count}"/>` +
    chart.categoryLabels.map((label, i) => `<c:pt idx="${i}"><c:v>${escapeText(label)}</c:v></c:pt>`).join("") +
    `</c:strCache></c:strRef></c:cat>`;
  const line = chart.type === "line";
  const series = chart.series
    .map((s, i) => {
      const colour = SERIES_COLOURS[i % SERIES_COLOURS.length]!;
      const values =
        `<c:val><c:numRef><c:f>${ref(s.values)}</c:f><c:numCache><c:formatCode>${format}</c:formatCode><c:ptCount val="${count}"/>` +
        s.cached
          .slice(0, count)
          .map((v, k) => (v === null || !Number.isFinite(v) ? "" : `<c:pt idx="${k}"><c:v>${v}</c:v></c:pt>`))
          .join("") +
        `</c:numCache></c:numRef></c:val>`;
      const look = line
        ? `<c:spPr><a:ln w="28575">${solid(colour)}</a:ln></c:spPr><c:marker><c:symbol val="${MARKERS[i % MARKERS.length]}"/><c:size val="7"/><c:spPr>${solid(colour)}<a:ln>${solid(colour)}</a:ln></c:spPr></c:marker>`
        : `<c:spPr>${solid(colour)}</c:spPr><c:invertIfNegative val="0"/>`;
      // Each bar and point carries its figure, so no one needs the colour to read it.
      const labels =
        `<c:dLbls><c:numFmt formatCode="${format}" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>${TEXT_PROPS}` +
        `<c:dLblPos val="${line ? "t" : "outEnd"}"/>${val("showLegendKey", 0)}${val("showVal", 1)}${val("showCatName", 0)}${val("showSerName", 0)}${val("showPercent", 0)}${val("showBubbleSize", 0)}</c:dLbls>`;
      return (
        `<c:ser>${val("idx", i)}${val("order", i)}<c:tx><c:v>${escapeText(s.name)}</c:v></c:tx>${look}${labels}${categories}${values}` +
        `${line ? val("smooth", 0) : ""}</c:ser>`
      );
    })
    .join("");
  const horizontal = chart.type === "barClustered";
  const plot = line
    ? `<c:lineChart>${val("grouping", "standard")}${val("varyColors", 0)}${series}${val("marker", 1)}${val("axId", 1)}${val("axId", 2)}</c:lineChart>`
    : `<c:barChart>${val("barDir", horizontal ? "bar" : "col")}${val("grouping", "clustered")}${val("varyColors", 0)}${series}${val("gapWidth", 80)}${val("axId", 1)}${val("axId", 2)}</c:barChart>`;
  const axisLine = `<c:spPr><a:ln w="9525">${solid("595959")}</a:ln></c:spPr>`;
  const categoryAxis =
    `<c:catAx>${val("axId", 1)}<c:scaling>${val("orientation", horizontal ? "maxMin" : "minMax")}</c:scaling>${val("delete", 0)}${val("axPos", horizontal ? "l" : "b")}` +
    `${val("majorTickMark", "none")}${val("minorTickMark", "none")}${val("tickLblPos", "nextTo")}${axisLine}${TEXT_PROPS}${val("crossAx", 2)}${val("crosses", "autoZero")}` +
    `${val("auto", 1)}${val("lblAlgn", "ctr")}${val("lblOffset", 100)}${val("noMultiLvlLbl", 0)}</c:catAx>`;
  const valueAxis =
    `<c:valAx>${val("axId", 2)}<c:scaling>${val("orientation", "minMax")}${chart.percent ? `${val("max", 1)}${val("min", 0)}` : val("min", 0)}</c:scaling>${val("delete", 0)}` +
    `${val("axPos", horizontal ? "b" : "l")}<c:majorGridlines><c:spPr><a:ln w="6350">${solid("BFBFBF")}</a:ln></c:spPr></c:majorGridlines><c:numFmt formatCode="${format}" sourceLinked="0"/>` +
    `${val("majorTickMark", "out")}${val("minorTickMark", "none")}${val("tickLblPos", "nextTo")}${axisLine}${TEXT_PROPS}${val("crossAx", 1)}${val("crosses", horizontal ? "max" : "autoZero")}${val("crossBetween", "between")}</c:valAx>`;
  return (
    `${XML_HEAD}<c:chartSpace xmlns:c="${CHART_NS}" xmlns:a="${A_NS}" xmlns:r="${REL_NS}">${val("date1904", 0)}${val("lang", "en-US")}${val("roundedCorners", 0)}` +
    `<c:chart><c:title><c:tx>${richText(chart.title, 1200, true)}</c:tx>${val("overlay", 0)}</c:title>${val("autoTitleDeleted", 0)}` +
    `<c:plotArea><c:layout/>${plot}${categoryAxis}${valueAxis}</c:plotArea>` +
    `<c:legend>${val("legendPos", "b")}${val("overlay", 0)}${TEXT_PROPS}</c:legend>${val("plotVisOnly", 1)}${val("dispBlanksAs", "gap")}</c:chart>` +
    `<c:spPr>${solid("FFFFFF")}<a:ln w="9525">${solid("A6A6A6")}</a:ln></c:spPr></c:chartSpace>`
  );
}

/** What a sheet's charts add to a package: the drawing, its relationships, and the chart parts by file name. */
interface SheetCharts {
  drawing: string;
  drawingRels: string;
  charts: { file: string; xml: string }[];
}

/**
 * The parts for a sheet's charts, chart files numbered from `firstChart`; `names` are the frames' names (meta.ts's
 * chartName: a rebuild finds our charts among the team's drawings by them, see splice-charts.ts).
 */
export function sheetChartParts(
  charts: ChartSpec[],
  sheetName: string,
  names: string[],
  firstChart: number,
): SheetCharts {
  const files = charts.map((_, i) => `chart${firstChart + i}.xml`);
  return {
    drawing: drawingXml(charts.map((c, i) => chartFrameXml(c, i + 2, names[i]!, `rId${i + 1}`))),
    drawingRels: drawingRelsXml(files),
    charts: charts.map((c, i) => ({ file: files[i]!, xml: chartSpaceXml(c, sheetName) })),
  };
}
