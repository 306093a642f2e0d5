// Ports on 127.0.0.1: free ones for a new broker, and whether a started one accepts clients.

import net from 'node:net';

function listen(port) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(srv));
  });
}

function closeServer(srv) {
  return new Promise((resolve) => srv.close(() => resolve()));
}

/** Free 127.0.0.1 ports, all distinct (sockets are held until every port was picked). */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(0));
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map(closeServer));
  }
}

export async function isPortFree(port) {
  try {
    await closeServer(await listen(port));
    return true;
  } catch {
    return false;
  }
}

export function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    const done = (ok) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}
