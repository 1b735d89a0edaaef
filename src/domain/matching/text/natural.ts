// The only module that touches natural: tokenizer, stemmers, stop-word lists, distances.
import porterEn from 'natural/lib/natural/stemmers/porter_stemmer';
import porterDe from 'natural/lib/natural/stemmers/porter_stemmer_de';
import porterSv from 'natural/lib/natural/stemmers/porter_stemmer_sv';
import porterNo from 'natural/lib/natural/stemmers/porter_stemmer_no';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer';
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance';
import JaroWinklerDistance from 'natural/lib/natural/distance/jaro-winkler_distance';
import { words as englishStopWords } from 'natural/lib/natural/util/stopwords';
import { words as polishStopWords } from 'natural/lib/natural/util/stopwords_pl';
import { words as swedishStopWords } from 'natural/lib/natural/util/stopwords_sv';
import { words as norwegianStopWords } from 'natural/lib/natural/util/stopwords_no';

const wordTokenizer = new WordTokenizer();

/** Splits on anything but ASCII letters, digits and Cyrillic, so fold diacritics first. */
export function tokenizeWords(text: string): string[] {
  return wordTokenizer.tokenize(text);
}

export const naturalStemmers = {
  en: (token: string): string => porterEn.stem(token),
  de: (token: string): string => porterDe.stem(token),
  sv: (token: string): string => porterSv.stem(token),
  // Danish and Norwegian (bokmål) share most inflectional endings.
  da: (token: string): string => porterNo.stem(token),
};

export const naturalStopWords = {
  en: englishStopWords,
  pl: polishStopWords,
  sv: swedishStopWords,
  da: norwegianStopWords,
};

export function damerauLevenshtein(a: string, b: string): number {
  return DamerauLevenshteinDistance(a, b);
}

export function jaroWinkler(a: string, b: string): number {
  return JaroWinklerDistance(a, b);
}
