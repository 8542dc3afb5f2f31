// A raster drawn on a canvas at one canvas pixel per map element, shown enlarged with crisp
// (nearest-neighbour) pixels so each input element stays visible.
import { useEffect, useRef } from 'react';
import type { Raster } from '../logic/overlay';

export function RasterCanvas(props: { raster: Raster; size: number; label: string; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { raster } = props;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = raster.width;
    canvas.height = raster.height;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(raster.data), raster.width, raster.height), 0, 0);
  }, [raster]);
  const long = Math.max(raster.width, raster.height);
  // Thin strips (a 1 x L signal) get a minimum height so they stay visible.
  const zoom = props.size / long;
  const width = Math.round(raster.width * zoom);
  const height = Math.max(Math.round(raster.height * zoom), Math.min(24, props.size));
  return <canvas ref={ref} className={`raster ${props.className ?? ''}`} role="img" aria-label={props.label} style={{ width, height }} />;
}
