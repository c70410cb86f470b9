/**
 * What the visual editor saves, made source again: the editor keeps the text of a content as text,
 * so an Eta tag typed or inserted in a text (`<%= recipient.firstName %>`) comes back written with
 * entities (`&lt;%= recipient.firstName %&gt;`). Such tags are put back as tags, exactly as the code
 * view would have them; nothing else of the markup changes.
 */

const ESCAPED_TAG = /&lt;%([\s\S]*?)%&gt;/g;
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#039;': "'", '&nbsp;': ' ' };

export function restoreEditedTags(source: string): string {
  return source.replace(ESCAPED_TAG, (_whole, inner: string) => `<%${inner.replace(/&(?:amp|lt|gt|quot|nbsp|#0?39);/g, (e) => ENTITIES[e]!)}%>`);
}
