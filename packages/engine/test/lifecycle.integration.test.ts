/** The lifecycle against the test bed's real engine (host networking; no -p there). */
import { describe, expect, test } from '@jest/globals';
import {
  containerLogs,
  DockerError,
  engineHost,
  execInContainer,
  inspectContainer,
  inspectImage,
  removeContainer,
  runContainer,
  runDocker,
  stopContainer,
  waitContainer,
} from '@xplat/engine';
import { testbed } from '../../../test/testbed.js';

const tb = testbed();
const options = { docker: tb.docker };
const image = tb.env('XPLAT_LOCAL_IMAGE_LINUX_AMD64');

describe('container lifecycle', () => {
  test('run, exec, logs, inspect, stop, wait, remove', async () => {
    const name = `xplat-engine-test-${process.pid}-${Date.now().toString(36)}`;
    const id = await runContainer(
      {
        image,
        name,
        network: 'none',
        labels: { 'xplat.test': 'engine' },
        env: ['GREETING=hello there'],
        // Pauses between the lines: the engine reads stdout and stderr separately, so lines
        // written in the same instant may be stamped out of order.
        command: [
          'sh',
          '-c',
          'echo "$GREETING"; sleep 0.05; echo oops >&2; sleep 0.05; echo third; trap "exit 0" TERM; sleep 3600 & wait',
        ],
      },
      options,
    );
    try {
      expect(id).toMatch(/^[a-f0-9]{64}$/);
      const exec = await execInContainer(id, ['sh', '-c', 'echo in; exit 5'], options);
      expect([exec.exitCode, exec.stdout]).toEqual([5, 'in\n']);

      const state = await inspectContainer(id, options);
      expect(state).toMatchObject({
        id,
        name,
        status: 'running',
        running: true,
        networkMode: 'none',
        restartCount: 0,
      });

      // Give the script time to write all three lines (the exec above usually suffices).
      let logs = await containerLogs(id, { timestamps: true }, options);
      for (let i = 0; logs.length < 3 && i < 50; i++)
        logs = await containerLogs(id, { timestamps: true }, options);
      expect(logs.map((l) => `${l.stream}:${l.text}`)).toEqual([
        'stdout:hello there',
        'stderr:oops',
        'stdout:third',
      ]);
      expect((await containerLogs(id, { tail: 1 }, options)).length).toBeLessThanOrEqual(2);

      const waited = waitContainer(id, options);
      await stopContainer(id, 5, options);
      expect(await waited).toBe(0);
      expect(await inspectContainer(id, options)).toMatchObject({
        status: 'exited',
        exitCode: 0,
        running: false,
      });
    } finally {
      await removeContainer(id, options);
    }
    await expect(removeContainer(id, options)).resolves.toBeUndefined();
    expect(await inspectContainer(id, options)).toBeUndefined();
  });

  test('the engine host and a local image', async () => {
    expect(await engineHost(options)).toMatchObject({
      os: 'linux',
      architecture: 'x86_64',
      osVersion: '',
    });
    expect(await inspectImage(image, options)).toMatchObject({
      os: 'linux',
      architecture: 'amd64',
      id: expect.stringMatching(/^sha256:/),
    });
    expect(await inspectImage('xplat-no-such/image:nothing', options)).toBeUndefined();
  });

  test('a failing command becomes a DockerError with the engine message', async () => {
    const missing = `${tb.openRegistry}/xplat-no-such/image:nothing`;
    await expect(runContainer({ image: missing, network: 'none' }, options)).rejects.toThrow(
      DockerError,
    );
    await expect(runContainer({ image: missing, network: 'none' }, options)).rejects.toThrow(
      /^docker run failed \(exit 125\): Error response from daemon: manifest for .* not found/,
    );
  });

  test('a missing docker binary says how to point at one', async () => {
    await expect(runDocker(['version'], { docker: '/nonexistent/docker' })).rejects.toThrow(
      /^cannot run the docker CLI "\/nonexistent\/docker": .*\(set XPLAT_DOCKER or put docker on PATH\)$/,
    );
  });
});
