// Small SVG charts drawn with the DOM (no library, no inline styles): bars, lines with shaded
// periods, histogram, tornado.  Every chart has a <title> and <desc> and a table fallback is the
// page's job.  Colours come from CSS classes (app.css .chart …).
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text = null) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  if (text !== null) e.textContent = text;
  return e;
}

function frame(width, height, title, desc) {
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img' });
  const id = `c${Math.random().toString(36).slice(2, 9)}`;
  svg.append(el('title', { id: `${id}-t` }, title), el('desc', { id: `${id}-d` }, desc || title));
  svg.setAttribute('aria-labelledby', `${id}-t ${id}-d`);
  return svg;
}

function scale(d0, d1, r0, r1) {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
}

// Horizontal bars: items [{label, value, cls?}]; fmt formats values.
export function bars(items, { title, desc, fmt = String, width = 520, barH = 22 } = {}) {
  const left = 170;
  const height = items.length * (barH + 6) + 24;
  const svg = frame(width, height, title, desc);
  const max = niceMax(Math.max(...items.map((i) => i.value), 0));
  const x = scale(0, max, left, width - 70);
  items.forEach((it, i) => {
    const y = 8 + i * (barH + 6);
    svg.append(
      el('text', { x: left - 6, y: y + barH * 0.7, 'text-anchor': 'end' }, it.label),
      el('rect', { x: left, y, width: Math.max(1, x(it.value) - left), height: barH, class: `bar ${it.cls || ''}` }),
      el('text', { x: x(it.value) + 4, y: y + barH * 0.7 }, fmt(it.value)),
    );
  });
  return svg;
}

// Lines: series [{label, points: [[x, y], ...], cls?}], shaded [[x0, x1, label?], ...] periods.
export function lines(series, { title, desc, fmtX = String, fmtY = String, shaded = [], width = 640, height = 260 } = {}) {
  const svg = frame(width, height, title, desc);
  const pad = { l: 60, r: 16, t: 12, b: 30 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const x0 = Math.min(...xs); const x1 = Math.max(...xs);
  const yMax = niceMax(Math.max(...ys, 0));
  const x = scale(x0, x1, pad.l, width - pad.r);
  const y = scale(0, yMax, height - pad.b, pad.t);
  for (const [a, b, label] of shaded) {
    const r = el('rect', { x: x(a), y: pad.t, width: Math.max(1, x(b) - x(a)), height: height - pad.b - pad.t, class: 'shade' });
    if (label) r.append(el('title', {}, label));
    svg.append(r);
  }
  svg.append(el('line', { x1: pad.l, y1: height - pad.b, x2: width - pad.r, y2: height - pad.b, class: 'axis' }));
  svg.append(el('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: height - pad.b, class: 'axis' }));
  for (let k = 0; k <= 4; k += 1) {
    const v = (yMax * k) / 4;
    svg.append(el('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmtY(v)));
  }
  for (let k = 0; k <= 4; k += 1) {
    const v = x0 + ((x1 - x0) * k) / 4;
    svg.append(el('text', { x: x(v), y: height - 10, 'text-anchor': 'middle' }, fmtX(v)));
  }
  for (const s of series) {
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    svg.append(el('path', { d, class: `line ${s.cls || ''}` }, null));
  }
  return svg;
}

// Histogram of values in `bins` equal bins.
export function histogram(values, { title, desc, bins = 20, fmt = String, width = 520, height = 200 } = {}) {
  const svg = frame(width, height, title, desc);
  if (!values.length) return svg;
  const lo = Math.min(...values); const hi = Math.max(...values);
  const w = (hi - lo) / bins || 1;
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / w))] += 1;
  const pad = { l: 40, r: 10, t: 10, b: 28 };
  const x = scale(0, bins, pad.l, width - pad.r);
  const y = scale(0, niceMax(Math.max(...counts)), height - pad.b, pad.t);
  counts.forEach((c, i) => {
    svg.append(el('rect', { x: x(i) + 1, y: y(c), width: Math.max(1, x(i + 1) - x(i) - 2), height: height - pad.b - y(c), class: 'bar' }));
  });
  svg.append(el('text', { x: pad.l, y: height - 8 }, fmt(lo)), el('text', { x: width - pad.r, y: height - 8, 'text-anchor': 'end' }, fmt(hi)));
  return svg;
}

// Tornado: items [{label, low, high}] around `base`, widest first.
export function tornado(items, { title, desc, base = 0, fmt = String, width = 560, barH = 20 } = {}) {
  const sorted = [...items].sort((a, b) => Math.abs(b.high - b.low) - Math.abs(a.high - a.low));
  const left = 190;
  const height = sorted.length * (barH + 6) + 30;
  const svg = frame(width, height, title, desc);
  const lo = Math.min(base, ...sorted.map((i) => Math.min(i.low, i.high)));
  const hi = Math.max(base, ...sorted.map((i) => Math.max(i.low, i.high)));
  const x = scale(lo, hi, left, width - 20);
  sorted.forEach((it, i) => {
    const y = 8 + i * (barH + 6);
    const a = Math.min(it.low, it.high); const b = Math.max(it.low, it.high);
    svg.append(
      el('text', { x: left - 6, y: y + barH * 0.7, 'text-anchor': 'end' }, it.label),
      el('rect', { x: x(a), y, width: Math.max(1, x(b) - x(a)), height: barH, class: 'bar' }),
    );
  });
  svg.append(el('line', { x1: x(base), y1: 4, x2: x(base), y2: height - 22, class: 'axis' }));
  svg.append(el('text', { x: x(base), y: height - 6, 'text-anchor': 'middle' }, fmt(base)));
  return svg;
}
