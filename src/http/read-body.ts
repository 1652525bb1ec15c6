import type { IncomingMessage } from 'node:http';

export type ReadBody = { ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Reads a request body as UTF-8 text, at most `limit` bytes. A body announced (Content-Length) or
 * found to be larger is refused before it is read whole or parsed, so a huge or endless upload costs
 * at most `limit` bytes of memory. The caller answers 413 and closes the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit)
    return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: ReadBody) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the rest of the upload is left unread (the answer closes the connection).
        req.pause();
        return finish({ ok: false, reason: 'too_large' });
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') });
    const onError = () => finish({ ok: false, reason: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}
