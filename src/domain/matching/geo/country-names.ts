const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  PL: 'Poland', DE: 'Germany', LT: 'Lithuania', SE: 'Sweden', DK: 'Denmark', LV: 'Latvia', EE: 'Estonia',
  FI: 'Finland', NO: 'Norway', RU: 'Russia', BY: 'Belarus', UA: 'Ukraine', CZ: 'Czechia', SK: 'Slovakia',
  NL: 'the Netherlands', BE: 'Belgium', FR: 'France', AT: 'Austria', CH: 'Switzerland', GB: 'the United Kingdom',
  IE: 'Ireland', ES: 'Spain', IT: 'Italy', PT: 'Portugal', IS: 'Iceland', HU: 'Hungary',
};

export function countryName(code: string): string {
  return COUNTRY_NAMES[code] ?? code;
}
