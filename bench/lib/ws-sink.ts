// T7's WebSocket client, in its own process so receiving costs nothing on the measured thread:
// connects to the browser-mode host, says "connected", and reads (and drops) every message.
import WebSocket from 'ws';

const ws = new WebSocket(process.argv[2]!);
let n = 0;
ws.on('open', () => process.stdout.write('connected\n'));
ws.on('message', () => n++);
ws.on('error', (err) => {
  process.stderr.write(`ws-sink: ${err.message}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(n >= 0 ? 0 : 1));
