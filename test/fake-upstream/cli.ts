// `npm run dev:fake`: the fake upstream for manual use. Point a provider's base URL at the printed
// address (any key works). Script what it does next with the control endpoint, e.g.
//   curl -X POST localhost:8787/__control/enqueue -d '{"kind":"error","status":429,"body":{"errors":{"message":"Request limit exceeded."}}}'
import { parseArgs } from 'node:util';
import { FakeUpstream } from './server.ts';
import { streamOf } from './scenarios.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' } } });
const demo = [
  '# Hello from the fake upstream',
  '',
  'This answer is **streamed** in small pieces, like a real provider would.',
  '',
  '- It speaks the OpenAI-compatible API',
  '- It can be scripted to fail in many ways',
  '',
  '```ts',
  'const answer = 42;',
  '```',
].join('\n');
const fake = await FakeUpstream.start({
  port: Number(values.port),
  defaultScenario: { ...streamOf(demo, { size: 6, delayMs: 30 }), flavor: 'modelscope', reasoning: ['Thinking ', 'about ', 'the ', 'question…'] },
});
process.stdout.write(`Fake upstream ready: ${fake.baseUrl}\n`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
