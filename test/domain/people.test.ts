import { defaultContactLanguage, defaultPreferredLanguage, defaultTimeZone, isKnownTimeZone } from '../../src/domain/people';

describe('defaultContactLanguage', () => {
  it("takes the request's first language only, when the service writes it", () => {
    expect(defaultContactLanguage(['pl', 'en'])).toBe('pl');
    expect(defaultContactLanguage(['da', 'sv'])).toBe('en');
    expect(defaultContactLanguage([])).toBe('en');
  });
});

describe('defaultPreferredLanguage', () => {
  it("takes the first of the expert's languages the service writes, else English", () => {
    expect(defaultPreferredLanguage(['da', 'fi', 'lt', 'de'])).toBe('lt');
    expect(defaultPreferredLanguage(['da', 'fi'])).toBe('en');
  });
});

describe('defaultTimeZone', () => {
  it('maps the South Baltic countries to their zones and everything else to UTC', () => {
    expect(['PL', 'DE', 'LT', 'SE', 'DK', 'FI', 'LV'].map(defaultTimeZone)).toEqual([
      'Europe/Warsaw',
      'Europe/Berlin',
      'Europe/Vilnius',
      'Europe/Stockholm',
      'Europe/Copenhagen',
      'UTC',
      'UTC',
    ]);
  });
});

describe('isKnownTimeZone', () => {
  it('accepts IANA names the runtime knows and refuses offsets, abbreviations and unknown places', () => {
    expect(['Europe/Vilnius', 'America/Argentina/Buenos_Aires', 'UTC'].map(isKnownTimeZone)).toEqual([true, true, true]);
    expect(['+02:00', 'CET', 'Europe/Atlantis', 'europe/vilnius', 'Europe/Vilnius/'].map(isKnownTimeZone)).toEqual([false, false, false, false, false]);
  });
});
