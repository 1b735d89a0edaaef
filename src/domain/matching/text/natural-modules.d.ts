// natural's package entry loads every storage backend (mongoose, redis, pg), so the
// domain imports only the small modules it needs; these declare their shapes.
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_de' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_sv' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_no' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer' {
  export class WordTokenizer {
    tokenize(text: string): string[];
  }
}
declare module 'natural/lib/natural/distance/levenshtein_distance' {
  export function DamerauLevenshteinDistance(source: string, target: string): number;
}
declare module 'natural/lib/natural/distance/jaro-winkler_distance' {
  export default function JaroWinklerDistance(s1: string, s2: string): number;
}
declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_pl' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_sv' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords_no' {
  export const words: string[];
}
