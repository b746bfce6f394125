import { maskTrackingCodes } from './logging.module';

describe('maskTrackingCodes', () => {
  it('hides tracking codes in any spelling', () => {
    expect(maskTrackingCodes('/theo-doi/ABCDE-FGHJK-MNPQR/bo-sung')).toBe('/theo-doi/***/bo-sung');
    expect(maskTrackingCodes('/api/v1/cases/abcdefghjkmnpqr')).toBe('/api/v1/cases/***');
    expect(maskTrackingCodes('/api/v1/submissions')).toBe('/api/v1/submissions');
  });
});
