// T7's WebSocket client, in its own process so receiving costs nothing on the measured thread:
// connects to the browser-mode host, says "connected", and reads (and drops) every message.
// Arguments: the host's origin (http://127.0.0.1:PORT) and its token.
import WebSocket from 'ws';

const origin = process.argv[2]!;
const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ws`, { origin });
let n = 0;
ws.on('open', () => {
  ws.send(JSON.stringify({ t: 'auth', token: process.argv[3]! }));
  process.stdout.write('connected\n');
});
ws.on('message', () => n++);
ws.on('error', (err) => {
  process.stderr.write(`ws-sink: ${err.message}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(n >= 0 ? 0 : 1));
