// An image file as the model's input: RGBA pixels (decoded by the webview's canvas) become a
// [C, H, W] tensor. Transparent pixels are put on white (as the picture looks on a page), colour
// becomes grey for one-channel models (Rec. 601 luma), the picture is fitted into H x W keeping
// its aspect ratio (the margin takes the picture's border colour) with area averaging, and grey
// levels in [0, 1] are mapped onto the data set's value range. Light pictures with a dark subject
// are inverted when asked (or, with 'auto', when their border is light), because the bundled image
// sets (digits, shapes) draw a bright subject on a dark background.

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 0..255, row-major. */
  data: ArrayLike<number>;
}

export interface ImageToTensorOptions {
  /** Invert grey levels: true, false, or 'auto' (when the border is lighter than mid-grey). Default 'auto'. */
  invert?: boolean | 'auto';
  /** The data set's value range that grey levels 0..1 map onto; default [0, 1]. */
  range?: readonly [number, number];
}

export interface ImageTensor {
  /** [C, H, W], flat, row-major, in the data's own units. */
  values: number[];
  inverted: boolean;
}

/** Per-pixel channels in [0, 1], alpha composited over white. */
function planes(img: RgbaImage): Float64Array[] {
  const n = img.width * img.height;
  const out = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let p = 0; p < n; p++) {
    const a = img.data[4 * p + 3] / 255;
    for (let c = 0; c < 3; c++) out[c][p] = (a * img.data[4 * p + c]) / 255 + (1 - a);
  }
  return out;
}

function luma(rgb: Float64Array[]): Float64Array {
  const n = rgb[0].length;
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) out[p] = 0.299 * rgb[0][p] + 0.587 * rgb[1][p] + 0.114 * rgb[2][p];
  return out;
}

/** Mean of the outermost ring of pixels. */
export function borderMean(plane: ArrayLike<number>, width: number, height: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y === 0 || y === height - 1 || x === 0 || x === width - 1) {
        sum += plane[y * width + x];
        n++;
      }
    }
  }
  return n ? sum / n : 0;
}

/**
 * Source cells covering each of `to` output cells when `from` cells are squeezed into them, with
 * the share of each source cell that falls in the output cell (area averaging).
 */
export function coverage(from: number, to: number): { index: number; weight: number }[][] {
  const out: { index: number; weight: number }[][] = [];
  const step = from / to;
  for (let j = 0; j < to; j++) {
    const a = j * step;
    const b = (j + 1) * step;
    const cells: { index: number; weight: number }[] = [];
    for (let i = Math.floor(a); i < Math.min(from, Math.ceil(b)); i++) {
      const w = Math.min(b, i + 1) - Math.max(a, i);
      if (w > 1e-12) cells.push({ index: i, weight: w });
    }
    out.push(cells);
  }
  return out;
}

/** `plane` (w x h) resampled to (tw x th) by area averaging. */
export function resample(plane: ArrayLike<number>, w: number, h: number, tw: number, th: number): Float64Array {
  const cols = coverage(w, tw);
  const rows = coverage(h, th);
  const out = new Float64Array(tw * th);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      let sum = 0;
      let weight = 0;
      for (const r of rows[y]) {
        for (const c of cols[x]) {
          const wgt = r.weight * c.weight;
          sum += wgt * plane[r.index * w + c.index];
          weight += wgt;
        }
      }
      out[y * tw + x] = weight > 0 ? sum / weight : 0;
    }
  }
  return out;
}

/** Where a w x h picture goes inside a W x H frame when fitted keeping its aspect ratio. */
export function fitBox(w: number, h: number, W: number, H: number): { x: number; y: number; width: number; height: number } {
  const scale = Math.min(W / w, H / h);
  const width = Math.max(1, Math.min(W, Math.round(w * scale)));
  const height = Math.max(1, Math.min(H, Math.round(h * scale)));
  return { x: Math.floor((W - width) / 2), y: Math.floor((H - height) / 2), width, height };
}

/** The picture as a [C, H, W] model input (see the file comment). */
export function imageToTensor(img: RgbaImage, shape: readonly number[], options: ImageToTensorOptions = {}): ImageTensor {
  if (shape.length !== 3) throw new RangeError(`an image input needs a [C, H, W] shape, the model's is [${shape.join(', ')}]`);
  const [C, H, W] = shape;
  if (img.width < 1 || img.height < 1) throw new RangeError('the picture has no pixels');
  if (img.data.length !== img.width * img.height * 4) throw new RangeError(`${img.data.length} bytes for ${img.width} x ${img.height} RGBA pixels`);
  const rgb = planes(img);
  const grey = luma(rgb);
  const invert = options.invert ?? 'auto';
  const inverted = invert === 'auto' ? borderMean(grey, img.width, img.height) > 0.5 : invert;
  const sources = C === 3 ? rgb : Array.from({ length: C }, () => grey);
  const box = fitBox(img.width, img.height, W, H);
  const [lo, hi] = options.range ?? [0, 1];
  const values = new Array<number>(C * H * W);
  for (let c = 0; c < C; c++) {
    const fitted = resample(sources[c], img.width, img.height, box.width, box.height);
    const margin = borderMean(sources[c], img.width, img.height);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const inside = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
        let v = inside ? fitted[(y - box.y) * box.width + (x - box.x)] : margin;
        if (inverted) v = 1 - v;
        values[c * H * W + y * W + x] = lo + v * (hi - lo);
      }
    }
  }
  return { values, inverted };
}
