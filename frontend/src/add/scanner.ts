/** The browser's BarcodeDetector (Chrome on Android and others); typed here as the DOM lib lacks it. */
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

const RETAIL_FORMATS = ['ean_13', 'ean_8', 'upc_a', 'upc_e'];

export function barcodeScanningSupported(): boolean {
  return (
    typeof window !== 'undefined' &&
    'BarcodeDetector' in window &&
    typeof navigator !== 'undefined' &&
    !!navigator.mediaDevices?.getUserMedia
  );
}

export function createDetector(): BarcodeDetectorLike {
  const Detector = (window as unknown as { BarcodeDetector: BarcodeDetectorClass }).BarcodeDetector;
  return new Detector({ formats: RETAIL_FORMATS });
}

/** Only digits, and only the lengths retail barcodes have (EAN-8, UPC-A, EAN-13, ITF-14). */
export function normalizeUpc(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  return [8, 12, 13, 14].includes(digits.length) ? digits : null;
}
