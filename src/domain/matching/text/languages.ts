export const ANALYSIS_LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv', 'da'] as const;
export type AnalysisLanguage = (typeof ANALYSIS_LANGUAGES)[number];

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
