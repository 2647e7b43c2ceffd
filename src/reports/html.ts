import type {ReportTable} from './tables.js'

/**
 * The report as one self-contained HTML page: its tables, and charts that Vega-Lite specifies and vega's
 * headless View renders to SVG (no canvas, no browser), inlined. Nothing on the page loads anything: no
 * script, no stylesheet, image or font from elsewhere. Printed in black and white the charts still read:
 * series are told apart by fill patterns (defined once on the page) and legends, and every bar carries its
 * number.
 */

/** A chart: a title and a Vega-Lite spec (its data inline). */
export interface ChartSpec {
  title: string
  spec: Record<string, unknown>
}

export interface PageInput {
  title: string
  /** The store as people name it (a file path, or a PostgreSQL URL without its password). */
  store: string
  /** The period in words, e.g. "2026-01-01 to 2026-12-31, as of 2027-01-05". */
  period: string
  /** When the page was made (ISO timestamp, UTC). */
  madeAt: string
  operator: string
  charts: ChartSpec[]
  tables: ReportTable[]
}

/** Fill patterns for series, in order: each reads in black and white. Ids are referenced as url(#id). */
export const PATTERNS: readonly {id: string; svg: string}[] = [
  {id: 'cu-solid', svg: '<pattern id="cu-solid" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#333"/></pattern>'},
  {id: 'cu-diag', svg: '<pattern id="cu-diag" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2.2"/></pattern>'},
  {id: 'cu-dots', svg: '<pattern id="cu-dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.3" fill="#000"/></pattern>'},
  {id: 'cu-grey', svg: '<pattern id="cu-grey" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#aaa"/></pattern>'},
  {id: 'cu-cross', svg: '<pattern id="cu-cross" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><path d="M0 3H6M3 0V6" stroke="#000" stroke-width="1"/></pattern>'},
  {id: 'cu-horiz', svg: '<pattern id="cu-horiz" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="3" x2="6" y2="3" stroke="#000" stroke-width="1.6"/></pattern>'},
  {id: 'cu-white', svg: '<pattern id="cu-white" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/></pattern>'},
]

export const patternFill = (i: number): string => `url(#${PATTERNS[i % PATTERNS.length]!.id})`

const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  axis: {labelColor: '#000', titleColor: '#000', domainColor: '#000', tickColor: '#000', gridColor: '#ccc', labelFontSize: 11, titleFontSize: 11},
  legend: {labelColor: '#000', titleColor: '#000', symbolType: 'square', symbolSize: 160, symbolStrokeColor: '#000', symbolStrokeWidth: 0.8},
  view: {stroke: null},
}

/**
 * Bars per category of `x` (in the order given), stacked by `series` with one pattern per series, with the
 * total of each bar written above it. `values` carry fields x, series and the measure.
 */
export function stackedBars(opts: {
  title: string
  values: readonly object[]
  x: {field: string; title: string; domain: readonly string[]}
  y: {field: string; title: string}
  series?: {field: string; title: string; domain: readonly string[]}
  horizontal?: boolean
}): ChartSpec {
  const {x, y, series, horizontal} = opts
  const xEnc = {field: x.field, type: 'ordinal', title: x.title, sort: [...x.domain], scale: {domain: [...x.domain]}, axis: horizontal ? {} : {labelAngle: -45}}
  const yEnc = {aggregate: 'sum', field: y.field, type: 'quantitative', title: y.title, axis: {tickMinStep: 1, format: 'd'}}
  const [catChannel, valChannel] = horizontal ? ['y', 'x'] : ['x', 'y']
  const fill = series
    ? {field: series.field, type: 'nominal', title: series.title, scale: {domain: [...series.domain], range: series.domain.map((_, i) => patternFill(i))}, sort: [...series.domain]}
    : {value: patternFill(1)}
  const bar = {
    // Zero rows draw no bar (the category stays on the axis: its domain is fixed).
    transform: [{filter: `datum[${JSON.stringify(y.field)}] > 0`}],
    mark: {type: 'bar', stroke: '#000', strokeWidth: 0.6},
    encoding: {[catChannel]: xEnc, [valChannel]: yEnc, fill, ...(series ? {order: {field: series.field, sort: 'ascending'}} : {})},
  }
  const totals = {
    transform: [{aggregate: [{op: 'sum', field: y.field, as: '__total'}], groupby: [x.field]}, {filter: 'datum.__total > 0'}],
    mark: horizontal ? {type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#000'} : {type: 'text', baseline: 'bottom', dy: -2, fontSize: 10, color: '#000'},
    encoding: {[catChannel]: {...xEnc, axis: undefined}, [valChannel]: {field: '__total', type: 'quantitative'}, text: {field: '__total', type: 'quantitative', format: 'd'}},
  }
  const step = horizontal ? {height: {step: 20}, width: 420} : {width: {step: Math.max(14, Math.min(40, Math.floor(640 / Math.max(1, x.domain.length))))}, height: 200}
  return {
    title: opts.title,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      ...step,
      data: {values: opts.values},
      layer: [bar, totals],
      config: CONFIG,
    },
  }
}

