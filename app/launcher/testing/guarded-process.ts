/**
 * A process for last-resort-guard.test.ts: installs the guard, then fails in the ways that end an
 * unguarded Node process (an 'error' event without a listener, a throw in a timer, an unawaited
 * rejection), and prints "still here" once all of them have happened.
 */
import { EventEmitter } from 'node:events';
import { installLastResortGuard } from '../last-resort-guard.js';

installLastResortGuard();
setTimeout(() => new EventEmitter().emit('error', new Error('a socket error nobody listened to')), 10);
setTimeout(() => {
  throw new Error('a throw in a timer');
}, 20);
setTimeout(() => void Promise.reject(new Error('a rejection nobody awaited')), 30);
setTimeout(() => console.log('still here'), 200);
