import { AllowListLabels } from './allow-list-labels';

const allowList = new AllowListLabels(['gen_ai.request.model', 'tokenmeter.plan']);

describe('AllowListLabels', () => {
  it('keeps only the allowed names of labels that carry others', () => {
    const labels = Object.freeze({
      'gen_ai.request.model': 'gpt-4o',
      'enduser.id': 'user-1',
      'tokenmeter.plan': 'pro',
    });
    expect(allowList.process(labels)).toEqual({
      'gen_ai.request.model': 'gpt-4o',
      'tokenmeter.plan': 'pro',
    });
    // asked again: the same filtered copy
    expect(allowList.process(labels)).toBe(allowList.process(labels));
    expect(allowList.process(labels)).not.toHaveProperty('enduser.id');
  });

  it('hands a frozen object holding only allowed names through as it is', () => {
    const labels = Object.freeze({ 'gen_ai.request.model': 'gpt-4o', 'tokenmeter.plan': 'pro' });
    expect(allowList.process(labels)).toBe(labels);
    expect(allowList.process(labels)).toBe(labels);
  });

  it('copies an unfrozen object, which its owner could still change after it is recorded', () => {
    const labels: Record<string, string> = { 'gen_ai.request.model': 'gpt-4o' };
    const processed = allowList.process(labels);
    expect(processed).toEqual(labels);
    expect(processed).not.toBe(labels);
    labels['enduser.id'] = 'user-1';
    expect(processed).not.toHaveProperty('enduser.id');
  });

  it('ignores inherited names', () => {
    const labels = Object.freeze(
      Object.create(
        { 'tokenmeter.plan': 'inherited' },
        {
          'gen_ai.request.model': { value: 'gpt-4o', enumerable: true },
        },
      ) as Record<string, string>,
    );
    expect(allowList.process(labels)).toEqual({ 'gen_ai.request.model': 'gpt-4o' });
    expect(Object.keys(allowList.process(labels))).toEqual(['gen_ai.request.model']);
  });
});
