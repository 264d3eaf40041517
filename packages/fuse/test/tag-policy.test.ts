import { describe, expect, it } from '@jest/globals';
import { assertTagsAllowed, planTags } from '../src/tag-policy.js';

const NEW = `sha256:${'1'.repeat(64)}`;
const OLD = `sha256:${'2'.repeat(64)}`;

describe('planTags', () => {
  it.each<[string, string | undefined, string[], string]>([
    ['1.2.3', undefined, ['latest'], 'create'],
    ['1.2.3', NEW, ['latest'], 'unchanged'],
    ['1.2.3', OLD, ['latest'], 'refused'],
    ['latest', OLD, ['latest'], 'update'],
    ['edge', OLD, ['latest', 'edge'], 'update'],
    ['latest', OLD, [], 'refused'],
  ])('%s now at %s with mutable %j: %s', (tag, current, mutable, action) => {
    const [plan] = planTags([tag], new Map([[tag, current]]), NEW, mutable);
    expect(plan!.action).toBe(action);
  });

  it('refuses before any write and names every tag that would move', () => {
    const plans = planTags(
      ['1.0', '1.1', 'latest'],
      new Map([
        ['1.0', OLD],
        ['1.1', OLD],
        ['latest', OLD],
      ]),
      NEW,
      ['latest'],
    );
    expect(() => assertTagsAllowed(plans, 'r/app')).toThrow(
      `tags: refusing to move existing tag(s) r/app:1.0 (now ${OLD}), r/app:1.1 (now ${OLD})`,
    );
    expect(() =>
      assertTagsAllowed(planTags(['latest'], new Map([['latest', OLD]]), NEW, ['latest']), 'r/app'),
    ).not.toThrow();
  });
});
