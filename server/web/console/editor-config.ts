import { PICKER_FIELDS } from '../../delivery/source/field-picker.js';
import type { Translate } from '../i18n/translate.js';

/** What the visual editor's script is given (views/partials/visual-editor.eta): the site's blocks and its words. */
export interface EditorConfig {
  blocks: Array<{ name: string; label: string }>;
  /** The personalization fields of the picker (recipient and delivery; links stay in the code view). */
  fields: Array<{ label: string; insert: string }>;
  text: { block: string; blocks: string; field: string; mjmlOnly: string };
}

export function editorConfig(t: Translate, blocks: ReadonlyArray<{ name: string; label: string }>): EditorConfig {
  return {
    blocks: blocks.map((b) => ({ name: b.name, label: b.label })),
    fields: PICKER_FIELDS.filter((f) => f.group === 'recipient' || f.group === 'delivery').map((f) => ({ label: t(f.label), insert: f.insert })),
    text: { block: t('editor.block'), blocks: t('picker.group.blocks'), field: t('editor.field'), mjmlOnly: t('editor.mjml_only') },
  };
}
