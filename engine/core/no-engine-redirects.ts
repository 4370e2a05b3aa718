/**
 * docker-modem follows HTTP redirects (its own copy of an old follow-redirects), and the engine's Go
 * router answers a path with "//" in it (an image name such as `x//evil.example/y`) with a 301 to the
 * cleaned path. Followed, that made Berth connect to a host named by the caller's input (the fuzzer
 * found it: an uncaught "getaddrinfo ENOTFOUND images"). The Engine API never redirects for a real
 * reason, so no redirect is followed: the 301 arrives as an error on the request that got it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const modemHttp = require('docker-modem/lib/http.js') as { maxRedirects: number };
modemHttp.maxRedirects = 0;

export const ENGINE_REDIRECTS_FOLLOWED = modemHttp.maxRedirects;
