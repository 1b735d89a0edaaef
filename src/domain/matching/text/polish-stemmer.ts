// natural's Polish "stemmer" returns tokens unchanged, so this light stemmer strips the
// commonest noun, adjective and verbal-noun endings. It works on diacritic-folded tokens,
// which merges a few endings (ą/a, ę/e) that would otherwise need separate rules.
const SUFFIXES = [
  'aniami', 'aniach', 'eniami', 'eniach', 'osciami', 'osciach',
  'aniem', 'eniem', 'oscia', 'owie',
  'ania', 'aniu', 'anie', 'enia', 'eniu', 'enie', 'osci',
  'ami', 'ach', 'ego', 'emu', 'ych', 'ymi', 'ich', 'imi', 'owi', 'iem', 'osc',
  'om', 'ow', 'em', 'ie', 'ej', 'ym', 'im', 'um',
  'a', 'e', 'i', 'o', 'u', 'y',
].sort((a, b) => b.length - a.length);

const MIN_STEM_LENGTH = 3;
// Nouns in -ka/-ek lose the e in every other form (resztek/resztki, budynek/budynku, ulotek/ulotka): after a
// consonant, "ek" at the end is that mobile e, so it stems to "k" like the other forms.
const MOBILE_E = /[^aeiouy]ek$/;
const SHORTEST_WITH_MOBILE_E = 6;

export function stemPolish(token: string): string {
  if (token.length >= SHORTEST_WITH_MOBILE_E && MOBILE_E.test(token)) return `${token.slice(0, -2)}k`;
  for (const suffix of SUFFIXES) {
    if (token.length - suffix.length >= MIN_STEM_LENGTH && token.endsWith(suffix)) {
      return token.slice(0, -suffix.length);
    }
  }
  return token;
}
