import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For tests: an HTTP endpoint answering the one Schema Registry call decoding makes,
 * `GET /schemas/ids/{id}`, with the bodies and error codes Confluent documents.
 */
export async function serveRegistry(schemas: Record<number, { schema: string; schemaType?: string }>) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.url} ${req.headers.authorization ?? ''}`);
    const id = Number(/^\/schemas\/ids\/(\d+)$/.exec(req.url ?? '')?.[1]);
    const found = schemas[id];
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
    res.end(JSON.stringify(found ?? { error_code: 40403, message: 'Schema not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A value in the Confluent wire format: magic byte 0, the schema id, optional message indexes, the body. */
export function confluentFramed(id: number, body: Uint8Array, indexes: readonly number[] = []): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(id, 1);
  return Buffer.concat([head, Buffer.from(indexes), body]);
}
