// Throughput sparkline as inline SVG (no chart library; ≤ 60 points, redrawn on each update).
export function Sparkline({ points, width = 120, height = 24, label }: { points: number[]; width?: number; height?: number; label: string }) {
  if (points.length < 2) return <svg className="spark" width={width} height={height} role="img" aria-label={`${label}: no data yet`} />;
  const max = Math.max(1, ...points);
  const step = width / (points.length - 1);
  const y = (v: number) => height - 2 - (v / max) * (height - 4);
  const line = points.map((v, i) => `${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg className="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img"
      aria-label={`${label}: latest ${points[points.length - 1]}/s, peak ${max}/s`}>
      <polygon className="spark-fill" points={`0,${height} ${line} ${width},${height}`} />
      <polyline className="spark-line" points={line} />
    </svg>
  );
}