/** Renders a Vega-Lite spec to an SVG string with vega's headless View (renderer 'none': no canvas, no DOM). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')])
  const compiled = vegaLite.compile(spec as never).spec
  // The data is inline: a loader that refuses everything keeps a spec from reaching a file or the network.
  const refuse = () => Promise.reject(new Error('a report chart loads nothing'))
  const loader = {load: refuse, sanitize: refuse, http: refuse, file: refuse}
  const view = new vega.View(vega.parse(compiled), {renderer: 'none', loader: loader as never})
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

export const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;')

function tableHtml(t: ReportTable): string {
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join('')
  const body = t.rows.length === 0
    ? `<tr><td colspan="${t.columns.length}" class="empty">${escapeHtml(t.empty)}</td></tr>`
    : t.rows.map((r) => `<tr>${t.columns.map((c) => {
      const v = r[c.key]
      return typeof v === 'number' ? `<td class="num">${v}</td>` : `<td>${escapeHtml(v === null || v === undefined ? '–' : String(v))}</td>`
    }).join('')}</tr>`).join('\n')
  return `<section class="table"><h2>${escapeHtml(t.title)}</h2>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></section>`
}

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;color:#000;background:#fff;margin:2rem;max-width:60rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem;margin:0 0 1rem}dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #000;padding:.2rem .5rem;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}td.empty{font-style:italic}thead th{background:#eee}
figure{margin:1rem 0;break-inside:avoid}figcaption{font-weight:bold;margin-bottom:.25rem}
svg.defs{position:absolute;width:0;height:0}
@media print{body{margin:0}thead th{background:none;border-bottom:2px solid #000}section.table,figure{break-inside:avoid}}
`

/** The whole page. Charts must have been rendered (renderSvg) into `svgs`, one per chart in order. */
export function pageHtml(input: PageInput, svgs: readonly string[]): string {
  const figures = input.charts.map((c, i) => `<figure role="img" aria-label="${escapeHtml(c.title)}"><figcaption>${escapeHtml(c.title)}</figcaption>\n${svgs[i]}\n</figure>`).join('\n')
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<svg class="defs" aria-hidden="true" focusable="false"><defs>${PATTERNS.map((p) => p.svg).join('')}</defs></svg>
<header>
<h1>${escapeHtml(input.title)}</h1>
<dl class="meta">
<dt>Store</dt><dd>${escapeHtml(input.store)}</dd>
<dt>Period</dt><dd>${escapeHtml(input.period)}</dd>
<dt>Made</dt><dd><time datetime="${escapeHtml(input.madeAt)}">${escapeHtml(input.madeAt)}</time> by ${escapeHtml(input.operator)}</dd>
</dl>
</header>
<main>
${figures}
${input.tables.map(tableHtml).join('\n')}
</main>
</body>
</html>
`
}
