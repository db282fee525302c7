import { describePolicy, fieldErrors } from './policyFormat';

describe('describePolicy', () => {
  it('says each limit set, in a fixed order', () => {
    expect(
      describePolicy({
        requiresApproval: true,
        maxExtensions: 1,
        minNoticeMinutes: 60,
        maxAdvanceDays: 30,
        maxDurationHours: 8,
      }),
    ).toBe(
      'at most 8 h · 30 days ahead · 60 min notice · 1 extension · approval',
    );
    expect(describePolicy({ maxExtensions: 0, requiresApproval: false })).toBe(
      '0 extensions · no approval',
    );
    expect(describePolicy({})).toBe('no limits');
  });
});

describe('fieldErrors', () => {
  const fields = ['maxDurationHours', 'minNoticeMinutes', 'componentSlots'];

  it('files each reason under the field it names, from the domain or the schema', () => {
    expect(
      fieldErrors(
        'policy.maxDurationHours: must be more than 0; body.policy.minNoticeMinutes: must be number',
        fields,
      ),
    ).toEqual({
      byField: {
        maxDurationHours: 'must be more than 0',
        minNoticeMinutes: 'must be number',
      },
      other: [],
    });
    expect(
      fieldErrors(
        'componentSlots[1]: no component component:default/api in the catalog',
        fields,
      ).byField,
    ).toEqual({
      componentSlots: 'no component component:default/api in the catalog',
    });
  });

  it('keeps reasons about other fields, or none, apart', () => {
    expect(
      fieldErrors(
        'tier: no environment has the tier "x"; Unknown field(s): foo',
        fields,
      ),
    ).toEqual({
      byField: {},
      other: ['tier: no environment has the tier "x"', 'Unknown field(s): foo'],
    });
  });
});
