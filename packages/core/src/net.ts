import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that is free right now: `preferred` if it is, else one the OS picks. */
export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : port));
      });
    });
  if (preferred === 0) return tryPort(0);
  try {
    return await tryPort(preferred);
  } catch {
    return tryPort(0);
  }
}
