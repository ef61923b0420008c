// The workbench's one chart module, used by every page that draws a chart: bars (vertical or
// horizontal), lines with shaded periods, histogram, tornado, intervals.  Plain SVG built with the DOM
// (no library).  Each returns an <svg role="img"> with a <title> (the chart's label) and a text value
// per mark, so a screen reader and the tests can read what is drawn; a table beside it is the page's
// job.  Colours are SVG presentation attributes, which the CSP allows (no inline style).
const NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#1f5fa8', '#c4501b', '#2e7d32', '#7b3fa0', '#8a6d00', '#00838f'];
const W = 640;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function frame(label, height) {
  const svg = s('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', class: 'wb-chart', 'aria-label': label, width: '100%' });
  svg.append(s('title', {}, label));
  return svg;
}

function scale(lo, hi, a, b) {
  const span = hi - lo || 1;
  return (v) => a + ((v - lo) / span) * (b - a);
}

function ticks(lo, hi, n = 5) {
  const step = Math.pow(10, Math.floor(Math.log10((hi - lo || 1) / n)));
  const nice = [1, 2, 5, 10].map((k) => k * step).find((k) => (hi - lo) / k <= n) || step * 10;
  const out = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-9; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

const fmtDefault = (v) => new Intl.NumberFormat(document.documentElement.lang === 'ru' ? 'ru-RU' : 'en-GB', { maximumFractionDigits: 2 }).format(v);

// items: [{label, value, className?, title?}]
export function bars(items, { label = '', format = fmtDefault, horizontal = false, max = null, labelLang = null } = {}) {
  const hi = max ?? Math.max(0, ...items.map((i) => i.value));
  const lo = Math.min(0, ...items.map((i) => i.value));
  if (horizontal) {
    const rowH = 22;
    const height = items.length * rowH + 24;
    const svg = frame(label, height);
    const x = scale(lo, hi, 220, W - 70);
    items.forEach((it, i) => {
      const y = 10 + i * rowH;
      svg.append(
        s('text', { x: 214, y: y + 14, 'text-anchor': 'end', class: it.data ? 'axis-label untranslated' : 'axis-label', lang: it.data ? 'en' : labelLang }, it.label),
        s('rect', { x: Math.min(x(0), x(it.value)), y, width: Math.max(1, Math.abs(x(it.value) - x(0))), height: rowH - 6, fill: it.className === 'binding' ? PALETTE[1] : PALETTE[0], class: `wb-bar ${it.className || ''}` }, s('title', { lang: it.data ? 'en' : null }, it.title || `${it.label}: ${format(it.value)}`)),
        s('text', { x: Math.max(x(it.value), x(0)) + 4, y: y + 14, class: 'value-label' }, format(it.value)),
      );
    });
    return svg;
  }
  const height = 224;  // the x labels' baseline 8 below the zero line + 16, no empty band under them
  const svg = frame(label, height);
  const y = scale(lo, hi || 1, height - 24, 16);
  const bw = (W - 60) / Math.max(items.length, 1);
  for (const t of ticks(lo, hi || 1)) svg.append(s('line', { x1: 50, x2: W, y1: y(t), y2: y(t), class: 'wb-grid', stroke: '#ddd' }), s('text', { x: 46, y: y(t) + 4, 'text-anchor': 'end', class: 'axis-label' }, format(t)));
  items.forEach((it, i) => {
    const x0 = 56 + i * bw;
    const fill = it.className === 'target' ? '#ffffff' : it.className === 'capacity' ? PALETTE[2] : PALETTE[0];
    svg.append(
      s('rect', { x: x0, y: Math.min(y(0), y(it.value)), width: bw * 0.7, height: Math.max(1, Math.abs(y(0) - y(it.value))), fill, stroke: PALETTE[0], 'stroke-dasharray': it.className === 'target' ? '4 3' : null, class: `wb-bar ${it.className || ''}` }, s('title', {}, it.title || `${it.label}: ${format(it.value)}`)),
      s('text', { x: x0 + bw * 0.35, y: Math.min(y(0), y(it.value)) - 3, 'text-anchor': 'middle', class: 'value-label' }, format(it.value)),
      s('text', { x: x0 + bw * 0.35, y: height - 8, 'text-anchor': 'middle', class: 'axis-label', lang: labelLang }, it.label),
    );
  });
  return svg;
}

// series: [{label, values: [number|null], x0?}]; shaded: [{start, end, opacity, title}] in x units
export function lines(series, { label = '', format = fmtDefault, xLabel = '', shaded = [], labelLang = null } = {}) {
  const height = 260;
  const svg = frame(label, height);
  const all = series.flatMap((se) => se.values.filter((v) => v !== null && v !== undefined));
  const lo = Math.min(0, ...all);
  const hi = Math.max(1e-9, ...all);
  const x0 = Math.min(...series.map((se) => se.x0 ?? 0));
  const x1 = Math.max(...series.map((se) => (se.x0 ?? 0) + Math.max(se.values.length - 1, 1)));
  const x = scale(x0, x1, 56, W - 10);
  const y = scale(lo, hi, height - 48, 12);
  for (const p of shaded) svg.append(s('rect', { x: x(Math.max(p.start, x0)), y: 12, width: Math.max(1, x(Math.min(p.end, x1)) - x(Math.max(p.start, x0))), height: height - 60, fill: '#7f8fa6', 'fill-opacity': p.opacity ?? 0.3, class: 'wb-shade' }, s('title', {}, p.title || '')));
  for (const t of ticks(lo, hi)) svg.append(s('line', { x1: 56, x2: W - 10, y1: y(t), y2: y(t), stroke: '#ddd' }), s('text', { x: 52, y: y(t) + 4, 'text-anchor': 'end', class: 'axis-label' }, format(t)));
  for (const t of ticks(x0, x1, 8)) svg.append(s('text', { x: x(t), y: height - 30, 'text-anchor': 'middle', class: 'axis-label' }, String(t)));
  if (xLabel) svg.append(s('text', { x: W / 2, y: height - 10, 'text-anchor': 'middle', class: 'axis-label' }, xLabel));
  series.forEach((se, k) => {
    const pts = se.values.map((v, i) => (v === null || v === undefined ? null : `${x((se.x0 ?? 0) + i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
    svg.append(s('polyline', { points: pts.join(' '), fill: 'none', stroke: PALETTE[k % PALETTE.length], 'stroke-width': 2, class: 'wb-series' }, s('title', {}, se.label)));
  });
  if (series.length > 1) series.forEach((se, k) => svg.append(s('text', { x: 60 + k * 150, y: 24, fill: PALETTE[k % PALETTE.length], class: 'wb-legend', lang: labelLang }, `■ ${se.label}`)));
  return svg;
}

// bins: [{x, width, value}]; markers: [{x, label}]
export function histogram(bins, { label = '', format = fmtDefault, xLabel = '', markers = [] } = {}) {
  const height = 220;
  const svg = frame(label, height);
  const lo = bins.length ? bins[0].x : 0;
  const hi = bins.length ? bins[bins.length - 1].x + bins[bins.length - 1].width : 1;
  const top = Math.max(1e-9, ...bins.map((b) => b.value));
  const x = scale(lo, hi, 40, W - 10);
  const y = scale(0, top, height - 44, 12);
  for (const b of bins) if (b.value > 0) svg.append(s('rect', { x: x(b.x), y: y(b.value), width: Math.max(1, x(b.x + b.width) - x(b.x)), height: y(0) - y(b.value), fill: PALETTE[0], class: 'wb-bin' }));
  for (const t of ticks(lo, hi, 8)) svg.append(s('text', { x: x(t), y: height - 28, 'text-anchor': 'middle', class: 'axis-label' }, format(t)));
  for (const mk of markers) svg.append(s('line', { x1: x(mk.x), x2: x(mk.x), y1: 12, y2: height - 44, stroke: PALETTE[1], 'stroke-dasharray': '4 3' }), s('text', { x: x(mk.x) + 3, y: 22, class: 'marker-label', fill: PALETTE[1] }, mk.label));
  if (xLabel) svg.append(s('text', { x: W / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis-label' }, xLabel));
  return svg;
}

// items: [{label, low, high}] around centre; sorted by swing, widest first
export function tornado(items, { label = '', centre = 0, format = fmtDefault, lowLabel = 'low', highLabel = 'high' } = {}) {
  const sorted = [...items].sort((a, b) => Math.abs(b.high - b.low) - Math.abs(a.high - a.low));
  const rowH = 24;
  const height = sorted.length * rowH + 40;
  const svg = frame(label, height);
  const vals = sorted.flatMap((i) => [i.low, i.high]).concat(centre);
  const x = scale(Math.min(...vals), Math.max(...vals), 230, W - 60);
  sorted.forEach((it, i) => {
    const y = 24 + i * rowH;
    svg.append(
      s('text', { x: 224, y: y + 14, 'text-anchor': 'end', class: 'axis-label' }, it.label),
      s('rect', { x: Math.min(x(centre), x(it.low)), y, width: Math.max(1, Math.abs(x(it.low) - x(centre))), height: rowH - 6, fill: PALETTE[1] }, s('title', {}, `${it.label}, ${lowLabel}: ${format(it.low)}`)),
      s('rect', { x: Math.min(x(centre), x(it.high)), y, width: Math.max(1, Math.abs(x(it.high) - x(centre))), height: rowH - 6, fill: PALETTE[0] }, s('title', {}, `${it.label}, ${highLabel}: ${format(it.high)}`)),
    );
  });
  svg.append(s('line', { x1: x(centre), x2: x(centre), y1: 16, y2: height - 8, stroke: '#333' }), s('text', { x: x(centre), y: 12, 'text-anchor': 'middle', class: 'value-label' }, format(centre)));
  svg.append(s('text', { x: W - 10, y: 12, 'text-anchor': 'end', class: 'wb-legend' }, s('tspan', { fill: PALETTE[1] }, `■ ${lowLabel}  `), s('tspan', { fill: PALETTE[0] }, `■ ${highLabel}`)));
  return svg;
}

// items: [{label, low, mid, high}]: a band from low to high with mid marked (e.g. P10–P90, P50)
export function intervals(items, { label = '', format = fmtDefault, zero = false, labelLang = null } = {}) {
  const rowH = 28;
  const height = items.length * rowH + 30;
  const svg = frame(label, height);
  const vals = items.flatMap((i) => [i.low, i.high]).concat(zero ? [0] : []);
  const x = scale(Math.min(...vals), Math.max(...vals), 220, W - 70);
  if (zero) svg.append(s('line', { x1: x(0), x2: x(0), y1: 4, y2: height - 20, stroke: '#333', 'stroke-dasharray': '2 2' }), s('text', { x: x(0), y: height - 6, 'text-anchor': 'middle', class: 'axis-label' }, format(0)));
  items.forEach((it, i) => {
    const y = 8 + i * rowH;
    svg.append(
      s('text', { x: 214, y: y + 14, 'text-anchor': 'end', class: 'axis-label', lang: labelLang }, it.label),
      s('rect', { x: x(it.low), y: y + 2, width: Math.max(2, x(it.high) - x(it.low)), height: rowH - 12, fill: PALETTE[0], 'fill-opacity': 0.35, stroke: PALETTE[0] }, s('title', {}, `${it.label}: ${format(it.low)} – ${format(it.high)}`)),
      s('line', { x1: x(it.mid), x2: x(it.mid), y1: y, y2: y + rowH - 8, stroke: PALETTE[1], 'stroke-width': 3 }),
      s('text', { x: x(it.high) + 4, y: y + 14, class: 'value-label' }, format(it.mid)),
    );
  });
  return svg;
}

// A chart in a <figure> whose visible caption is the chart's label (what is drawn, and in which
// unit): the label was only the SVG's accessible name and tooltip, so a reader saw bars and
// numbers without knowing hours from days or tonnes from TEU.
export function captioned(svg, caption = svg.getAttribute('aria-label')) {
  const fig = document.createElement('figure');
  fig.className = 'chart-figure';
  const cap = document.createElement('figcaption');
  cap.textContent = caption;
  fig.append(svg, cap);
  return fig;
}
