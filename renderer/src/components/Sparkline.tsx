// Throughput sparkline as inline SVG (no chart library). The axis is always `slots` seconds wide
// and fills from the right, so a young session reads as "just started", not as a stretched line.
export function Sparkline({
  points,
  slots = 60,
  width = 120,
  height = 24,
  label,
}: {
  points: number[];
  slots?: number;
  width?: number;
  height?: number;
  label: string;
}) {
  const shown = points.slice(-slots);
  if (shown.length < 2)
    return (
      <svg className="spark" width={width} height={height} role="img" aria-label={`${label}: no data yet`}>
        <line className="spark-base" x1={0} x2={width} y1={height - 1} y2={height - 1} />
      </svg>
    );
  const max = Math.max(1, ...shown);
  const step = width / (slots - 1);
  const x0 = (slots - shown.length) * step;
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const line = shown.map((v, i) => `${(x0 + i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg
      className="spark"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${label}: latest ${shown[shown.length - 1]}/s, peak ${max}/s`}
    >
      <line className="spark-base" x1={0} x2={width} y1={height - 1} y2={height - 1} />
      <polygon className="spark-fill" points={`${x0.toFixed(1)},${height} ${line} ${width},${height}`} />
      <polyline className="spark-line" points={line} />
    </svg>
  );
}
