// An edge: a curve from one layer's output port to the next layer's input port — through the
// layout's bend points when it skips rows — labelled with the tensor shape that flows, and
// coloured by gradient magnitude while training reports it.
import { BaseEdge, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { heatColor } from '../logic/gradientColor';
import type { ShapeEdge } from '../logic/flow';
import { NODE_HEIGHT, type Point } from '../logic/layout';

/** Vertical S-curves between consecutive points, straight down the rows an edge passes. */
export function bentPath(from: Point, bends: readonly Point[], to: Point): string {
  const points: Point[] = [from];
  for (const b of bends) points.push({ x: b.x, y: b.y - NODE_HEIGHT / 2 }, { x: b.x, y: b.y + NODE_HEIGHT / 2 });
  points.push(to);
  let d = `M ${from.x},${from.y}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (a.x === b.x) d += ` L ${b.x},${b.y}`;
    else {
      const my = (a.y + b.y) / 2;
      d += ` C ${a.x},${my} ${b.x},${my} ${b.x},${b.y}`;
    }
  }
  return d;
}

function ShapeEdgeViewInner(props: EdgeProps<ShapeEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, id, markerEnd } = props;
  let path: string;
  let labelX: number;
  let labelY: number;
  const bends = data?.bends;
  if (bends && bends.length > 0) {
    path = bentPath({ x: sourceX, y: sourceY }, bends, { x: targetX, y: targetY });
    // The label sits where the edge enters the first row it passes.
    labelX = bends[0].x;
    labelY = bends[0].y - NODE_HEIGHT / 2 - 10;
  } else {
    [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  }
  const heat = data?.heat;
  const style = heat !== undefined ? { stroke: heatColor(heat), strokeWidth: 1.5 + heat * 2.5 } : undefined;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={style} className={selected ? 'edge-selected' : undefined} interactionWidth={14} />
      {data?.label && (
        <text className="edge-label" x={labelX} y={labelY} textAnchor="middle" dominantBaseline="central">
          {data.label}
        </text>
      )}
    </>
  );
}

export const ShapeEdgeView = memo(ShapeEdgeViewInner);
