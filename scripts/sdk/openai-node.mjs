// The official OpenAI Node SDK against toks serve: models, chat (with the SDK's defaults: no
// max_tokens), streamed chat, completions. Exits non-zero on the first thing a real client would trip on.
// Usage: node openai-node.mjs http://127.0.0.1:PORT/v1
import OpenAI from 'openai';

const baseURL = process.argv[2];
if (!baseURL) {
  console.error('usage: node openai-node.mjs BASE_URL');
  process.exit(2);
}
const client = new OpenAI({ baseURL, apiKey: 'none', maxRetries: 0, timeout: 60_000 });
function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
}

const models = await client.models.list();
check(models.data.length > 0 && models.data[0].id, 'models.list returns a model');
const model = models.data[0].id;
const one = await client.models.retrieve(model);
check(one.id === model && one.created > 0, 'models.retrieve returns the model with created');

const chat = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Once upon a time' }] });
check(chat.choices[0].message.content.length > 0, 'chat without max_tokens generates text');
check(chat.usage.completion_tokens > 0, 'chat reports usage');

let streamed = '';
let finish = null;
const stream = await client.chat.completions.create({
  model, messages: [{ role: 'user', content: 'Lily went to the park' }], max_tokens: 16, stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  if (chunk.choices.length > 0) {
    streamed += chunk.choices[0].delta?.content ?? '';
    finish = chunk.choices[0].finish_reason ?? finish;
  }
}
check(streamed.length > 0 && finish !== null, 'streamed chat delivers text and a finish_reason');

const completion = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 8 });
check(completion.choices[0].text.length > 0, 'completions generate text');

let refused = false;
try {
  await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], n: 2 });
} catch (e) {
  refused = e.status === 400;
}
check(refused, 'n = 2 is refused with HTTP 400');
console.log(`openai-node ${OpenAI.VERSION ?? ''}: models, chat, streamed chat, completions and a refusal all as the SDK expects`);
