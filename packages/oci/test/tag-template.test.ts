import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_LEG_TAG,
  DEFAULT_RUN_LEG_TAG,
  fillTemplate,
  templatePlaceholders,
  unmatchedBrace,
} from '../src/index.js';

describe('tag templates', () => {
  it('keeps the two default leg tags', () => {
    expect(DEFAULT_LEG_TAG).toBe('{platform-pair}-{sha}');
    expect(DEFAULT_RUN_LEG_TAG).toBe('{platform-pair}-{run-id}');
  });

  it.each([
    ['{platform-pair}-{sha}', undefined],
    ['latest', undefined],
    ['{platform-pair', '"{platform-pair" has an unmatched brace; placeholders look like {sha}'],
    ['sha}-x', '"sha}-x" has an unmatched brace; placeholders look like {sha}'],
    ['{a{b}}', '"{a{b}}" has an unmatched brace; placeholders look like {sha}'],
  ])('checks the braces of %s', (template, problem) => {
    expect(unmatchedBrace(template, 'sha')).toBe(problem);
  });

  it('names the placeholders in order and fills them', () => {
    expect(templatePlaceholders('v{major}.{minor}-{ sha }')).toEqual(['major', 'minor', ' sha ']);
    expect(fillTemplate('{major}.{minor}', (name) => `<${name}>`)).toBe('<major>.<minor>');
  });
});
