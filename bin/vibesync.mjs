#!/usr/bin/env node
// The `vibesync` command. Plain JavaScript so it runs before any build: it registers tsx to load
// the TypeScript sources directly, then hands the arguments to electron/headless/main.ts.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/headless/main.ts');
process.exitCode = await main(process.argv.slice(2));
