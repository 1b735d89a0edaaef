// natural has no Lithuanian stemmer. Lithuanian marks case and number with endings on
// nouns and adjectives (dizainas, dizaino, dizainui, dizainų), so stripping the longest
// matching ending conflates the forms well enough for matching. Tokens arrive folded
// (ų→u, ė→e, ą→a), which lets one rule cover endings that differ only in diacritics.
const SUFFIXES = [
  'ijomis', 'ijoje', 'ijose', 'ijoms', 'iuose',
  'ijos', 'ijai', 'ijas', 'iams', 'iais', 'uose', 'omis', 'emis', 'imis', 'asis', 'ieji',
  'ija', 'iju', 'iai', 'ius', 'ias', 'ios', 'iui', 'aus', 'oje', 'eje', 'yje', 'uje',
  'ams', 'oms', 'ems', 'ims', 'ais', 'ose', 'ese', 'yse', 'ame', 'ome',
  'as', 'is', 'ys', 'us', 'os', 'es', 'ai', 'ui', 'iu', 'io', 'ia', 'ei', 'ti', 'je',
  'a', 'e', 'i', 'u', 'o', 'y',
].sort((a, b) => b.length - a.length);

const MIN_STEM_LENGTH = 3;

export function stemLithuanian(token: string): string {
  for (const suffix of SUFFIXES) {
    if (token.length - suffix.length >= MIN_STEM_LENGTH && token.endsWith(suffix)) {
      return token.slice(0, -suffix.length);
    }
  }
  return token;
}
