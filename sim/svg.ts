/**
 * An SVG chart of a simulation for a person to look at: load and ready capacity (left axis) and
 * replicas (right axis) over time. Long runs are bucketed to at most `width` columns, keeping the
 * highest load, the lowest ready capacity and the most replicas of each bucket, so no peak and no
 * shortfall disappears.
 */
import type { Step } from "./types";

export interface SvgOptions {
  readonly title?: string;
  /** @default 1100 */
  readonly width?: number;
  /** @default 440 */
  readonly height?: number;
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

export function renderSvg(steps: readonly Step[], capacityPerReplica: number, options: SvgOptions = {}): string {
  const W = options.width ?? 1100;
  const H = options.height ?? 440;
  const m = { left: 70, right: 60, top: 40, bottom: 50 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  if (steps.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"></svg>\n`;
  const tEnd = (steps[steps.length - 1] as Step).t + 15;
  const cols = Math.min(pw, steps.length);
  const loadMax = new Float64Array(cols);
  const capMin = new Float64Array(cols).fill(Infinity);
  const repMax = new Float64Array(cols);
  for (const s of steps) {
    const c = Math.min(cols - 1, Math.floor((s.t / tEnd) * cols));
    loadMax[c] = Math.max(loadMax[c] as number, s.load);
    capMin[c] = Math.min(capMin[c] as number, s.ready * capacityPerReplica);
    repMax[c] = Math.max(repMax[c] as number, s.replicas);
  }
  for (let c = 1; c < cols; c++)
    if (!Number.isFinite(capMin[c] as number)) {
      capMin[c] = capMin[c - 1] as number;
      repMax[c] = repMax[c - 1] as number;
      loadMax[c] = loadMax[c - 1] as number;
    }
  let yMax = 0;
  let rMax = 0;
  for (let c = 0; c < cols; c++) {
    yMax = Math.max(yMax, loadMax[c] as number, Number.isFinite(capMin[c] as number) ? (capMin[c] as number) : 0);
    rMax = Math.max(rMax, repMax[c] as number);
  }
  // One scale for both axes (replicas × capacity = load), so the replicas line sits on the ready
  // capacity line when every replica is ready, and the gap between them is the bootstrapping ones.
  yMax = Math.max(yMax, rMax * capacityPerReplica);
  const yStep = niceStep(yMax || 1, 5);
  yMax = Math.ceil((yMax || 1) / yStep) * yStep;
  rMax = yMax / capacityPerReplica;
  const rStep = Math.max(1, niceStep(rMax, 5));
  const x = (c: number): number => m.left + (c / cols) * pw;
  const y = (v: number): number => m.top + ph - (v / yMax) * ph;
  const yr = (v: number): number => m.top + ph - (v / rMax) * ph;
  const line = (vals: Float64Array, f: (v: number) => number, stepped: boolean): string => {
    const pts: string[] = [];
    for (let c = 0; c < cols; c++) {
      const v = f(Number.isFinite(vals[c] as number) ? (vals[c] as number) : 0);
      if (stepped && c > 0)
        pts.push(`${x(c).toFixed(1)},${f(Number.isFinite(vals[c - 1] as number) ? (vals[c - 1] as number) : 0).toFixed(1)}`);
      pts.push(`${x(c).toFixed(1)},${v.toFixed(1)}`);
    }
    pts.push(`${x(cols).toFixed(1)},${f(Number.isFinite(vals[cols - 1] as number) ? (vals[cols - 1] as number) : 0).toFixed(1)}`);
    return pts.join(" ");
  };
  const hours = tEnd / 3600;
  const unit = hours > 72 ? "day" : "hour";
  const span = unit === "day" ? hours / 24 : hours;
  const tStep = niceStep(span, 10);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  if (options.title) {
    // Long titles (a trace path, every setting) are shrunk to the chart's width rather than cut off.
    const fit = Math.min(15, Math.floor((W - 40) / (0.6 * options.title.length)));
    out.push(
      `<text x="${W / 2}" y="22" text-anchor="middle" font-size="${Math.max(9, fit)}" font-weight="bold">${esc(options.title)}</text>`,
    );
  }
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(`<line x1="${m.left}" x2="${m.left + pw}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${+v.toPrecision(4)}</text>`);
  }
  for (let v = 0; v <= rMax + 1e-9; v += rStep)
    out.push(`<text x="${m.left + pw + 6}" y="${(yr(v) + 4).toFixed(1)}" fill="#d62728">${+v.toPrecision(4)}</text>`);
  for (let v = 0; v <= span + 1e-9; v += tStep) {
    const xx = m.left + (v / span) * pw;
    out.push(`<line x1="${xx.toFixed(1)}" x2="${xx.toFixed(1)}" y1="${m.top + ph}" y2="${m.top + ph + 5}" stroke="#333"/>`);
    out.push(`<text x="${xx.toFixed(1)}" y="${m.top + ph + 18}" text-anchor="middle">${+v.toPrecision(4)}</text>`);
  }
  out.push(`<text x="${m.left + pw / 2}" y="${H - 10}" text-anchor="middle">time (${unit}s)</text>`);
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">load</text>`);
  out.push(`<text transform="translate(${W - 14} ${m.top + ph / 2}) rotate(90)" text-anchor="middle" fill="#d62728">replicas</text>`);
  out.push(`<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<polyline fill="none" stroke="#2ca02c" stroke-width="1.2" points="${line(capMin, y, true)}"/>`);
  out.push(`<polyline fill="none" stroke="#1f77b4" stroke-width="1" points="${line(loadMax, y, false)}"/>`);
  out.push(`<polyline fill="none" stroke="#d62728" stroke-width="1" stroke-dasharray="3 2" points="${line(repMax, yr, true)}"/>`);
  const lx = m.left + 10;
  const legend: [string, string, string][] = [
    ["#1f77b4", "", "load"],
    ["#2ca02c", "", "ready capacity (ready replicas × capacity)"],
    ["#d62728", "3 2", "replicas (right axis)"],
  ];
  legend.forEach(([color, dash, label], i) => {
    const ly = m.top + 14 + i * 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`,
    );
    out.push(`<text x="${lx + 30}" y="${ly}">${esc(label)}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
