import { useState } from 'react';
import { recognizeCover } from '../api/lookups';
import type { Candidate } from '../api/types';
import { useAction } from '../app/hooks';
import { ErrorNotice, Loading } from '../app/ui';
import { CandidateList } from './CandidateList';

const MAX_BYTES = 10 * 1024 * 1024;

export function CoverLookup({ onPick }: { onPick: (candidate: Candidate) => void }) {
  const [results, setResults] = useState<Candidate[] | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const recognize = useAction();

  async function onFile(file: File | undefined) {
    setResults(null);
    setProblem(null);
    if (!file) return;
    if (!file.type.startsWith('image/')) return setProblem('That file is not an image. Choose a photo of the cover.');
    if (file.size > MAX_BYTES) return setProblem('That photo is larger than 10 MB. Choose a smaller one.');
    if (preview) URL.revokeObjectURL(preview);
    setPreview(URL.createObjectURL(file));
    const found = await recognize.run(() => recognizeCover(file));
    if (found) setResults(found);
  }

  return (
    <>
      <div className="form">
        <label>
          Cover photo
          <input type="file" accept="image/*" capture="environment" onChange={(e) => void onFile(e.target.files?.[0])} />
        </label>
        <p className="muted small">Take a photo of the front cover with your phone's camera, or choose an image file.</p>
      </div>
      {preview && <img src={preview} alt="The chosen cover" className="cover-preview" />}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {recognize.busy && <Loading label="Recognizing the cover… this can take a few seconds." />}
      <ErrorNotice error={recognize.error} />
      {results && results.length === 0 && <p role="status">The cover was not recognized. Try a sharper photo or search TMDB.</p>}
      {results && results.length > 0 && <CandidateList candidates={results} onPick={onPick} label="Cover results" />}
    </>
  );
}
