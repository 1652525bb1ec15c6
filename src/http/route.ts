import type { IncomingMessage, ServerResponse } from 'node:http';

/** One endpoint of Firebreak's HTTP server: a method, an exact path and its handler. */
export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** May throw: the server answers 500 and logs it, and keeps serving. */
  handle(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
