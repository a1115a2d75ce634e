// Bar charts drawn as plain SVG: Overview's two charts need bars, an axis and a legend, not a charting library
// (recharts was 104 kB of a page's 20 kB JavaScript budget). No state, no effects: it renders on the server or in the
// browser alike. Each bar carries a <title> (the browser's hover tooltip); the figure around it says the same in
// words and a table, which is what assistive technology reads (the SVG is aria-hidden).

export type Series = { name: string; color: string };

const W = 600;
const H = 256;
const PAD = { top: 8, right: 8, bottom: 24, left: 52 };

/** About `count` round steps from 0 to at least `max`: 0, 2k, 4k… (1, 2 or 5 times a power of ten). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) {
    ticks.push(v);
    if (v >= max) break;
  }
  return ticks;
}

function Legend({ series }: { series: Series[] }) {
  return (
    <ul className="mt-1 flex flex-wrap justify-center gap-x-3 gap-y-1 text-xs">
      {series.map((s) => (
        <li key={s.name} className="flex items-center gap-1">
          <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm" style={{ backgroundColor: s.color }} />
          {s.name}
        </li>
      ))}
    </ul>
  );
}

/** Vertical bars, each a stack of the series' values, with a value axis and every few labels under the bars. */
export function StackedBars(props: {
  rows: { label: string; values: number[] }[];
  series: Series[];
  tick: (v: number) => string;
  value: (v: number) => string;
  label: (l: string) => string;
}) {
  const { rows, series, tick, value, label } = props;
  const max = Math.max(0, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] || 1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(rows.length, 1);
  const barW = Math.max(1, slot * 0.7);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const every = Math.ceil(rows.length / 8);
  return (
    <div className="flex h-full flex-col">
      <svg viewBox={`0 0 ${W} ${H}`} className="min-h-0 w-full flex-1" aria-hidden>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="currentColor" strokeOpacity={0.2} strokeDasharray="3 3" />
            <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize={12} fill="currentColor">
              {tick(t)}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          let base = 0;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={r.label}>
              {r.values.map((v, s) => {
                if (v <= 0) return null;
                const y0 = y(base);
                base += v;
                return (
                  <rect key={s} x={x} y={y(base)} width={barW} height={Math.max(0, y0 - y(base))} fill={series[s]?.color}>
                    <title>{`${label(r.label)}, ${series[s]?.name}: ${value(v)}`}</title>
                  </rect>
                );
              })}
              {i % every === 0 && (
                <text x={x + barW / 2} y={H - 6} textAnchor="middle" fontSize={12} fill="currentColor">
                  {label(r.label)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <Legend series={series} />
    </div>
  );
}

/** Horizontal bars, one per row, labelled on the left, with a value axis below. */
export function HorizontalBars(props: { rows: { label: string; value: number }[]; color: string; tick: (v: number) => string; value: (v: number) => string }) {
  const { rows, color, tick, value } = props;
  const left = 88;
  const max = Math.max(0, ...rows.map((r) => r.value));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] || 1;
  const plotW = W - left - 16;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotH / Math.max(rows.length, 1);
  const barH = Math.max(1, Math.min(28, slot * 0.7));
  const x = (v: number) => left + (v / top) * plotW;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="h-full w-full" aria-hidden>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={PAD.top} y2={PAD.top + plotH} stroke="currentColor" strokeOpacity={0.2} strokeDasharray="3 3" />
          <text x={x(t)} y={H - 6} textAnchor="middle" fontSize={12} fill="currentColor">
            {tick(t)}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const yMid = PAD.top + i * slot + slot / 2;
        return (
          <g key={r.label}>
            <text x={left - 6} y={yMid} dy="0.32em" textAnchor="end" fontSize={12} fill="currentColor">
              {r.label.length > 12 ? `${r.label.slice(0, 11)}…` : r.label}
            </text>
            <rect x={left} y={yMid - barH / 2} width={Math.max(0, x(r.value) - left)} height={barH} fill={color}>
              <title>{`${r.label}: ${value(r.value)}`}</title>
            </rect>
          </g>
        );
      })}
    </svg>
  );
}
