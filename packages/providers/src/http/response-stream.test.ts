import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { ResponseBody } from './response-stream';

function fakeController() {
  const state = { paused: false, aborted: null as Error | null, pauses: 0, resumes: 0 };
  const controller = {
    get aborted() {
      return state.aborted !== null;
    },
    get paused() {
      return state.paused;
    },
    get reason() {
      return state.aborted;
    },
    abort(reason: Error) {
      state.aborted = reason;
    },
    pause() {
      state.paused = true;
      state.pauses += 1;
    },
    resume() {
      state.paused = false;
      state.resumes += 1;
    },
  } as Dispatcher.DispatchController;
  return { controller, state };
}

describe('ResponseBody', () => {
  it('hands chunks to a waiting reader, queues the rest in order, and ends with null', async () => {
    const body = new ResponseBody();
    const first = body.next();
    body.push(Buffer.from('a'));
    expect((await first)?.toString()).toBe('a');
    body.push(Buffer.from('b'));
    body.push(Buffer.from('c'));
    body.end();
    expect(await body.text()).toBe('bc');
    expect(await body.next()).toBeNull();
    expect(body.done).toBe(true);
  });

  it('text() gathers what is queued and what still arrives, once the body ends', async () => {
    const body = new ResponseBody();
    body.push(Buffer.from('{"a":'));
    const text = body.text();
    body.push(Buffer.from('1}'));
    body.end();
    expect(await text).toBe('{"a":1}');
    const failing = new ResponseBody();
    const partial = failing.text();
    failing.fail(new Error('reset'));
    await expect(partial).rejects.toThrow('reset');
  });

  it('pauses the request when the reader falls behind and resumes once it catches up', async () => {
    const body = new ResponseBody();
    const { controller, state } = fakeController();
    body.controller = controller;
    for (let index = 0; index < 64; index += 1) body.push(Buffer.from(String(index % 10)));
    expect(state.paused).toBe(true);
    for (let index = 0; index < 50; index += 1) await body.next();
    expect(state.paused).toBe(true);
    for (let index = 0; index < 6; index += 1) await body.next();
    expect(state.paused).toBe(false);
    expect(state.resumes).toBe(1);
  });

  it('rejects the reader with the request error, and cancel aborts only an unfinished body', async () => {
    const failing = new ResponseBody();
    const pending = failing.next();
    failing.fail(new Error('socket hang up'));
    await expect(pending).rejects.toThrow('socket hang up');
    await expect(failing.next()).rejects.toThrow('socket hang up');

    const open = new ResponseBody();
    const { controller, state } = fakeController();
    open.controller = controller;
    open.cancel('consumer left');
    expect(state.aborted?.message).toBe('consumer left');

    const finished = new ResponseBody();
    const other = fakeController();
    finished.controller = other.controller;
    finished.end();
    finished.cancel('too late');
    expect(other.state.aborted).toBeNull();
  });
});
