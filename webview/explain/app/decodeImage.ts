// Decodes a picture (a data URL from the host) into RGBA pixels with the webview's canvas.
// Very large pictures are first drawn at most MAX_SIDE pixels on their longer side by the
// browser; the exact fitting to the model's input happens in imageToTensor.
import type { RgbaImage } from '../logic/imageTensor';

const MAX_SIDE = 512;

export async function decodeImage(dataUrl: string): Promise<RgbaImage> {
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  const w0 = img.naturalWidth;
  const h0 = img.naturalHeight;
  if (!w0 || !h0) throw new Error('the picture has no pixels');
  const scale = Math.min(1, MAX_SIDE / Math.max(w0, h0));
  const width = Math.max(1, Math.round(w0 * scale));
  const height = Math.max(1, Math.round(h0 * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this view cannot draw (no 2-D canvas)');
  ctx.drawImage(img, 0, 0, width, height);
  return { width, height, data: ctx.getImageData(0, 0, width, height).data };
}
