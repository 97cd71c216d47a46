import { describe, expect, it } from 'vitest';
import { parseSimArgs } from './cli.js';

const base = ['--engine', 'unity', '--role', 'target'];
const env = { VIBESYNC_TOKEN: 'vs_adapter_' + 'a'.repeat(43) };

describe('vibesync sim arguments', () => {
  it('reads the flags into simulator options, the token from the environment', () => {
    const o = parseSimArgs(
      [
        '--engine',
        'blender',
        '--role',
        'source',
        '--targets',
        'unity, godot',
        '--objects',
        '200',
        '--rate',
        '60',
        '--unbatched',
        '--seed',
        '9',
      ],
      env,
    );
    expect(o).toMatchObject({
      name: 'blender',
      roles: ['source'],
      targets: ['unity', 'godot'],
      objects: 200,
      rate: 60,
      batched: false,
      seed: 9,
      token: env.VIBESYNC_TOKEN,
      url: 'ws://127.0.0.1:7420/adapter',
      scenario: 'normal',
    });
  });

  it.each([
    [[...base], {}, /needs --token/],
    [['--engine', 'Unity!', '--role', 'target'], env, /--engine must be a lowercase engine name/],
    [['--engine', 'unity', '--role', 'boss'], env, /--role must be source, target or agent/],
    [[...base, '--scenario', 'explode'], env, /--scenario must be one of normal, hash-mismatch, malformed, silent/],
    [['--engine', 'blender', '--role', 'source'], env, /a source needs --targets/],
    [[...base, '--objects', '0'], env, /--objects must be an integer ≥ 1/],
    [[...base, '--rate', 'fast'], env, /--rate must be a number of Hz/],
  ] as const)('refuses %j with one sentence', (args, e, message) => {
    expect(() => parseSimArgs([...args], e)).toThrow(message);
  });
});
