import { Socket } from 'node:net';
import type { Engine } from '../../../shared/profiles.ts';

/**
 * "10.11.19-MariaDB-0+deb12u1" reads as "MariaDB 10.11.19"; "8.4.3" as "MySQL 8.4.3". MariaDB's greeting
 * puts "5.5.5-" in front of its version, for old clients; that is dropped.
 */
export function mysqlVersionLabel(version: string): string {
  const text = version.replace(/^5\.5\.5-/, '');
  const number = /^[\d.]+/.exec(text)?.[0] ?? text;
  return /mariadb/i.test(text) ? `MariaDB ${number}` : `MySQL ${number}`;
}

export interface ProbeResult {
  /** What answered on the port, as far as its first bytes tell. */
  engine: Engine | 'unknown';
  /** The version a MySQL server announced in its greeting, e.g. "MariaDB 10.11.19". */
  version?: string;
}

/** PostgreSQL's SSLRequest: length 8, code 80877103. A PostgreSQL server answers with one byte, 'S' or 'N'. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Finds out which kind of server listens on a port, for an error message that names it. A MySQL server
 * speaks first (a greeting with protocol version 10, or an error packet); a PostgreSQL server waits for the
 * client and answers an SSLRequest with 'S' or 'N'. Used only after a connection failed or stalled, so a
 * MySQL server sees at most one extra aborted handshake.
 */
export function probeServer(host: string, port: number, timeoutMs = 1500): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    let asked = false;
    const finish = (result: ProbeResult) => {
      clearTimeout(overall);
      clearTimeout(askTimer);
      socket.destroy();
      resolve(result);
    };
    const overall = setTimeout(() => finish({ engine: 'unknown' }), timeoutMs);
    let askTimer: NodeJS.Timeout | undefined;
    socket.on('error', () => finish({ engine: 'unknown' }));
    socket.on('close', () => finish({ engine: 'unknown' }));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (asked && received.length >= 1 && (received[0] === 0x53 || received[0] === 0x4e)) {
        finish({ engine: 'postgres' });
        return;
      }
      // MySQL packet: 3-byte length, sequence 0, then protocol 10 and a NUL-terminated version, or 0xff (error).
      if (!asked && received.length >= 5 && received[3] === 0) {
        if (received[4] === 0x0a) {
          const end = received.indexOf(0, 5);
          if (end < 0 && received.length < 64) return;
          finish({ engine: 'mysql', version: mysqlVersionLabel(received.subarray(5, end < 0 ? received.length : end).toString('latin1')) });
          return;
        }
        if (received[4] === 0xff) finish({ engine: 'mysql' });
      }
    });
    socket.connect(port, host, () => {
      // A server that says nothing for a moment is not MySQL: ask it the PostgreSQL way.
      askTimer = setTimeout(() => {
        asked = true;
        socket.write(SSL_REQUEST);
      }, Math.min(400, timeoutMs / 3));
    });
  });
}
