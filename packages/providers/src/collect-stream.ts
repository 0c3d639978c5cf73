import type { ChatResponse, FinishReason, StreamEvent, ToolCall, Usage } from '@switchyard/core';

/** Fold a normalized event stream into the equivalent non-streaming response (tests, evals). */
export async function collectStream(events: AsyncIterable<StreamEvent>): Promise<ChatResponse & { events: number }> {
  let id = '';
  let model = '';
  let created = Math.floor(Date.now() / 1000);
  let count = 0;
  let usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const choices = new Map<number, { text: string; tools: ToolCall[]; finish: FinishReason }>();
  const choice = (index: number) => {
    let entry = choices.get(index);
    if (!entry) {
      entry = { text: '', tools: [], finish: 'stop' };
      choices.set(index, entry);
    }
    return entry;
  };
  for await (const event of events) {
    count += 1;
    switch (event.type) {
      case 'start':
        id = event.id;
        model = event.model;
        created = event.created;
        break;
      case 'text':
        choice(event.index).text += event.text;
        break;
      case 'tool-call': {
        const entry = choice(event.index);
        let call = entry.tools[event.toolIndex];
        if (!call) {
          call = { id: event.id ?? '', type: 'function', function: { name: event.name ?? '', arguments: '' } };
          entry.tools[event.toolIndex] = call;
        }
        if (event.id) call.id = event.id;
        if (event.name) call.function.name = event.name;
        call.function.arguments += event.argumentsDelta;
        break;
      }
      case 'finish':
        choice(event.index).finish = event.finishReason;
        break;
      case 'usage':
        usage = event.usage;
        break;
    }
  }
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    events: count,
    choices: [...choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, entry]) => ({
        index,
        message: {
          role: 'assistant',
          content: entry.text.length > 0 || entry.tools.length === 0 ? entry.text : null,
          ...(entry.tools.length > 0 ? { tool_calls: entry.tools.filter(Boolean) } : {}),
        },
        finish_reason: entry.finish,
        logprobs: null,
      })),
    usage,
  };
}
