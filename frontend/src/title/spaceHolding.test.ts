import { describe, expect, it } from 'vitest';
import { ApiError, type ApiClient, type RequestOptions } from '../api/client';
import type { SpaceRef } from '../api/types';
import { spaceHolding } from './spaceHolding';

const spaces: SpaceRef[] = [
  { id: 'a', name: 'Attic', role: 'viewer' },
  { id: 'b', name: 'Basement', role: 'member' },
];

function serving(holder: string | null, calls: string[]): ApiClient {
  return (async (path: string, options?: RequestOptions) => {
    calls.push(`${options?.spaceId}:${path}`);
    if (options?.spaceId === holder) return { id: 't1', title: 'Heat' };
    throw new ApiError(404, 'not_found', 'Not found.');
  }) as ApiClient;
}

describe('finding which of the user’s spaces holds a title', () => {
  it('asks each space in turn and returns the one that has it', async () => {
    const calls: string[] = [];
    const found = await spaceHolding('t1', spaces, serving('b', calls));
    expect(found?.space.name).toBe('Basement');
    expect(found?.media.title).toBe('Heat');
    expect(calls).toEqual(['a:/api/media/t1', 'b:/api/media/t1']);
  });

  it('is null when no space has it', async () => {
    expect(await spaceHolding('t1', spaces, serving(null, []))).toBeNull();
  });

  it('stops on an error that is not “not found”', async () => {
    const failing = (async () => {
      throw new ApiError(0, 'network_error', 'down');
    }) as ApiClient;
    await expect(spaceHolding('t1', spaces, failing)).rejects.toThrow('down');
  });
});
