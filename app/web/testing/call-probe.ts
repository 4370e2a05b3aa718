/**
 * Times a normal call (terminal.list: answered by Berth alone, no engine) every PERIOD ms on its own
 * connection, from its own process: a probe inside the fuzzing process would also time that process's
 * own busy moments (generating arguments, reading replies), not only the server's.
 * Usage: node --import tsx call-probe.ts PORT TOKEN PERIOD_MS; prints one duration (ms) per line until stdin closes.
 */
import { connectRawClient } from './berth-web-process.js';

const [port, token, period] = process.argv.slice(2);
const client = await connectRawClient({ port: Number(port), token: token! }, { keepReceived: false });
let running = true;
process.stdin.on('end', () => (running = false));
process.stdin.resume();
while (running) {
  const started = performance.now();
  const reply = await client.call('terminal.list', {});
  const ms = performance.now() - started;
  process.stdout.write(reply.t === 'result' ? `${ms.toFixed(2)}\n` : `failed ${JSON.stringify(reply)}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(period)));
}
client.close();
