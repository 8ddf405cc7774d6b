import { useEffect, useRef, useState, type FormEvent } from 'react';
import { lookupUpc } from '../api/lookups';
import type { Candidate } from '../api/types';
import { useAction } from '../app/hooks';
import { ErrorNotice, Loading } from '../app/ui';
import { CandidateList } from './CandidateList';
import { barcodeScanningSupported, createDetector, normalizeUpc } from './scanner';

function Scanner({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = createDetector();
    const tick = async () => {
      if (stopped || !video.current) return;
      try {
        const codes = await detector.detect(video.current);
        const code = codes.map((c) => normalizeUpc(c.rawValue)).find(Boolean);
        if (code) return onCode(code);
      } catch {
        /* frames before the video has data fail; try the next one */
      }
      timer = setTimeout(tick, 250);
    };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }).then(
      async (s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        await video.current.play().catch(() => undefined);
        void tick();
      },
      () => setProblem('The camera could not be opened. Allow camera access in the browser, or type the barcode.'),
    );
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onCode]);

  return (
    <div className="scanner">
      {problem ? <p role="alert" className="error">{problem}</p> : <p role="status">Point the camera at the barcode…</p>}
      <video ref={video} muted playsInline aria-label="Camera preview" />
      <button type="button" onClick={onClose}>
        Stop scanning
      </button>
    </div>
  );
}

export function BarcodeLookup({ onPick }: { onPick: (candidate: Candidate, upc: string) => void }) {
  const [code, setCode] = useState('');
  const [scanning, setScanning] = useState(false);
  const [results, setResults] = useState<{ upc: string; items: Candidate[] } | null>(null);
  const [invalid, setInvalid] = useState(false);
  const lookup = useAction();
  const canScan = barcodeScanningSupported();

  async function run(value: string) {
    const upc = normalizeUpc(value);
    setInvalid(!upc);
    if (!upc) return;
    const items = await lookup.run(() => lookupUpc(upc));
    if (items) setResults({ upc, items });
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(code);
  };

  return (
    <>
      <form className="form" onSubmit={submit} aria-label="Barcode lookup">
        <label>
          Barcode (UPC or EAN)
          <input
            type="text"
            inputMode="numeric"
            autoComplete="off"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? 'barcode-error' : undefined}
          />
          {invalid && (
            <span id="barcode-error" className="field-error">
              A barcode is 8, 12, 13 or 14 digits.
            </span>
          )}
        </label>
        <div className="buttons">
          <button type="submit" className="primary" disabled={lookup.busy || !code.trim()}>
            Look up
          </button>
          {canScan && !scanning && (
            <button type="button" onClick={() => setScanning(true)}>
              Scan with camera
            </button>
          )}
        </div>
      </form>
      {scanning && (
        <Scanner
          onCode={(value) => {
            setScanning(false);
            setCode(value);
            void run(value);
          }}
          onClose={() => setScanning(false)}
        />
      )}
      {lookup.busy && <Loading label="Looking up the barcode…" />}
      <ErrorNotice error={lookup.error} />
      {results && results.items.length === 0 && (
        <p role="status">No product found for {results.upc}. Try the TMDB search, or add the title by hand.</p>
      )}
      {results && results.items.length > 0 && (
        <CandidateList candidates={results.items} onPick={(c) => onPick(c, results.upc)} label="Barcode results" />
      )}
    </>
  );
}
