/**
 * The listener reached over a real network: the program runs in its own network namespace
 * (as in a container or on another host), reachable only through a veth pair, and listens on
 * its non-loopback address. Attach, stop at a breakpoint, apply an edit, continue. Needs root
 * and `ip` (iproute2); where a namespace cannot be made the test is skipped, saying why.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { afterAll, describe, expect, it } from 'vitest';
import { HOT_RELOAD_REQUEST } from '../../common/hotReload';
import { LOOP, attachProgram, expectRunning, nextValue, startListening, type RunningProgram } from './attachSupport';
import { PYTHONS, lineOf, request, requestOk, startAdapter, waitForStop, withTimeout, writeScript } from './support';

const suffix = randomBytes(3).toString('hex');
const NAMESPACE = `dapper-${suffix}`;
const HOST_SIDE = `dvh${suffix}`;
const NS_SIDE = `dvn${suffix}`;
const octet = 1 + (randomBytes(1)[0] % 250);
const HOST_ADDRESS = `10.213.${octet}.1`;
const NS_ADDRESS = `10.213.${octet}.2`;

function ip(...args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.error) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

function cleanUp(): void {
  ip('netns', 'del', NAMESPACE);
  ip('link', 'del', HOST_SIDE); // gone with the namespace already, unless moving it failed
}

/** Makes the namespace and the veth pair; returns why not, or null. */
function makeNetwork(): string | null {
  const steps: string[][] = [
    ['netns', 'add', NAMESPACE],
    ['link', 'add', HOST_SIDE, 'type', 'veth', 'peer', 'name', NS_SIDE],
    ['link', 'set', NS_SIDE, 'netns', NAMESPACE],
    ['addr', 'add', `${HOST_ADDRESS}/30`, 'dev', HOST_SIDE],
    ['link', 'set', HOST_SIDE, 'up'],
    ['-n', NAMESPACE, 'addr', 'add', `${NS_ADDRESS}/30`, 'dev', NS_SIDE],
    ['-n', NAMESPACE, 'link', 'set', NS_SIDE, 'up'],
    ['-n', NAMESPACE, 'link', 'set', 'lo', 'up'],
  ];
  for (const step of steps) {
    const result = ip(...step);
    if (!result.ok) {
      cleanUp();
      return `cannot create a network namespace here ("ip ${step.join(' ')}": ${result.output || 'failed'}; needs root and iproute2)`;
    }
  }
  return null;
}

const python = PYTHONS[PYTHONS.length - 1];
const unavailable = python ? makeNetwork() : 'no Python found';
// Also when the test is filtered out and no hook runs: never leave a namespace behind.
process.once('exit', cleanUp);

describe('attach over a network to a listener in another network namespace', () => {
  let dc: DebugClient | undefined;
  let program: RunningProgram | undefined;
  afterAll(async () => {
    void dc?.stop().catch(() => undefined);
    await program?.kill();
    cleanUp();
  });

  it.skipIf(unavailable !== null)(
    unavailable ? `skipped: ${unavailable}` : `listens on ${NS_ADDRESS} in namespace ${NAMESPACE} (Python ${python?.version})`,
    async () => {
      const script = writeScript(LOOP);
      const token = randomBytes(16).toString('hex');
      const started = await startListening(python.python, [script], {
        token,
        listen: `${NS_ADDRESS}:0`,
        wrap: ['ip', 'netns', 'exec', NAMESPACE],
      });
      program = started.program;
      expect(started.host).toBe(NS_ADDRESS);
      expect(program.stderr).toMatch(/WARNING: listening on 10\.213\.\d+\.2, which other machines may reach/);
      await nextValue(program, 0);

      dc = await startAdapter();
      const stopped = waitForStop(dc, 30_000);
      const processEvent = dc.waitForEvent('process', 30_000);
      const attached = await attachProgram(dc, { connect: { host: NS_ADDRESS, port: started.port }, token }, [
        { path: script, lines: [lineOf(LOOP, '# BP')] },
      ]);
      expect(attached.success, attached.message).toBe(true);
      expect((await processEvent).body).toMatchObject({ startMethod: 'attach', isLocalProcess: false });
      const { frame, event } = await stopped;
      expect(frame.name).toBe('work');

      writeFileSync(script, LOOP.replace('return i * 2  # BP', 'return i * 5  # BP'));
      const applied = await request(dc, HOT_RELOAD_REQUEST, { source: { path: script } });
      expect(applied.success, applied.message).toBe(true);
      await requestOk(dc, 'setBreakpoints', { source: { path: script }, breakpoints: [] });
      const before = program.stdout.length;
      await requestOk(dc, 'continue', { threadId: event.body.threadId });
      await nextValue(program, before);
      await expectRunning(program, (i, result) => result === i * 5);
      await withTimeout(requestOk(dc, 'disconnect', {}), 'disconnect');
      await expectRunning(program, (i, result) => result === i * 5);
    },
  );
});
