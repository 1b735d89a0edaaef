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

export function stemPolish(token: string): string {
  for (const suffix of SUFFIXES) {
    if (token.length - suffix.length >= MIN_STEM_LENGTH && token.endsWith(suffix)) {
      return token.slice(0, -suffix.length);
    }
  }
  return token;
}
