import type { Catalogues } from '../../shared/i18n/catalogue.js';
import { MAIL_DE } from './de.js';
import { MAIL_MESSAGES } from './en.js';
import { MAIL_ES } from './es.js';
import { MAIL_FR } from './fr.js';

/** The shipped system-mail texts by language (the web module hands in its catalogues, site overrides applied). */
export const MAIL_CATALOGUES: Catalogues = { en: MAIL_MESSAGES, es: MAIL_ES, fr: MAIL_FR, de: MAIL_DE };
