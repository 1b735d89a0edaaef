import type { Request, Response } from 'express';
import { translatorFor, type Translate } from '../i18n/i18n';
import { sendPage } from '../http/pages';
import { languageOfPage, languageSwitcher } from './page-language';

/**
 * Renders `views/pages/<template>.eta` as a hosted page in the visitor's language (pageLanguage), with the language
 * switcher and the footer every hosted page has; `data` may use `t` for its own text.
 */
export function sendHostedPage(req: Request, res: Response, status: number, template: string, data: (t: Translate) => { title: string; [field: string]: unknown }): void {
  const language = languageOfPage(res);
  const t = translatorFor(language);
  sendPage(res, status, `pages/${template}`, {
    language,
    footer: t('page.footer'),
    switcherLabel: t('site.languages'),
    switcher: languageSwitcher(req, language),
    ...data(t),
  });
}
