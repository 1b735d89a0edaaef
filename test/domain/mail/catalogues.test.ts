import { parse, type Token } from '@messageformat/parser';
import { MAIL_LANGUAGES } from '../../../src/domain/people';
import { CATALOGUES, translate } from '../../../src/i18n/i18n';

/** Each argument a message uses, with the cases of each plural or select argument: `hours:plural[few,many,one,other]`. */
function placeholders(source: string): string[] {
  const found = new Set<string>();
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'argument' || token.type === 'function') found.add(token.arg);
      if (token.type === 'plural' || token.type === 'select' || token.type === 'selectordinal') {
        found.add(`${token.arg}:${token.type}`);
        for (const branch of token.cases) walk(branch.tokens);
      }
    }
  };
  walk(parse(source));
  return [...found].sort();
}

function pluralCases(source: string): Array<{ arg: string; keys: string[] }> {
  const found: Array<{ arg: string; keys: string[] }> = [];
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'plural') found.push({ arg: token.arg, keys: token.cases.map((branch) => branch.key).sort() });
      if (token.type === 'plural' || token.type === 'select' || token.type === 'selectordinal') for (const branch of token.cases) walk(branch.tokens);
    }
  };
  walk(parse(source));
  return found;
}

const english = CATALOGUES.en;
const others = MAIL_LANGUAGES.filter((language) => language !== 'en');

describe('the message catalogues', () => {
  it.each(others)('%s has exactly the English keys', (language) => {
    expect(Object.keys(CATALOGUES[language]).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(others)('%s uses the same placeholders as English in every message', (language) => {
    for (const [key, source] of Object.entries(english)) {
      expect({ key, placeholders: placeholders(CATALOGUES[language][key]!) }).toEqual({ key, placeholders: placeholders(source) });
    }
  });

  it.each(MAIL_LANGUAGES)("%s gives every plural exactly the language's CLDR categories (Intl.PluralRules)", (language) => {
    const categories = [...new Intl.PluralRules(language).resolvedOptions().pluralCategories].sort();
    for (const [key, source] of Object.entries(CATALOGUES[language])) {
      for (const plural of pluralCases(source)) expect({ key, arg: plural.arg, keys: plural.keys }).toEqual({ key, arg: plural.arg, keys: categories });
    }
  });

  it.each(others)('%s is a translation, not an English copy', (language) => {
    // Words that are the same in both languages, and a pattern with no words.
    const sameByNature = new Set(['mail.organizationWithType', 'mail.label.organization', 'mail.label.website', 'mail.mode.online', 'mail.label.name']);
    const copied = Object.keys(english).filter((key) => !sameByNature.has(key) && CATALOGUES[language][key] === english[key as keyof typeof english]);
    expect(copied).toEqual([]);
  });
});

describe('plural forms', () => {
  const counts = [1, 2, 5, 11, 21, 22, 25];

  it('writes Polish hours in its three forms for whole numbers', () => {
    expect(counts.map((hours) => translate('pl', 'mail.invitation.timeLeft', { hours }))).toEqual([
      'Czas na odpowiedź: 1 godzina.',
      'Czas na odpowiedź: 2 godziny.',
      'Czas na odpowiedź: 5 godzin.',
      'Czas na odpowiedź: 11 godzin.',
      'Czas na odpowiedź: 21 godzin.',
      'Czas na odpowiedź: 22 godziny.',
      'Czas na odpowiedź: 25 godzin.',
    ]);
    expect(counts.map((n) => new Intl.PluralRules('pl').select(n))).toEqual(['one', 'few', 'many', 'many', 'many', 'few', 'many']);
  });

  it('writes Lithuanian hours in its three forms for whole numbers', () => {
    expect(counts.map((hours) => translate('lt', 'mail.invitation.timeLeft', { hours }))).toEqual([
      'Laikas atsakyti: 1 valanda.',
      'Laikas atsakyti: 2 valandos.',
      'Laikas atsakyti: 5 valandos.',
      'Laikas atsakyti: 11 valandų.',
      'Laikas atsakyti: 21 valanda.',
      'Laikas atsakyti: 22 valandos.',
      'Laikas atsakyti: 25 valandos.',
    ]);
    expect(counts.map((n) => new Intl.PluralRules('lt').select(n))).toEqual(['one', 'few', 'few', 'other', 'one', 'few', 'few']);
  });

  it('writes the accusative and genitive Polish forms the sentences need', () => {
    expect([1, 2, 5].map((n) => translate('pl', 'mail.requestReceived.next.invitations', { hours: n, max: n }))).toEqual([
      'Każdy zaproszony ekspert ma 1 godzinę na odpowiedź; jeśli odmówi lub nie odpowie, zapraszamy kolejną osobę, łącznie do 1 eksperta.',
      'Każdy zaproszony ekspert ma 2 godziny na odpowiedź; jeśli odmówi lub nie odpowie, zapraszamy kolejną osobę, łącznie do 2 ekspertów.',
      'Każdy zaproszony ekspert ma 5 godzin na odpowiedź; jeśli odmówi lub nie odpowie, zapraszamy kolejną osobę, łącznie do 5 ekspertów.',
    ]);
  });
});
