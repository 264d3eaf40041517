/**
 * The source of a build on GitHub comes from @actions/github's `context`, which main.ts
 * hands to the engine; these tests build that real context from a runner's environment
 * and event payload, as the runner provides them.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { refNameOf, sourceFromGithubContext } from '@xplat/engine';

describe('the source from @actions/github', () => {
  it('reads sha, ref, ref name, repository, run, event and default branch', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xplat-context-'));
    const event = path.join(dir, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        ref: 'refs/heads/feature/x',
        repository: { full_name: 'acme/app', default_branch: 'trunk', owner: { login: 'acme' } },
      }),
    );
    const saved = { ...process.env };
    Object.assign(process.env, {
      GITHUB_EVENT_PATH: event,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_SHA: '1a2b3c4d5e6f70819283a4b5c6d7e8f901234567',
      GITHUB_REF: 'refs/heads/feature/x',
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '2',
      GITHUB_JOB: 'build',
      GITHUB_SERVER_URL: 'https://github.example.com',
    });
    try {
      // A fresh Context reads the environment now, as the action's import does at start.
      const { context: loaded } = await import('@actions/github');
      const context = new (loaded.constructor as new () => typeof loaded)();
      expect(sourceFromGithubContext(context)).toEqual({
        sha: '1a2b3c4d5e6f70819283a4b5c6d7e8f901234567',
        ref: 'refs/heads/feature/x',
        refName: 'feature/x',
        runId: '4242',
        runAttempt: '2',
        job: 'build',
        repository: 'acme/app',
        serverUrl: 'https://github.example.com',
        event: 'push',
        defaultBranch: 'trunk',
      });
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('names refs as GITHUB_REF_NAME does', () => {
    expect(refNameOf('refs/heads/main')).toBe('main');
    expect(refNameOf('refs/tags/v1.2.3')).toBe('v1.2.3');
    expect(refNameOf('refs/pull/12/merge')).toBe('12/merge');
  });

  it('leaves out what the context does not have (outside a run: nothing)', () => {
    expect(sourceFromGithubContext({ runId: Number.NaN, runAttempt: Number.NaN })).toEqual({});
    // context.repo throws without GITHUB_REPOSITORY; the payload still names the repository.
    const context = {
      get repo(): { owner: string; repo: string } {
        throw new Error('no GITHUB_REPOSITORY');
      },
      payload: { repository: { full_name: 'acme/app', default_branch: 'main' } },
    };
    expect(sourceFromGithubContext(context)).toEqual({
      repository: 'acme/app',
      defaultBranch: 'main',
    });
  });
});
