import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it, so parallel files do not collide). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('Could not read the port the OS picked'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}
