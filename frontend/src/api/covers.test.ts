import { describe, expect, it } from 'vitest';
import { answering } from './testClient';
import { removeCover, setCover } from './covers';

describe('covers', () => {
  it('puts the image as the multipart field `image`, with the CSRF token', async () => {
    const { request, fetch } = answering({ id: 'm1', cover_urls: { '500': '/api/covers/k/500.webp' } });
    const photo = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'IMG_0001.jpg', { type: 'image/jpeg' });

    const media = await setCover('m1', photo, request);

    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe('/api/media/m1/cover');
    expect(init?.method).toBe('PUT');
    expect((init?.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok');
    const sent = (init?.body as FormData).get('image') as File;
    expect(sent.name).toBe('IMG_0001.jpg');
    expect(media.cover_urls?.['500']).toBe('/api/covers/k/500.webp');
  });

  it('deletes the cover', async () => {
    const { request, fetch } = answering(null, 204);

    await removeCover('m1', request);

    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe('/api/media/m1/cover');
    expect(init?.method).toBe('DELETE');
  });
});
