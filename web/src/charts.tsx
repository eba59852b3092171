// Bar charts drawn as SVG by hand: stacked bars, horizontal (a row per
// person) or vertical (a column per week). Colours come from classes in
// style.css, so the CSP needs no inline style; every bar has a <title>
// for a tooltip, and the chart names itself for screen readers (the
// pages show the same numbers in a table).

export interface Series {
  name: string;
  cls: string; // a colour class: duty-c0 ... or ch-phone ...
}

export interface Row {
  label: string;
  values: number[]; // one per series
}

interface ChartProps {
  id: string;
  title: string;
  description: string;
  series: Series[];
  rows: Row[];
  format?: (n: number) => string;
  integer?: boolean; // counts: no ticks between whole numbers
}

const W = 640;

function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

function Legend({ series }: { series: Series[] }) {
  return (
    <ul class="legend" aria-hidden="true">
      {series.map((s) => (
        <li key={s.name}>
          <span class={`swatch ${s.cls}`} /> {s.name}
        </li>
      ))}
    </ul>
  );
}

/** A row per label, bars stacked left to right. */
export function HBarChart({ id, title, description, series, rows, format = String }: ChartProps) {
  const labelW = 170;
  const rowH = 28;
  const top = 8;
  const plotW = W - labelW - 60;
  const max = niceMax(Math.max(0, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0))));
  const h = top + rows.length * rowH + 8;
  return (
    <figure class="chart">
      <svg
        class="hbar"
        viewBox={`0 0 ${W} ${h}`}
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {rows.map((r, i) => {
          const y = top + i * rowH;
          let x = labelW;
          const sum = r.values.reduce((a, b) => a + b, 0);
          return (
            <g key={`${r.label}-${i}`} class="chart-row">
              <text x={labelW - 8} y={y + rowH / 2 + 4} text-anchor="end" class="label">
                {r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label}
              </text>
              {r.values.map((v, k) => {
                const w = (v / max) * plotW;
                const rect = (
                  <rect key={k} x={x} y={y + 4} width={Math.max(w, 0)} height={rowH - 8} class={`bar ${series[k].cls}`}>
                    <title>{`${r.label} · ${series[k].name}: ${format(v)}`}</title>
                  </rect>
                );
                x += w;
                return rect;
              })}
              <text x={x + 6} y={y + rowH / 2 + 4} class="value">
                {format(sum)}
              </text>
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </figure>
  );
}

/** A column per label, bars stacked bottom to top, with a scale. */
export function VBarChart({ id, title, description, series, rows, format = String, integer = false }: ChartProps) {
  const left = 40;
  const bottom = 34;
  const top = 10;
  const H = 260;
  const plotH = H - top - bottom;
  const plotW = W - left - 10;
  const colW = rows.length ? plotW / rows.length : plotW;
  const barW = Math.max(4, Math.min(40, colW * 0.7));
  const max = niceMax(Math.max(0, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0))));
  const ticks = [0, max / 2, max].filter((v) => !integer || Number.isInteger(v));
  const every = Math.max(1, Math.ceil(rows.length / 14)); // labels that fit
  return (
    <figure class="chart">
      <svg class="vbar" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t ${id}-d`} preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {ticks.map((v) => {
          const y = top + plotH - (v / max) * plotH;
          return (
            <g key={v} class="tick">
              <line x1={left} x2={W - 10} y1={y} y2={y} class="grid-line" />
              <text x={left - 6} y={y + 4} text-anchor="end" class="label">
                {format(v)}
              </text>
            </g>
          );
        })}
        {rows.map((r, i) => {
          const cx = left + i * colW + colW / 2;
          let y = top + plotH;
          return (
            <g key={`${r.label}-${i}`} class="chart-col">
              {r.values.map((v, k) => {
                const hgt = (v / max) * plotH;
                y -= hgt;
                return (
                  <rect key={k} x={cx - barW / 2} y={y} width={barW} height={Math.max(hgt, 0)} class={`bar ${series[k].cls}`}>
                    <title>{`${r.label} · ${series[k].name}: ${format(v)}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text x={cx} y={H - bottom + 16} text-anchor="middle" class="label">
                  {r.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </figure>
  );
}
