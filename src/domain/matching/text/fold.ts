const LETTERS_WITHOUT_DECOMPOSITION: Readonly<Record<string, string>> = {
  ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', æ: 'ae', Æ: 'AE', ß: 'ss', ẞ: 'SS',
  đ: 'd', Đ: 'D', ð: 'd', Ð: 'D', þ: 'th', Þ: 'TH', œ: 'oe', Œ: 'OE', ı: 'i',
};
const SPECIAL_LETTER = /[łŁøØæÆßẞđĐðÐþÞœŒı]/g;
const COMBINING_MARK = /[\u0300-\u036f]/g;

/** Removes diacritics (ą→a, ė→e, ö→o) and spells out letters that have none (ł→l, ß→ss), keeping case. */
export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARK, '')
    .replace(SPECIAL_LETTER, (letter) => LETTERS_WITHOUT_DECOMPOSITION[letter] ?? letter);
}

export function foldKey(text: string): string {
  return foldDiacritics(text).toLowerCase().replace(/\s+/g, ' ').trim();
}
