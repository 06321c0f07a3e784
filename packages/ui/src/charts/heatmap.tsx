/** A histogram heatmap on a canvas: time across, histogram buckets up, darker = more measurements. */
import { useEffect, useRef } from 'preact/hooks';
import { cssVar } from '../theme/theme.js';
import type { Heatmap as HeatmapData } from './heatmap-data.js';

function timeLabel(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function Heatmap({
  data,
  theme,
  format,
}: {
  data: HeatmapData;
  theme: string;
  format: (value: number) => string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ratio = window.devicePixelRatio || 1;
    const width = el.clientWidth || 600;
    const height = el.clientHeight || 240;
    el.width = width * ratio;
    el.height = height * ratio;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, width, height);
    const left = 80;
    const bottom = 18;
    const cols = data.times.length;
    const rows = data.bounds.length;
    if (cols === 0 || rows === 0) return;
    const cw = (width - left) / cols;
    const ch = (height - bottom) / rows;
    const hot = cssVar('--accent', '#f28e2b');
    const text = cssVar('--text-muted', '#999');
    for (let c = 0; c < cols; c++) {
      const column = data.counts[c] ?? [];
      for (let r = 0; r < rows; r++) {
        const count = column[r] ?? 0;
        if (count <= 0) continue;
        ctx.globalAlpha = 0.15 + 0.85 * (Math.log1p(count) / Math.log1p(data.max));
        ctx.fillStyle = hot;
        ctx.fillRect(
          left + c * cw,
          height - bottom - (r + 1) * ch,
          Math.max(1, cw - 0.5),
          Math.max(1, ch - 0.5),
        );
      }
    }
    ctx.globalAlpha = 1;
    ctx.fillStyle = text;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'bottom';
    const startLabel = timeLabel(data.times[0] as number);
    const endLabel = timeLabel(data.times[cols - 1] as number);
    ctx.fillText(startLabel, left, height - 2);
    ctx.fillText(endLabel, width - ctx.measureText(endLabel).width - 2, height - 2);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const labelEvery = Math.max(1, Math.ceil(rows / Math.floor((height - bottom) / 14)));
    for (let r = 0; r < rows; r += labelEvery) {
      const bound = data.bounds[r] as number;
      const label = Number.isFinite(bound) ? `≤ ${format(bound)}` : '> last';
      ctx.fillText(label, 2, height - bottom - (r + 0.5) * ch);
    }
  }, [data, theme, format]);
  return <canvas ref={canvas} class="heatmap" role="img" aria-label="histogram heatmap" />;
}
