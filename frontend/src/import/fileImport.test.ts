import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import * as preview from './fileImport';

const { PRESETS, cellText, delimiterName, doublyMapped, fieldChoices, fileRefusal, fileSizeText } = preview;
const { mappingToSend, outcomeText, presetLabel, previewFields, problemText } = preview;

describe('presets', () => {
  it('offers every format the server reads, each with a name people know', () => {
    expect(PRESETS.map(([key]) => key).sort()).toEqual(
      ['clz_movies', 'collectz_csv', 'csv', 'imdb', 'letterboxd', 'shelfspace_json', 'trakt'].sort(),
    );
    expect(presetLabel('letterboxd')).toMatch(/^Letterboxd/);
    expect(presetLabel('something_new')).toBe('something_new');
  });
});

describe('column mapping', () => {
  const suggested = { Name: 'title', Released: 'year', Shelf: null };

  it('sends nothing when the user kept the suggestion, so the server applies its own', () => {
    expect(mappingToSend(suggested, { ...suggested })).toBeNull();
  });

  it('sends the whole mapping once any column changed', () => {
    const chosen = { ...suggested, Shelf: 'location' };
    expect(mappingToSend(suggested, chosen)).toEqual(chosen);
    expect(mappingToSend(suggested, { ...suggested, Name: null })).toEqual({ ...suggested, Name: null });
  });

  it('points out a field that two columns fill', () => {
    expect(doublyMapped({ A: 'title', B: 'title', C: 'year', D: null, E: null })).toEqual(['title']);
    expect(doublyMapped(suggested)).toEqual([]);
  });

  it('offers the known fields plus any the server suggested that the web app does not know', () => {
    const choices = fieldChoices({ mapping: { Name: 'title', Stars: 'letterboxd_rating', Shelf: null } });
    const fields = choices.map(([field]) => field);
    expect(fields).toContain('title');
    expect(fields).toContain('collection_status');
    expect(choices.at(-1)).toEqual(['letterboxd_rating', 'letterboxd rating']);
    expect(fields.filter((field) => field === 'title')).toHaveLength(1);
  });

  it('shows each mapped field once, in the order of the columns, then any other field a row has', () => {
    const rows = [{ row: 2, fields: { title: 'Heat', media_type: 'movie' }, outcome: 'ok' as const, reason: null }];
    expect(previewFields({ mapping: { B: 'year', A: 'title', C: null, D: 'year' }, rows })).toEqual([
      'year',
      'title',
      'media_type',
    ]);
  });
});

describe('preview text', () => {
  it('writes values as a person reads them', () => {
    expect([cellText(null), cellText(undefined), cellText(1995), cellText(true), cellText(['Drama', 'Crime'])]).toEqual([
      '',
      '',
      '1995',
      'yes',
      'Drama, Crime',
    ]);
    expect(cellText({ format: 'DVD' })).toBe('{"format":"DVD"}');
  });

  it('says where a problem is when the server knows', () => {
    expect(problemText({ code: null, row: 4, column: 'Year', message: 'is not a year' })).toBe('Row 4, column “Year”: is not a year');
    expect(problemText({ code: null, row: 4, column: null, message: 'has no title' })).toBe('Row 4: has no title');
    expect(problemText({ code: 'duplicate_header', row: null, column: null, message: 'Two columns are named Title.' })).toBe('Two columns are named Title.');
  });

  it('says what the import would make of a row', () => {
    expect(outcomeText({ outcome: 'ok', reason: null })).toBe('Imported');
    expect(outcomeText({ outcome: 'skipped', reason: 'on the wish list' })).toBe('Skipped: on the wish list');
    expect(outcomeText({ outcome: 'failed', reason: null })).toBe('Fails');
  });

  it('names the delimiter the file was read with', () => {
    expect([delimiterName(';'), delimiterName('\t'), delimiterName('#')]).toEqual(['semicolons', 'tabs', '“#”']);
  });

  it('sizes files in the unit that reads best', () => {
    expect([fileSizeText(900), fileSizeText(2048), fileSizeText(5 * 1024 * 1024)]).toEqual(['900 bytes', '2.0 KB', '5.0 MB']);
  });
});

describe('a refused file', () => {
  it('gives the server’s own words for a file too large or unreadable', () => {
    expect(fileRefusal(new ApiError(413, 'payload_too_large', 'The file is larger than 50 MB.'))).toBe('The file is larger than 50 MB.');
    const unreadable = new ApiError(422, 'unreadable_file', 'The file cannot be read.', [
      { field: 'file', message: 'The file is a zip archive, not a CSV or JSON export.' },
    ]);
    expect(fileRefusal(unreadable)).toBe('The file cannot be read. The file is a zip archive, not a CSV or JSON export.');
  });

  it('leaves other errors to the usual notice', () => {
    expect(fileRefusal(new ApiError(403, 'forbidden', 'Forbidden'))).toBeNull();
    expect(fileRefusal(new Error('boom'))).toBeNull();
  });
});
