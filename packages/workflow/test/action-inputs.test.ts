/** `with:` of xplat's actions checked against the action.yml files that exist now. */
import { describe, expect, it } from '@jest/globals';
import { checkActionInputs, xplatActionName } from '../src/action-inputs.js';
import { actionInputs, resolveFromRepository } from './validators.js';

const step = (uses: string, inputs: Record<string, string>) =>
  `on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v6
      - uses: ${uses}
        with:
${Object.entries(inputs)
  .map(([k, v]) => `          ${k}: ${v}`)
  .join('\n')}
`;

describe('action inputs', () => {
  it('names xplat actions, local or from a repository', () => {
    expect(xplatActionName('./actions/smoke-test')).toBe('smoke-test');
    expect(xplatActionName('owner/xplat/actions/fuse-manifest@v1')).toBe('fuse-manifest');
    expect(xplatActionName('actions/checkout@v6')).toBeUndefined();
  });

  it('accepts declared inputs with every required one given', () => {
    expect(actionInputs(step('./actions/smoke-test', { image: 'app:1', port: "'8080'" }))).toEqual(
      [],
    );
  });

  it('fails on an input the action does not declare, with its line', () => {
    const findings = actionInputs(step('./actions/smoke-test', { image: 'app:1', prot: "'8080'" }));
    expect(findings).toEqual([
      expect.objectContaining({
        line: 10,
        message: expect.stringContaining('input "prot" is not declared'),
      }),
    ]);
  });

  it('fails when a required input is missing', () => {
    const findings = actionInputs(
      step('xplat-dev/xplat/actions/fuse-manifest@v1', { results: 'legs' }),
    );
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining(
        'required input "image" of xplat-dev/xplat/actions/fuse-manifest@v1 is not given',
      ),
    ]);
  });

  it('fails when the referenced action.yml does not exist', () => {
    const findings = actionInputs(step('./actions/no-such-action', { x: 'y' }));
    expect(findings).toEqual([
      expect.objectContaining({ line: 7, message: expect.stringContaining('does not exist') }),
    ]);
  });

  it('leaves third-party actions alone', () => {
    expect(actionInputs(step('docker/login-action@v4', { anything: 'x' }))).toEqual([]);
  });

  it('checks the inputs of a reusable workflow call', () => {
    const call = (inputs: string) => `on: push
jobs:
  image:
    uses: xplat-dev/xplat/.github/workflows/xplat-reusable.yml@v1
    with:
${inputs}`;
    expect(actionInputs(call('      image: ghcr.io/a/b\n      platforms: linux/amd64\n'))).toEqual(
      [],
    );
    expect(actionInputs(call('      image: ghcr.io/a/b\n')).map((f) => f.message)).toEqual([
      expect.stringContaining('required input "platforms"'),
    ]);
    expect(
      actionInputs(call('      image: ghcr.io/a/b\n      platforms: x\n      smoke-prot: 1\n')).map(
        (f) => f.message,
      ),
    ).toEqual([expect.stringContaining('input "smoke-prot" is not declared')]);
  });

  it('works with any resolver (a fake action.yml)', () => {
    const actionYml =
      'name: x\ninputs:\n  a:\n    required: true\n  b:\n    required: true\n    default: z\n';
    const problems = checkActionInputs(step('./actions/x', { c: 'd' }), (uses) =>
      uses === './actions/x' ? actionYml : undefined,
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('input "c" is not declared'),
      expect.stringContaining('required input "a"'),
    ]);
    expect(resolveFromRepository('actions/checkout@v6', 'action')).toBeUndefined();
  });
});
