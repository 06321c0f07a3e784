/**
 * A uPlot time-series chart (lines, or points for a scatter). Created once per shape and theme; new
 * data goes through `setData`, so live updates do not flicker. Width follows the container.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { cssVar } from '../theme/theme.js';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  /** Draw points only (scatter). */
  points?: boolean;
}

export interface TimeChartProps {
  /** X values in milliseconds since the epoch, ascending. */
  xs: number[];
  series: ChartSeries[];
  yFormat: (value: number) => string;
  height?: number;
  /** Theme name: a change re-creates the chart with the theme's colours. */
  theme: string;
  /** Called with the index into `xs` of the point nearest a click (scatter). */
  onPick?: (index: number, seriesIndex: number) => void;
  label?: string;
  yLog?: boolean;
  /** Called with the dragged x range in ms (instead of zooming the chart). */
  onRange?: (startMs: number, endMs: number) => void;
}

function nearestPoint(u: uPlot, x: number, y: number): [number, number] | undefined {
  let best: [number, number] | undefined;
  let bestDist = 144; // within 12 px
  const xs = u.data[0];
  for (let s = 1; s < u.data.length; s++) {
    const ys = u.data[s] as (number | null | undefined)[];
    for (let i = 0; i < xs.length; i++) {
      const v = ys[i];
      if (v === null || v === undefined) continue;
      const dx = u.valToPos(xs[i] as number, 'x') - x;
      const dy = u.valToPos(v, 'y') - y;
      const d = dx * dx + dy * dy;
      if (d < bestDist) {
        bestDist = d;
        best = [i, s - 1];
      }
    }
  }
  return best;
}

export function TimeChart(props: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const pick = useRef(props.onPick);
  pick.current = props.onPick;
  const range = useRef(props.onRange);
  range.current = props.onRange;
  const selectsRange = props.onRange !== undefined;
  const shape = `${selectsRange ? 'range' : 'zoom'}|${props.theme}|${props.yLog ? 'log' : 'lin'}|${props.series.map((s) => `${s.label}/${s.color}/${s.points ? 1 : 0}`).join(',')}`;
  const data = (): uPlot.AlignedData => [
    props.xs.map((x) => x / 1000),
    ...props.series.map((s) => s.values),
  ];

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const text = cssVar('--text-muted', '#999');
    const grid = cssVar('--grid', '#333');
    const yFormat = props.yFormat;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 220,
      legend: { show: !props.series.every((s) => s.points) },
      cursor: {
        drag: { x: true, y: false, setScale: !selectsRange },
        points: { show: !props.series.every((s) => s.points) },
      },
      hooks: {
        setSelect: [
          (u) => {
            if (!range.current || u.select.width < 4) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            range.current(from, to);
          },
        ],
      },
      scales: { x: { time: true }, y: props.yLog ? { distr: 3 } : { auto: true } },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: 70,
          values: (_u, vals) => vals.map((v) => (v === null ? '' : yFormat(v))),
        },
      ],
      series: [
        {},
        ...props.series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: s.color,
            width: s.points ? 0 : 1.5,
            ...(s.points
              ? {
                  paths: () => null,
                  points: { show: true, size: 7, fill: s.color, stroke: s.color },
                }
              : { points: { show: false } }),
            value: (_u, v) => (v === null ? '–' : yFormat(v)),
          }),
        ),
      ],
    };
    const u = new uPlot(opts, data(), el);
    chart.current = u;
    const onClick = (event: MouseEvent) => {
      if (!pick.current) return;
      const rect = u.over.getBoundingClientRect();
      const hit = nearestPoint(u, event.clientX - rect.left, event.clientY - rect.top);
      if (hit) pick.current(hit[0], hit[1]);
    };
    u.over.addEventListener('click', onClick);
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, el.clientWidth);
      if (Math.abs(width - u.width) > 2) u.setSize({ width, height: u.height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.over.removeEventListener('click', onClick);
      u.destroy();
      chart.current = null;
    };
  }, [shape]);

  useEffect(() => {
    chart.current?.setData(data());
  }, [props.xs, props.series]);

  return <div ref={box} class="chart" role="img" aria-label={props.label} />;
}
