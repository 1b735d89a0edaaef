export const ANALYSIS_LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv', 'da'] as const;
export type AnalysisLanguage = (typeof ANALYSIS_LANGUAGES)[number];

const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  en: 'English', pl: 'Polish', de: 'German', lt: 'Lithuanian', sv: 'Swedish', da: 'Danish',
  ru: 'Russian', uk: 'Ukrainian', be: 'Belarusian', lv: 'Latvian', et: 'Estonian', fi: 'Finnish',
  no: 'Norwegian', nb: 'Norwegian', nn: 'Norwegian', is: 'Icelandic', fr: 'French', es: 'Spanish',
  it: 'Italian', pt: 'Portuguese', nl: 'Dutch', cs: 'Czech', sk: 'Slovak', hu: 'Hungarian', csb: 'Kashubian',
};

/** "PL", "pl-PL" and " pl " all mean Polish. */
export function normaliseLanguageCode(code: string): string {
  return code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

export function uniqueLanguages(codes: readonly string[]): string[] {
  return [...new Set(codes.map(normaliseLanguageCode).filter((code) => code !== ''))];
}

export function isAnalysisLanguage(code: string): code is AnalysisLanguage {
  return (ANALYSIS_LANGUAGES as readonly string[]).includes(code);
}

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}
